"""Casebook backups and restore: age-encrypted archives, and a restore that cannot half-happen.

A backup (:func:`write_backup`) is built in memory from a consistent snapshot
of the unlocked vault and written atomically, mode 0600; see
:mod:`amparo.casebook.archive` for its contents.

A restore (:func:`restore_backup`) never touches the existing casebook until
the backup has been decrypted, checked and *opened*: the files are staged in a
fresh directory beside the casebook (same file system), unlocked with the
passphrase and integrity-checked there, and only then swapped in with one
atomic ``renameat2(RENAME_EXCHANGE)``. The replaced casebook is shredded like
a wipe. Where the kernel or file system cannot exchange, two renames are used
instead, and :func:`recover` puts things right after a crash between them.

Crash recovery: call :func:`recover` before opening the casebook (the CLI does
on every casebook command; a server should at start-up). It rolls back a
restore that stopped between its two fallback renames (the old casebook
returns) and shreds every leftover staging or replaced directory. After it,
the casebook directory is entirely the old casebook or entirely the new one.

Restores of one casebook are serialised with ``flock`` on its parent directory.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import secrets
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlcipher3

from amparo.casebook.archive import MAX_ARCHIVE_BYTES, pack, parse_recipients, seal, unpack, unseal
from amparo.casebook.errors import (
    BackupDamaged,
    BackupInvalid,
    BackupKeyMismatch,
    CasebookDamaged,
    CasebookError,
    CasebookExists,
    StorageError,
    WrongPassphrase,
    describe_os_error,
)
from amparo.casebook.header import Header
from amparo.casebook.shred import shred
from amparo.casebook.vault import DB_NAME, HEADER_NAME, Vault
from amparo.files import fsync_directory, write_atomic

STAGING = ".restore-"
REPLACED = ".old-"
_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2


def _load_renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # glibc before 2.28, or another libc
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_renameat2 = _load_renameat2()


def backup_bytes(vault: Vault, *, passphrase: str | None = None, recipients: list[str] | None = None) -> bytes:
    """An age-encrypted backup of the unlocked ``vault``, in memory (for a download: no file at all).

    Encrypted to ``passphrase`` or to the age public keys in ``recipients``
    (exactly one of the two). Use the casebook's own passphrase: a restore
    takes one passphrase, for the archive and for the casebook inside it.
    Raises :class:`CasebookLocked`, :class:`InvalidAgeKey`, :class:`StorageError`.
    """
    if (passphrase is None) == (recipients is None):
        raise ValueError("give either a passphrase or recipients")
    keys = parse_recipients(recipients) if recipients is not None else None
    with _storage("The casebook could not be read"):
        header, db = vault.snapshot()
    return seal(pack(header, db), passphrase=passphrase, recipients=keys)


def write_backup(
    vault: Vault, out: Path, *, passphrase: str | None = None, recipients: list[str] | None = None
) -> None:
    """:func:`backup_bytes` written to ``out`` atomically, mode 0600: a reader never sees half a backup."""
    sealed = backup_bytes(vault, passphrase=passphrase, recipients=recipients)
    with _storage("The backup could not be written"):
        write_atomic(Path(out), sealed, mode=0o600)


def restore_backup(
    directory: Path,
    archive: Path | bytes,
    *,
    passphrase: str,
    identity: str | None = None,
    replace: bool = False,
    vault: Vault | None = None,
) -> None:
    """Restore the casebook in ``directory`` from ``archive`` (a file, or its bytes); afterwards it is locked.

    ``passphrase`` opens the backed-up casebook (and the archive, if it was
    sealed to a passphrase); ``identity`` is the content of an age identity
    file, for archives sealed to age keys. An existing casebook is replaced
    only with ``replace``. ``vault``, the live vault of ``directory`` if this
    process has one, is locked and held for the swap.

    Raises :class:`BackupInvalid`, :class:`BackupDamaged`,
    :class:`BackupKeyMismatch`, :class:`InvalidAgeKey`,
    :class:`CasebookExists`, :class:`StorageError`; on any of them the existing
    casebook is as it was and nothing staged is left behind.
    """
    target = Path(directory).absolute()
    if vault is not None and vault.directory.absolute() != target:
        raise ValueError("vault belongs to another directory")
    if isinstance(archive, bytes) and len(archive) > MAX_ARCHIVE_BYTES:
        raise BackupInvalid("This file is too large to be an Amparo backup.")
    with _storage("The casebook could not be restored"):
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with _serialised(target.parent):
            _recover(target)
            if not replace and _has_casebook(target):
                raise CasebookExists()
            sealed = archive if isinstance(archive, bytes) else _read_archive(Path(archive))
            header, db = unpack(unseal(sealed, passphrase=passphrase, identity=identity))
            staged = _stage(target, header, db)
            try:
                _verify(staged, passphrase)
                with vault.exclusive() if vault is not None else contextlib.nullcontext():
                    if not replace and _has_casebook(target):
                        raise CasebookExists()
                    replaced = _swap(staged, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    _destroy(staged)
                raise
            if replaced is not None:
                with contextlib.suppress(OSError):  # the restore is done; recover() retries the cleanup
                    _destroy(replaced)
                    fsync_directory(target.parent)


def recover(directory: Path) -> None:
    """Put the casebook in ``directory`` right after a restore was interrupted by a crash.

    Safe and cheap to call at any time; does nothing while another restore of
    it is running. Raises :class:`StorageError` if it cannot.
    """
    target = Path(directory).absolute()
    if not target.parent.is_dir():
        return
    with _storage("An interrupted restore could not be cleaned up"):
        try:
            with _serialised(target.parent):
                _recover(target)
        except _Busy:
            return


class _Busy(CasebookError):
    def __init__(self) -> None:
        super().__init__("Another restore of this casebook is running; try again when it has finished.")


@contextlib.contextmanager
def _serialised(parent: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``parent`` (released by the kernel even on kill -9)."""
    fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _Busy() from None
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def _storage(action: str) -> Iterator[None]:
    """Turn an OSError into a :class:`StorageError` that says what failed and why, in one sentence."""
    try:
        yield
    except OSError as exc:
        reason = describe_os_error(exc)
        raise StorageError(f"{action}: {reason}.", exc.errno, reason) from None


