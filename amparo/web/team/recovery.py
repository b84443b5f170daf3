"""Recovery codes kept as hashes only: scrypt (Python's hashlib, OpenSSL's) with a salt of each member's own.

A code is 10 random base32 characters (50 bits), shown once when it is made. The database keeps,
per member, a random salt and, per code, ``scrypt(code, salt)``: a stolen database gives no code,
and guessing one from its hash costs an scrypt of 16 MiB per try (docs/team.md). One hash per login attempt
(the codes of a member share the salt) is compared with every stored one in constant time.
Not keyed with the server's secret: the codes survive a change of AMPARO_SECRET_KEY.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import b32encode

CODE_LENGTH = 10
# Codes from before hashing (django-otp's StaticToken, 8 characters) are hashed by migration 0002 and still work.
ACCEPTED_LENGTHS = (8, CODE_LENGTH)
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # 16 MiB per hash: RFC 7914's parameters for interactive logins


def new_salt() -> str:
    return secrets.token_hex(16)


def new_code() -> str:
    return b32encode(secrets.token_bytes(7)).decode("ascii").lower()[:CODE_LENGTH]


def code_hash(code: str, salt: str) -> str:
    digest = hashlib.scrypt(
        code.encode("utf-8"), salt=bytes.fromhex(salt), n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return digest.hex()


def looks_like_a_code(code: str) -> bool:
    return len(code) in ACCEPTED_LENGTHS


def matching(code: str, salt: str, hashes: list[str]) -> int | None:
    """The index of the stored hash that ``code`` gives, else None; every hash is compared, each in constant time."""
    if not looks_like_a_code(code):  # a six-digit app code, or nothing: no scrypt spent on it
        return None
    typed = code_hash(code, salt)
    found = None
    for index, stored in enumerate(hashes):
        if hmac.compare_digest(typed, stored):
            found = index
    return found
