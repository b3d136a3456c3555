"""How recorded values read on the admin pages."""

from django import template
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
    return str(value)


@register.filter
def display_change(value) -> str:
    """A recorded change: ``[before, after]`` pairs read as "before → after"."""
    if isinstance(value, list) and len(value) == 2:
        return f"{display_value(value[0])} → {display_value(value[1])}"
    return display_value(value)
