"""``manage.py auditlog``: read the audit log at the console, newest first."""

import argparse
import json
from datetime import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from adminlogs.api.serializers import AuditEventOutput
from adminlogs.models import AuditAction
from adminlogs.selectors import audit_list

COLUMNS = ["created_at", "action", "outcome", "actor", "target", "ip", "changes"]


def moment(text: str) -> datetime:
    """An ISO 8601 date or time for ``--since``/``--until``; without an offset it is in TIME_ZONE."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {text!r}") from None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


# The most one listing shows; a database cannot take an arbitrarily large LIMIT.
MAX_LIMIT = 1_000_000


def positive(text: str) -> int:
    number = int(text)
    if not 1 <= number <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_LIMIT:,}")
    return number


class Command(BaseCommand):
    help = "List audit events, newest first, as a table or as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=moment, help="Events at or after this ISO 8601 time.")
        parser.add_argument("--until", type=moment, help="Events before this ISO 8601 time.")
        parser.add_argument("--action", choices=AuditAction.values)
        parser.add_argument("--actor", help="Events by this actor name (a username, or 'console').")
        parser.add_argument(
            "--limit", type=positive, default=50, help=f"At most this many (default 50, at most {MAX_LIMIT:,})."
        )
        parser.add_argument("--json", action="store_true", help="Print a JSON array instead of a table.")

    def handle(self, *args, **options):
        events = audit_list(
            action=options["action"], actor=options["actor"],
            since=options["since"], until=options["until"],
        )[: options["limit"]]  # fmt: skip
        # The API's representation, so the console and /api/ agree on every field.
        rows = AuditEventOutput(events, many=True).data
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(table(rows))


def table(rows) -> str:
    """Rows as aligned text columns under a header line."""
    if not rows:
        return "No events."
    cells = [[column.upper() for column in COLUMNS]]
    cells += [[_cell(row[column]) for column in COLUMNS] for row in rows]
    widths = [max(len(line[index]) for line in cells) for index in range(len(COLUMNS))]
    return "\n".join(_line(line, widths) for line in cells)


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def _cell(value) -> str:
    if value is None or value == {}:
        return "-"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)
