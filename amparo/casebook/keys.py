"""Passphrase rules and key derivation: the only path from what a person types to the key.

Why Argon2id with a raw key: SQLCipher's own KDF is PBKDF2, which GPUs break
cheaply; Argon2id is memory-hard. We derive the 32-byte key ourselves and hand
it to SQLCipher as a raw key (``x'…'``), so SQLCipher does not stretch it again.

Passphrase rules (the same for creating and, minus the minimum, for unlocking):

* text is normalised to Unicode NFC first, so the same passphrase typed on
  two systems (composed or decomposed accents) gives the same key;
* length is counted in Unicode code points after NFC: at least
  :data:`MIN_CHARS`, at most :data:`MAX_CHARS` (a cap against hashing DoS);
* control characters (category Cc: NUL, tab, line breaks, …) are refused:
  a browser field cannot carry them, so a passphrase containing one could be
  set from code but never typed to unlock. NUL in particular is refused;
* lone surrogates are refused (they cannot be encoded as UTF-8).
"""

from __future__ import annotations

import contextlib
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw

from amparo.casebook.errors import CasebookBusy, WeakPassphrase

MIN_CHARS = 12
MAX_CHARS = 1024
KEY_BYTES = 32
SALT_BYTES = 16
_MAX_MEMORY_KIB = 4 * 1024 * 1024  # 4 GiB: a damaged or hostile header must not exhaust memory
_DERIVING = threading.Lock()  # one passphrase derivation at a time in this process; see derivation_slot


@dataclass(frozen=True)
class KDF:
    """Argon2id cost parameters.

    The defaults are RFC 9106's second recommended option (t=3, m=64 MiB, p=4).
    Tests pass tiny values to run fast; the header records the parameters each
    casebook was created with, so unlocking always uses those.
    """

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4

    def __post_init__(self) -> None:
        for name in ("time_cost", "memory_kib", "parallelism"):
            value = getattr(self, name)
            if type(value) is not int:
                raise ValueError(f"KDF {name} must be an integer")
        if not 1 <= self.time_cost <= 100:
            raise ValueError("KDF time_cost must be between 1 and 100")
        if not 1 <= self.parallelism <= 64:
            raise ValueError("KDF parallelism must be between 1 and 64")
        if not 8 * self.parallelism <= self.memory_kib <= _MAX_MEMORY_KIB:
            raise ValueError("KDF memory_kib must be between 8 × parallelism and 4 GiB")


def encode_passphrase(passphrase: str, *, new: bool) -> bytes:
    """Apply the rules above and return the UTF-8 bytes to hash; raise :class:`WeakPassphrase`.

    With ``new=False`` (unlocking) the minimum length is not enforced, so that a
    later change of the minimum never locks anyone out of an existing casebook.
    """
    if not isinstance(passphrase, str):
        raise WeakPassphrase("The passphrase must be text.")
    if len(passphrase) > 4 * MAX_CHARS:  # cheap cut before normalising huge input
        raise WeakPassphrase(f"The passphrase must be at most {MAX_CHARS} characters.")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in passphrase):
        raise WeakPassphrase("The passphrase must not contain control characters (such as tabs or line breaks).")
    text = unicodedata.normalize("NFC", passphrase)
    if len(text) > MAX_CHARS:
        raise WeakPassphrase(f"The passphrase must be at most {MAX_CHARS} characters.")
    if new and len(text) < MIN_CHARS:
        raise WeakPassphrase(f"The passphrase must be at least {MIN_CHARS} characters.")
    return text.encode("utf-8")


def derive_key(secret: bytes, salt: bytes, kdf: KDF) -> bytearray:
    """Argon2id(secret, salt) → a 32-byte key, in a bytearray so :func:`zero` can wipe it.

    Limits, honestly: argon2-cffi returns an immutable ``bytes`` that we copy and
    drop; it stays in freed memory until reused, as does the passphrase ``str``.
    Python offers no reliable way to scrub those. Zeroing the bytearray shortens
    the key's life in memory; it is not a guarantee.
    """
    with derivation_slot():
        raw = hash_secret_raw(secret, salt, kdf.time_cost, kdf.memory_kib, kdf.parallelism, KEY_BYTES, Type.ID)
    return bytearray(raw)


@contextlib.contextmanager
def derivation_slot() -> Iterator[None]:
    """Hold the process's one slot for a costly key derivation, or raise :class:`CasebookBusy` at once.

    Why never wait: each derivation costs a core and up to a GiB for a second
    or more; requests queued behind one another would each hold a server
    thread, and four of them would take every thread the site has. Argon2id
    here and a backup's scrypt (:mod:`amparo.casebook.archive`) share it.
    """
    if not _DERIVING.acquire(blocking=False):
        raise CasebookBusy()
    try:
        yield
    finally:
        _DERIVING.release()


def zero(buffer: bytearray) -> None:
    """Overwrite ``buffer`` in place with zeros (same object, same length)."""
    buffer[:] = bytes(len(buffer))


def raw_key_pragma(statement: str, key: bytearray) -> str:
    """``PRAGMA key``/``rekey`` with a raw 256-bit key, which SQLCipher uses as is (no KDF).

    The SQL text is a ``str`` copy of the key that cannot be zeroed; it lives
    only for the call. sqlcipher3 offers no other way to pass a key.
    """
    if statement not in ("key", "rekey") or len(key) != KEY_BYTES:
        raise ValueError("bad key pragma")
    return f"PRAGMA {statement} = \"x'{key.hex()}'\""
