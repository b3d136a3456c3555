"""The posts and moderation pages, through a browser-like client."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from accounts.tests.page_fixtures import ROLES
from adminlogs.models import AuditAction, AuditEvent
from moderation.models import Post
from moderation.tests.factories import PostFactory

# Cursors naming times that exist in their zone but not in UTC: before year 1, after 9999.
OUTSIDE_UTC = ("MDAwMS0wMS0wMVQwMDowMDowMCsxNDowMHwx", "OTk5OS0xMi0zMVQyMzo1OTo1OS0xNDowMHwx")

pytestmark = pytest.mark.django_db

LOGIN, DONE = "login", "done"


def outcome(response):
    """How a page answered: its status, or where a redirect went (the login page, or on)."""
    if response.status_code == 302:
        return LOGIN if urlsplit(response.url).path == reverse("accounts:login") else DONE
    return response.status_code


@pytest.fixture
def post(member):
    return PostFactory(author=member, title="A post to keep")


@pytest.fixture
def tom(db):
    """A plain user that moderation acts on."""
    return UserFactory(username="tom", role=Role.USER)


@pytest.fixture
def suspended_tom(tom, admin):
    return account_services.user_suspend(actor=admin, target=tom, reason="spam", days=2, ip=None)


def _is_suspended(username) -> bool:
    return User.objects.get(username=username).is_suspended


# (fixtures the row needs, request made, the effect that shows it ran, answers in ROLES order).
# The answers are an independent copy of the seed's matrix, not read from accounts.policy.
ROWS = {
    "read posts": (
        ["post"], lambda c, post: c.get("/posts"), None,
        (200, 200, 200, 200, 200)),
    "read one post": (
        ["post"], lambda c, post: c.get(f"/posts/{post.pk}"), None,
        (200, 200, 200, 200, 200)),
    "write a post": (
        [], lambda c: c.post("/posts", {"title": "Matrix post", "body": "Hello"}),
        lambda: Post.objects.filter(title="Matrix post").exists(),
        (LOGIN, DONE, DONE, DONE, DONE)),
    "delete a post": (
        ["post"], lambda c, post: c.post(f"/posts/{post.pk}/delete", {"reason": "off-topic"}),
        lambda: not Post.objects.visible().filter(title="A post to keep").exists(),
        (LOGIN, 403, 403, DONE, DONE)),
    "open the suspension form": (
        [], lambda c: c.get("/user/ban"), None,
        (LOGIN, 403, 403, 200, 200)),
    "suspend a plain user": (
        ["tom"], lambda c, tom: c.post("/user/ban", {"username": "tom", "reason": "spam", "days": "3"}),
        lambda: _is_suspended("tom"),
        (LOGIN, 403, 403, DONE, DONE)),
    "open the reinstatement form": (
        [], lambda c: c.get("/user/unban"), None,
        (LOGIN, 403, 403, 200, 200)),
    "lift a suspension": (
        ["suspended_tom"], lambda c, tom: c.post("/user/unban", {"username": "tom"}),
        lambda: not _is_suspended("tom"),
        (LOGIN, 403, 403, DONE, DONE)),
}  # fmt: skip


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
@pytest.mark.parametrize("row", ROWS)
def test_moderation_pages_follow_the_matrix(row, role_index, role, browser_for, request):
    needs, make_request, effect, expected = ROWS[row]
    client = browser_for(role)
    response = make_request(client, *[request.getfixturevalue(name) for name in needs])
    assert outcome(response) == expected[role_index]
    if effect is not None:
        assert effect() is (expected[role_index] == DONE)


def test_denied_delete_leaves_the_post_on_the_list(post, browser_as, member):
    client = browser_as(member)
    client.post(f"/posts/{post.pk}/delete", {"reason": "mine"})
    assert "A post to keep" in client.get("/posts").content.decode()
    assert client.get(f"/posts/{post.pk}").status_code == 200


# --- Posts ---------------------------------------------------------------------------------


def test_writing_a_post_shows_it_and_its_author(member, browser_as):
    client = browser_as(member)
    response = client.post("/posts/", {"title": "  Hello world ", "body": "First!"})
    post = Post.objects.get()
    assert response.url == f"/posts/{post.pk}"
    page = client.get(response.url).content.decode()
    assert "Hello world" in page
    assert "by mia" in page
    assert "Your post is published." in page


def test_guest_is_invited_to_log_in_instead_of_writing(post):
    html = Client().get("/posts").content.decode()
    assert 'name="title"' not in html
    assert "Log in to write a post." in html


def test_invalid_post_keeps_what_was_typed(member, browser_as):
    response = browser_as(member).post("/posts", {"title": "", "body": "Keep me " * 3})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="id_title_error"><li>This field is required.', html)
    assert "Keep me Keep me Keep me" in html
    assert not Post.objects.exists()


def test_oversized_post_is_a_form_error(member, browser_as):
    response = browser_as(member).post("/posts", {"title": "t" * 201, "body": "b" * 10_001})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    assert not Post.objects.exists()


def test_posts_come_in_keyset_pages(member, browser_as):
    for number in range(25):
        PostFactory(author=member, title=f"Numbered {number:02d}")
    client = browser_as(member)
    first = client.get("/posts")
    titles = re.findall(r"Numbered (\d\d)", first.content.decode())
    assert titles == [f"{n:02d}" for n in range(24, 4, -1)]
    older = re.search(r'href="\?cursor=([^"]+)" rel="next"', first.content.decode()).group(1)
    second = client.get(f"/posts?cursor={older}").content.decode()
    assert re.findall(r"Numbered (\d\d)", second) == ["04", "03", "02", "01", "00"]
    assert 'rel="next"' not in second


@pytest.mark.parametrize(
    "cursor", ["garbage", "!!!", "MjAyNC0wMS0wMVQwMDowMDowMCswMDowMHwtMQ", "x" * 500, *OUTSIDE_UTC]
)
def test_a_broken_page_link_is_a_400(cursor, post):
    response = Client().get(f"/posts?cursor={cursor}")
    assert response.status_code == 400
    assert "page link is broken" in response.content.decode()


@pytest.mark.parametrize("post_id", ["abc", "99999999999999999999999", "0", "-1", "1.5", "%00"])
def test_unknown_or_malformed_post_ids_are_404(post_id, moderator, browser_as):
    client = browser_as(moderator)
    assert client.get(f"/posts/{post_id}").status_code == 404
    assert client.post(f"/posts/{post_id}/delete", {"reason": "x"}).status_code == 404


def test_moderator_deletes_a_post_with_a_reason(post, moderator, browser_as):
    client = browser_as(moderator)
    detail = client.get(f"/posts/{post.pk}").content.decode()
    assert f'action="/posts/{post.pk}/delete"' in detail
    assert 'for="id_reason"' in detail
    response = client.post(f"/posts/{post.pk}/delete/", {"reason": "Off-topic"})
    assert response.url == "/posts"
    listing = client.get("/posts").content.decode()
    assert "A post to keep" not in listing
    assert "The post is deleted." in listing
    assert client.get(f"/posts/{post.pk}").status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.POST_DELETED)
    assert (event.actor, event.changes["reason"]) == (moderator, "Off-topic")


def test_delete_form_is_shown_only_to_those_who_may_delete(post, browser_as, member):
    html = browser_as(member).get(f"/posts/{post.pk}").content.decode()
    assert "/delete" not in html


def test_delete_must_be_a_post(post, moderator, browser_as):
    assert browser_as(moderator).get(f"/posts/{post.pk}/delete").status_code == 405
    assert Post.objects.visible().filter(pk=post.pk).exists()


def test_oversized_deletion_reason_is_a_form_error(post, moderator, browser_as):
    response = browser_as(moderator).post(f"/posts/{post.pk}/delete", {"reason": "r" * 501})
    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()
    assert Post.objects.visible().filter(pk=post.pk).exists()


def test_posting_without_csrf_token_is_refused(member, post, moderator, browser_as):
    writer = browser_as(member, enforce_csrf_checks=True)
    assert writer.post("/posts", {"title": "Forged", "body": "x"}).status_code == 403
    remover = browser_as(moderator, enforce_csrf_checks=True)
    assert remover.post(f"/posts/{post.pk}/delete", {"reason": "x"}).status_code == 403
    assert remover.post("/user/ban", {"username": "mia", "reason": "x", "days": "1"}).status_code == 403
    assert list(Post.objects.visible()) == [post]
    assert not _is_suspended("mia")


# --- Suspensions ---------------------------------------------------------------------------


def test_moderator_is_shown_their_limits(moderator, browser_as):
    html = browser_as(moderator).get("/user/ban").content.decode()
    assert "A suspension lasts 1 to 7 days." in html
    assert "You cannot suspend anyone indefinitely." in html
    assert "accounts with role user only" in html


def test_admin_is_shown_their_limits(admin, browser_as):
    html = browser_as(admin).get("/user/ban").content.decode()
    assert "A suspension lasts 1 to 3650 days." in html
    assert "Leave the days empty to suspend until further notice." in html


@pytest.mark.parametrize("target", ["admin", "moderator", "other_moderator"])
def test_moderator_may_not_suspend_staff_or_themselves(target, moderator, browser_as, request):
    victim = (
        UserFactory(username="max", role=Role.MODERATOR)
        if target == "other_moderator"
        else request.getfixturevalue(target)
    )
    response = browser_as(moderator).post(
        "/user/ban", {"username": victim.username, "reason": "power trip", "days": "1"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "You may not suspend this account. You may act on: accounts with role user only." in html
    assert '<form class="card form" method="post" action="/user/ban"' in html
    assert f'value="{victim.username}"' in html
    assert not _is_suspended(victim.username)


@pytest.mark.parametrize("days", ["8", "30", "0", "-3", ""])
def test_moderator_may_not_exceed_their_days(days, tom, moderator, browser_as):
    response = browser_as(moderator).post("/user/ban", {"username": "tom", "reason": "spam", "days": days})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="id_days_error"><li>Choose between 1 and 7 days.', html)
    assert not _is_suspended("tom")


def test_moderator_suspends_a_plain_user_within_limits(tom, moderator, browser_as):
    client = browser_as(moderator)
    response = client.post("/user/ban/", {"username": "TOM", "reason": "spam", "days": "7"})
    assert response.url == "/user/ban"
    assert "tom is suspended." in client.get(response.url).content.decode()
    tom.refresh_from_db()
    assert tom.is_suspended and tom.suspended_by == moderator
    assert AuditEvent.objects.filter(action=AuditAction.USER_SUSPENDED, target_user=tom).exists()


def test_admin_may_suspend_indefinitely(tom, admin, browser_as):
    browser_as(admin).post("/user/ban", {"username": "tom", "reason": "fraud", "days": ""})
    tom.refresh_from_db()
    assert tom.is_suspended and tom.suspended_until is None


def test_admin_may_suspend_a_moderator(moderator, admin, browser_as):
    response = browser_as(admin).post("/user/ban", {"username": "mona", "reason": "abuse", "days": "30"})
    assert outcome(response) == DONE
    assert _is_suspended("mona")


def test_admin_may_not_suspend_themselves(admin, browser_as):
    response = browser_as(admin).post("/user/ban", {"username": "ada", "reason": "oops", "days": "1"})
    assert response.status_code == 403
    assert "You may not suspend this account." in response.content.decode()
    assert not _is_suspended("ada")


def test_unknown_username_is_an_error_on_the_username_field(moderator, browser_as):
    response = browser_as(moderator).post("/user/ban", {"username": "ghost", "reason": "x", "days": "1"})
    assert response.status_code == 400
    assert re.search(r'id="id_username_error"><li>No account with that username.', response.content.decode())


@pytest.mark.parametrize(
    "data",
    [
        {"username": "tom", "reason": "spam", "days": "seven"},
        {"username": "tom", "reason": "spam", "days": "1e3"},
        {"username": "tom", "reason": "spam", "days": "99999999999999999999999"},
        {"username": "tom", "reason": "", "days": "1"},
        {"username": "tom", "reason": "r" * 501, "days": "1"},
        {"username": "t" * 151, "reason": "spam", "days": "1"},
        {"username": "tom\x00", "reason": "spam", "days": "1"},
        {},
    ],
    ids=["words", "exponent", "huge", "no reason", "long reason", "long name", "nul byte", "empty"],
)
def test_malformed_suspension_is_a_form_error(data, tom, moderator, browser_as):
    response = browser_as(moderator).post("/user/ban", data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not _is_suspended("tom")


def test_lifting_a_suspension_lets_them_log_in_again(suspended_tom, moderator, browser_as, password):
    client = browser_as(moderator)
    response = client.post("/user/unban", {"username": "tom"})
    assert response.url == "/user/unban"
    assert "tom may log in again." in client.get(response.url).content.decode()
    assert outcome(Client().post("/login", {"username": "tom", "password": password})) == DONE


def test_lifting_a_suspension_that_is_not_there_is_a_field_error(tom, moderator, browser_as):
    response = browser_as(moderator).post("/user/unban", {"username": "tom"})
    assert response.status_code == 400
    assert re.search(r'id="id_username_error"><li>This account is not suspended.', response.content.decode())


def test_moderator_may_not_lift_an_admins_suspension_of_a_moderator(moderator, admin, browser_as):
    other = UserFactory(username="max", role=Role.MODERATOR)
    account_services.user_suspend(actor=admin, target=other, reason="abuse", days=5, ip=None)
    response = browser_as(moderator).post("/user/unban", {"username": "max"})
    assert response.status_code == 403
    assert "You may not lift this account&#x27;s suspension." in response.content.decode()
    assert _is_suspended("max")


def test_post_list_costs_the_same_queries_for_many_authors(browser_as, member, django_assert_max_num_queries):
    client = browser_as(member)
    PostFactory.create_batch(3)
    with django_assert_max_num_queries(5) as few:
        client.get("/posts")
    PostFactory.create_batch(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/posts")


# --- What a person reads -------------------------------------------------------------------


def test_days_are_marked_optional_only_for_those_who_may_suspend_indefinitely(moderator, admin, browser_as):
    assert "(optional)" not in browser_as(moderator).get("/user/ban").content.decode()
    admin_form = browser_as(admin).get("/user/ban").content.decode()
    assert re.search(r'Days <span class="optional">\(optional\)</span>', admin_form)


def test_post_dates_read_in_the_locale_format(post):
    html = Client().get(f"/posts/{post.pk}").content.decode()
    shown = re.search(r"<time datetime=\"[^\"]+\">([^<]+)</time>", html).group(1)
    assert re.search(r"[A-Z][a-z]+\.? \d{1,2}, \d{4}", shown)  # en-us DATETIME_FORMAT, e.g. "Dec. 3, 2026, 7:04 p.m."
