"""The casebook header: how to derive the key, never the key.

``casebook.json`` holds the format version, the Argon2id parameters and salt,
the count of consecutive failed unlocks (so a restart does not reset the
growing delay) and, only during a passphrase change, the pending new
parameters and salt. Nothing in it is secret: without the passphrase it is
useless, and destroying it (the salt) makes the database unrecoverable, which
is what the panic wipe relies on.

It is written atomically (temporary file, fsync, rename, fsync of the
directory) with mode 0600, so a crash leaves the old or the new header, never
half of one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from amparo.casebook.errors import CasebookDamaged, CasebookMissing
from amparo.casebook.keys import KDF, SALT_BYTES
from amparo.files import write_atomic

FORMAT = "amparo-casebook"
VERSION = 1
ARGON2_VERSION = 19  # 0x13, the only version argon2-cffi produces


@dataclass(frozen=True)
class KeySpec:
    """Everything needed, with the passphrase, to derive one key."""

    kdf: KDF
    salt: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "algorithm": "argon2id",
            "version": ARGON2_VERSION,
            "time_cost": self.kdf.time_cost,
            "memory_kib": self.kdf.memory_kib,
            "parallelism": self.kdf.parallelism,
            "salt": self.salt.hex(),
        }

    @classmethod
    def from_json(cls, data: Any) -> KeySpec:
        if not isinstance(data, dict) or data.get("algorithm") != "argon2id" or data.get("version") != ARGON2_VERSION:
            raise ValueError("unknown KDF")
        kdf = KDF(time_cost=data["time_cost"], memory_kib=data["memory_kib"], parallelism=data["parallelism"])
        salt = bytes.fromhex(data["salt"])
        if len(salt) != SALT_BYTES:
            raise ValueError("bad salt")
        return cls(kdf, salt)


@dataclass(frozen=True)
class Header:
    key: KeySpec
    failures: int = 0
    pending: KeySpec | None = None

    def with_failures(self, failures: int) -> Header:
        return replace(self, failures=failures)

    def to_bytes(self) -> bytes:
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "kdf": self.key.to_json(),
            "failures": self.failures,
        }
        if self.pending is not None:
            data["pending_kdf"] = self.pending.to_json()
        return json.dumps(data, indent=2, sort_keys=True).encode("ascii") + b"\n"

    @classmethod
    def from_bytes(cls, raw: bytes) -> Header:
        try:
            data = json.loads(raw.decode("ascii"))
            if data["format"] != FORMAT or data["version"] != VERSION:
                raise ValueError("unknown format")
            failures = data["failures"]
            if type(failures) is not int or failures < 0:
                raise ValueError("bad failure count")
            pending = KeySpec.from_json(data["pending_kdf"]) if "pending_kdf" in data else None
            return cls(KeySpec.from_json(data["kdf"]), failures, pending)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise CasebookDamaged("The casebook header is damaged; the casebook cannot be opened.") from None


def read_header(path: Path) -> Header:
    """Read and validate the header; :class:`CasebookMissing` if absent, :class:`CasebookDamaged` if unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CasebookMissing() from None
    return Header.from_bytes(raw)


def write_header(path: Path, header: Header) -> None:
    write_atomic(path, header.to_bytes(), mode=0o600)  # private: it holds the salt
