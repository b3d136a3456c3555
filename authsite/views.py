from django.views.defaults import page_not_found

from authsite.api import json_not_found


def not_found(request, exception=None):
    """The API answers unknown paths in JSON; pages get the friendly 404 page."""
    if request.path.startswith("/api/"):
        return json_not_found(request, exception)
    return page_not_found(request, exception)
