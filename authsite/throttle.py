"""Rate limits shared by every worker (counters live in the cache, Redis in production).

Services call ``throttle_hit`` with an already normalised key, so a capital letter or a
different door does not start a fresh count. Limits are in ``settings.RATE_LIMITS``.
"""

from django.conf import settings
from django_ratelimit.core import get_usage

from authsite.errors import RateLimited


def throttle_hit(*, scope: str, key: str | None) -> None:
    """Count one attempt for ``key`` in ``scope``; raise ``RateLimited`` past the limit."""
    if key is None:
        return
    usage = get_usage(
        None, group=scope, key=lambda group, request: key, rate=settings.RATE_LIMITS[scope],
        increment=True,
    )  # fmt: skip
    if usage is not None and usage["should_limit"]:
        raise RateLimited(usage["time_left"])
