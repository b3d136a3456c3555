"""Certificate tooling; ``gencerts.py`` is also run as a standalone script."""
