"""Headers that every response carries, whatever view or error produced it."""

from __future__ import annotations

from django.conf import settings

from amparo.web.minify import minify_html


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and a restrictive Permissions-Policy.

    Django 5.2 has no CSP support of its own; one constant policy for every
    response keeps the promise "no inline code, nothing from another origin"
    testable (tests compare the header to the setting).
    """

    PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class MinifyHTMLMiddleware:
    """Sends HTML pages with their whitespace collapsed (amparo.web.minify): the indented templates, made small.

    Last in MIDDLEWARE, so that it sees the view's response first, before anything measures it.
    Files (streamed) and attachments (a downloaded letter) pass as they are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.has_header("Content-Encoding")
            and not response.has_header("Content-Disposition")
        ):
            charset = response.charset
            response.content = minify_html(response.content.decode(charset)).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
