"""Session limits in team mode: an absolute lifetime after login, and no session left to a vanished account.

The idle limit is Django's own (SESSION_COOKIE_AGE, renewed on every request); this adds the
absolute one (AMPARO_TEAM_SESSION_HOURS after login, however active the session has been).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse

from amparo.web.team.sessions import STARTED_KEY


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session or BACKEND_SESSION_KEY in session:
            started = session.get(STARTED_KEY)
            too_old = not isinstance(started, int | float) or (
                time.time() - started > settings.AMPARO_TEAM_SESSION_HOURS * 3600
            )
            if too_old or not request.user.is_authenticated:
                logout(request)  # ends the row too: the next page asks to log in again
        return self.get_response(request)
