"""``manage.py seed_demo``: demo accounts for every role and a few posts, once."""

import io
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts import services
from accounts.models import User
from accounts.roles import Role
from moderation.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path, monkeypatch):
    """The passwords file goes to a scratch ``var/``, never the developer's.

    The command reads the engine setting to refuse shared databases; the suite also runs on
    PostgreSQL, so these tests present the embedded engine unless they say otherwise.
    """
    settings.VAR_DIR = tmp_path
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.sqlite3")
    return tmp_path


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def passwords_in(output: str) -> dict[str, str]:
    rows = [line.split() for line in output.splitlines()[1:] if line.startswith("demo_")]
    return {row[0]: row[2] for row in rows if not row[2].startswith("(")}


def test_seed_creates_one_account_per_role_and_posts(var_dir):
    out = seed()
    roles = {user.username: (user.role, user.is_premium) for user in User.objects.all()}
    assert roles == {
        "demo_admin": (Role.ADMIN, False),
        "demo_moderator": (Role.MODERATOR, False),
        "demo_user": (Role.USER, False),
        "demo_premium": (Role.USER, True),
    }
    assert Post.objects.count() == 3
    passwords = passwords_in(out)
    assert set(passwords) == set(roles)
    for username, password in passwords.items():
        assert services.login_attempt(identifier=username, password=password, ip=None).username == username


def test_passwords_file_is_private_and_matches_the_output(var_dir):
    passwords = passwords_in(seed())
    path = var_dir / "demo-accounts.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for username, password in passwords.items():
        assert f"{username}\t" in path.read_text()
        assert password in path.read_text()


def test_seeding_again_changes_nothing(var_dir):
    seed()
    file_before = (var_dir / "demo-accounts.txt").read_text()
    hashes = dict(User.objects.values_list("username", "password"))
    out = seed()
    assert dict(User.objects.values_list("username", "password")) == hashes
    assert Post.objects.count() == 3
    assert out.count("(exists; password unchanged)") == 4
    assert "Posts created: 0." in out
    assert (var_dir / "demo-accounts.txt").read_text() == file_before


def test_a_missing_account_is_added_and_the_file_keeps_the_others(var_dir):
    first = passwords_in(seed())
    User.objects.filter(username="demo_moderator").delete()
    second = passwords_in(seed())
    assert set(second) == {"demo_moderator"}
    text = (var_dir / "demo-accounts.txt").read_text()
    assert first["demo_admin"] in text
    assert second["demo_moderator"] in text
    assert first["demo_moderator"] not in text


def test_refuses_outside_sqlite_unless_forced(settings, monkeypatch):
    # Only the setting is read; the test database itself stays as it is.
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django_cockroachdb")
    with pytest.raises(CommandError, match="Refusing to seed"):
        seed()
    assert not User.objects.exists()
    seed("--force")
    assert User.objects.count() == 4
