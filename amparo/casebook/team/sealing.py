"""Which columns the team store encrypts, and the sealer that does it (see :mod:`amparo.casebook.dialect`).

Decided column by column (and written down in docs/team.md, "What the server can and
cannot see"): everything a person typed or chose about a case is sealed; what the
queries must compare, group or sort stays in clear: ids, the case a record belongs to,
dates the lists are ordered by, whether a case is closed, a request's status, and the
issuer and mission of engagements and requests (the per-mission view groups by them).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from amparo.casebook.dialect import Rows
from amparo.casebook.records import (
    KINDS,
    Case,
    Consent,
    Engagement,
    FollowUp,
    Incident,
    Request,
    RiskAssessment,
    columns,
)
from amparo.casebook.team.keys import FieldCipher

SEALED: dict[type, frozenset[str]] = {
    Case: frozenset({"pseudonym", "subject", "country", "field", "notes"}),
    Incident: frozenset({"threat", "actor_kind", "place", "description", "evidence"}),
    Engagement: frozenset({"channel", "roles", "discussed", "support_types", "outcome"}),
    Request: frozenset({"support_types", "notes"}),
    FollowUp: frozenset({"what", "request_id"}),
    RiskAssessment: frozenset({"threats", "vulnerabilities", "capacities", "notes"}),
    Consent: frozenset({"agreed_by", "relation", "purpose", "recipient", "means", "notes"}),
}
TABLES: dict[type, str] = {cls: table for cls, table, _date in KINDS.values()}

Plan = tuple[tuple[str, int, int, tuple[tuple[int, str], ...]], ...]  # per class: table, first column, id, sealed
Parts = tuple[tuple[type, tuple[str, ...]], ...]  # the classes a row's columns belong to, in turn, and their names


@functools.cache
def _plan(parts: Parts) -> Plan:
    """Where in a row each class's columns start, where its id is, and which of its columns are sealed."""
    plan = []
    start = 0
    for cls, names in parts:
        sealed = tuple((i, name) for i, name in enumerate(names) if name in SEALED[cls])
        plan.append((TABLES[cls], start, names.index("id"), sealed))
        start += len(names)
    return tuple(plan)


class FieldSealer:
    """Seals a record's personal columns before they are written and opens them as rows are read."""

    def __init__(self, cipher: FieldCipher) -> None:
        self._cipher = cipher

    def seal(self, cls: type, record_id: str, names: Sequence[str], values: Sequence[object]) -> list[object]:
        table, sealed = TABLES[cls], SEALED[cls]
        return [
            self._cipher.seal(table, name, record_id, value) if name in sealed else value
            for name, value in zip(names, values, strict=True)
        ]

    def open(self, rows: Rows, classes: Sequence[type]) -> Rows:
        return self._open(rows, tuple((cls, tuple(columns(cls))) for cls in classes))

    def open_columns(self, rows: Rows, cls: type, names: Sequence[str]) -> Rows:
        return self._open(rows, ((cls, tuple(names)),))

    def _open(self, rows: Rows, parts: Parts) -> Rows:
        plan = _plan(parts)
        out: Rows = []
        for row in rows:
            values = list(row)
            for table, start, id_at, sealed in plan:
                record_id = values[start + id_at]
                for at, name in sealed:
                    values[start + at] = self._cipher.open(table, name, record_id, values[start + at])
            out.append(values)
        return out

    def __repr__(self) -> str:
        return "FieldSealer(<not shown>)"
