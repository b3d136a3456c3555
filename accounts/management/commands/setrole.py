"""``manage.py setrole USERNAME ROLE``: the console operator changes an account's role."""

from django.core.management.base import BaseCommand

from accounts import services
from accounts.roles import Role
from accounts.selectors import user_get_by_username
from authsite.console import domain_errors_as_command_errors


class Command(BaseCommand):
    help = "Give an account another role; its sessions and tokens end."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)

    def handle(self, *args, **options):
        with domain_errors_as_command_errors():
            user = services.user_set_role(
                actor=None, target=user_get_by_username(options["username"]),
                role=Role(options["role"]), ip=None,
            )  # fmt: skip
        self.stdout.write(self.style.SUCCESS(f"{user.username} now has the role {user.role}."))
