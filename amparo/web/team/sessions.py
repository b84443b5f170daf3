"""The session engine of team mode: Django's database sessions, in rows that know their account.

The account, a coarse device hint ("Firefox on Linux") and the login and last-request times are
copied into columns, so that the sessions page can list a person's sessions and end any of them.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from django.contrib.sessions.backends.db import SessionStore as DBStore

SESSION_ID = re.compile(r"[a-z0-9]{32}")  # get_random_string(32, VALID_KEY_CHARS), as Django makes them

DEVICE_KEY = "_amparo_device"
STARTED_KEY = "_amparo_started"  # seconds since the epoch, set at login


def handle_for(session_key: str) -> str:
    """The session's public name: a hash of the key, useless as a cookie."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):  # type: ignore[no-untyped-def]
        from amparo.web.team.models import Session

        return Session

    def _validate_session_key(self, key: str | None) -> bool:
        # A malformed cookie is no session: nothing of it reaches the database or a log.
        return isinstance(key, str) and SESSION_ID.fullmatch(key) is not None

    def create_model_instance(self, data):  # type: ignore[no-untyped-def]
        obj = super().create_model_instance(data)
        try:
            obj.user_id = int(data.get("_auth_user_id"))
        except (TypeError, ValueError):
            obj.user_id = None
        obj.handle = handle_for(obj.session_key)
        obj.device = str(data.get(DEVICE_KEY, ""))[:60]
        started = data.get(STARTED_KEY)
        obj.started = datetime.fromtimestamp(started, UTC) if isinstance(started, int | float) else None
        obj.last_seen = datetime.now(UTC)
        return obj
