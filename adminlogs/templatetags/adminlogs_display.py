"""How recorded values read on the admin pages."""

from django import template
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

register = template.Library()


@register.filter
def display_value(value) -> str:
    """A setting or a recorded value as a person reads it."""
    if value is None or value == "":
        return gettext("(none)")
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list | tuple):
        return ", ".join(display_value(item) for item in value)
    if isinstance(value, str) and (moment := _moment(value)):
        # The format of the "When" column, so one table does not mix two ways of writing a date.
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    return str(value)


def _moment(text: str):
    """A recorded ISO 8601 date and time (the log keeps them so), or ``None`` for other text."""
    if "T" not in text:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:
        return None
    return moment if moment is not None and timezone.is_aware(moment) else None


@register.filter
def display_change(value) -> str:
    """A recorded change: ``[before, after]`` pairs read as "before → after"."""
    if isinstance(value, list) and len(value) == 2:
        return f"{display_value(value[0])} → {display_value(value[1])}"
    return display_value(value)
