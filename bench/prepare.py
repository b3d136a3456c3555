"""The bench's data, written through the site's own settings: ``python -m bench.prepare STEP``.

``setup`` migrates, creates the bench's member and admin through the services, issues their
tokens, and fills the small data set; ``grow`` takes a copy of it to the large one. Rows are
made by the database itself (``INSERT ... SELECT generate_series``) with one precomputed
password hash, so a million accounts take seconds, not the days a million Argon2 hashes would.
Prints one JSON object on stdout.
"""

import argparse
import json
import os
import sys

# The accounts logins are spread over are load1 .. loadN, all with BENCH_PASSWORD.
LOGIN_PREFIX = "load"

USERS_SQL = """
INSERT INTO accounts_user (
    password, username, email, username_key, email_key, role, is_premium, display_name, bio,
    is_active, date_joined, suspension_reason, token_version
)
SELECT %(hash)s, %(prefix)s || n, %(prefix)s || n || '@bench.example', %(prefix)s || n,
       %(prefix)s || n || '@bench.example', 'user', false, '', '', true,
       now() - n * interval '1 second', '', 0
FROM generate_series(%(first)s, %(last)s) AS n
"""

# Older than anything the run itself writes, one second apart, so every row has its own time.
AUDIT_SQL = """
INSERT INTO adminlogs_auditevent (
    created_at, action, outcome, actor_label, target_label, ip, changes
)
SELECT now() - interval '1 day' - n * interval '1 second',
       (ARRAY['login.succeeded', 'login.failed', 'profile.changed'])[1 + n %% 3],
       'success', %(prefix)s || (n %% 1000), %(prefix)s || (n %% 1000), '127.0.0.1', '{}'::jsonb
FROM generate_series(%(first)s, %(last)s) AS n
"""


def setup(accounts: int, audit_rows: int) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    member, admin = _bench_people()
    return {
        "member_access": _access_token(member),
        "admin_access": _access_token(admin),
        **_fill(accounts, audit_rows),
    }


def grow(accounts: int, audit_rows: int) -> dict:
    return _fill(accounts, audit_rows)


def _bench_people():
    from accounts import services
    from accounts.roles import Role
    from bench.hashing import BENCH_PASSWORD

    people = []
    for name, role in (("bench-member", Role.USER), ("bench-admin", Role.ADMIN)):
        people.append(services.user_create(
            username=name, email=f"{name}@bench.example", password=BENCH_PASSWORD, role=role
        ))  # fmt: skip
    return people


def _access_token(user) -> str:
    from accounts.tokens import token_pair_issue

    return token_pair_issue(user)["access"]


def _fill(accounts: int, audit_rows: int) -> dict:
    """Top both tables up to the counts asked for, then let the planner see them."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from bench.hashing import BENCH_PASSWORD

    with connection.cursor() as cursor:
        have = _count(cursor, "accounts_user WHERE username_key LIKE %s", [f"{LOGIN_PREFIX}%"])
        if accounts > have:
            params = {"hash": make_password(BENCH_PASSWORD), "prefix": LOGIN_PREFIX}
            cursor.execute(USERS_SQL, {**params, "first": have + 1, "last": accounts})
        have = _count(cursor, "adminlogs_auditevent")
        if audit_rows > have:
            cursor.execute(AUDIT_SQL, {"prefix": LOGIN_PREFIX, "first": have + 1, "last": audit_rows})
    _vacuum_analyze(connection)
    with connection.cursor() as cursor:
        audit_total = _count(cursor, "adminlogs_auditevent")
        return {
            "accounts": _count(cursor, "accounts_user"),
            "audit_rows": audit_total,
            "deep_cursor": _cursor_at(cursor, audit_total // 2),
        }


def _count(cursor, table_and_filter: str, params=None) -> int:
    cursor.execute(f"SELECT count(*) FROM {table_and_filter}", params)  # noqa: S608 - fixed names only
    return cursor.fetchone()[0]


def _vacuum_analyze(connection) -> None:
    # VACUUM cannot run in a transaction; it also sets the visibility map for index-only scans.
    connection.ensure_connection()
    autocommit = connection.get_autocommit()
    connection.set_autocommit(True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE accounts_user, adminlogs_auditevent")
    connection.set_autocommit(autocommit)


def _cursor_at(cursor, row: int) -> str:
    """The audit list's cursor for the page that starts after ``row`` (newest first).

    It is what DRF's ``CursorPagination.encode_cursor`` makes: the position is the ordering
    field's value as text, base64 of a query string.
    """
    import base64
    from datetime import UTC
    from urllib.parse import urlencode

    cursor.execute(
        "SELECT created_at FROM adminlogs_auditevent ORDER BY created_at DESC, id DESC OFFSET %s LIMIT 1",
        [max(row - 1, 0)],
    )
    position = str(cursor.fetchone()[0].astimezone(UTC))
    return base64.b64encode(urlencode({"p": position}).encode("ascii")).decode("ascii")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["setup", "grow"])
    parser.add_argument("--accounts", type=int, required=True)
    parser.add_argument("--audit-rows", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    step = setup if args.step == "setup" else grow
    json.dump(step(args.accounts, args.audit_rows), sys.stdout)


if __name__ == "__main__":
    main()
