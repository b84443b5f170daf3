"""Read the diplomatic missions file (Wikidata via the Database of embassies and consulates).

The file is imported as it is; labels are mapped to ISO codes, mission types are
normalised, and rows that cannot be read are reported with their line.
"""

from __future__ import annotations

import csv
from pathlib import Path

from amparo.guidelines.countries import UnknownCountry, country_code
from amparo.guidelines.errors import DataProblem
from amparo.guidelines.model import Mission

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


def read_missions(path: Path, display: str) -> tuple[list[Mission], list[DataProblem]]:
    missions: list[Mission] = []
    problems: list[DataProblem] = []
    seen: set[str] = set()
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
        if tuple(header) != COLUMNS:
            return [], [DataProblem(display, 1, f"header must be {','.join(COLUMNS)}")]
        try:
            for row in reader:
                line = reader.line_num
                mission, problem = _mission(row, display, line)
                if problem:
                    problems.append(problem)
                elif mission:
                    if mission.id in seen:
                        problems.append(DataProblem(display, line, f"duplicate mission {mission.id}"))
                    seen.add(mission.id)
                    missions.append(mission)
        except (csv.Error, UnicodeDecodeError) as exc:
            problems.append(DataProblem(display, reader.line_num, f"unreadable CSV: {exc}"))
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
