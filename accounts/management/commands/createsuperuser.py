"""``manage.py createsuperuser`` is replaced: accounts are created through the audited service."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Not available: use `createuser USERNAME --email E --role admin --password-stdin`."

    def add_arguments(self, parser):
        # Django's own options, accepted so that scripts written for it get the message below.
        parser.add_argument("args", nargs="*")
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--username")
        parser.add_argument("--email")

    def handle(self, *args, **options):
        # Django's command would make an admin without an audit record; roles decide everything here.
        raise CommandError("Use `manage.py createuser USERNAME --email E --role admin --password-stdin`.")
