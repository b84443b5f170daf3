"""The one vault of this process, and the "unlock epoch" that ties browser sessions to one unlock.

Local mode serves from a single process so that the key exists once: an
unlock in one worker would be invisible to another, and copying the key
between workers would multiply it. :func:`amparo.web.server.run` records how
many worker processes serve the site; with more than one, the casebook is
switched off (the public site keeps working).

Each unlock draws a fresh random *epoch*. A browser session is valid for the
casebook only while it carries the current epoch, so locking (by the button,
idleness or a restart) ends every session at once, and a session cookie
copied from an earlier unlock opens nothing.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading

from django.conf import settings

from amparo.casebook import AutoLock, Vault
from amparo.casebook.backup import recover
from amparo.casebook.repository import Casebook

PROCESSES_ENV = "AMPARO_CASEBOOK_PROCESSES"

_lock = threading.Lock()
_casebook: Casebook | None = None
_autolock: AutoLock | None = None
_epoch: str | None = None


def available() -> bool:
    """False when more than one worker process serves the site (the key must live in one)."""
    return os.environ.get(PROCESSES_ENV, "1") == "1"


def casebook() -> Casebook:
    """The process's casebook (created on first use, locked until someone unlocks it)."""
    global _casebook, _autolock
    with _lock:
        if _casebook is None:
            recover(settings.CASEBOOK_DIR)  # finish or undo a restore a crash interrupted
            vault = Vault(
                settings.CASEBOOK_DIR,
                idle_seconds=settings.CASEBOOK_IDLE_MINUTES * 60,
                kdf=getattr(settings, "CASEBOOK_KDF", None),  # tests only: production uses the strong default
            )
            _casebook = Casebook(vault)
            _autolock = AutoLock(vault)
            _autolock.start()
        return _casebook


def vault() -> Vault:
    return casebook().vault


def new_epoch() -> str:
    """Call right after a successful unlock or create: sessions from earlier unlocks stop working."""
    global _epoch
    _epoch = secrets.token_urlsafe(24)
    return _epoch


def epoch_matches(candidate: object) -> bool:
    current = _epoch
    return isinstance(candidate, str) and current is not None and hmac.compare_digest(candidate, current)


def forget_epoch() -> None:
    global _epoch
    _epoch = None


def reset_for_tests() -> None:
    """Drop the process's vault (tests point CASEBOOK_DIR somewhere new)."""
    global _casebook, _autolock, _epoch
    with _lock:
        if _casebook is not None:
            _casebook.vault.lock()
        if _autolock is not None:
            _autolock.stop()
        _casebook, _autolock, _epoch = None, None, None
