"""Moving a case between casebooks: the case, all its records and its consents, as one age-sealed JSON file.

A defender moves a case from their own casebook to their NGO's team, or back, with their consent
(docs/casebook.md, "Moving a case"). The file is JSON sealed with age (:mod:`amparo.casebook.archive`)
to one or more X25519 recipients (the team's public key, the defender's own) or to a passphrase, so
``age -d`` opens it without Amparo. Inside::

    {"format": "amparo-case-transfer", "version": 1, "id": <32 hex digits>, "created": <UTC time>,
     "case": {<the case's fields>},
     "records": {"incident": [...], "engagement": [...], "request": [...], "follow-up": [...],
                 "risk": [...], "consent": [...]}}

Each record has exactly its dataclass's fields (:mod:`amparo.casebook.records`). Among the consents
is the one for this move: its ``transfer_id`` is the file's ``id``; a file without it is refused.

Reading one back (:func:`open_sealed`, :func:`parse`) treats the file as hostile: the sizes are
checked before decryption and before JSON parsing (and the number of JSON containers, so a file of
millions of empty lists is refused before it is built), then every field against its kind's type,
vocabulary and length. Ids are checked for shape only: they are untrusted, and the importer gives
every record a new one (:meth:`amparo.casebook.repository.Casebook.import_case`). Every failure is a
:class:`~amparo.casebook.errors.TransferInvalid` (or subclass) whose message names a record by kind
and position, never by content. Nothing here touches the disk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import secrets
import typing
from dataclasses import dataclass

from amparo.casebook import archive
from amparo.casebook.errors import (
    BackupDamaged,
    BackupInvalid,
    BackupKeyMismatch,
    ConsentInvalid,
    ConsentMissing,
    TransferDamaged,
    TransferInvalid,
    TransferKeyMismatch,
)
from amparo.casebook.mapping import field_types
from amparo.casebook.records import (
    ACTOR_KINDS,
    CASE_RECORD_KINDS,
    CHANNELS,
    CONSENT_MEANS,
    CONSENT_PURPOSES,
    CONSENT_RELATIONS,
    KINDS,
    MOVES,
    REQUEST_STATUSES,
    Case,
    Consent,
    FollowUp,
    Record,
    columns,
)

FORMAT = "amparo-case-transfer"
VERSION = 1
MAX_SEALED_BYTES = 16 * 1024**2  # one case is text: a long one is a few MiB
MAX_PLAIN_BYTES = MAX_SEALED_BYTES
MAX_CONTAINERS = 100_000  # "{" and "[" in the file (in strings too: an upper bound) before json builds them
MAX_RECORDS = 20_000  # of every kind together
MAX_CODES = 100  # support types of one engagement or request
EARLIEST, LATEST = dt.date(1950, 1, 1), dt.date(2100, 12, 31)  # as the casebook's forms allow
RECORD_ID = re.compile(r"[0-9a-f]{16}")
TRANSFER_ID = re.compile(r"[0-9a-f]{32}")
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}")  # a dataset id: a country, threat, issuer, mission...
SHORT, LONG = 200, 10_000
TEXT_LIMITS = {"pseudonym": SHORT, "place": SHORT, "roles": SHORT, "agreed_by": SHORT, "recipient": SHORT, "what": 1000}
REQUIRED = frozenset({"pseudonym", "subject", "threat", "issuer", "what", "agreed_by"})
CODES = frozenset({"subject", "country", "field", "threat", "issuer", "mission"})
WORDS = {
    "actor_kind": ACTOR_KINDS,
    "channel": CHANNELS,
    "status": REQUEST_STATUSES,
    "relation": CONSENT_RELATIONS,
    "purpose": CONSENT_PURPOSES,
    "means": CONSENT_MEANS,
}
# Control characters but tab and line breaks, and lone surrogates (not UTF-8 at all): no form lets them in.
UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
STAMPS = frozenset({"created_at", "updated_at"})
RATING = range(1, 6)


@dataclass(frozen=True)
class Transfer:
    """One case on its way: the file's id and creation time, the case, and its records by kind."""

    id: str
    created: str  # UTC, e.g. 2026-12-04T01:30:00Z
    case: Case
    records: dict[str, tuple[Record, ...]]  # every kind of CASE_RECORD_KINDS, consents included

    @property
    def consent(self) -> Consent | None:
        """The consent for the move this file makes (the latest, should there be several)."""
        found = [c for c in self.consents if c.transfer_id == self.id and c.purpose in MOVES]
        return max(found, key=lambda c: (c.given_on, c.created_at)) if found else None

    @property
    def consents(self) -> tuple[Consent, ...]:
        return typing.cast(tuple[Consent, ...], self.records.get("consent", ()))

    def counts(self) -> dict[str, int]:
        return {kind: len(self.records.get(kind, ())) for kind in CASE_RECORD_KINDS}


