"""``make bench``: authsite's API side by side with stock DRF + simplejwt, under gunicorn.

Nothing here is imported by the site itself: the reference views live in ``bench.urls``, which
only ``bench.settings`` (the bench's own DJANGO_SETTINGS_MODULE) selects.
"""
