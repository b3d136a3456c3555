"""Keyset ("cursor") pages over rows ordered newest first by ``(created_at, id)``.

A page costs the same at row ten million as at row ten, and rows written meanwhile neither
repeat nor go missing, which an offset would not promise.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q
from django.utils.translation import gettext

from authsite.errors import ValidationFailed
from authsite.ids import parse_id

CURSOR_MAX_LENGTH = 200


@dataclass(frozen=True)
class KeysetPage:
    """The rows of one page and the cursor of the next, ``None`` on the last page."""

    items: list
    next_cursor: str | None


def keyset_page(queryset, *, cursor: str | None, size: int) -> KeysetPage:
    """One page of ``queryset`` (ordered ``-created_at, -id``), starting after ``cursor``."""
    if cursor:
        created_at, pk = cursor_decode(cursor)
        queryset = queryset.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
    rows = list(queryset[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows, cursor_encode(rows[-1]) if has_more else None)


def cursor_encode(row) -> str:
    """The cursor that resumes after ``row``."""
    position = f"{row.created_at.isoformat()}|{row.pk}"
    return base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int]:
    """The position a cursor names; ``ValidationFailed`` for one we did not make."""
    try:
        if len(cursor) > CURSOR_MAX_LENGTH:
            raise ValueError("too long")
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, _, raw_pk = text.partition("|")
        created_at, pk = moment_in_utc(moment), parse_id(raw_pk)
    except (ValueError, OverflowError, binascii.Error):
        created_at, pk = None, None
    if pk is None or created_at is None:
        message = gettext("This page link is broken; start again from the first page.")
        raise ValidationFailed({"cursor": [message]}, message=message)
    return created_at, pk


def moment_in_utc(text: str) -> datetime:
    """A cursor's time in UTC, as the database compares it.

    ``ValueError`` for text that is not a time with a zone, ``OverflowError`` for one past either
    end of time once in UTC; SQLite would crash on it and PostgreSQL would take it.
    """
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a cursor's time must carry its zone")
    return moment.astimezone(UTC)  # OverflowError for 0001-01-01T00:00+14:00 and the like
