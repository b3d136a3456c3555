"""``manage.py unban USERNAME``: the console operator lifts a suspension."""

from django.core.management.base import BaseCommand

from accounts import services
from accounts.selectors import user_get_by_username
from authsite.console import domain_errors_as_command_errors


class Command(BaseCommand):
    help = "Lift an account's suspension."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        with domain_errors_as_command_errors():
            user = services.user_unsuspend(
                actor=None, target=user_get_by_username(options["username"]), ip=None
            )
        self.stdout.write(self.style.SUCCESS(f"{user.username} is no longer suspended."))
