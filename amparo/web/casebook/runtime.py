"""The one vault of this process, and the "unlock epoch" that ties browser sessions to one unlock.

Local mode serves from a single process so that the key exists once: an
unlock in one worker would be invisible to another, and copying the key
between workers would multiply it. :func:`amparo.web.server.run` records how
many worker processes serve the site; with more than one, the casebook is
switched off (the public site keeps working).

The casebook is also switched off when the site is served on a network
address, unless the operator opted in (``amparo serve --casebook-on-network``):
then first-run setup and restore onto an empty machine, which need no
passphrase, require a one-time *setup token* that the server prints on its
console, so whoever reaches the server first cannot claim it.

Each unlock draws a fresh random *epoch*. A browser session is valid for the
casebook only while it carries the current epoch, so locking (by the button,
idleness or a restart) ends every session at once, and a session cookie
copied from an earlier unlock opens nothing.

Team mode (``AMPARO_MODE=team``) has none of this: the casebook is the team's PostgreSQL
store (:func:`team_casebook`), opened once per process with :func:`open_team_store` and
shared by every worker and thread (PostgreSQL's transactions keep them apart); the gate is
the team login (:mod:`amparo.web.casebook.access`), so the single-process and network
switches above do not apply.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import threading

from django.conf import settings

from amparo.casebook import AutoLock, CasebookError, Vault
from amparo.casebook.backup import recover
from amparo.casebook.repository import Casebook

PROCESSES_ENV = "AMPARO_CASEBOOK_PROCESSES"
# Set by amparo.web.server.run: "network" when bound to an address other hosts can reach.
ADDRESS_ENV = "AMPARO_CASEBOOK_ADDRESS"
# Set by amparo.web.server.run with --casebook-on-network: the SHA-256 of the one-time setup token.
SETUP_TOKEN_ENV = "AMPARO_CASEBOOK_SETUP_TOKEN_SHA256"  # noqa: S105 (a variable name)
OFF_PROCESSES = "processes"
OFF_NETWORK = "network"

_lock = threading.Lock()
_casebook: Casebook | None = None
_autolock: AutoLock | None = None
_epoch: str | None = None
_owner: str | None = None
_setup_token_used = False
_team: Casebook | None = None
_team_failure: str | None = None  # the last reason the team store could not be opened, logged once
log = logging.getLogger("amparo.casebook")


def team_mode() -> bool:
    """Whether this process serves a team's shared casebook (amparo.settings.team) rather than a local vault."""
    return getattr(settings, "AMPARO_MODE", "local") == "team"


def unavailable_reason() -> str | None:
    """Why the casebook is switched off here, or None when it may be served.

    Several worker processes: the key must live in one. A network address without
    a setup token: the operator did not opt in to serving the casebook beyond this computer.
    Neither applies to team mode, a server by design.
    """
    if team_mode():
        return None
    if os.environ.get(PROCESSES_ENV, "1") != "1":
        return OFF_PROCESSES
    if os.environ.get(ADDRESS_ENV) == "network" and not os.environ.get(SETUP_TOKEN_ENV):
        return OFF_NETWORK
    return None


def available() -> bool:
    return unavailable_reason() is None


def setup_token_required() -> bool:
    """Whether creating or restoring a casebook onto this empty server needs the console's token.

    Always, on a network address: once the token was used (and the casebook later wiped), setup
    stays closed until the operator restarts the server and reads a new token.
    """
    return bool(os.environ.get(SETUP_TOKEN_ENV))


def setup_token_matches(candidate: str) -> bool:
    expected = os.environ.get(SETUP_TOKEN_ENV, "")
    given = hashlib.sha256(candidate.strip().encode("utf-8", "replace")).hexdigest()
    return bool(expected) and not _setup_token_used and hmac.compare_digest(given, expected)


def use_setup_token() -> None:
    """One time only: after a casebook was created or restored with it, the token opens nothing."""
    global _setup_token_used
    _setup_token_used = True


def remember_owner(digest: str) -> None:
    """The browser that just unlocked (the digest of its owner cookie) gets the owner's unlock lane."""
    global _owner
    _owner = digest


def is_owner(digest: str) -> bool:
    current = _owner
    return current is not None and hmac.compare_digest(digest, current)


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


def team_casebook() -> Casebook:
    """Team mode's casebook, opened on first use (schema migrated, key checked) and kept for the process.

    Opening fails with a :class:`CasebookError` (TeamKeyError, TeamStoreUnavailable, TeamSchemaMismatch):
    the page says so calmly and the next request tries again; the server's log gets the reason once
    (those messages name the key file and the problem, never the key or the database's address).
    """
    global _team, _team_failure
    with _lock:
        if _team is None:
            from amparo.casebook.team import open_team_store  # team mode only: it needs psycopg

            try:
                store = open_team_store()
            except CasebookError as exc:
                reason = f"{type(exc).__name__}: {exc}"
                if reason != _team_failure:
                    log.error("The team casebook cannot be opened. %s", reason)
                    _team_failure = reason
                raise
            _team, _team_failure = Casebook(store), None
        return _team


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
    global _casebook, _autolock, _epoch, _owner, _setup_token_used, _team, _team_failure
    with _lock:
        if _casebook is not None:
            _casebook.vault.lock()
        if _autolock is not None:
            _autolock.stop()
        if _team is not None:
            getattr(_team.vault, "close", lambda: None)()
        _casebook, _autolock, _epoch, _owner, _setup_token_used = None, None, None, None, False
        _team, _team_failure = None, None