def receipt(received_by: str, relation: str, on: dt.date) -> Consent:
    """The consent record an import leaves in the case: received on ``on``, by whom, with the transfer file."""
    return Consent("", on, received_by, relation, "received", "", "transfer-file")


def check_consent(consent: Consent) -> None:
    """:class:`ConsentInvalid` unless ``consent`` is one a file may carry: typed at the command line, a consent
    too long or dated 1900 would be recorded, and its file then refused wherever it goes."""
    hints = field_types(Consent)
    for name in ("given_on", "agreed_by", "relation", "purpose", "recipient", "means", "notes", "transfer_id"):
        value = getattr(consent, name)
        try:
            _value(name, hints[name], value.isoformat() if isinstance(value, dt.date) else value)
        except ValueError as exc:
            raise ConsentInvalid(f"The consent was not recorded: {exc}.") from None


def new_transfer_id() -> str:
    return secrets.token_hex(16)


def utc_today() -> dt.date:
    """Today in UTC, the calendar every date the casebook keeps by itself uses (its records' created_at are
    UTC, the site's "today" too): a consent dated on a computer at UTC+14 must not fall on tomorrow."""
    return dt.datetime.now(dt.UTC).date()


def utc_stamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def dump(moved: Transfer) -> bytes:
    """The transfer as the JSON a file holds (before sealing)."""
    body = {
        "format": FORMAT,
        "version": VERSION,
        "id": moved.id,
        "created": moved.created,
        "case": dataclasses.asdict(moved.case),
        "records": {kind: [dataclasses.asdict(r) for r in moved.records.get(kind, ())] for kind in CASE_RECORD_KINDS},
    }
    return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True, default=_plain).encode("utf-8") + b"\n"


def seal(moved: Transfer, *, recipients: list[str] | None = None, passphrase: str | None = None) -> bytes:
    """The transfer file: :func:`dump` sealed with age to ``recipients`` (age1…) or ``passphrase``, one of them."""
    keys = archive.parse_recipients(recipients) if recipients is not None else None
    return archive.seal(dump(moved), passphrase=passphrase, recipients=keys)


def open_sealed(sealed: bytes, *, identity: str | None = None, passphrase: str = "") -> Transfer:
    """Decrypt a transfer file with the ``identity`` file's keys or ``passphrase``, and :func:`parse` it."""
    if len(sealed) > MAX_SEALED_BYTES:
        raise TransferInvalid(
            "This file is too large to be a case transfer (the limit is 16 MiB); nothing was imported."
        )
    try:
        plain = archive.unseal(sealed, passphrase=passphrase, identity=identity)
    except BackupKeyMismatch:
        raise TransferKeyMismatch() from None
    except BackupDamaged:
        raise TransferDamaged() from None
    except BackupInvalid:
        raise TransferInvalid() from None
    return parse(plain)


