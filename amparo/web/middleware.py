"""Headers that every response carries, whatever view or error produced it."""

from __future__ import annotations

from django.conf import settings


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
