"""Malformed input on every writable endpoint gets a 4xx with a JSON message, never a 500."""

import json

import pytest

from accounts.models import User
from moderation.models import Post
from moderation.tests.factories import PostFactory

# (method, path, a valid body, the role that may call it)
WRITES = [
    ("post", "/api/register", {"username": "newbie", "email": "n@example.com", "password": "x" * 12}, None),
    ("post", "/api/login", {"username": "mia", "password": "x" * 12}, None),
    ("post", "/api/token/refresh", {"refresh": "abc"}, None),
    ("post", "/api/logout", {"refresh": "abc"}, "member"),
    ("put", "/api/profile", {"display_name": "M", "bio": "B"}, "member"),
    ("patch", "/api/profile", {"bio": "B"}, "member"),
    ("post", "/api/posts", {"title": "T", "body": "B"}, "member"),
    ("post", "/api/user/ban", {"username": "mia", "reason": "r", "days": 1}, "admin"),
    ("post", "/api/user/unban", {"username": "mia"}, "admin"),
]


def _malformed_bodies(method: str, valid: dict):
    first = next(iter(valid))
    yield "not json", "{not json"
    yield "json list", json.dumps([valid])
    yield "json null", "null"
    yield "json string", json.dumps("text")
    yield "unknown field", json.dumps({**valid, "surprise": 1})
    yield "number for a string", json.dumps({**valid, first: 12345})
    yield "object for a string", json.dumps({**valid, first: {"a": 1}})
    if method != "patch":  # a PATCH may leave any field out
        yield "missing field", json.dumps({k: v for k, v in valid.items() if k != first})
    yield "oversized value", json.dumps({**valid, first: "x" * 20_000})
    yield "nul byte", json.dumps({**valid, first: "a\x00b"})
    yield "nested too deeply", "[" * 5000 + "]" * 5000
    yield "value nested too deeply", json.dumps(valid)[:-1] + ', "deep": ' + "[" * 5000 + "]" * 5000 + "}"


CASES = [
    pytest.param(method, path, body, role, id=f"{method} {path}: {label}")
    for method, path, valid, role in WRITES
    for label, body in _malformed_bodies(method, valid)
]


@pytest.mark.parametrize(("method", "path", "body", "role"), CASES)
def test_malformed_body_is_a_4xx_with_a_message(method, path, body, role, api_as, request, member):
    client = api_as(request.getfixturevalue(role) if role else None)
    users_before, posts_before = User.objects.count(), Post.objects.count()

    response = getattr(client, method)(path, body, content_type="application/json")

    assert 400 <= response.status_code < 500, response.content
    assert isinstance(response.json()["detail"], str)
    assert (User.objects.count(), Post.objects.count()) == (users_before, posts_before)


def test_a_body_that_is_not_json_at_all_is_415(api):
    response = api.post("/api/login", "username=mia", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert "detail" in response.json()


def test_a_huge_body_is_refused_before_it_is_parsed(api):
    response = api.post("/api/login", '{"username": "' + "x" * 200_000 + '"}', content_type="application/json")
    assert response.status_code in (400, 413)


@pytest.mark.parametrize("post_id", ["abc", "0", "-1", "99999999999999999999999", "1.5", "%00", "١"])
def test_a_post_id_that_cannot_exist_is_404(api, post_id, db):
    response = api.get(f"/api/posts/{post_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No post with that id."}


def test_deleting_a_post_that_cannot_exist_is_404(api_as, moderator):
    PostFactory()
    assert api_as(moderator).delete("/api/posts/99999999999999999999999").status_code == 404
    assert Post.objects.visible().count() == 1


@pytest.mark.parametrize(
    "query",
    [
        "action=nope", "since=yesterday", "until=2026-13-45", "surprise=1", "cursor=cD1nYXJiYWdl",
        # Positions before year 1 and after 9999 once in UTC.
        "cursor=cD0wMDAxLTAxLTAxVDAwOjAwOjAwKzE0OjAw", "cursor=cD05OTk5LTEyLTMxVDIzOjU5OjU5LTE0OjAw",
    ],
)  # fmt: skip
def test_bad_log_filters_are_400(api_as, admin, query):
    response = api_as(admin).get(f"/api/admin/logs?{query}")
    assert response.status_code in (400, 404)
    assert "detail" in response.json()


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_path_is_a_json_404_for_any_method_even_with_debug_on(api, settings, debug, method):
    settings.DEBUG = debug  # Django's HTML debug 404 would answer otherwise
    for path in ("/api/does-not-exist", "/api/posts/1/2", "/api/posts/1%2F2"):
        response = getattr(api, method)(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_an_unexpected_error_in_the_api_is_a_json_500_and_a_page_one_is_the_friendly_page(monkeypatch):
    from django.test import Client

    from accounts.api.views import WelcomeView
    from authsite import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(WelcomeView, "get", broken)
    monkeypatch.setattr(views, "render", broken)
    client = Client(raise_request_exception=False)
    api_error, page_error = client.get("/api/welcome"), client.get("/welcome")
    assert api_error.status_code == 500
    assert api_error.json() == {"detail": "Something went wrong on our side; it has been logged."}
    assert page_error.status_code == 500 and "text/html" in page_error["Content-Type"]


def test_an_unsupported_method_is_a_json_405(api):
    response = api.delete("/api/welcome")
    assert response.status_code in (401, 405)
    assert "detail" in response.json()
