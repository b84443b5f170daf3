"""The team key: a file outside the database, and the two keys derived from it.

The key file holds 32 random bytes (one line, ``amparo-team-key-1:`` and URL-safe base64),
made by :func:`create_key_file` with mode 0600. From it HKDF-SHA256 derives three keys, so
that no use weakens another:

* the *field key* (AES-256-GCM, :class:`FieldCipher`): every personal field is encrypted
  with a random 96-bit nonce, and the table, column and record id as associated data, so
  a value copied into another row or column no longer decrypts;
* the *index key* (HMAC-SHA256, :func:`TeamKeys.token`): the search index's word tokens
  (:mod:`amparo.casebook.team.blind_index`);
* the *session key* (AES-256-GCM, another :class:`FieldCipher`): the team's login sessions, whose
  rows would otherwise show in clear what a member filtered their lists by
  (:mod:`amparo.web.team.sessions`).

Only ``cryptography``'s primitives are used. Keys live in memory while the store is open;
nothing here logs, and no message carries a key or a value.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pyrage import x25519

from amparo.casebook.archive import parse_identities
from amparo.casebook.errors import CasebookDamaged, InvalidAgeKey, TeamKeyError
from amparo.files import fsync_directory

ENV_KEY_FILE = "AMPARO_TEAM_KEY_FILE"
ENV_AGE_FILE = "AMPARO_TEAM_AGE_IDENTITY_FILE"  # the team's age identity, for case transfers; see age_identity_path
AGE_FILE_NAME = "team-age-identity.txt"
KEY_PREFIX = "amparo-team-key-1:"
KEY_BYTES = 32
NONCE_BYTES = 12
FORMAT = b"\x01"  # first byte of every sealed value: how it was sealed, so a later format can be told apart
PAD_TO = 32  # plaintexts are padded to a multiple of this many bytes: lengths show only roughly
TOKEN_BYTES = 16  # search tokens: HMAC-SHA256 cut to 128 bits, ample against collisions among words


def create_key_file(path: Path) -> None:
    """Write a new random team key to ``path`` (mode 0600); refuse to replace an existing file.

    Why refuse: a replaced key makes every sealed value of the database unreadable for good.
    """
    text = KEY_PREFIX + base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii") + "\n"
    _create_private(path, text, "The team key file")


def _create_private(path: Path, text: str, what: str) -> None:
    """Write ``text`` to a new file at ``path``, mode 0600, synced; refuse to replace one."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise TeamKeyError(f"{what} {path} exists already; it was not replaced.") from None
    except OSError as exc:
        raise TeamKeyError(f"{what} {path} could not be created ({exc.strerror}).") from None
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    fsync_directory(path.parent)


def _read_private(path: Path, what: str) -> str:
    """The text of a key file that only its owner may read or change; :class:`TeamKeyError` otherwise."""
    try:
        info = os.stat(path)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TeamKeyError(f"There is no {what.lower().removeprefix('the ')} at {path}.") from None
    except OSError as exc:
        raise TeamKeyError(f"{what} {path} cannot be read ({exc.strerror}).") from None
    if info.st_mode & 0o077:
        raise TeamKeyError(
            f"{what} {path} may be read or changed by other users "
            f"(mode {stat.filemode(info.st_mode)}); make it private with chmod 600."
        )
    return raw.decode("ascii", errors="replace").strip()


def read_key_file(path: Path) -> TeamKeys:
    """The keys in the team key file at ``path``; :class:`TeamKeyError` saying what is wrong with it."""
    text = _read_private(path, "The team key file")
    if not text.startswith(KEY_PREFIX):
        raise TeamKeyError(f"The file {path} is not an Amparo team key file.")
    try:
        key = base64.urlsafe_b64decode(text[len(KEY_PREFIX) :].encode("ascii"))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise TeamKeyError(f"The team key file {path} is damaged: it does not hold a {KEY_BYTES * 8}-bit key.")
    return TeamKeys(key)


