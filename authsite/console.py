"""What the ``manage.py`` commands share: domain errors become one-line ``CommandError``s."""

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError

from authsite.doors import error_line
from authsite.errors import DomainError


@contextmanager
def domain_errors_as_command_errors() -> Iterator[None]:
    """Turn a refused change into a non-zero exit with the service's own message."""
    try:
        yield
    except DomainError as error:
        raise CommandError(error_line(error)) from error


def password_read(options: dict) -> str:
    """One password line from standard input (``call_command`` may pass ``stdin``).

    Only the line ending is removed: spaces may be part of a password. A terminal gets a
    prompt that does not echo, so the password never shows on screen or in scrollback.
    """
    stdin = options.get("stdin") or sys.stdin
    if stdin.isatty():
        return getpass.getpass("Password: ")
    line = stdin.readline()
    if not line:
        raise CommandError("No password on standard input.")
    return line.removesuffix("\n").removesuffix("\r")
