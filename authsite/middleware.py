"""Map domain errors raised under a page to the error page a person should see."""

from django.shortcuts import render

from authsite.errors import DomainError

ERROR_TEMPLATES = {403: "errors/403.html", 404: "errors/404.html", 429: "errors/429.html"}


class DomainErrorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # The API's exception handler answers first; this is for pages only.
        if not isinstance(exception, DomainError):
            return None
        template = ERROR_TEMPLATES.get(exception.status, "errors/error.html")
        response = render(
            request, template, {"message": exception.message, "error": exception}, status=exception.status
        )
        for name, value in exception.headers().items():
            response[name] = value
        return response
