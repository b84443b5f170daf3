"""Emergency help first, and reachable: the emergency track names only organisations a defender can reach.

On a copy of the dataset with made-up routes (tests/navigator/routes.py): three emergency programmes have
routes, one of them helps with digital threats only, and one emergency programme has none.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from amparo.guidelines import get_dataset
from amparo.guidelines.model import Dataset
from amparo.navigator import get_rules, make_plan, parse_situation
from amparo.navigator.plan import DIGITAL_SCOPE, DIGITAL_THREATS, LINE_KINDS, Plan
from amparo.navigator.render import no_route, plan_json, plan_markdown, plan_text
from amparo.navigator.rules import RuleBook, load_rules
from tests.navigator.routes import DIGITAL_ONLY, ROUTES, UNREACHABLE, routed_dataset
from tests.navigator.strategies import situations
from tests.navigator.test_scenarios import SCENARIOS, expectation_problems, invariant_problems

LINES_FIRST = ["protectdefenders-eu", "front-line-defenders"]  # both with a phone or messenger line
EMERGENCY = [s for s in SCENARIOS if s["emergency"]]
ROUTED: Dataset | None = None


def routed() -> Dataset:
    """The routed dataset, made once (Hypothesis and module fixtures alike)."""
    global ROUTED
    if ROUTED is None:
        import tempfile

        ROUTED = routed_dataset(Path(tempfile.mkdtemp(prefix="amparo-routes-")) / "data")
    return ROUTED


@pytest.fixture(scope="module")
def data() -> tuple[Dataset, RuleBook]:
    dataset = routed()
    return dataset, load_rules(dataset)


def plan_for(raw: dict[str, Any], dataset: Dataset, rules: RuleBook) -> Plan:
    return make_plan(parse_situation(raw, dataset), dataset, rules)


def with_threats(scenario: dict[str, Any], threats: list[str]) -> dict[str, Any]:
    return {**scenario["situation"], "threats": threats}


def test_the_routed_copy_is_what_the_tests_say(data):
    dataset, _rules = data
    assert all(dataset.programmes[p].emergency and dataset.programmes[p].reachable for p in ROUTES)
    assert dataset.programmes[UNREACHABLE].emergency and not dataset.programmes[UNREACHABLE].reachable
    assert dataset.programmes[DIGITAL_ONLY].scope == DIGITAL_SCOPE
    assert EMERGENCY, "scenarios with life in danger"


def test_the_digital_threats_are_threats_of_the_vocabulary():
    assert set(DIGITAL_THREATS) <= set(get_dataset().situations["threat"])
    assert set(LINE_KINDS) <= {"web", "phone", "email", "form", "messenger"}


@pytest.mark.parametrize("scenario", EMERGENCY, ids=[s["id"] for s in EMERGENCY])
def test_with_routes_every_emergency_scenario_is_met(scenario, data):
    """The scenarios' own expectations (their emergency programmes included), once the programmes have routes."""
    dataset, rules = data
    plan = plan_for(scenario["situation"], dataset, rules)
    assert not invariant_problems(plan) + expectation_problems(plan, scenario, dataset)


@pytest.mark.parametrize("scenario", EMERGENCY, ids=[s["id"] for s in EMERGENCY])
def test_a_physical_threat_gets_no_digital_only_helper_and_a_digital_threat_does(scenario, data):
    dataset, rules = data
    physical = [t for t in scenario["situation"].get("threats", []) if t not in DIGITAL_THREATS] or ["physical-attack"]
    plan = plan_for(with_threats(scenario, physical), dataset, rules)
    assert plan.emergency is not None
    offered = [p.id for p in plan.emergency.programmes]
    assert DIGITAL_ONLY not in offered and UNREACHABLE not in offered
    # Those with a line first: ProtectDefenders.eu's phone puts it first though its form comes first in its file.
    assert offered == LINES_FIRST
    for threat in DIGITAL_THREATS:
        plan = plan_for(with_threats(scenario, [*physical, threat]), dataset, rules)
        assert plan.emergency is not None
        assert [p.id for p in plan.emergency.programmes] == [*LINES_FIRST, DIGITAL_ONLY]


