"""Hostile input: schemathesis fuzzes every operation of our own OpenAPI schema, in process.

The schema is read from ``/api/schema`` through the WSGI application, and every operation gets
boundary values and malformed input (schemathesis' coverage phase) and generated valid and
invalid requests (its fuzzing phase), as a guest, as a member and as an admin. Each response must
not be a 5xx, must have a documented status code, content type, headers and body, and every
error body must carry ``detail``. The run is bounded (``MAX_EXAMPLES``) and derandomized with a
fixed seed, so the same code sends the same cases; it reports how many it sent in pytest's
terminal summary (``fuzz: N cases sent to M operations ...``), with or without ``-s``.

Below the fuzzing: regression tests for what it found, and for oversized bodies.
"""

import json
from collections import Counter
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from accounts.tokens import token_pair_issue
from moderation.models import Post
from moderation.tests.factories import PostFactory

MAX_EXAMPLES = 25  # per operation and identity, in the fuzzing phase; the coverage phase adds its own
SEED = 4_2026

CONFIG = {
    "seed": SEED,
    # Requests are slow next to data generation (Argon2 on login and registration), and the
    # fixtures are per test on purpose: Hypothesis' health checks would object to both.
    "suppress-health-check": ["all"],
    "generation": {
        "mode": "all",  # valid and invalid requests
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        "database": "none",  # no replay of earlier failures: every run starts from the seed
        # Identities are sent explicitly below; generated Bearer tokens would only ever be 401.
        "with-security-parameters": False,
    },
    "checks": {
        # Valid input may still break a domain rule (a common password, an unknown account).
        "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "429"]},
    },
}

IDENTITIES = ["guest", "member", "admin"]

# Every operation of the README's API table: the fuzzing reaches only what the schema describes.
OPERATIONS = {
    "GET /api/welcome/", "POST /api/register/", "POST /api/login/", "POST /api/token/refresh/",
    "POST /api/logout/", "POST /api/logout/all/", "GET /api/profile/", "PUT /api/profile/",
    "PATCH /api/profile/", "POST /api/password/", "POST /api/email/", "GET /api/premium/",
    "GET /api/posts/", "POST /api/posts/", "GET /api/posts/{post_id}/", "DELETE /api/posts/{post_id}/",
    "POST /api/user/ban/", "POST /api/user/unban/", "GET /api/admin/logs/", "GET /api/admin/settings/",
}  # fmt: skip


@contextmanager
def django_test_signals():
    """Keep the test's database connection across requests, as Django's own test client does.

    The WSGI handler closes connections in ``request_started``/``request_finished``, which would
    drop the transaction each test runs in.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def load_schema():
    with django_test_signals():
        return schemathesis.openapi.from_wsgi(
            "/api/schema", WSGIHandler(), config=schemathesis.Config.from_dict(CONFIG)
        )


schema = load_schema()


class FuzzReport:
    """Counts what the fuzzing sent and prints one line in pytest's terminal summary."""

    def __init__(self):
        self.cases = 0
        self.operations = set()
        self.statuses = Counter()
        self.seconds = 0.0

    def record(self, case, status: int) -> None:
        self.cases += 1
        self.operations.add(case.operation.label)
        self.statuses[status] += 1

    def pytest_runtest_logreport(self, report):
        if "test_fuzz_every_operation" in report.nodeid:
            self.seconds += report.duration

    def pytest_terminal_summary(self, terminalreporter):
        if not self.cases:
            return
        server_errors = sum(count for status, count in self.statuses.items() if status >= 500)
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(self.statuses.items()))
        terminalreporter.write_line(
            f"fuzz: {self.cases} cases sent to {len(self.operations)} operations as {'/'.join(IDENTITIES)} "
            f"in {self.seconds:.1f} s, {server_errors} server errors (statuses {statuses})"
        )


REPORT = FuzzReport()


@pytest.fixture(scope="module", autouse=True)
def _fuzz_report(request):
    if not request.config.pluginmanager.is_registered(REPORT):
        request.config.pluginmanager.register(REPORT, "authsite-fuzz-report")


@pytest.fixture
def headers(who, db):
    """The request headers of ``who``, with a few accounts and posts for requests to find."""
    # No usable passwords: nothing generated could guess one, and hashing each costs time.
    UserFactory(username="mia", role=Role.USER, password=None)
    UserFactory(username="mona", role=Role.MODERATOR, password=None)
    PostFactory.create_batch(3, author__password=None)
    if who == "guest":
        return {}
    user = UserFactory(username=f"fuzz-{who}", role=Role.ADMIN if who == "admin" else Role.USER, password=None)
    return {"Authorization": f"Bearer {token_pair_issue(user)['access']}"}


