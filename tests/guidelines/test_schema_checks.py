"""A file that passed its schema is not checked again until it changes (issue 11: the CLI starts fast)."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from amparo.guidelines import DataError, load_dataset
from amparo.guidelines.loader import DATA_DIR, _schemas, record_checks
from amparo.guidelines.validate import CHECKED_FILE, checked_digest, read_checked
from amparo.navigator.rules import RULES_SCHEMA


def _no_schema_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    ran: list[str] = []
    original = Draft202012Validator.iter_errors

    def counting(self, instance, *args, **kwargs):  # type: ignore[no-untyped-def]
        ran.append("check")
        return original(self, instance, *args, **kwargs)

    monkeypatch.setattr(Draft202012Validator, "iter_errors", counting)
    return ran


def test_recorded_files_load_without_their_schema_check(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert record_checks(data_copy)
    ran = _no_schema_checks(monkeypatch)
    assert load_dataset(data_copy).issuers
    assert ran == []
    load_dataset(data_copy, full_check=True)
    assert len(ran) == len(_schemas(data_copy)), "data check always checks every file"


def test_a_changed_file_is_checked_again_and_its_problem_reported(data_copy: Path) -> None:
    assert record_checks(data_copy)
    path = data_copy / "programmes.yaml"
    path.write_text(path.read_text().replace("emergency: true", "emergency: maybe", 1))
    with pytest.raises(DataError, match="emergency"):
        load_dataset(data_copy)


def test_a_changed_schema_checks_the_file_again(data_copy: Path) -> None:
    path = data_copy / "dataset.yaml"
    assert checked_digest(path.read_bytes(), {"type": "object"}) != checked_digest(path.read_bytes(), {})


def test_the_shipped_record_matches_the_shipped_data() -> None:
    """Run `amparo data check` after editing the data: it records the files that pass, for fast starts."""
    expected = {checked_digest(path.read_bytes(), shape) for path, shape in _schemas(DATA_DIR)}
    expected.add(checked_digest((DATA_DIR / "rules.yaml").read_bytes(), RULES_SCHEMA))
    assert read_checked(DATA_DIR) == expected, f"run `amparo data check` to refresh {CHECKED_FILE}"