@pytest.mark.parametrize("scenario", EMERGENCY, ids=[s["id"] for s in EMERGENCY])
def test_every_form_of_the_plan_prints_each_route(scenario, data):
    dataset, rules = data
    plan = plan_for(with_threats(scenario, ["physical-attack", "surveillance"]), dataset, rules)
    assert plan.emergency is not None and plan.emergency.programmes
    text, markdown = plan_text(plan), plan_markdown(plan)
    shown = plan_json(plan)["emergency"]["programmes"]
    for programme, json_programme in zip(plan.emergency.programmes, shown, strict=True):
        assert programme.reachable, f"{programme.id} is on the emergency track with no route"
        assert json_programme["scope"] == programme.scope
        for route, json_route in zip(programme.contacts, json_programme["contacts"], strict=True):
            assert json_route == {
                "kind": route.kind,
                "value": route.value,
                "href": route.href,
                "label": route.label.get("en") if route.label else None,
                "page": route.page,
                "checked": route.checked.isoformat(),
            }
            written = f"{route.value} (checked {route.checked.isoformat()} on {route.page})"
            assert written in text and written in markdown, written
    assert no_route() not in text


def test_the_routes_are_printed_in_the_plans_language(data):
    dataset, rules = data
    plan = plan_for(with_threats(EMERGENCY[0], ["physical-attack"]), dataset, rules)
    assert "Secure emergency form: https://example.org/protectdefenders-eu/urgent-form" in plan_markdown(plan)
    assert "Formulario de emergencia seguro: https://" in plan_markdown(plan, "es")
    assert "E-mail: urgent@example.org" in plan_text(plan)
    contacts = plan_json(plan, "es")["emergency"]["programmes"][0]["contacts"]
    assert [c["href"] for c in contacts] == ["https://example.org/protectdefenders-eu/urgent-form", "tel:+0010000001"]


def test_with_no_route_at_all_the_track_says_so_plainly(data):
    dataset, rules = data
    bare = replace(dataset, programmes={k: replace(p, contacts=()) for k, p in dataset.programmes.items()})
    plan = plan_for(EMERGENCY[0]["situation"], bare, rules)
    assert plan.emergency is not None and not plan.emergency.reachable and plan.emergency.recommendations
    assert plan_json(plan)["emergency"]["programmes"] == []
    for written in (plan_text(plan), plan_markdown(plan)):
        assert no_route() in written and "“Emergency help”" in written


@settings(max_examples=300, deadline=None)
@given(situations())
def test_every_programme_on_the_emergency_track_is_reachable_and_fit_for_the_threats(raw):
    for dataset in (routed(), get_dataset()):
        plan = make_plan(parse_situation(raw, dataset), dataset, get_rules(dataset))
        if plan.emergency is None:
            continue
        digital = bool(set(raw.get("threats", [])) & set(DIGITAL_THREATS))
        lines = [any(r.kind in LINE_KINDS for r in p.contacts) for p in plan.emergency.programmes]
        assert lines == sorted(lines, reverse=True), "those with a phone or messenger line first"
        for programme in plan.emergency.programmes:
            assert programme.emergency and programme.reachable, programme.id
            assert programme.scope != DIGITAL_SCOPE or digital, f"{programme.id} offered for {raw.get('threats')}"
        if dataset is ROUTED:
            assert plan.emergency.reachable, "with routes, the track always names someone to contact"
            assert (DIGITAL_ONLY in {p.id for p in plan.emergency.programmes}) is digital


def test_help_for_one_field_of_work_is_offered_only_to_defenders_in_it() -> None:
    """CPJ helps journalists only: a land defender in danger is not sent there; a journalist in danger is."""
    from amparo.guidelines import get_dataset
    from amparo.navigator import get_rules, make_plan, parse_situation
    from amparo.navigator.render import plan_markdown

    dataset = get_dataset()
    rules = get_rules(dataset)
    base = {"country": "HN", "subject": "individual", "urgency": "immediate-danger", "exposure": "discreet"}
    land = make_plan(parse_situation({**base, "fields": ["land-environment"]}, dataset), dataset, rules)
    press = make_plan(parse_situation({**base, "fields": ["journalism"]}, dataset), dataset, rules)
    assert land.emergency and press.emergency
    assert "cpj-emergencies" not in {p.id for p in land.emergency.programmes}
    assert "cpj-emergencies" in {p.id for p in press.emergency.programmes}
    audience = dataset.programmes["cpj-emergencies"].audience
    assert audience and audience.get("en") in plan_markdown(press)
