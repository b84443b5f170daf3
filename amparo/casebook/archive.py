"""A casebook backup as bytes: a tar of the casebook's two files, sealed with age.

Why this shape: the standard tools open it without Amparo
(``age -d -i key.txt casebook.age | tar -x``), so a defender is never tied to
this program to get their records back. Even inside the age layer nothing is
readable: the database is still SQLCipher ciphertext and the header holds no
secret. Everything here works on bytes in memory; no plaintext or temporary
file ever touches the disk (THREAT-MODEL.md).

The tar holds exactly ``manifest.json`` (format, version, UTC creation time,
size and SHA-256 of each file), ``casebook.json`` and ``casebook.db``. Reading
one back accepts nothing else: no other names, no links, no directories, no
sizes beyond the limits below.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pyrage
from pyrage import x25519

from amparo.casebook.errors import (
    BackupDamaged,
    BackupInvalid,
    BackupKeyMismatch,
    CasebookBusy,
    CasebookError,
    InvalidAgeKey,
    WeakPassphrase,
    describe_os_error,
)
from amparo.casebook.keys import derivation_slot, encode_passphrase
from amparo.casebook.vault import DB_NAME, HEADER_NAME

FORMAT = "amparo-casebook-backup"
VERSION = 1
MANIFEST_NAME = "manifest.json"
MAX_DB_BYTES = 1024**3  # read into memory whole on restore, so bounded; a casebook is text
MAX_SMALL_BYTES = 64 * 1024  # header and manifest
MAX_ARCHIVE_BYTES = MAX_DB_BYTES + 16 * 1024**2  # tar headers and age's 16 bytes per 64 KiB chunk
AGE_MAGIC = b"age-encryption.org/v1\n"
MAX_AGE_HEADER_BYTES = 64 * 1024  # recipient stanzas; ours hold one or a few
MAX_SCRYPT_WORK_FACTOR = 20  # see check_work_factor
_LIMITS = {MANIFEST_NAME: MAX_SMALL_BYTES, HEADER_NAME: MAX_SMALL_BYTES, DB_NAME: MAX_DB_BYTES}
# pyrage's messages for "this key does not open the file"; any other decryption failure is damage.
_KEY_MISMATCH = ("No matching keys found", "Decryption failed")
# rage refuses a work factor above what it measures this machine can do in a few seconds. Under load that
# measure drops, and a sound backup of ours is refused: the machine is busy, the backup is not damaged.
_TOO_MUCH_WORK_NOW = "Excessive work parameter"
_CHILD = Path(__file__).with_name("_scrypt_child.py")


def pack(header: bytes, db: bytes, *, now: dt.datetime | None = None) -> bytes:
    """The tar (uncompressed: the database is ciphertext) of ``header`` and ``db`` with their manifest.

    Owner names and ids are blanked: a backup should not name the account that made it.
    """
    if len(db) > MAX_DB_BYTES or len(header) > MAX_SMALL_BYTES:
        raise CasebookError("The casebook is too large to back up (the limit is 1 GiB).")
    created = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    files = {HEADER_NAME: header, DB_NAME: db}
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for name, data in files.items()
        },
    }
    members = {MANIFEST_NAME: json.dumps(manifest, indent=2, sort_keys=True).encode("ascii") + b"\n", **files}
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o600
            info.mtime = int(created.timestamp())
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def unpack(raw: bytes) -> tuple[bytes, bytes]:
    """Check the tar and its manifest; return ``(header, db)``. Raises :class:`BackupInvalid` or a subclass."""
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as tar:
            for member in tar:
                limit = _LIMITS.get(member.name)
                if limit is None or member.name in found or member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
                    raise BackupInvalid()
                if member.size > limit:
                    raise BackupInvalid()
                stream = tar.extractfile(member)
                data = stream.read() if stream is not None else b""
                if len(data) != member.size:
                    raise BackupDamaged()
                found[member.name] = data
    except (tarfile.TarError, EOFError, ValueError, UnicodeError):
        raise BackupInvalid() from None
    if set(found) != set(_LIMITS):
        raise BackupInvalid()
    _check_manifest(found)
    return found[HEADER_NAME], found[DB_NAME]


def _check_manifest(found: dict[str, bytes]) -> None:
    try:
        manifest: Any = json.loads(found[MANIFEST_NAME].decode("ascii"))
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupInvalid()
        version = manifest.get("version")
        if type(version) is int and version > VERSION:
            raise BackupInvalid("This backup was made by a newer version of Amparo; update Amparo to restore it.")
        if version != VERSION:
            raise BackupInvalid()
        listed = manifest["files"]
        if not isinstance(listed, dict) or set(listed) != {HEADER_NAME, DB_NAME}:
            raise BackupInvalid()
        for name, entry in listed.items():
            data = found[name]
            if entry["size"] != len(data) or entry["sha256"] != hashlib.sha256(data).hexdigest():
                raise BackupDamaged()
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        # RecursionError: a manifest nested thousands of levels deep (json recurses per level).
        raise BackupInvalid() from None


def parse_recipients(texts: list[str]) -> list[x25519.Recipient]:
    """Read age X25519 public keys (``age1…``); raise :class:`InvalidAgeKey` naming which one is wrong."""
    if not texts:
        raise InvalidAgeKey("Give at least one recipient (an age public key, age1…).")
    recipients = []
    for number, text in enumerate(texts, start=1):
        try:
            recipients.append(x25519.Recipient.from_str(text.strip()))
        except (pyrage.RecipientError, ValueError, TypeError):
            which = "The recipient" if len(texts) == 1 else f"Recipient {number}"
            raise InvalidAgeKey(f"{which} is not an age public key (age1…).") from None
    return recipients


def parse_identities(text: str) -> list[x25519.Identity]:
    """Read an age identity file's content: one ``AGE-SECRET-KEY-1…`` a line, ``#`` comments allowed.

    The message on failure never quotes the file: it holds secret keys.
    """
    identities = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(x25519.Identity.from_str(line))
        except (pyrage.IdentityError, ValueError, TypeError):
            raise InvalidAgeKey("The identity is not an age secret key file (AGE-SECRET-KEY-1…).") from None
    if not identities:
        raise InvalidAgeKey("The identity file holds no age secret key (AGE-SECRET-KEY-1…).")
    return identities


def _age_passphrase(passphrase: str) -> str:
    """The casebook's own rules (NFC), so one passphrase typed anywhere gives the same bytes."""
    text = encode_passphrase(passphrase, new=False).decode("utf-8")
    if not text:
        raise WeakPassphrase("The backup passphrase must not be empty.")
    return text


