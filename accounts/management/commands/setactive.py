"""``manage.py setactive USERNAME on|off``: the console operator deactivates or reactivates an account."""

from django.core.management.base import BaseCommand

from accounts import services
from accounts.selectors import user_get_by_username
from authsite.console import domain_errors_as_command_errors

STATES = {"on": True, "off": False}


class Command(BaseCommand):
    help = "Deactivate (off) or reactivate (on) an account; deactivation ends its sessions and tokens."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("state", choices=list(STATES))

    def handle(self, *args, **options):
        with domain_errors_as_command_errors():
            user = services.user_set_active(
                actor=None, target=user_get_by_username(options["username"]),
                is_active=STATES[options["state"]], ip=None,
            )  # fmt: skip
        self.stdout.write(self.style.SUCCESS(f"{user.username} is {'active' if user.is_active else 'deactivated'}."))
