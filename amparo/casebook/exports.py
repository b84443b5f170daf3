"""Exports of casebook records: JSON and CSV for reports, iCalendar for follow-ups.

Exports are plaintext by nature: they leave the encrypted casebook because the
person asked for them. They are built in memory and handed to the caller (a
download, or a file the CLI writes atomically); nothing here touches the disk.

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
from collections.abc import Iterable, Sequence

from amparo.casebook.records import CASE_RECORD_KINDS, Case, Engagement, FollowUp

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def case_csv(export: dict) -> bytes:
    """One row per record of the case (the case itself first); one column per field of any record type."""
    rows: list[dict] = [{"record": "case", **export["case"]}]
    for kind in CASE_RECORD_KINDS:
        rows += [{"record": kind, **record} for record in export[kind]]
    header: list[str] = []
    for row in rows:
        header += [name for name in row if name not in header]
    return _csv(header, ([row.get(name, "") for name in header] for row in rows))


def engagements_csv(engagements: Sequence[tuple[Engagement, Case]]) -> bytes:
    names = [f.name for f in dataclasses.fields(Engagement)]
    return _csv(["pseudonym", *names], ([case.pseudonym, *(getattr(e, n) for n in names)] for e, case in engagements))


def engagements_json(engagements: Sequence[tuple[Engagement, Case]]) -> bytes:
    return to_json([{"pseudonym": case.pseudonym, **dataclasses.asdict(e)} for e, case in engagements])


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
