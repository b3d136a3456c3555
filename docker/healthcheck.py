"""Container health check: GET /healthz from this container's gunicorn; exit 0 only on a 200.

Run by the image's HEALTHCHECK and by docker-compose. Python's standard library only, because the
slim image has no curl. It asks for Host ``HEALTHCHECK_HOST`` (default ``localhost``), which must be
in DJANGO_ALLOWED_HOSTS, and says X-Forwarded-Proto: https so that a deployment behind a TLS proxy
with DJANGO_SECURE_SSL_REDIRECT on does not answer a redirect; gunicorn trusts that header only from
FORWARDED_ALLOW_IPS, which is loopback by default, and this request comes from loopback.
"""

import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 4


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect means the probe is misconfigured: report it rather than follow it."""

    def redirect_request(self, *args, **kwargs):
        return None


def main() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz"
    headers = {"Host": os.environ.get("HEALTHCHECK_HOST", "localhost"), "X-Forwarded-Proto": "https"}
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        print(f"healthcheck: {url}: {error}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"healthcheck: {url} answered {status}", file=sys.stderr)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
