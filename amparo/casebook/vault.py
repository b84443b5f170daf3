"""The vault: the one object that holds the casebook key and the one door to the database.

Why one object, one connection, one lock: the key must exist in exactly one
place (local mode serves from a single process), so every reader and writer
borrows the same SQLCipher connection through :meth:`Vault.connection`, one
thread at a time. Locking closes that connection and zeroes the key.

States: *missing* (no header) → :meth:`Vault.create` → *unlocked* (create
leaves it unlocked: the person has just typed the passphrase) →
:meth:`Vault.lock`, the idle auto-lock or a restart → *locked* →
:meth:`Vault.unlock` → *unlocked*. :meth:`Vault.wipe` returns to *missing*
from any state.

Crash safety: WAL journal, ``synchronous=FULL``, and every
:meth:`Vault.connection` block is one transaction (commit on success,
rollback on an exception), so ``kill -9`` loses at most the transaction in
flight. Header changes are atomic renames; a passphrase change records the
pending key parameters first so a crash between re-keying the database and
rewriting the header cannot lock the person out.

Kept apart, because they hold none of the vault's state: the database file's own
handling (:mod:`amparo.casebook.database`: SQLCipher's version, the connection's
settings, the check record), the destruction of files (:mod:`amparo.casebook.shred`),
the failure delays (:mod:`amparo.casebook.throttle`) and the auto-lock thread
(:mod:`amparo.casebook.autolock`).
"""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import sqlcipher3

from amparo.casebook.database import (
    Connection,
    check_sqlcipher,
    open_database,
    verify_database,
    write_check_record,
)
from amparo.casebook.errors import (
    CasebookDamaged,
    CasebookError,
    CasebookExists,
    CasebookLocked,
    UnlockDelayed,
    WipeNotConfirmed,
    WrongPassphrase,
)
from amparo.casebook.header import Header, KeySpec, read_header, write_header
from amparo.casebook.keys import KDF, SALT_BYTES, derive_key, encode_passphrase, raw_key_pragma, zero
from amparo.casebook.shred import shred
from amparo.casebook.throttle import Lane, Throttle, retry_delay
from amparo.files import fsync_directory

HEADER_NAME = "casebook.json"
DB_NAME = "casebook.db"
WIPE_WORD = "WIPE"

Clock = Callable[[], float]


__all__ = ["DB_NAME", "HEADER_NAME", "Connection", "Lane", "Vault", "check_sqlcipher", "retry_delay", "shred"]