def check_work_factor(header: bytes) -> None:
    """Refuse an scrypt stanza that would cost more than a backup of ours ever does.

    Why: on a fresh install anyone may upload a restore file, and scrypt's cost doubles
    with each step of the work factor: at 22 one upload cost 22-52 s of CPU. The
    reference ``age`` tool writes 18; pyrage (rage) picks it from the machine's speed,
    aiming at about a second (19 here), so our own backups stay within the bound.
    """
    for line in header.split(b"\n"):
        if not line.startswith(b"-> scrypt "):
            continue
        fields = line.split(b" ")
        factor = fields[3] if len(fields) == 4 else b""
        if not factor.isdigit() or len(factor) > 2:
            raise BackupInvalid()
        if int(factor) > MAX_SCRYPT_WORK_FACTOR:
            raise BackupInvalid(
                "This backup asks for far more passphrase work than Amparo or age ever use; nothing was restored."
            )


def seal(plain: bytes, *, passphrase: str | None = None, recipients: list[x25519.Recipient] | None = None) -> bytes:
    """Encrypt with age to a passphrase (scrypt) or to recipients; exactly one of the two."""
    if (passphrase is None) == (recipients is None):
        raise ValueError("give either a passphrase or recipients")
    try:
        if passphrase is not None:
            sealed = passphrase_in_child("encrypt", _age_passphrase(passphrase), plain)
            check_work_factor(sealed[: sealed.find(b"\n--- ", 0, MAX_AGE_HEADER_BYTES) + 1])  # restorable, always
            return sealed
        return pyrage.encrypt(plain, list(recipients or []))
    except pyrage.EncryptError:
        raise CasebookError("The backup could not be encrypted.") from None