def _has_casebook(target: Path) -> bool:
    return (target / HEADER_NAME).exists()


def _leftovers(target: Path, marker: str) -> list[Path]:
    prefix = f".{target.name}{marker}"
    return sorted(p for p in target.parent.iterdir() if p.name.startswith(prefix))


def _recover(target: Path) -> None:
    replaced = _leftovers(target, REPLACED)
    staged = _leftovers(target, STAGING)
    if replaced and not os.path.lexists(target) and (replaced[-1] / HEADER_NAME).exists():
        os.rename(replaced.pop(), target)  # stopped between the fallback's two renames: the old casebook returns
        fsync_directory(target.parent)
    for path in replaced + staged:
        _destroy(path)
    if replaced or staged:
        fsync_directory(target.parent)


def _read_archive(archive: Path) -> bytes:
    with _storage("The backup file could not be read"), archive.open("rb") as stream:
        if os.fstat(stream.fileno()).st_size > MAX_ARCHIVE_BYTES:
            raise BackupInvalid("This file is too large to be an Amparo backup.")
        return stream.read(MAX_ARCHIVE_BYTES + 1)


def _stage(target: Path, header: bytes, db: bytes) -> Path:
    """Write the backup's files into a new private directory beside ``target``.

    The failure count is reset: restoring proves the passphrase, and an old
    count would delay the very unlock that verifies the copy.
    """
    try:
        fresh = Header.from_bytes(header).with_failures(0).to_bytes()
    except CasebookDamaged:
        raise BackupDamaged() from None
    staged = target.parent / f".{target.name}{STAGING}{secrets.token_hex(8)}"
    staged.mkdir(mode=0o700)
    try:
        os.chmod(staged, 0o700)
        write_atomic(staged / HEADER_NAME, fresh, mode=0o600)
        write_atomic(staged / DB_NAME, db, mode=0o600)
    except BaseException:
        with contextlib.suppress(OSError):
            _destroy(staged)
        raise
    return staged


def _verify(staged: Path, passphrase: str) -> None:
    """Open the staged copy as a casebook and check every page; it is locked again afterwards."""
    check = Vault(staged)
    try:
        check.unlock(passphrase)
        with check.connection() as conn:
            pages = conn.execute("PRAGMA integrity_check").fetchall()
            try:
                cipher = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            except sqlcipher3.OperationalError:
                cipher = []
        if pages != [("ok",)] or cipher:
            raise BackupDamaged()
    except WrongPassphrase:
        raise BackupKeyMismatch("That passphrase does not open the casebook in this backup.") from None
    except (CasebookDamaged, sqlcipher3.DatabaseError):
        raise BackupDamaged() from None
    finally:
        check.lock()
    fsync_directory(staged)


def _rename(source: Path, destination: Path, flags: int) -> bool:
    """``renameat2`` with ``flags``; False where the kernel, libc or file system lacks it."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(destination), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(destination))


def _swap(staged: Path, target: Path) -> Path | None:
    """Put ``staged`` at ``target``; return where the replaced casebook now is (to destroy), if any."""
    parent = target.parent
    if not os.path.lexists(target):
        if not _rename(staged, target, _RENAME_NOREPLACE):
            os.rename(staged, target)
        moved = None
    elif _rename(staged, target, _RENAME_EXCHANGE):
        moved = staged
    else:
        moved = parent / f".{target.name}{REPLACED}{secrets.token_hex(8)}"
        os.rename(target, moved)
        try:
            fsync_directory(parent)
            os.rename(staged, target)
        except BaseException:
            os.rename(moved, target)
            raise
    with contextlib.suppress(OSError):  # the swap is done either way; a crash now leaves a whole casebook
        fsync_directory(parent)
    return moved


def _destroy(path: Path) -> None:
    """Shred and remove ``path`` and everything under it; links and special files are only unlinked.

    In a casebook directory the header goes first: it is the key material.
    """
    if not path.is_dir() or path.is_symlink():
        _shred_entry(path)
        return
    for root, dirs, files in os.walk(path, topdown=False):
        for name in sorted(files, key=lambda n: n != HEADER_NAME):
            _shred_entry(Path(root, name))
        for name in dirs:
            entry = Path(root, name)
            if entry.is_symlink():
                entry.unlink()
            else:
                entry.rmdir()
    path.rmdir()


def _shred_entry(path: Path) -> None:
    if path.is_file() and not path.is_symlink():
        shred(path)
    else:
        path.unlink(missing_ok=True)
