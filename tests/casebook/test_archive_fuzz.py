"""The backup archive reader against hostile files (issue 10, hole 4): only calm, documented errors.

A restore upload is anyone's bytes on a fresh install. Whatever they are, reading them
raises one of the backup errors the site turns into a 4xx page, never anything else.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import tarfile
import time

import pyrage
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.casebook.archive import MANIFEST_NAME, MAX_SCRYPT_WORK_FACTOR, pack, seal, unpack, unseal
from amparo.casebook.errors import BackupDamaged, BackupInvalid, BackupKeyMismatch
from amparo.casebook.vault import DB_NAME, HEADER_NAME

CALM = (BackupInvalid, BackupDamaged, BackupKeyMismatch)
HEADER, DB = b'{"format": "amparo-casebook"}\n', b"\x00ciphertext" * 100


def tar_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_a_manifest_nested_ten_thousand_levels_deep_is_refused_calmly() -> None:
    """The attack as reported: json's recursion raised an uncaught RecursionError (a 500)."""
    nested = b"[" * 10_000 + b"]" * 10_000
    with pytest.raises(BackupInvalid):
        unpack(tar_of({MANIFEST_NAME: nested[:60_000], HEADER_NAME: HEADER, DB_NAME: DB}))
    deep_object = b'{"a":' * 10_000 + b"1" + b"}" * 10_000
    with pytest.raises(BackupInvalid):
        unpack(tar_of({MANIFEST_NAME: deep_object[:65_000], HEADER_NAME: HEADER, DB_NAME: DB}))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_any_bytes_as_a_tar(raw: bytes) -> None:
    with contextlib.suppress(CALM):
        unpack(raw)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=30,
    )
)
def test_any_json_as_the_manifest(manifest: object) -> None:
    with contextlib.suppress(CALM):
        unpack(tar_of({MANIFEST_NAME: json.dumps(manifest).encode(), HEADER_NAME: HEADER, DB_NAME: DB}))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_valid_archive_with_bytes_changed(data: st.DataObject) -> None:
    raw = bytearray(pack(HEADER, DB))
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    try:
        header, db = unpack(bytes(raw[:cut] if data.draw(st.booleans()) else raw))
    except CALM:
        return
    assert hashlib.sha256(db).digest() == hashlib.sha256(DB).digest() and header == HEADER


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=2048), st.sampled_from([b"", b"age-encryption.org/v1\n", b"age-encryption.org/v1\n-> scrypt "])
)
def test_any_bytes_as_an_age_file(tail: bytes, head: bytes) -> None:
    with contextlib.suppress(CALM):
        unseal(head + tail, passphrase="correct horse battery staple")


def raised_work_factor(sealed: bytes, factor: int) -> bytes:
    head, rest = sealed.split(b"\n", 2)[:2], sealed.split(b"\n", 2)[2]
    stanza = head[1].rsplit(b" ", 1)[0] + b" " + str(factor).encode()
    return head[0] + b"\n" + stanza + b"\n" + rest


def test_a_raised_scrypt_work_factor_is_refused_before_any_work() -> None:
    """Issue 10, hole 3: work factor 22 cost 22-52 s of CPU per upload."""
    sealed = pyrage.passphrase.encrypt(b"anything", "correct horse battery staple")
    for factor in (21, 22, 40, 99):
        hostile = raised_work_factor(sealed, factor)
        started = time.monotonic()
        with pytest.raises(BackupInvalid):
            unseal(hostile, passphrase="correct horse battery staple")
        assert time.monotonic() - started < 0.2
    for broken in (b"-> scrypt c2FsdA", b"-> scrypt c2FsdA x", b"-> scrypt c2FsdA 123"):
        with pytest.raises(BackupInvalid):
            unseal(sealed.replace(sealed.split(b"\n")[1], broken), passphrase="x" * 12)


def test_our_own_passphrase_backups_stay_within_the_bound() -> None:
    sealed = seal(b"a backup", passphrase="correct horse battery staple")
    factor = int(sealed.split(b"\n")[1].rsplit(b" ", 1)[1])
    assert 18 <= factor <= MAX_SCRYPT_WORK_FACTOR
    assert unseal(sealed, passphrase="correct horse battery staple") == b"a backup"
