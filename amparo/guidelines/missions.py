"""Read the diplomatic missions file (Wikidata via the Database of embassies and consulates), and the
EU's Delegations (eu-delegations.csv, a partial list built by hand, each row with the page it comes from).

The files are imported as they are; labels are mapped to ISO codes, mission types are
normalised, and rows that cannot be read are reported with their line. A Delegation is one
mission: the rows of one host, city and kind, one row per country it serves.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from amparo.guidelines.countries import UnknownCountry, country_code, country_name, is_country_code
from amparo.guidelines.errors import DataProblem
from amparo.guidelines.model import TO_ORGANISATIONS, Mission

COLUMNS = (
    "sending_state",
    "sending_qid",
    "receiving_country",
    "receiving_qid",
    "city",
    "mission_type",
    "jurisdictions",
    "website",
    "wikidata_qid",
)

# Wikidata sometimes types a mission by its own name; fold those into the usual kinds.
KIND_ALIASES = {
    "british high commission": "high commission",
    "australian high commission": "high commission",
    "embassy of the united states": "embassy",
    "consulate general of sweden": "consulate general",
    "consulate general of belgium": "consulate general",
    "consular agency": "consular agency",
    "interests section": "interests section",
}

# Kinds that are diplomatic representations in the sense of the guidelines, best first.
DIPLOMATIC_KINDS = (
    "embassy",
    "high commission",
    "de facto embassy",
    "interests section",
    "liaison office",
    "permanent mission",
    "EU delegation",
    "EU office",
    TO_ORGANISATIONS,
)
CONSULAR_KINDS = (
    "consulate general",
    "consulate",
    "consular office",
    "consular agency",
    "de facto consulate",
    "trade office",
)


def rank(mission: Mission) -> int:
    """Lower is a stronger door for a defender: embassies first, honorary consulates last."""
    if mission.kind in DIPLOMATIC_KINDS:
        return DIPLOMATIC_KINDS.index(mission.kind)
    if mission.kind in CONSULAR_KINDS:
        return 10 + CONSULAR_KINDS.index(mission.kind)
    return 30 if mission.honorary else 20


def _csv_rows(
    path: Path, display: str, columns: tuple[str, ...]
) -> tuple[list[tuple[int, list[str]]], list[DataProblem]]:
    """The data rows of a CSV file with their line numbers, once its header is the expected one."""
    rows: list[tuple[int, list[str]]] = []
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        return [], [DataProblem(display, 1, f"cannot read: {exc.strerror}")]
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except (StopIteration, csv.Error, UnicodeDecodeError):
            return [], [DataProblem(display, 1, "empty or unreadable CSV")]
        if tuple(header) != columns:
            return [], [DataProblem(display, 1, f"header must be {','.join(columns)}")]
        try:
            rows.extend((reader.line_num, row) for row in reader)
        except (csv.Error, UnicodeDecodeError) as exc:
            return rows, [DataProblem(display, reader.line_num, f"unreadable CSV: {exc}")]
    return rows, []


def read_missions(path: Path, display: str) -> tuple[list[Mission], list[DataProblem]]:
    missions: list[Mission] = []
    rows, problems = _csv_rows(path, display, COLUMNS)
    seen: set[str] = set()
    for line, row in rows:
        mission, problem = _mission(row, display, line)
        if problem:
            problems.append(problem)
        elif mission:
            if mission.id in seen:
                problems.append(DataProblem(display, line, f"duplicate mission {mission.id}"))
            seen.add(mission.id)
            missions.append(mission)
    return missions, problems


def _mission(row: list[str], display: str, line: int) -> tuple[Mission | None, DataProblem | None]:
    if len(row) != len(COLUMNS):
        return None, DataProblem(display, line, f"expected {len(COLUMNS)} columns, found {len(row)}")
    record = dict(zip(COLUMNS, (cell.strip() for cell in row), strict=True))
    try:
        issuer = country_code(record["sending_state"])
        country = country_code(record["receiving_country"]) if record["receiving_country"] else None
        jurisdictions = tuple(
            dict.fromkeys(
                code for label in record["jurisdictions"].split("|") if label and (code := country_code(label))
            )
        )
    except UnknownCountry as exc:
        return None, DataProblem(display, line, f"country label {exc.args[0]!r} is not mapped in countries.py")
    if issuer is None or not record["wikidata_qid"]:
        return None, DataProblem(display, line, "a mission needs a sending State and a Wikidata id")
    kind = record["mission_type"].lower() or "unknown"
    kind = KIND_ALIASES.get(kind, kind)
    website = record["website"] if record["website"].startswith(("http://", "https://")) else None
    return Mission(
        id=record["wikidata_qid"],
        issuer_id=issuer,
        country=country,
        country_label=record["receiving_country"],
        city=record["city"],
        kind=kind,
        jurisdictions=jurisdictions,
        website=website,
    ), None


DELEGATION_COLUMNS = ("host_country", "city", "serves_country", "kind", "source", "as_of")
# The file's kinds, as mission kinds: a Delegation, a satellite office of a Delegation based elsewhere, and a
# Delegation to an international organisation (it serves no State).
DELEGATION_KINDS = {
    "delegation": "EU delegation",
    "office": "EU office",
    "to-international-organisations": TO_ORGANISATIONS,
}
DELEGATION_ISSUER = "EU"


def delegation_id(host: str, city: str, kind: str) -> str:
    """A stable id for a Delegation (the file has none): EU-HT, or EU-IQ-ERBIL for an office, EU-ET-IO."""
    if kind == "delegation":
        return f"{DELEGATION_ISSUER}-{host}"
    if kind == "office":
        return f"{DELEGATION_ISSUER}-{host}-" + "".join(c for c in city.upper() if c.isalnum())
    return f"{DELEGATION_ISSUER}-{host}-IO"


def read_delegations(path: Path, display: str) -> tuple[list[Mission], list[DataProblem]]:
    """The EU's Delegations, one mission each, in the order of the file (by host, city, kind)."""
    units: dict[str, dict[str, Any]] = {}
    rows, problems = _csv_rows(path, display, DELEGATION_COLUMNS)
    for line, row in rows:
        problem = _delegation_row(row, units, display, line)
        if problem:
            problems.append(problem)
    missions = [
        Mission(
            id=key,
            issuer_id=DELEGATION_ISSUER,
            country=unit["host"],
            country_label=country_name(unit["host"]),
            city=unit["city"],
            kind=DELEGATION_KINDS[unit["kind"]],
            jurisdictions=tuple(unit["serves"]),
            website=None,
            pages=tuple(unit["pages"]),
        )
        for key, unit in units.items()
    ]
    return missions, problems


