"""``manage.py ban USERNAME --reason R [--days N]``: the console operator suspends an account."""

from django.core.management.base import BaseCommand

from accounts import services
from accounts.selectors import user_get_by_username
from authsite.console import domain_errors_as_command_errors


class Command(BaseCommand):
    help = "Suspend an account (indefinitely without --days); its sessions and tokens end."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--days", type=int, help="Length in days; omit for an indefinite suspension.")

    def handle(self, *args, **options):
        with domain_errors_as_command_errors():
            user = services.user_suspend(
                actor=None, target=user_get_by_username(options["username"]),
                reason=options["reason"], days=options["days"], ip=None,
            )  # fmt: skip
        until = f"until {user.suspended_until.isoformat()}" if user.suspended_until else "indefinitely"
        self.stdout.write(self.style.SUCCESS(f"{user.username} is suspended {until}."))
