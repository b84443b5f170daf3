"""The session engine of team mode: Django's database sessions, in rows that know their account.

The account, a coarse device hint ("Firefox on Linux") and the login and last-request times are
copied into columns, so that the sessions page can list a person's sessions and end any of them.

The session's data itself (what Django signs but does not hide: the account, the second factor used,
and what the member filtered their case list and the audit by) is sealed with the team key's session
key, bound to the row's session key: a database dump shows none of it, and data copied from another
member's row does not open (that member's login would otherwise come with it). A row that does not
open is an empty session, so its holder is asked to log in again.

When the database goes away between reading the session and saving it at the end of the request,
Django calls the failed save an "interrupted session" and answers 400, as if the request were wrong.
Here an unchanged session (saved only to renew its idle timer) lets the page's own answer stand, and a
changed one is the outage page (503): never a 400 for a database that is down.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DBStore

from amparo.casebook.errors import CasebookError
from amparo.casebook.team.keys import ENV_KEY_FILE, FieldCipher, read_key_file

SESSION_ID = re.compile(r"[a-z0-9]{32}")  # get_random_string(32, VALID_KEY_CHARS), as Django makes them

DEVICE_KEY = "_amparo_device"
STARTED_KEY = "_amparo_started"  # seconds since the epoch, set at login


def handle_for(session_key: str) -> str:
    """The session's public name: a hash of the key, useless as a cookie."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


@functools.lru_cache(maxsize=1)
def _cipher(key_file: str) -> FieldCipher:
    return read_key_file(Path(key_file)).sessions


def session_cipher() -> FieldCipher:
    """The session key of the team key file (:class:`TeamKeyError` when it is missing or wrong)."""
    return _cipher(os.environ.get(ENV_KEY_FILE, ""))


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):  # type: ignore[no-untyped-def]
        from amparo.web.team.models import Session

        return Session

    def _validate_session_key(self, key: str | None) -> bool:
        # A malformed cookie is no session: nothing of it reaches the database or a log.
        return isinstance(key, str) and SESSION_ID.fullmatch(key) is not None

    def encode(self, session_dict: dict[str, Any]) -> str:
        signed = super().encode(session_dict)
        sealed = session_cipher().seal("sessions", "session_data", handle_for(self._sealing_key()), signed)
        return base64.b64encode(sealed).decode("ascii")

    def decode(self, session_data: str) -> dict[str, Any]:
        key = self.session_key
        if not key:
            return {}
        try:
            signed = session_cipher().open("sessions", "session_data", handle_for(key), base64.b64decode(session_data))
        except (CasebookError, binascii.Error, ValueError):
            return {}  # altered, moved from another row, or sealed with another key: no session
        return super().decode(signed) if isinstance(signed, str) else {}

    def save(self, must_create: bool = False) -> None:
        from amparo.web.casebook.access import unreachable

        try:
            super().save(must_create=must_create)
        except UpdateError as exc:  # Django's wording of any DatabaseError while updating the row
            lost = exc.__context__
            if lost is None or not unreachable(lost):
                raise  # the row was deleted meanwhile (logged out elsewhere): Django's own answer
            if self.modified:
                raise lost from None  # a change not kept: the outage page (amparo.web.views.server_error)
            # Only the idle timer's renewal is lost; what the page did (or refused) is its answer.

    def _sealing_key(self) -> str:
        # Django gives a session its key before it encodes the data the row will hold.
        key = self.session_key
        if not key:
            raise RuntimeError("a session is encoded before it has a key")
        return key

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
