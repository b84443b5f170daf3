"""What can go wrong with the casebook, as exceptions a caller can show calmly.

Every failure a person can cause or meet (locked, wrong passphrase, missing,
damaged, an old SQLCipher) is a :class:`CasebookError`, so the web layer needs
one ``except`` to turn it into a clear message instead of a 500. Messages are
fixed English sentences: they never contain a passphrase, a key or content, so
they are safe to log or display.
"""

from __future__ import annotations

import errno as _errno


class CasebookError(Exception):
    """Base class of every casebook failure."""


class CasebookLocked(CasebookError):
    """The casebook is locked (never unlocked, locked by hand, or idle too long)."""

    def __init__(self, message: str = "The casebook is locked.") -> None:
        super().__init__(message)


class WrongPassphrase(CasebookError):
    """The passphrase did not open the casebook.

    ``retry_after`` is how many seconds must pass before the next attempt is
    accepted (0 means: try again now). The delay grows with consecutive
    failures; see :func:`amparo.casebook.throttle.retry_delay`.
    """

    def __init__(self, retry_after: float = 0.0, message: str = "That passphrase does not open the casebook.") -> None:
        super().__init__(message)
        self.retry_after = max(0.0, float(retry_after))


class UnlockDelayed(WrongPassphrase):
    """An unlock attempt came before the delay imposed by earlier failures had passed.

    The passphrase was not even tried, so this is raised for the right one too.
    It is a :class:`WrongPassphrase` so one handler covers both.
    """

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, round(retry_after + 0.49))
        super().__init__(retry_after, f"Too many wrong passphrases. Try again in {seconds} s.")


class CasebookMissing(CasebookError):
    """There is no casebook in this directory (never created, or wiped)."""

    def __init__(self, message: str = "There is no casebook here yet.") -> None:
        super().__init__(message)


class CasebookExists(CasebookError):
    """``create`` was asked for where a casebook already is."""

    def __init__(self, message: str = "A casebook already exists here.") -> None:
        super().__init__(message)


class CasebookDamaged(CasebookError):
    """The casebook files are present but unusable (damaged header, missing database)."""


class UnsupportedSQLCipher(CasebookError):
    """The SQLCipher library is missing or older than version 4: the casebook is not opened."""


class WeakPassphrase(CasebookError):
    """A new passphrase breaks the rules (length, control characters, not encodable)."""


class WipeNotConfirmed(CasebookError):
    """``wipe`` was called without the confirmation word."""


class BackupInvalid(CasebookError):
    """A file given to restore is not a casebook backup made by Amparo."""

    def __init__(self, message: str = "This file is not an Amparo backup.") -> None:
        super().__init__(message)


class BackupDamaged(BackupInvalid):
    """The backup was made by Amparo but has been cut short or altered since."""

    def __init__(self, message: str = "The backup is damaged; nothing was restored.") -> None:
        super().__init__(message)


class BackupKeyMismatch(BackupInvalid):
    """The passphrase or identity given does not open this backup (or the casebook inside it)."""

    def __init__(self, message: str = "Wrong passphrase or identity for this backup.") -> None:
        super().__init__(message)


class InvalidAgeKey(CasebookError):
    """An age recipient (public key) or identity (secret key) could not be read.

    The message never repeats an identity: it is a secret key.
    """


class StorageError(CasebookError):
    """A file could not be read or written (full disk, read-only or missing folder, permissions).

    ``errno`` is the operating system's error number, for callers that want to
    react to one case (``errno.ENOSPC``) differently; ``reason`` is the cause
    alone (from :func:`describe_os_error`), for callers that word the action themselves.
    """

    def __init__(self, message: str, errno: int | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.errno = errno
        self.reason = reason


_OS_ERRORS = {
    _errno.ENOSPC: "the disk is full",
    _errno.EDQUOT: "the disk quota is exceeded",
    _errno.EROFS: "the file system is read-only",
    _errno.EACCES: "permission denied",
    _errno.EPERM: "operation not permitted",
    _errno.ENOENT: "no such file or folder",
    _errno.ENOTDIR: "a part of the path is not a folder",
    _errno.EISDIR: "it is a folder, not a file",
    _errno.EIO: "input/output error (the disk may be failing)",
}


def describe_os_error(exc: OSError) -> str:
    """A short, lower-case phrase for ``exc`` that names the cause, never a path or content."""
    if exc.errno in _OS_ERRORS:
        return _OS_ERRORS[exc.errno]
    return (exc.strerror or "input/output error").lower()


class CasebookBusy(CasebookError):
    """Another key derivation (Argon2id or a backup's scrypt) is running in this process.

    Refused at once rather than queued: a waiting request would hold a worker
    thread, and a handful of them would stop the whole site. ``retry_after`` is
    a fair guess, in seconds, of when to try again.
    """

    def __init__(
        self,
        retry_after: float = 5.0,
        message: str = "The casebook is busy with another passphrase; try again in a moment.",
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TeamKeyError(CasebookError):
    """The team key file is missing, unreadable, malformed, too open, or not this database's key.

    The message names the file and the problem, never the key.
    """


class TeamStoreUnavailable(CasebookError):
    """The team's PostgreSQL cannot be reached (down, restarting, refused the connection).

    Whatever the block was doing was rolled back: nothing half-written.
    """

    def __init__(self, message: str = "The team database cannot be reached; nothing was changed.") -> None:
        super().__init__(message)


class TeamSchemaMismatch(CasebookError):
    """The team database's schema is not the one this Amparo was written for."""


class ConsentPermanent(CasebookError):
    """A consent record was to be changed or deleted on its own: it only ever goes with its case."""

    def __init__(
        self, message: str = "A consent is never changed or deleted on its own; record a new one instead."
    ) -> None:
        super().__init__(message)


class TransferInvalid(CasebookError):
    """A file given to import is not a case transfer Amparo can read; the message says what is wrong.

    Messages name a record by its kind and position in the file, never by what it says.
    """

    def __init__(self, message: str = "This file is not an Amparo case transfer; nothing was imported.") -> None:
        super().__init__(message)


class TransferDamaged(TransferInvalid):
    """The transfer file was made by Amparo but has been cut short or altered since."""

    def __init__(self, message: str = "The case transfer file is damaged; nothing was imported.") -> None:
        super().__init__(message)


class TransferKeyMismatch(TransferInvalid):
    """The key or passphrase given does not open this transfer file."""

    def __init__(
        self, message: str = "This key or passphrase does not open this case transfer file; nothing was imported."
    ) -> None:
        super().__init__(message)


class ConsentMissing(TransferInvalid):
    """The transfer file holds no consent for the move it makes: it is not imported."""

    def __init__(
        self, message: str = "The case transfer file records no consent for this move; nothing was imported."
    ) -> None:
        super().__init__(message)


class TransferAlreadyImported(CasebookError):
    """This transfer file's case is here already (imported before, or moved out from here)."""

    def __init__(
        self, message: str = "This case transfer file has been imported here already; nothing was imported again."
    ) -> None:
        super().__init__(message)


class ConsentInvalid(CasebookError):
    """A consent to record is not one a transfer file may carry (empty, too long, an unknown word, a far date)."""
