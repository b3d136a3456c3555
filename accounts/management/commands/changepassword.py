"""``manage.py changepassword USERNAME --password-stdin``: the console operator resets a password.

It replaces Django's own ``changepassword``, which would neither end the account's API tokens nor
write the audit log (``accounts`` comes before ``django.contrib.auth`` so this one is found).
"""

from django.core.management.base import BaseCommand, CommandError

from accounts import credentials
from accounts.selectors import user_get_by_username
from authsite.console import domain_errors_as_command_errors, password_read


class Command(BaseCommand):
    help = "Give an account a new password, read from standard input; its sessions and tokens end."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--password-stdin", action="store_true",
            help="Read the new password from standard input (one line); required.",
        )  # fmt: skip

    def handle(self, *args, **options):
        if not options["password_stdin"]:
            raise CommandError("Pass --password-stdin and give the new password on standard input.")
        password = password_read(options)
        with domain_errors_as_command_errors():
            user = credentials.password_reset(target=user_get_by_username(options["username"]), new_password=password)
        self.stdout.write(self.style.SUCCESS(f"Password of {user.username} changed; their sessions and tokens ended."))