def error_body_has_detail(ctx, response, case):
    """Every 4xx and 5xx answers in the API's error format."""
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body, dict) and isinstance(body.get("detail"), str), f"no `detail` in {body!r}"


@schema.parametrize()
@pytest.mark.parametrize("who", IDENTITIES)
def test_fuzz_every_operation(case, headers):
    # Every example starts from the same state: its writes are rolled back, and the cache
    # (rate-limit counters, token versions) is emptied so 429s do not drown everything else.
    for cache in caches.all():
        cache.clear()
    with django_test_signals(), transaction.atomic():
        try:
            response = case.call(headers=headers)
            REPORT.record(case, response.status_code)
            case.validate_response(
                response,
                headers=headers,
                additional_checks=[error_body_has_detail],
                transport_kwargs={"headers": headers},
            )
        finally:
            transaction.set_rollback(True)


def test_the_schema_describes_every_operation_so_every_one_is_fuzzed():
    assert {result.ok().label for result in schema.get_all_operations()} == OPERATIONS


def test_every_error_the_schema_documents_is_in_the_error_format():
    paths = schema.raw_schema["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            errors = {status: response for status, response in operation["responses"].items() if status >= "400"}
            assert "401" in errors, f"{method} {path}"
            for status, response in errors.items():
                body = response["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/ErrorOutput"}, f"{method} {path} {status}"


# --- What the fuzzing found ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("trace", "/api/token/refresh", None),  # was 403: the view reads no credentials at all
        ("put", "/api/token/refresh", "member"),  # was 403
        ("put", "/api/welcome", None),  # was 401
        ("delete", "/api/profile", None),  # was 401
        ("patch", "/api/admin/logs", "member"),  # was 403
    ],
)
def test_a_method_an_operation_does_not_have_is_405_for_everyone(api_as, request, method, path, role):
    client = api_as(request.getfixturevalue(role) if role else None)

    response = client.generic(method.upper(), path)

    assert response.status_code == 405
    assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}
    assert method.upper() not in response["Allow"]


@pytest.mark.parametrize("page", ["", "last", "0", "x"])
def test_a_page_that_is_not_a_whole_number_from_one_is_404(api, db, page):
    PostFactory()
    response = api.get(f"/api/posts?page={page}")
    assert response.status_code == 404  # was 200 for "" and "last": DRF reads them as pages
    assert "detail" in response.json()


# --- Oversized bodies -----------------------------------------------------------------------

BODY_READERS = [
    ("post", "/api/register", None),
    ("post", "/api/login", None),
    ("post", "/api/token/refresh", None),
    ("post", "/api/logout", "member"),
    ("post", "/api/password", "member"),
    ("post", "/api/email", "member"),
    ("put", "/api/profile", "member"),
    ("patch", "/api/profile", "member"),
    ("post", "/api/posts", "member"),
    ("delete", "/api/posts/1", "moderator"),
    ("post", "/api/user/ban", "admin"),
    ("post", "/api/user/unban", "admin"),
]


def _json_of_size(size: int) -> str:
    """A JSON object of exactly ``size`` bytes."""
    frame = json.dumps({"bio": ""})
    return json.dumps({"bio": "x" * (size - len(frame))})


@pytest.mark.parametrize(("method", "path", "role"), BODY_READERS)
def test_a_body_over_the_limit_is_413_in_the_error_format(api_as, request, settings, method, path, role):
    client = api_as(request.getfixturevalue(role) if role else None)
    body = _json_of_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = getattr(client, method)(path, body, content_type="application/json")

    # Was a 400 HTML page: Django's RequestDataTooBig escaped DRF's exception handler.
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The request body is too large."}


def test_a_body_at_the_limit_is_read(api_as, member, settings):
    body = _json_of_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)

    response = api_as(member).patch("/api/profile", body, content_type="application/json")

    assert response.status_code == 400  # read and judged: the bio is too long
    assert set(response.json()["fields"]) == {"bio"}


def test_a_megabyte_body_is_refused_without_a_change(api_as, member):
    body = json.dumps({"title": "t", "body": "x" * 1_000_000})

    response = api_as(member).post("/api/posts", body, content_type="application/json")

    assert response.status_code == 413
    assert not Post.objects.exists()


def test_too_many_query_parameters_are_400_in_the_error_format(api_as, admin, settings):
    query = "&".join(f"p{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    response = api_as(admin).get(f"/api/admin/logs?{query}")

    assert response.status_code == 400
    assert "detail" in response.json()
