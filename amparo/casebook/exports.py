"""Exports of casebook records: JSON and CSV for reports, iCalendar for follow-ups.

Exports are plaintext by nature: they leave the encrypted casebook because the
person asked for them. They are built in memory and handed to the caller (a
download, or a file the CLI writes atomically); nothing here touches the disk.

Each code a record stores (a country, an issuer, a mission's Wikidata id, a support
type, a threat...) keeps its own column or field, so a file can be read back; beside it
comes its name in the reader's language (``country`` then ``country_name``, and
``support_type_names`` beside ``support_types``), from :class:`Names`.

CSV cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return) are prefixed with an apostrophe:
an incident description must never become code on an NGO officer's machine.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from amparo.casebook.records import (
    ACTOR_KINDS,
    CASE_RECORD_KINDS,
    CHANNELS,
    REQUEST_STATUSES,
    Case,
    Engagement,
    FollowUp,
)
from amparo.guidelines import get_dataset
from amparo.guidelines.countries import localized_country_name
from amparo.guidelines.model import Dataset
from amparo.labels import MISSION_KINDS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The coded fields of each kind of record that an export names.
NAMED: dict[str, tuple[str, ...]] = {
    "case": ("subject", "country", "field"),
    "incident": ("threat", "actor_kind"),
    "engagement": ("issuer", "mission", "channel", "support_types"),
    "request": ("issuer", "mission", "support_types", "status"),
}
OWN_WORDS: dict[str, dict[str, str]] = {"actor_kind": ACTOR_KINDS, "channel": CHANNELS, "status": REQUEST_STATUSES}
SITUATION_WORDS = ("subject", "field", "threat")  # the dataset's situation vocabularies


def name_field(field: str) -> str:
    """The field holding the name of ``field``'s code: ``country_name``; ``support_type_names`` for the list."""
    return "support_type_names" if field == "support_types" else f"{field}_name"


def _same(text: str) -> str:
    return text


class Names:
    """The names of the codes records store, in one language: the dataset's own translations for its words,
    ``translate`` (the caller's gettext; English by default) for the casebook's and the labels' words.
    A code the dataset does not know has an empty name: better no name than a wrong one."""

    def __init__(
        self, dataset: Dataset | None = None, language: str = "en", translate: Callable[[str], str] = _same
    ) -> None:
        self.dataset = dataset or get_dataset()
        self.language = language
        self.translate = translate

    def of(self, field: str, code: str) -> str:
        if not code:
            return ""
        dataset, language = self.dataset, self.language
        if field == "country":
            name = localized_country_name(code, language)
            return "" if name == code else name
        if field == "issuer":
            issuer = dataset.issuers.get(code)
            return issuer.name.resolve(language)[0] if issuer else ""
        if field == "mission":
            mission = dataset.mission(code)
            if mission is None:
                return ""
            kind = self.translate(MISSION_KINDS[mission.kind]) if mission.kind in MISSION_KINDS else mission.kind
            return f"{mission.city or mission.country_label} ({kind})"
        if field == "support_types":
            support = dataset.support_types.get(code)
            return support.name.resolve(language)[0] if support else ""
        if field in OWN_WORDS:
            return self.translate(OWN_WORDS[field][code]) if code in OWN_WORDS[field] else ""
        if field in SITUATION_WORDS:
            words = dataset.situations.get(field, {})
            return words[code].resolve(language)[0] if code in words else ""
        return ""

    def named(self, kind: str, record: dict[str, Any]) -> dict[str, Any]:
        """The record's fields with, after each coded one, its name (a list of names for a list of codes)."""
        out: dict[str, Any] = {}
        for key, value in record.items():
            out[key] = value
            if key in NAMED.get(kind, ()):
                if isinstance(value, (list, tuple)):
                    out[name_field(key)] = [self.of(key, str(v)) for v in value]
                else:
                    out[name_field(key)] = self.of(key, str(value or ""))
        return out


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def to_json(data: object) -> bytes:
    return json.dumps(_plain(data), ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8") + b"\n"


def _cell(value: object) -> str:
    value = _plain(value)
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = "" if value is None else str(value)
    if isinstance(value, bool):
        text = "yes" if value else "no"
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheets read accented letters right


def case_json(export: dict, names: Names | None = None) -> bytes:
    """A case and its records (as :meth:`Casebook.export_case` gives them) with the names of their codes."""
    names = names or Names()
    named: dict[str, object] = {"case": names.named("case", export["case"])}
    for kind in CASE_RECORD_KINDS:
        named[kind] = [names.named(kind, record) for record in export[kind]]
    return to_json(named)


def case_csv(export: dict, names: Names | None = None) -> bytes:
    """One row per record of the case (the case itself first); one column per field of any record type."""
    names = names or Names()
    rows: list[dict] = [{"record": "case", **names.named("case", export["case"])}]
    for kind in CASE_RECORD_KINDS:
        rows += [{"record": kind, **names.named(kind, record)} for record in export[kind]]
    header: list[str] = []
    for row in rows:
        header += [name for name in row if name not in header]
    return _csv(header, ([row.get(name, "") for name in header] for row in rows))


def _engagement_rows(engagements: Sequence[tuple[Engagement, Case]], names: Names) -> list[dict[str, Any]]:
    return [
        {"pseudonym": case.pseudonym, **names.named("engagement", dataclasses.asdict(e))} for e, case in engagements
    ]


def engagements_csv(engagements: Sequence[tuple[Engagement, Case]], names: Names | None = None) -> bytes:
    rows = _engagement_rows(engagements, names or Names())
    header = list(rows[0]) if rows else ["pseudonym", *Names().named("engagement", _blank_engagement())]
    return _csv(header, ([row[name] for name in header] for row in rows))


def _blank_engagement() -> dict[str, Any]:
    return dataclasses.asdict(Engagement("", dt.date.min, ""))


def engagements_json(engagements: Sequence[tuple[Engagement, Case]], names: Names | None = None) -> bytes:
    return to_json(_engagement_rows(engagements, names or Names()))


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping (section 3.3.11)."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character (RFC 5545 section 3.1)."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not out else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def follow_ups_ics(follow_ups: Sequence[tuple[FollowUp, Case]], now: dt.datetime) -> bytes:
    """Open follow-ups as all-day calendar events on their due dates."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Amparo//Casebook//EN", "CALSCALE:GREGORIAN"]
    for follow_up, case in follow_ups:
        if follow_up.done_on is not None:
            continue
        lines += [
            "BEGIN:VEVENT",
            f"UID:{follow_up.id}@amparo.casebook",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{follow_up.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{follow_up.due_on + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_text(f'{case.pseudonym}: {follow_up.what}')}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