def _delegation_row(row: list[str], units: dict[str, dict[str, Any]], display: str, line: int) -> DataProblem | None:
    if len(row) != len(DELEGATION_COLUMNS):
        return DataProblem(display, line, f"expected {len(DELEGATION_COLUMNS)} columns, found {len(row)}")
    record = dict(zip(DELEGATION_COLUMNS, (cell.strip() for cell in row), strict=True))
    host, serves, kind = record["host_country"], record["serves_country"], record["kind"]
    if not is_country_code(host):
        return DataProblem(display, line, f"host_country {host!r} is not an ISO 3166-1 alpha-2 code")
    if kind not in DELEGATION_KINDS:
        return DataProblem(display, line, f"kind must be one of {', '.join(DELEGATION_KINDS)}")
    if (kind == "to-international-organisations") != (serves == ""):
        return DataProblem(display, line, "serves_country is empty exactly for a Delegation to organisations")
    if serves and not is_country_code(serves):
        return DataProblem(display, line, f"serves_country {serves!r} is not an ISO 3166-1 alpha-2 code")
    if not record["source"].startswith(("http://", "https://")):
        return DataProblem(display, line, "every row needs the page it comes from (source)")
    unit = units.setdefault(
        delegation_id(host, record["city"], kind),
        {"host": host, "city": record["city"], "kind": kind, "serves": [], "pages": []},
    )
    if serves in unit["serves"]:
        return DataProblem(display, line, f"{serves} is listed twice for this Delegation")
    if serves:
        unit["serves"].append(serves)
    if record["source"] not in unit["pages"]:
        unit["pages"].append(record["source"])
    return None
