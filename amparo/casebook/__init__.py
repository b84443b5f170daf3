"""The casebook: a defender's private, encrypted record, kept on their own machine.

Incidents, engagements with missions, requests and follow-ups are written to a
SQLCipher database whose 256-bit key is derived from a passphrase with
Argon2id. The promise (see shared/design/THREAT-MODEL.md) is that a seized
laptop, powered off or locked, reveals nothing.

The security boundary is :class:`Vault`:

* on disk there are only ``casebook.json`` (KDF parameters, salt, failure
  count: nothing secret) and the encrypted ``casebook.db`` with its ``-wal``
  and ``-shm`` files, in a directory of mode 0700;
* the key exists only in the memory of the one process that unlocked it, and
  only until :meth:`Vault.lock`, the idle auto-lock or :meth:`Vault.wipe`;
* everything outside this package talks to the database only through
  :meth:`Vault.connection`, which refuses when locked.

Backups (:mod:`amparo.casebook.backup`) are age-encrypted tars of the
header and the still-encrypted database; a restore is checked and opened
aside before one atomic swap, and :func:`recover` (to call before opening the
casebook) repairs a restore cut short by a crash.

This package is pure Python with no Django import: the web layer wraps it.
Nothing here logs; error messages never carry passphrases, keys or content.
"""

from __future__ import annotations

from amparo.casebook.autolock import AutoLock
from amparo.casebook.backup import backup_bytes, recover, restore_backup, write_backup
from amparo.casebook.database import check_sqlcipher
from amparo.casebook.errors import (
    BackupDamaged,
    BackupInvalid,
    BackupKeyMismatch,
    CasebookBusy,
    CasebookDamaged,
    CasebookError,
    CasebookExists,
    CasebookLocked,
    CasebookMissing,
    InvalidAgeKey,
    StorageError,
    UnlockDelayed,
    UnsupportedSQLCipher,
    WeakPassphrase,
    WipeNotConfirmed,
    WrongPassphrase,
)
from amparo.casebook.keys import KDF, MAX_CHARS, MIN_CHARS
from amparo.casebook.throttle import Lane, retry_delay
from amparo.casebook.vault import DB_NAME, HEADER_NAME, Vault

__all__ = [
    "DB_NAME",
    "HEADER_NAME",
    "KDF",
    "MAX_CHARS",
    "MIN_CHARS",
    "AutoLock",
    "BackupDamaged",
    "BackupInvalid",
    "BackupKeyMismatch",
    "CasebookBusy",
    "CasebookDamaged",
    "CasebookError",
    "CasebookExists",
    "CasebookLocked",
    "CasebookMissing",
    "InvalidAgeKey",
    "Lane",
    "StorageError",
    "UnlockDelayed",
    "UnsupportedSQLCipher",
    "Vault",
    "WeakPassphrase",
    "WipeNotConfirmed",
    "WrongPassphrase",
    "backup_bytes",
    "check_sqlcipher",
    "recover",
    "restore_backup",
    "retry_delay",
    "write_backup",
]
