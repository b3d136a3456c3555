"""Rate limits shared by every worker (counters live in Redis in production).

Services call ``throttle_hit`` with an already normalised key, so a capital letter or a
different door does not start a fresh count. Limits are in ``settings.RATE_LIMITS``.

While the counters cannot be reached the limited endpoints fail closed with a 503: an
attacker must not get unlimited guesses because Redis is down.
"""

import logging

from django.conf import settings
from django_ratelimit.core import get_usage
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from authsite.errors import RateLimited, ServiceUnavailable

logger = logging.getLogger(__name__)


def throttle_hit(*, scope: str, key: str | None) -> None:
    """Count one attempt for ``key`` in ``scope``; raise ``RateLimited`` past the limit."""
    if key is None:
        return
    try:
        usage = get_usage(
            None, group=scope, key=lambda group, request: key, rate=settings.RATE_LIMITS[scope],
            increment=True,
        )  # fmt: skip
    except (ConnectionInterrupted, RedisError, OSError) as error:
        logger.error("rate limiter unavailable for %s: %s", scope, error)
        raise ServiceUnavailable() from error
    if usage is not None and usage["should_limit"]:
        raise RateLimited(usage["time_left"])
