"""Demo data for a laptop: one account per role and a few posts, made through the services.

Each account gets a random password, shown once and kept in ``var/demo-accounts.txt``
(``var/`` is not committed, the file is readable by its owner only), because no password may
live in the repository. Seeding again keeps what exists, passwords included.
"""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from accounts import services as account_services
from accounts.roles import Role
from accounts.selectors import user_get_by_username
from authsite.errors import NotFound
from moderation import services as post_services
from moderation.models import Post

PASSWORDS_FILE_HEADER = "# authsite demo accounts, written by `manage.py seed_demo`. Not for production.\n"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    is_premium: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("demo_admin", Role.ADMIN),
    DemoAccount("demo_moderator", Role.MODERATOR),
    DemoAccount("demo_user", Role.USER),
    DemoAccount("demo_premium", Role.USER, is_premium=True),
)

# (author, title, body)
DEMO_POSTS = (
    ("demo_user", "Hello, authsite", "My first post. Moderators may hide it; admins see why."),
    ("demo_premium", "Premium is worth it", "Premium members read what others cannot."),
    ("demo_user", "A second thought", "Posts stay in the database when deleted, with a reason."),
)


@dataclass(frozen=True)
class SeededAccount:
    """An account after seeding; ``password`` is ``None`` when it existed already."""

    username: str
    role: str
    password: str | None


def demo_accounts_seed() -> list[SeededAccount]:
    """Create every missing demo account; leave existing ones, and their passwords, alone."""
    return [_account_seed(account) for account in DEMO_ACCOUNTS]


def _account_seed(account: DemoAccount) -> SeededAccount:
    try:
        user = user_get_by_username(account.username)
    except NotFound:
        password = secrets.token_urlsafe(15)
        user = account_services.user_create(
            username=account.username, email=f"{account.username}@example.com",
            password=password, role=account.role, is_premium=account.is_premium,
        )  # fmt: skip
        return SeededAccount(user.username, _role_label(user), password)
    return SeededAccount(user.username, _role_label(user), None)


def _role_label(user) -> str:
    return f"{user.role}+premium" if user.is_premium else user.role


def demo_posts_seed() -> int:
    """Publish each demo post its author has not written yet; the number published."""
    created = 0
    for author_name, title, body in DEMO_POSTS:
        author = user_get_by_username(author_name)
        # Deleted posts count as written, so a post a moderator hid does not come back.
        if not Post.objects.filter(author=author, title=title).exists():
            post_services.post_create(author=author, title=title, body=body)
            created += 1
    return created


def demo_passwords_save(path: Path, seeded: list[SeededAccount]) -> None:
    """Record the passwords just made in ``path`` (mode 600), keeping earlier lines of others."""
    lines = _passwords_read(path)
    lines.update({account.username: f"{account.username}\t{account.role}\t{account.password}\n"
                  for account in seeded if account.password})  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created private, so the passwords are never readable by others, not even for a moment.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(PASSWORDS_FILE_HEADER + "".join(lines.values()))
    path.chmod(0o600)


def _passwords_read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return {line.split("\t", 1)[0]: line for line in lines if line.strip() and not line.startswith("#")}
