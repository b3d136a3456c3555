import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "authsite.settings")

application = get_wsgi_application()

# A worker that would talk to its database or Redis in the clear stops here, before serving.
from authsite.checks import enforce_at_startup  # noqa: E402

enforce_at_startup()