def parse(plain: bytes) -> Transfer:
    """The transfer in a decrypted file, checked field by field; :class:`TransferInvalid` saying what is wrong."""
    if len(plain) > MAX_PLAIN_BYTES:
        raise TransferInvalid(
            "This file is too large to be a case transfer (the limit is 16 MiB); nothing was imported."
        )
    if plain.count(b"{") + plain.count(b"[") > MAX_CONTAINERS:
        raise TransferInvalid("This file holds far more structure than a case has; nothing was imported.")
    try:
        data = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested thousands of levels deep
        raise TransferInvalid() from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TransferInvalid()
    version = data.get("version")
    if type(version) is int and version > VERSION:
        raise TransferInvalid("This file was made by a newer Amparo; update Amparo to import it.")
    top = _fields(data, ("format", "version", "id", "created", "case", "records"), "The file")
    if version != VERSION or not isinstance(top["id"], str) or not TRANSFER_ID.fullmatch(top["id"]):
        raise TransferInvalid()
    if not _is_stamp(top["created"]):
        raise TransferInvalid("The file's creation time is not a date and time; nothing was imported.")
    created = top["created"]
    case = _record(Case, top["case"], "The case")
    listed = _fields(top["records"], CASE_RECORD_KINDS, "The list of records")
    seen, total, records = {case.id}, 0, {}
    for kind in CASE_RECORD_KINDS:
        items = listed[kind]
        if not isinstance(items, list):
            raise TransferInvalid(f"The {kind} records are not a list; nothing was imported.")
        total += len(items)
        if total > MAX_RECORDS:
            raise TransferInvalid(f"This file holds more than {MAX_RECORDS} records; nothing was imported.")
        parsed = []
        for number, item in enumerate(items, start=1):
            where = f"The {kind} record {number}"
            record = _record(KINDS[kind][0], item, where)
            if record.case_id != case.id:
                raise TransferInvalid(f"{where} belongs to another case; nothing was imported.")
            if record.id in seen:
                raise TransferInvalid(f"{where} has the id of another record; nothing was imported.")
            seen.add(record.id)
            parsed.append(record)
        records[kind] = tuple(parsed)
    requests = {r.id for r in records["request"]}
    for number, follow_up in enumerate(typing.cast(tuple[FollowUp, ...], records["follow-up"]), start=1):
        if follow_up.request_id and follow_up.request_id not in requests:
            raise TransferInvalid(
                f"The follow-up record {number} is about a request that is not in this case; nothing was imported."
            )
    moved = Transfer(top["id"], created, case, records)
    if moved.consent is None:
        raise ConsentMissing()
    return moved


def _fields(value: object, names: typing.Iterable[str], where: str) -> dict[str, typing.Any]:
    wanted = set(names)
    if not isinstance(value, dict) or set(value) != wanted:
        raise TransferInvalid(f"{where} does not have the fields Amparo expects; nothing was imported.")
    return value


def _record(cls: type, value: object, where: str) -> typing.Any:
    given = _fields(value, columns(cls), where)
    hints = field_types(cls)
    try:
        return cls(**{name: _value(name, hints[name], given[name]) for name in columns(cls)})
    except ValueError as exc:
        raise TransferInvalid(f"{where}: {exc}; nothing was imported.") from None


def _value(name: str, hint: object, value: object) -> object:
    """One field's value from the file, or ValueError saying what is wrong with it (never quoting it)."""
    if hint is bool:
        if type(value) is not bool:
            raise ValueError(f"{name} is not true or false")
        return value
    if hint is int:
        if type(value) is not int or value not in RATING:
            raise ValueError(f"{name} is not a rating from 1 to 5")
        return value
    if hint in (dt.date, dt.date | None):
        if value is None and hint != dt.date:
            return None
        return _date(name, value)
    if typing.get_origin(hint) is tuple:
        if not isinstance(value, list) or len(value) > MAX_CODES:
            raise ValueError(f"{name} is not a list of codes")
        return tuple(_code(name, v) for v in value)
    if not isinstance(value, str):
        raise ValueError(f"{name} is not text")
    return _text(name, value)


def _text(name: str, value: str) -> str:
    if name in ("id", "case_id") or (name == "request_id" and value):
        if not RECORD_ID.fullmatch(value):
            raise ValueError(f"{name} is not a record id")
        return value
    if name == "transfer_id" and value and not TRANSFER_ID.fullmatch(value):
        raise ValueError(f"{name} is not a transfer id")
    if name in STAMPS:
        if not _is_stamp(value):
            raise ValueError(f"{name} is not a date and time")
        return value
    if name in WORDS and value not in WORDS[name]:
        raise ValueError(f"{name} is not one of Amparo's words for it")
    if name in CODES and value:
        return _code(name, value)
    if name in REQUIRED and not value.strip():
        raise ValueError(f"{name} is empty")
    if len(value) > TEXT_LIMITS.get(name, LONG):
        raise ValueError(f"{name} is longer than {TEXT_LIMITS.get(name, LONG)} characters")
    if UNSHOWABLE.search(value):
        raise ValueError(f"{name} holds control characters")
    return value


def _code(name: str, value: object) -> str:
    if not isinstance(value, str) or not CODE.fullmatch(value):
        raise ValueError(f"{name} is not a code")
    return value


def _date(name: str, value: object) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= LATEST:
        raise ValueError(f"{name} is not a date between 1950 and 2100")
    return day


def _is_stamp(value: object) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
