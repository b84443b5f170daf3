"""A transfer file is hostile input: each malformed, altered or oversized file is a clear TransferInvalid (with
the record named by kind and number, never by content), and a refused import writes nothing."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyrage import x25519

from amparo.casebook import transfer as transfer_module
from amparo.casebook.errors import ConsentMissing, TransferDamaged, TransferInvalid, TransferKeyMismatch
from amparo.casebook.transfer import Transfer, open_sealed, parse, seal
from tests.casebook.test_transfer import DEFENDER, consent_to, full_case, local_book, receipt

# -- hostile files --------------------------------------------------------------------------------------


@pytest.fixture
def good(tmp_path: Path) -> Transfer:
    book = local_book(tmp_path, "source")
    case = full_case(book)
    return book.move_out(DEFENDER, case.id, dataclasses.replace(consent_to("move-to-team"), transfer_id="c" * 32))


def body(moved: Transfer) -> dict:
    return json.loads(transfer_module.dump(moved))


def again(data: object) -> bytes:
    return json.dumps(data).encode()


def broken(good: Transfer, change: Callable[[dict], object]) -> bytes:
    data = body(good)
    result = change(data)
    return again(data if result is None else result)


HOSTILE: dict[str, Callable[[dict], object]] = {
    "unknown field": lambda d: d["case"].update(secret="x"),
    "missing field": lambda d: d["records"]["incident"][0].pop("place"),
    "unknown kind": lambda d: d["records"].update(letter=[]),
    "wrong type": lambda d: d["records"]["risk"][0].update(threats="4"),
    "rating out of range": lambda d: d["records"]["risk"][0].update(threats=9),
    "bool as int": lambda d: d["case"].update(closed=1),
    "bad date": lambda d: d["records"]["incident"][0].update(occurred_on="2026-02-30"),
    "date out of range": lambda d: d["records"]["incident"][0].update(occurred_on="0001-01-01"),
    "overlong pseudonym": lambda d: d["case"].update(pseudonym="x" * 201),
    "overlong notes": lambda d: d["case"].update(notes="x" * 10_001),
    "empty pseudonym": lambda d: d["case"].update(pseudonym="  "),
    "control characters": lambda d: d["case"].update(notes="a\x00b"),
    "lone surrogate": lambda d: d["case"].update(notes="\ud800"),
    "unknown word": lambda d: d["records"]["request"][0].update(status="won"),
    "path-like id": lambda d: d["records"]["incident"][0].update(id="../../etc/passwd"),
    "path-like code": lambda d: d["case"].update(country="../HN"),
    "duplicate ids": lambda d: d["records"]["risk"][0].update(id=d["records"]["incident"][0]["id"]),
    "record of another case": lambda d: d["records"]["incident"][0].update(case_id="0" * 16),
    "follow-up to a request outside the case": lambda d: d["records"]["follow-up"][0].update(request_id="0" * 16),
    "no consent for the move": lambda d: d["records"].update(consent=[]),
    "consent for another file": lambda d: d["records"]["consent"][0].update(transfer_id="d" * 32),
    "bad transfer id": lambda d: d.update(id="c" * 31),
    "bad time": lambda d: d.update(created="yesterday"),
    "other format": lambda d: d.update(format="amparo-casebook-backup"),
    "newer version": lambda d: d.update(version=2),
    "records not a list": lambda d: d["records"].update(incident={}),
    "not an object": lambda d: [d],
    "too many records": lambda d: d["records"].update(
        risk=[dict(d["records"]["risk"][0], id=f"{n:016x}") for n in range(20_001)]
    ),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_each_hostile_file_is_a_clear_error(good: Transfer, name: str) -> None:
    with pytest.raises(TransferInvalid) as raised:
        parse(broken(good, HOSTILE[name]))
    message = str(raised.value)
    assert "nothing was imported" in message or "update Amparo" in message
    assert "River" not in message and "passwd" not in message  # a record is named by kind and number only
    if name.startswith("no consent") or name.startswith("consent for another"):
        assert isinstance(raised.value, ConsentMissing)


@pytest.mark.parametrize(
    "plain",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[" * 100_000 + b"]" * 100_000,  # deeper than json recurses
        b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b"[" + b"[]," * 120_000 + b"[]]",  # a JSON bomb of width: refused before it is built
        b'{"format": "amparo-case-transfer", "version": ' + b"9" * 5000 + b"}",
        b" " * (transfer_module.MAX_PLAIN_BYTES + 1),
    ],
)
def test_malformed_json_is_a_clear_error(plain: bytes) -> None:
    with pytest.raises(TransferInvalid):
        parse(plain)


def test_sealed_files_that_are_cut_short_altered_for_another_key_or_not_age_are_refused(good: Transfer) -> None:
    key, other = x25519.Identity.generate(), x25519.Identity.generate()
    sealed = seal(good, recipients=[str(key.to_public())])
    assert open_sealed(sealed, identity=str(key)) == good
    with pytest.raises(TransferKeyMismatch):
        open_sealed(sealed, identity=str(other))
    with pytest.raises(TransferKeyMismatch):
        open_sealed(sealed, passphrase="a long enough passphrase")  # made for a key, not a passphrase
    with pytest.raises(TransferDamaged):
        open_sealed(sealed[:-20], identity=str(key))
    flipped = bytearray(sealed)
    flipped[-5] ^= 1
    with pytest.raises(TransferDamaged):
        open_sealed(bytes(flipped), identity=str(key))
    for junk in (b"", b"PK\x03\x04 a zip", transfer_module.dump(good)):
        with pytest.raises(TransferInvalid):
            open_sealed(junk, identity=str(key))
    with pytest.raises(TransferInvalid, match="too large"):
        open_sealed(b"age-encryption.org/v1\n" + b"x" * transfer_module.MAX_SEALED_BYTES, identity=str(key))


def test_a_refused_import_writes_nothing(tmp_path: Path, good: Transfer) -> None:
    book = local_book(tmp_path, "target")
    faulty = dataclasses.replace(good.records["request"][0], id="e" * 16, status="won")  # the database refuses it
    mixed = dataclasses.replace(good, records={**good.records, "request": (*good.records["request"], faulty)})
    with pytest.raises(sqlcipher3.IntegrityError):  # a fault halfway through: the case and incidents were written
        book.import_case(DEFENDER, mixed, receipt())
    assert book.cases(DEFENDER).total == 0
    assert {e.action for e in book.audit(DEFENDER, limit=10_000)} == {"read"}  # no create, no import


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value: the keys and indexes that lead to it."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), replacement=json_values)
def test_any_change_to_a_file_is_read_or_refused_never_an_error(good: Transfer, data, replacement) -> None:
    """Whatever one value of a sound file becomes, reading it gives the transfer or a TransferInvalid: never a
    crash (the web's "never a 500")."""
    body_of_file = body(good)
    places = _paths(body_of_file)
    where = data.draw(st.sampled_from(places[1:]))
    target = body_of_file
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = replacement
    with contextlib.suppress(TransferInvalid):
        parse(again(body_of_file))
