"""``manage.py seed_demo [--force]``: demo accounts for every role, and a few posts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from authsite.console import domain_errors_as_command_errors
from moderation import demo

PASSWORDS_FILE = "demo-accounts.txt"


class Command(BaseCommand):
    help = (
        "Create one account per role (and a premium user) plus a few posts. Safe to run again: "
        "existing accounts keep their passwords. Runs on the embedded SQLite database only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Seed even though the database is not SQLite."
        )

    def handle(self, *args, **options):
        # Demo accounts with known roles have no place in a shared or production database.
        if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and not options["force"]:
            raise CommandError("Refusing to seed demo data outside the embedded SQLite database; "
                               "pass --force if you mean it.")  # fmt: skip
        with domain_errors_as_command_errors():
            seeded = demo.demo_accounts_seed()
            posts = demo.demo_posts_seed()
        path = settings.VAR_DIR / PASSWORDS_FILE
        if any(account.password for account in seeded):
            demo.demo_passwords_save(path, seeded)
        self.stdout.write(self._report(seeded, posts, path))

    def _report(self, seeded, posts: int, path) -> str:
        width = max(len(account.username) for account in seeded)
        rows = [
            f"{account.username.ljust(width)}  {account.role.ljust(12)}  "
            f"{account.password or '(exists; password unchanged)'}"
            for account in seeded
        ]
        where = (
            f"Passwords of new accounts are kept in {path} (mode 600)."
            if any(account.password for account in seeded)
            else f"No new accounts; the passwords of the first run are in {path}."
        )
        header = f"{'USERNAME'.ljust(width)}  {'ROLE'.ljust(12)}  PASSWORD"
        return "\n".join([header, *rows, f"Posts created: {posts}. {where}"])