def age_identity_path(environ: Mapping[str, str] = os.environ) -> Path | None:
    """Where the team's age identity is kept: ``AMPARO_TEAM_AGE_IDENTITY_FILE``, else beside the team key file.

    None when neither variable is set. Like the team key, it is kept outside the database.
    """
    named = environ.get(ENV_AGE_FILE, "")
    if named:
        return Path(named)
    key_file = environ.get(ENV_KEY_FILE, "")
    return Path(key_file).with_name(AGE_FILE_NAME) if key_file else None


def create_age_identity_file(path: Path) -> str:
    """Write a new age X25519 identity to ``path`` (mode 0600; never replacing a file); return its public key.

    The file is a standard age identity file (``age -d -i FILE`` opens what was sealed to the team).
    """
    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    _create_private(
        path, f"# Amparo team: case transfers\n# public key: {public}\n{identity}\n", "The team's age identity file"
    )
    return public


def read_age_identity_file(path: Path) -> tuple[str, str]:
    """The team's age identity file: its text (for :func:`amparo.casebook.transfer.open_sealed`) and public key."""
    text = _read_private(path, "The team's age identity file")
    try:
        identities = parse_identities(text)
    except InvalidAgeKey:
        raise TeamKeyError(f"The file {path} is not an age identity file.") from None
    return text, str(identities[0].to_public())


class TeamKeys:
    """The field and index keys derived from one team key."""

    def __init__(self, key: bytes) -> None:
        self.fields = FieldCipher(_derive(key, b"amparo team: personal fields, AES-256-GCM, v1"))
        self._index_key = _derive(key, b"amparo team: search tokens, HMAC-SHA256, v1")
        self.sessions = FieldCipher(_derive(key, b"amparo team: login sessions, AES-256-GCM, v1"))

    def token(self, word: str) -> bytes:
        """The search index's token for a normalised word: equal words give equal tokens, nothing else does."""
        mac = hmac.HMAC(self._index_key, hashes.SHA256())
        mac.update(word.encode("utf-8"))
        return mac.finalize()[:TOKEN_BYTES]

    def __repr__(self) -> str:
        return "TeamKeys(<not shown>)"


def _derive(key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(key)


class FieldCipher:
    """AES-256-GCM over one value, bound to its table, column and record."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, table: str, column: str, record_id: str, value: object) -> bytes:
        """``value`` (text, a number or None) as stored: format byte, nonce, ciphertext and tag."""
        plain = json.dumps(value, ensure_ascii=False).encode("utf-8")
        plain += b" " * (-len(plain) % PAD_TO)  # JSON ignores trailing white space
        nonce = secrets.token_bytes(NONCE_BYTES)
        return FORMAT + nonce + self._aead.encrypt(nonce, plain, _associated(table, column, record_id))

    def open(self, table: str, column: str, record_id: str, sealed: bytes) -> object:
        """The value :meth:`seal` sealed; :class:`CasebookDamaged` if it was altered or moved from elsewhere."""
        data = bytes(sealed)
        if data[:1] != FORMAT or len(data) < 1 + NONCE_BYTES + 16:
            raise _damaged()
        try:
            plain = self._aead.decrypt(
                data[1 : 1 + NONCE_BYTES], data[1 + NONCE_BYTES :], _associated(table, column, record_id)
            )
        except InvalidTag:
            raise _damaged() from None
        text = plain.decode("utf-8")
        if text[:1] == '"' and "\\" not in text:  # a string with nothing escaped: most values, read by the thousand
            text = text.rstrip(" ")
            if text[-1:] == '"' and len(text) > 1 and '"' not in text[1:-1]:
                return text[1:-1]
        return json.loads(text)

    def __repr__(self) -> str:
        return "FieldCipher(<not shown>)"


def _associated(table: str, column: str, record_id: str) -> bytes:
    return "\0".join(("amparo-team-1", table, column, record_id)).encode("utf-8")


def _damaged() -> CasebookDamaged:
    return CasebookDamaged(
        "A value in the team database failed its integrity check: it was altered, or moved from another record."
    )
