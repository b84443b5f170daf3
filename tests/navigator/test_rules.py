"""The rule file is data a maintainer edits: mistakes are reported with file and line."""

from __future__ import annotations

import pytest

from amparo.guidelines import DataError, load_dataset
from amparo.navigator import load_rules


def rules_problems(data) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_rules(load_dataset(data))
    return [str(p) for p in caught.value.problems]


def edit(path, old, new) -> int:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1


def test_shipped_rules_load(dataset):
    book = load_rules(dataset)
    assert len(book.rules) >= 20 and book.checklist


def test_unknown_support_type_in_a_rule(data_copy):
    line = edit(
        data_copy / "rules.yaml",
        "{support_type: trial-observation, weight: 30}",
        "{support_type: trial-observatoin, weight: 30}",
    )
    found = rules_problems(data_copy)
    assert any(f"rules.yaml:{line}:" in p and "unknown support type 'trial-observatoin'" in p for p in found), found


def test_unknown_situation_value(data_copy):
    line = edit(data_copy / "rules.yaml", "when: {threats: [travel-ban]}", "when: {threats: [travel-bans]}")
    found = rules_problems(data_copy)
    assert any(f"rules.yaml:{line}:" in p and "unknown threat 'travel-bans'" in p for p in found), found


def test_public_measures_may_not_be_allowed_below_public_exposure(data_copy):
    edit(data_copy / "rules.yaml", "    formal: [discreet, formal]", "    formal: [discreet, formal, public]")
    assert any("do no harm" in p for p in rules_problems(data_copy))


def test_a_rule_without_effect_and_a_duplicate_id(data_copy):
    path = data_copy / "rules.yaml"
    path.write_text(path.read_text() + '  - id: planning-ahead\n    reason: {en: "x"}\n')
    found = rules_problems(data_copy)
    assert any("duplicate rule id 'planning-ahead'" in p for p in found)
    assert any("needs at least one effect" in p for p in found)


def test_schema_errors_have_lines(data_copy):
    line = edit(data_copy / "rules.yaml", "weight: 60", "weight: lots")
    found = rules_problems(data_copy)
    assert any(f"rules.yaml:{line}:" in p and "'lots' is not of type 'integer'" in p for p in found), found


def test_each_measure_gives_a_reason_written_for_it() -> None:
    """A rule's reason about the courtroom is not shown under dialogue with the authorities or under grants."""
    from amparo.guidelines import get_dataset
    from amparo.navigator import get_rules, make_plan, parse_situation

    dataset = get_dataset()
    raw = {"country": "GT", "subject": "individual", "urgency": "pressure", "exposure": "public"}
    plan = make_plan(parse_situation({**raw, "threats": ["judicial-harassment"]}, dataset), dataset, get_rules(dataset))
    why = {r.support_type.id: " ".join(reason.get("en") for reason in r.reasons) for r in plan.recommendations}
    assert "courtroom" in why["trial-observation"]
    for measure in ("authorities-dialogue", "financial-support"):
        assert measure in why and "courtroom" not in why[measure], why[measure]
