"""A broken data file fails with its file and line, never a traceback, and nothing half-loaded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.guidelines import DataError, load_dataset


def replace(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace text in a data file; return the 1-based line of the first change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def problems(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    return [str(p) for p in caught.value.problems]


def assert_reported(data: Path, file: str, line: int, fragment: str) -> None:
    found = problems(data)
    assert any(
        p.endswith(f"{file}:{line}: " + p.split(": ", 1)[1]) and fragment in p for p in found if f"{file}:{line}:" in p
    ), found


def test_shipped_dataset_loads(data_copy):
    assert load_dataset(data_copy).support_types


def test_unknown_support_type_in_a_provision(data_copy):
    line = replace(
        data_copy / "issuers/CA.yaml", "support_type: company-intervention", "support_type: company-interventoin"
    )
    assert_reported(data_copy, "issuers/CA.yaml", line, "unknown support type 'company-interventoin'")


def test_unknown_source(data_copy):
    path = data_copy / "issuers/CA.yaml"
    text = path.read_text()
    match = re.search(r"source: (S\d+[a-z]?)", text)
    line = replace(path, match.group(0), "source: S999")
    assert_reported(data_copy, "issuers/CA.yaml", line, "unknown source 'S999'")


def test_a_contact_route_must_have_the_form_of_its_kind(data_copy):
    path = data_copy / "programmes.yaml"
    route = (
        '    - kind: phone\n      value: "call us"\n'
        '      page: "https://example.org/contact"\n      checked: 2026-12-02\n'
    )
    # The first programme that lists routes gets a broken one ahead of its own.
    line = replace(path, "  contacts:\n", "  contacts:\n" + route) + 2
    assert_reported(data_copy, "programmes.yaml", line, "international form")


def test_missing_required_field(data_copy):
    line = replace(data_copy / "issuers/NO.yaml", "named_in_seed: true\n", "")
    found = problems(data_copy)
    assert any("issuers/NO.yaml:" in p and "'named_in_seed' is required" in p for p in found), found
    assert line > 0


def test_provision_without_sources(data_copy):
    line = replace(data_copy / "issuers/IE.yaml", "    sources: [{source: S27a}]\n", "    sources: []\n")
    assert_reported(data_copy, "issuers/IE.yaml", line, "should be non-empty")


def test_duplicate_key_and_tab_and_bad_yaml(data_copy):
    path = data_copy / "guidance.yaml"
    line = replace(path, "items:\n", "items:\n\titems: x\n")
    assert_reported(data_copy, "guidance.yaml", line + 1, "tab character")
    path.write_text("last_verified: 2026-11-25\nlast_verified: 2026-11-26\nitems: []\n")
    assert_reported(data_copy, "guidance.yaml", 2, "duplicate key 'last_verified'")
    path.write_text("items: [\n  {id: x\n")
    assert any(p.startswith("amparo") or "guidance.yaml:" in p for p in problems(data_copy))


def test_impossible_date_and_bad_enum(data_copy):
    line = replace(data_copy / "issuers/FI.yaml", "last_verified: 2026-11-25", "last_verified: 2026-13-45")
    assert_reported(data_copy, "issuers/FI.yaml", line, "is not a 'date'")
    line = replace(data_copy / "issuers/DE.yaml", "status: explicit", "status: maybe")
    assert_reported(data_copy, "issuers/DE.yaml", line, "'maybe' is not one of")


def test_norway_is_not_false(data_copy):
    """YAML 1.1 reads a bare NO as false; the loader must keep Norway's id a string."""
    dataset = load_dataset(data_copy)
    assert "NO" in dataset.issuers
    assert any("NO" in p.issuer_ids for p in dataset.programmes.values())


def test_duplicate_ids_and_second_provision(data_copy):
    path = data_copy / "taxonomy.yaml"
    text = path.read_text()
    path.write_text(text.replace("id: official-meeting", "id: formal-enquiry", 1))
    found = problems(data_copy)
    assert any("taxonomy.yaml:" in p and "duplicate support type id 'formal-enquiry'" in p for p in found), found


def test_issuer_file_name_must_match_id(data_copy):
    (data_copy / "issuers/CA.yaml").rename(data_copy / "issuers/CN.yaml")
    found = problems(data_copy)
    assert any("issuers/CN.yaml:" in p and "must match the file name" in p for p in found), found


def test_required_language_missing_is_reported(data_copy):
    replace(data_copy / "dataset.yaml", "languages: [en]", "languages: [en, ru]")
    found = problems(data_copy)
    assert any("text lacks ru" in p for p in found)


def test_missions_file_errors_name_the_line(data_copy):
    path = data_copy / "missions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = lines[5].replace("Australia,Q408,", "Atlantis,Q1,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    assert_reported(data_copy, "missions.csv", 6, "'Atlantis' is not mapped")


def test_every_problem_is_reported_not_just_the_first(data_copy):
    replace(data_copy / "issuers/CA.yaml", "support_type: company-intervention", "support_type: nope")
    replace(data_copy / "issuers/NL.yaml", "status: explicit", "status: maybe")
    found = problems(data_copy)
    assert any("CA.yaml" in p for p in found) and any("NL.yaml" in p for p in found)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    position=st.floats(min_value=0, max_value=1),
    garbage=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12),
    file=st.sampled_from(["taxonomy.yaml", "issuers/EU.yaml", "programmes.yaml", "guidance.yaml", "sources.yaml"]),
)
def test_any_mutation_loads_or_fails_with_file_and_line(data_copy, position, garbage, file):
    path = data_copy / file
    original = path.read_text(encoding="utf-8")
    cut = int(len(original) * position)
    path.write_text(original[:cut] + garbage + original[cut:], encoding="utf-8")
    try:
        load_dataset(data_copy)
    except DataError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert re.match(r"^.+:\d+: .+", str(problem)), str(problem)
    finally:
        path.write_text(original, encoding="utf-8")
