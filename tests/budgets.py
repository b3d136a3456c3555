"""The per-request budget of every API endpoint: SQL statements and Redis round trips, counted, not timed.

One row per endpoint and caller. ``tests/test_budgets.py`` checks the SQL column on both test phases
(SQLite, then PostgreSQL); ``tests/realservers/test_redis_budgets.py`` checks the Redis column
against the real Redis of the second phase. A change that adds a query or a round trip to any row
fails here, and the row is where to decide whether it is worth it.

How the counts are taken:

- The caller's token version is cached first (one ``GET /api/profile`` with the same token), as
  it is for every request but the first of an access token's life; ``COLD_PROFILE`` is that first.
- Tests run inside a transaction, so a service's own transaction shows as ``SAVEPOINT`` and
  ``RELEASE SAVEPOINT``; in production these are ``BEGIN`` and ``COMMIT``, round trips as well,
  which is why they are counted. On-commit work (cache writes after a version bump) is run.
- Rate-limit counters start empty, so each throttled row is the first attempt in its window
  (one ``SET NX`` per limit); ``LOGIN_REPEATED`` is a later attempt (``SET NX`` fails, then one
  ``EVAL`` increments: two per limit).
"""

from dataclasses import dataclass, field, replace

from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD

NEW_PASSWORD = "a brand new passphrase 42"


@dataclass(frozen=True)
class Budget:
    """One request and what it may cost. ``{refresh}`` and ``{post}`` are filled in per test."""

    method: str
    path: str
    caller: str | None  # the role fixture whose Bearer token is sent; None: no token
    status: int
    sql: int
    redis: int
    body: dict = field(default_factory=dict)
    before: str | None = None  # a name in ``SETUPS``: data the request needs first


MIA_BAN = {"username": "mia", "reason": "Spam.", "days": 1}
NEW_POST = {"title": "Hi", "body": "Text."}
PASSWORD_CHANGE = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
EMAIL_CHANGE = {"current_password": PASSWORD, "email": "mia.new@example.com"}
LOGIN = {"username": "mia", "password": PASSWORD}

# fmt: off
BUDGETS = {
    # name                            method    path                  caller            status  SQL     Redis
    "welcome, guest":               Budget("get",    "/api/welcome",       None,             200, sql=0,  redis=0),
    "welcome, member with a token": Budget("get",    "/api/welcome",       "member",         200, sql=0,  redis=1),
    "profile":                      Budget("get",    "/api/profile",       "member",         200, sql=0,  redis=1),
    "premium":                      Budget("get",    "/api/premium",       "premium_member", 200, sql=0,  redis=1),
    "profile edit":                 Budget("patch",  "/api/profile",       "member",         200, sql=5,  redis=3,
                                           body={"bio": "Hello."}),
    "post list":                    Budget("get",    "/api/posts",         "member",         200, sql=2,  redis=1,
                                           before="three_posts"),
    "post read":                    Budget("get",    "/api/posts/{post}",  "member",         200, sql=1,  redis=1),
    "post write":                   Budget("post",   "/api/posts",         "member",         201, sql=3,  redis=1,
                                           body=NEW_POST),
    "post delete":                  Budget("delete", "/api/posts/{post}",  "moderator",      204, sql=6,  redis=1,
                                           body={"reason": "Spam."}),
    "audit log":                    Budget("get",    "/api/admin/logs",    "admin",          200, sql=1,  redis=1),
    "system settings":              Budget("get",    "/api/admin/settings", "admin",         200, sql=0,  redis=1),
    "suspend":                      Budget("post",   "/api/user/ban",      "moderator",      200, sql=6,  redis=3,
                                           body=MIA_BAN),
    "lift a suspension":            Budget("post",   "/api/user/unban",    "moderator",      200, sql=6,  redis=1,
                                           body={"username": "mia"}, before="mia_suspended"),
    "log out":                      Budget("post",   "/api/logout",        "member",         204, sql=9,  redis=2,
                                           body={"refresh": "{refresh}"}),
    "log out everywhere":           Budget("post",   "/api/logout/all",    "member",         204, sql=5,  redis=3),
    "password change":              Budget("post",   "/api/password",      "member",         200, sql=7,  redis=4,
                                           body=PASSWORD_CHANGE),
    "email change":                 Budget("post",   "/api/email",         "member",         200, sql=7,  redis=4,
                                           body=EMAIL_CHANGE),
    "login":                        Budget("post",   "/api/login",         None,             200, sql=5,  redis=2,
                                           body=LOGIN),
    "token refresh":                Budget("post",   "/api/token/refresh", None,             200, sql=12, redis=1,
                                           body={"refresh": "{refresh}"}),
}
# fmt: on

# The first request of an access token's life reads the account's version and profile from the
# database, and caches both.
COLD_PROFILE = Budget("get", "/api/profile", "member", 200, sql=2, redis=3)
# A login once the rate-limit counters exist, as they do for every attempt after the first.
LOGIN_REPEATED = replace(BUDGETS["login"], redis=4)


def _three_posts(people) -> None:
    from moderation.tests.factories import PostFactory

    PostFactory.create_batch(3)


def _mia_suspended(people) -> None:
    from accounts import services

    services.user_suspend(actor=None, target=people["member"], reason="Spam.", days=1, ip=None)


SETUPS = {"three_posts": _three_posts, "mia_suspended": _mia_suspended}


@dataclass
class BudgetedRequest:
    """A row of the table made ready to send: the caller's client, the path and body filled in."""

    budget: Budget
    client: APIClient
    path: str
    body: dict

    def warm(self) -> None:
        """Cache the caller's token version, as every request but a token's first finds it."""
        if self.budget.caller:
            assert self.client.get("/api/profile").status_code == 200

    def send(self):
        return getattr(self.client, self.budget.method)(self.path, self.body or None, format="json")


def budgeted_request(budget: Budget, request) -> BudgetedRequest:
    """Build ``budget``'s request with the role fixtures of the running test (``request``)."""
    from accounts.tokens import token_pair_issue
    from moderation.tests.factories import PostFactory

    people = {"member": request.getfixturevalue("member")}
    if budget.caller:
        people[budget.caller] = request.getfixturevalue(budget.caller)
    if budget.before:
        SETUPS[budget.before](people)
    values = {"refresh": token_pair_issue(people["member"])["refresh"]}
    if "{post}" in budget.path:
        values["post"] = PostFactory().pk
    client = APIClient()
    if budget.caller:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_issue(people[budget.caller])['access']}")
    body = {key: value.format(**values) if isinstance(value, str) else value for key, value in budget.body.items()}
    return BudgetedRequest(budget, client, budget.path.format(**values), body)