def unseal(sealed: bytes, *, passphrase: str, identity: str | None = None) -> bytes:
    """Decrypt an age file with ``passphrase`` (if it was sealed to one) or the ``identity`` file's keys.

    Raises :class:`BackupInvalid` (not age at all), :class:`BackupKeyMismatch`,
    :class:`BackupDamaged` (cut short or altered: age authenticates every chunk).
    """
    if not sealed.startswith(AGE_MAGIC):
        raise BackupInvalid()
    end = sealed.find(b"\n--- ", 0, MAX_AGE_HEADER_BYTES)
    if end < 0:
        raise BackupDamaged()
    to_passphrase = b"\n-> scrypt " in sealed[: end + 1]
    if to_passphrase:
        check_work_factor(sealed[: end + 1])
    if not to_passphrase and identity is None:
        raise BackupKeyMismatch("This backup was made for an age key: its identity file is needed to restore it.")
    try:
        if to_passphrase:
            try:
                text = _age_passphrase(passphrase)
            except WeakPassphrase:
                raise BackupKeyMismatch() from None
            with derivation_slot():  # scrypt: one costly derivation at a time, or CasebookBusy at once
                return passphrase_in_child("decrypt", text, sealed)
        return pyrage.decrypt(sealed, list(parse_identities(identity or "")))
    except pyrage.DecryptError as exc:
        if str(exc) in _KEY_MISMATCH:
            raise BackupKeyMismatch() from None
        if str(exc).startswith(_TOO_MUCH_WORK_NOW):
            raise CasebookBusy(
                retry_after=30.0,
                message="This computer is too busy to open this backup now; nothing was changed. Try again when "
                "other programs have finished.",
            ) from None
        raise BackupDamaged() from None


def passphrase_in_child(operation: str, passphrase: str, data: bytes) -> bytes:
    """pyrage's passphrase ``encrypt`` or ``decrypt`` of ``data``, run in a child process (see ``_scrypt_child``).

    Why: pyrage keeps Python's interpreter lock for the whole scrypt, so in this
    process every other thread (the public site) stood still while it ran. The child
    has the lock of its own; this thread waits on a pipe, which releases ours. A
    decryption's child runs at a lower priority. The passphrase and the data go
    through stdin, never a file, the command line or the environment. pyrage's
    errors come back as the same ``pyrage.DecryptError`` or ``EncryptError``; a
    child that dies is a :class:`CasebookError` that says so.
    """
    if operation not in ("encrypt", "decrypt"):
        raise ValueError("operation must be encrypt or decrypt")
    secret = passphrase.encode("utf-8")
    what = "The backup could not be opened" if operation == "decrypt" else "The backup could not be encrypted"
    try:
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and script, fixed arguments
            [sys.executable, "-P", str(_CHILD), operation],  # -P: the child imports nothing from its folder
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
    except OSError as exc:
        raise CasebookError(f"{what}: its helper process did not start ({describe_os_error(exc)}).") from None
    with child:
        try:
            try:
                if child.stdin is not None:  # always, with stdin=PIPE
                    child.stdin.write(len(secret).to_bytes(4, "big") + secret)  # fits the pipe's buffer at once
            except BrokenPipeError:
                pass  # the child is already gone: its exit status tells why, below
            out, _ = child.communicate(data)  # no copy of data; the pipes are read and written as they drain
        except BaseException:
            child.kill()
            raise
    status, body = out[:1], out[1:]
    if child.returncode == 0 and status == b"0":
        return body
    if child.returncode == 0 and status == b"D":
        raise pyrage.DecryptError(body.decode("utf-8", "replace"))
    if child.returncode == 0 and status == b"E":
        raise pyrage.EncryptError(body.decode("utf-8", "replace"))
    if child.returncode < 0:
        how = f"was stopped by signal {-child.returncode}"
    else:
        how = f"ended with code {child.returncode}" if child.returncode else "gave no answer"
    raise CasebookError(f"{what}: its helper process {how}; nothing was changed.")
