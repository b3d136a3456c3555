"""authsite's settings, unchanged, with the bench-only URLconf on top. Production never loads this."""

from authsite.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
