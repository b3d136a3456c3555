"""``manage.py setpremium USERNAME on|off``: the console operator turns premium on or off."""

from django.core.management.base import BaseCommand

from accounts import services
from accounts.selectors import user_get_by_username
from authsite.console import domain_errors_as_command_errors

STATES = {"on": True, "off": False}


class Command(BaseCommand):
    help = "Turn premium access on or off for an account."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("state", choices=list(STATES))

    def handle(self, *args, **options):
        with domain_errors_as_command_errors():
            user = services.user_set_premium(
                actor=None, target=user_get_by_username(options["username"]),
                is_premium=STATES[options["state"]], ip=None,
            )  # fmt: skip
        self.stdout.write(self.style.SUCCESS(f"Premium is {options['state']} for {user.username}."))
