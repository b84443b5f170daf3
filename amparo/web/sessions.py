"""The session engine: Django's cache sessions, accepting only session ids shaped as Django makes them.

Why: a cookie value that is not such an id (spaces, control characters, 300 characters)
reached the cache, whose key check warned on stderr with the whole value in the
message, a real session id among them sometimes. Such a cookie is now simply no
session; nothing of it is looked up, kept or printed.
"""

from __future__ import annotations

import re

from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore

SESSION_ID = re.compile(r"[a-z0-9]{32}")  # get_random_string(32, VALID_KEY_CHARS), as Django makes them


class SessionStore(CacheSessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return isinstance(key, str) and SESSION_ID.fullmatch(key) is not None
