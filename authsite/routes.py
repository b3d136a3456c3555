from django.urls import re_path


def route(pattern: str, view, name: str):
    """A route that answers with and without a trailing slash, for every method.

    Redirecting to the slashed form would drop a POST body, so both spellings match directly.
    ``pattern`` is a regular expression without anchors, e.g. ``r"posts/(?P<post_id>[^/]+)"``.
    """
    return re_path(rf"^{pattern}/?\Z", view, name=name)
