"""``manage.py createuser USERNAME --email E --role ROLE [--premium] --password-stdin``."""

from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.roles import Role
from authsite.console import domain_errors_as_command_errors, password_read


class Command(BaseCommand):
    help = "Create an account with any role. The password is read from standard input."
    # ``call_command(..., stdin=...)`` hands the password over in tests, as createsuperuser does.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--premium", action="store_true", help="Give the account premium access.")
        parser.add_argument(
            "--password-stdin", action="store_true",
            help="Read the password from standard input (one line); required.",
        )  # fmt: skip

    def handle(self, *args, **options):
        if not options["password_stdin"]:
            # An argument would end up in shell history and in the process list.
            raise CommandError("Pass --password-stdin and give the password on standard input.")
        password = password_read(options)
        with domain_errors_as_command_errors():
            user = services.user_create(
                username=options["username"], email=options["email"], password=password,
                role=Role(options["role"]), is_premium=options["premium"],
            )  # fmt: skip
        premium = " with premium" if user.is_premium else ""
        self.stdout.write(self.style.SUCCESS(f"Created {user.role} {user.username}{premium}."))