class Vault:
    """The casebook in ``directory``: header, encrypted database, key, auto-lock.

    ``clock`` (seconds, monotonic) drives the idle auto-lock and the unlock
    delays; tests inject a fake one. ``kdf`` is used for *new* keys (create,
    change of passphrase); unlocking uses the parameters recorded in the header.

    An unlock attempt never locks a casebook that is open: while unlocked, the
    passphrase is checked against the key in memory and nothing else changes.
    Failures delay the next try on their own :class:`Lane` only (see
    :mod:`amparo.casebook.throttle`).
    """

    def __init__(
        self,
        directory: Path,
        clock: Clock = time.monotonic,
        idle_seconds: float = 900,
        kdf: KDF | None = None,
    ) -> None:
        if idle_seconds <= 0:
            raise ValueError("idle_seconds must be positive")
        self.directory = Path(directory)
        self.idle_seconds = float(idle_seconds)
        self.kdf = kdf if kdf is not None else KDF()
        self._clock = clock
        self._mutex = threading.RLock()
        self._conn: Connection | None = None
        self._key: bytearray | None = None
        self._last_used = 0.0
        self._throttle = Throttle(clock)
        self._load_delay()

    def _load_delay(self) -> None:
        """A restart must not reset the delay: failures recorded by an earlier process impose it again, from now."""
        self._throttle.reset()
        with contextlib.suppress(CasebookError, OSError):
            self._throttle.restore_open(read_header(self.header_path).failures)

    # -- paths and state ---------------------------------------------------

    @property
    def header_path(self) -> Path:
        return self.directory / HEADER_NAME

    @property
    def db_path(self) -> Path:
        return self.directory / DB_NAME

    def _db_files(self) -> list[Path]:
        return [self.db_path, *(self.directory / f"{DB_NAME}{suffix}" for suffix in ("-wal", "-shm", "-journal"))]

    @property
    def exists(self) -> bool:
        """Whether a casebook has been created here (the header is what makes it exist)."""
        return self.header_path.exists()

    @property
    def is_unlocked(self) -> bool:
        """Whether the key is in memory; applies the idle auto-lock first, does not count as activity."""
        with self._mutex:
            self.lock_if_idle()
            return self._conn is not None

    # -- create, unlock, lock ------------------------------------------------

    def create(self, passphrase: str) -> None:
        """Create a new casebook protected by ``passphrase``, and leave it unlocked.

        Raises :class:`WeakPassphrase` (nothing is written), :class:`CasebookExists`.
        The header is written last: a crash before that leaves no casebook, and
        the leftover database (undecryptable without the header's salt) is
        removed by the next ``create``.
        """
        with self._mutex:
            check_sqlcipher()
            secret = encode_passphrase(passphrase, new=True)
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(self.directory, 0o700)
            if self.exists:
                raise CasebookExists()
            self.lock()
            for leftover in self._db_files():
                leftover.unlink(missing_ok=True)
            spec = KeySpec(self.kdf, secrets.token_bytes(SALT_BYTES))
            key = derive_key(secret, spec.salt, spec.kdf)
            conn: Connection | None = None
            try:
                os.close(os.open(self.db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                conn = open_database(self.db_path, key)
                if conn is None:  # cannot happen with an empty file; be loud if it does
                    raise CasebookDamaged("The new casebook could not be opened.")
                write_check_record(conn)
                write_header(self.header_path, Header(spec))
            except BaseException:
                if conn is not None:
                    conn.close()
                zero(key)
                for leftover in self._db_files():
                    leftover.unlink(missing_ok=True)
                raise
            self._conn, self._key = conn, key
            self._throttle.succeeded()
            self._last_used = self._clock()

    def unlock(self, passphrase: str, lane: Lane = Lane.OPEN) -> None:
        """Open the casebook with ``passphrase``; if it is already open, only check the passphrase.

        Why the check: whoever can reach the unlock page can call this, and an
        attempt (right or wrong) must never close a casebook someone is using.
        Raises :class:`CasebookMissing`, :class:`CasebookDamaged`,
        :class:`UnlockDelayed` (too soon after failures on ``lane``, passphrase
        not tried), :class:`WrongPassphrase` (with the delay before the next
        attempt on ``lane``).
        """
        with self._mutex:
            if not self.lock_if_idle():
                self._check_open_key(passphrase, lane)
                return
            check_sqlcipher()
            header = read_header(self.header_path)
            if not self.db_path.exists():
                raise CasebookDamaged("The casebook database is missing; only its header is left.")
            secret = self._attempt(header, passphrase, lane)
            specs = [header.key] if header.pending is None else [header.key, header.pending]
            for spec in specs:
                key = derive_key(secret, spec.salt, spec.kdf)
                conn = open_database(self.db_path, key)
                if conn is None:
                    zero(key)
                    continue
                try:
                    verify_database(conn)
                except BaseException:
                    conn.close()
                    zero(key)
                    raise
                if spec is not header.key or header.pending is not None or header.failures:
                    # A change of passphrase either completed (the pending key opened it)
                    # or never happened (the old key did): settle the header either way.
                    write_header(self.header_path, Header(spec))
                self._conn, self._key = conn, key
                self._throttle.succeeded()
                self._last_used = self._clock()
                return
            self._failed(header, lane)

    def _attempt(self, header: Header, passphrase: str, lane: Lane) -> bytes:
        """The passphrase as key material, if the failure delay of ``lane`` allows a try now.

        Raises :class:`UnlockDelayed` (nothing tried) or, for a text that cannot be a
        passphrase (too long, control characters), counts a failure like a wrong one.
        """
        wait = self._throttle.wait(lane)
        if wait > 0:
            raise UnlockDelayed(wait)
        try:
            return encode_passphrase(passphrase, new=False)
        except CasebookError:
            self._failed(header, lane)

    def _failed(self, header: Header, lane: Lane) -> NoReturn:
        """Record one more consecutive failure on ``lane`` and raise.

        The open lane's count goes into the header, to survive restarts; the
        owner lane's stays in memory (it exists only while this process knows
        the owner's browser).
        """
        delay = self._throttle.failed(lane)
        if lane is Lane.OPEN:
            write_header(self.header_path, header.with_failures(self._throttle.failures(Lane.OPEN)))
        raise WrongPassphrase(retry_after=delay)

    def _settle(self, header: Header) -> None:
        """A right passphrase clears every lane's delay, on disk too."""
        if header.failures:
            write_header(self.header_path, Header(header.key, pending=header.pending))
        self._throttle.succeeded()

    def lock(self) -> None:
        """Close the connection and zero the key. Safe to call at any time, any number of times.

        Waits for a :meth:`connection` block running in another thread to finish.
        """
        with self._mutex:
            conn, key = self._conn, self._key
            self._conn, self._key = None, None
            if conn is not None:
                with contextlib.suppress(sqlcipher3.Error):
                    conn.close()  # checkpoints the WAL into the (encrypted) database
            if key is not None:
                zero(key)

    # -- using it --------------------------------------------------------------

    def lock_if_idle(self) -> bool:
        """Lock if the casebook has been idle for ``idle_seconds``; return whether it is now locked."""
        with self._mutex:
            if self._conn is not None and self._clock() - self._last_used >= self.idle_seconds:
                self.lock()
            return self._conn is None

    def touch(self) -> None:
        """Record activity; raise :class:`CasebookLocked` if locked (including by idleness just now)."""
        with self._mutex:
            if self.lock_if_idle():
                raise CasebookLocked()
            self._last_used = self._clock()

    @contextlib.contextmanager
    def connection(self) -> Iterator[Connection]:
        """Borrow the open connection for one transaction: commit on success, roll back on error.

        Raises :class:`CasebookLocked` when locked or idle too long. Holds the
        vault's lock for the whole block, so keep blocks short and do not nest.
        """
        with self._mutex:
            self.touch()
            conn = self._conn
            if conn is None:  # touch() raised already; this keeps type checkers and python -O honest
                raise CasebookLocked()
            try:
                yield conn
            except BaseException:
                if self._still_open(conn):
                    conn.rollback()
                raise
            else:
                if self._still_open(conn):
                    conn.commit()
            finally:
                self._last_used = self._clock()

    def _still_open(self, conn: Connection) -> bool:
        """Whether ``conn`` is still the open connection (a lock from another thread may have closed it)."""
        return self._conn is conn

    def verify_passphrase(self, passphrase: str, lane: Lane = Lane.OWNER) -> None:
        """Check ``passphrase`` against the unlocked casebook without changing its state.

        Why: actions that take data away (a backup download) ask for the
        passphrase again, so someone at an unlocked screen cannot. A wrong one
        counts as a failed attempt on ``lane`` (by default the owner's: only
        the session of the current unlock reaches these pages), with the same
        growing delay as unlocking.
        Raises :class:`CasebookLocked`, :class:`UnlockDelayed`, :class:`WrongPassphrase`.
        """
        with self._mutex:
            self.touch()
            self._check_open_key(passphrase, lane)

    def _check_open_key(self, passphrase: str, lane: Lane) -> None:
        """Compare the key ``passphrase`` derives with the key in memory; the casebook stays as it is."""
        if self._key is None:
            raise CasebookLocked()
        header = read_header(self.header_path)
        secret = self._attempt(header, passphrase, lane)
        key = derive_key(secret, header.key.salt, header.key.kdf)
        try:
            matches = hmac.compare_digest(key, self._key)
        finally:
            zero(key)
        if not matches:
            self._failed(header, lane)
        self._settle(header)

    def snapshot(self) -> tuple[bytes, bytes]:
        """The header and the database file as bytes, consistent with each other, for a backup.

        Why here: only the vault may touch the open connection. Under the lock,
        the WAL is checkpointed (TRUNCATE) into the main file, so that file alone
        is the complete encrypted database, and both files are read before
        anything can write again. Both are safe to hold: ciphertext and a
        header with no secret. Raises :class:`CasebookLocked`.
        """
        with self._mutex:
            self.touch()
            conn = self._conn
            if conn is None:
                raise CasebookLocked()
            if conn.in_transaction:
                raise CasebookError("A backup cannot be taken in the middle of a change.")
            try:
                result = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlcipher3.Error:
                result = None
            if not result or result[0] != 0:
                raise CasebookError("The casebook is busy; no backup was taken.")
            return self.header_path.read_bytes(), self.db_path.read_bytes()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Lock the casebook and hold the vault's lock for the block.

        Why: a restore replaces the casebook's files, and nothing in this
        process may unlock or use the old database meanwhile. Afterwards the
        unlock delay is re-read from whatever header is then on disk.
        """
        with self._mutex:
            self.lock()
            try:
                yield
            finally:
                self._load_delay()

    # -- changing and destroying ---------------------------------------------

    def change_passphrase(self, old: str, new: str, lane: Lane = Lane.OWNER) -> None:
        """Re-key the casebook under ``new`` (fresh salt, current ``kdf``); leaves it unlocked.

        ``old`` is checked through :meth:`unlock`, so the failure delay applies.
        The header first records the new parameters as *pending*, then the
        database is re-keyed (one SQLCipher transaction), then the header is
        rewritten: after a crash at any point, one of the two passphrases opens it.
        """
        with self._mutex:
            secret = encode_passphrase(new, new=True)
            self.unlock(old, lane)
            conn, old_key = self._conn, self._key
            if conn is None or old_key is None:  # unlock() raised already
                raise CasebookLocked()
            header = read_header(self.header_path)
            spec = KeySpec(self.kdf, secrets.token_bytes(SALT_BYTES))
            key = derive_key(secret, spec.salt, spec.kdf)
            write_header(self.header_path, Header(header.key, pending=spec))
            try:
                conn.execute(raw_key_pragma("rekey", key)).fetchall()
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            except sqlcipher3.Error:
                zero(key)
                write_header(self.header_path, Header(header.key))
                raise CasebookError("The passphrase could not be changed; the old one still works.") from None
            write_header(self.header_path, Header(spec))
            self._key = key
            zero(old_key)
            self._last_used = self._clock()

    def wipe(self, confirm: str) -> None:
        """Panic wipe: destroy the key material and the database. Irreversible.

        Only with ``confirm == "WIPE"``. Locks, overwrites the header (the salt:
        without it no passphrase can rebuild the key) and the first MiB of the
        database files with random bytes, fsyncs, and deletes them. Limits: on
        SSDs, copy-on-write or journalling file systems and in backups, old
        blocks may survive the overwrite; they stay encrypted, and the salt
        needed to derive their key is gone with the header.
        """
        if confirm != WIPE_WORD:
            raise WipeNotConfirmed(f'Type "{WIPE_WORD}" to confirm the wipe.')
        with self._mutex:
            self.lock()
            tmp_header = self.header_path.with_name(f".{HEADER_NAME}.tmp")
            errors: list[OSError] = []
            for path in [self.header_path, tmp_header, *self._db_files()]:  # the header first: it is the key material
                try:
                    shred(path)
                except OSError as exc:
                    errors.append(exc)
            with contextlib.suppress(OSError):
                fsync_directory(self.directory)
            self._throttle.reset()
            if errors:
                raise CasebookError("The wipe could not remove every casebook file.") from None
