"""The open-data export is valid against its published schema and says the same as the model."""

from __future__ import annotations

import csv
import io
import json

from jsonschema import Draft202012Validator, FormatChecker

from amparo.guidelines import DATA_DIR
from amparo.guidelines.export import matrix_csv, to_json

SCHEMA = json.loads((DATA_DIR.parent / "schemas" / "export.schema.json").read_text())


def test_export_matches_its_json_schema(dataset):
    document = json.loads(json.dumps(to_json(dataset)))
    errors = list(Draft202012Validator(SCHEMA, format_checker=FormatChecker()).iter_errors(document))
    assert not errors, [e.message for e in errors[:5]]


def test_export_has_the_public_shape(dataset):
    document = to_json(dataset)
    for key in ("support_types", "issuers", "provisions", "guidance", "programmes", "missions"):
        assert isinstance(document[key], list) and document[key]
    assert {p["status"] for p in document["provisions"]} <= {"explicit", "inherited", "not_stated", "unknown"}
    assert all(p["sources"] for p in document["provisions"])
    assert {i["id"] for i in document["issuers"]} >= {"EU", "OSCE", "CA", "GB"}


def test_every_cited_source_is_exported(dataset):
    document = to_json(dataset)
    exported = {s["id"] for s in document["sources"]}
    cited = {c["source"] for p in document["provisions"] for c in p["sources"]}
    assert cited <= exported


def test_matrix_csv_has_a_row_per_issuer_and_a_column_per_support_type(dataset):
    rows = list(csv.reader(io.StringIO(matrix_csv(dataset))))
    assert len(rows) == len(dataset.issuers) + 1
    assert rows[0][2:] == list(dataset.support_types)
    canada = next(r for r in rows if r[0] == "CA")
    column = rows[0].index("company-intervention")
    assert canada[column] == "explicit"
