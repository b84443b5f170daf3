"""Publicity and the authorities are two answers (issue 11): what a plan keeps from the authorities, and how a
measure the defender asked for is kept all the same, last, with a caution saying what it would expose."""

from __future__ import annotations

from hypothesis import given, settings

from amparo.guidelines import get_dataset
from amparo.navigator import get_rules, make_plan, parse_situation
from amparo.navigator.render import asked_beyond_exposure, plan_json
from amparo.navigator.rules import AUTHORITIES_LIMITS
from tests.navigator.strategies import situations

DATASET = get_dataset()
RULES = get_rules(DATASET)
FLED_NEEDS = {"protection-abroad", "relocation"}  # abroad with these: they left and seek protection
# Charged for her work, she wants diplomats at her trial, and no one in government to hear she asked a mission.
CHARGED = {
    "country": "TR",
    "subject": "individual",
    "urgency": "pressure",
    "exposure": "public",
    "threats": ["judicial-harassment"],
    "needs": ["trial-observation"],
    "authorities": "must-not-know",
}


def plan_for(raw: dict):
    return make_plan(parse_situation(raw, DATASET), DATASET, RULES)


def suggested_for(situation, need: str) -> set[str]:
    return {
        item.support_type_id
        for rule in RULES.rules
        if rule.applies(situation)
        for name, values in rule.when.lists
        if name == "needs" and need in values
        for item in rule.recommend
    }


def test_what_the_authorities_would_see_is_left_out_with_a_plain_reason() -> None:
    plan = plan_for(CHARGED)
    offered = {r.support_type.id for r in plan.recommendations if r.beyond_exposure is None}
    assert not {"discreet-engagement", "demarche", "official-meeting", "formal-enquiry"} & offered
    left_out = {e.support_type.id: e for e in plan.excluded}
    assert left_out["demarche"].rule_id == "authorities-must-not-know"
    assert "must not learn of your request" in left_out["demarche"].reason.get("en")
    assert left_out["demarche"].citations


def test_a_trial_observation_asked_for_is_kept_last_with_what_it_would_expose() -> None:
    plan = plan_for(CHARGED)
    last = plan.ranked[-1]
    assert last.support_type.id == "trial-observation" and last.beyond_exposure == "must-not-know"
    caution = asked_beyond_exposure(last)
    assert "the authorities must not learn of your request" in caution and "the choice is yours" in caution
    assert [r.support_type.id for r in plan.ranked if r.beyond_exposure] == ["trial-observation"]


def test_both_limits_at_once_still_keep_the_stated_need_with_one_caution() -> None:
    plan = plan_for({**CHARGED, "exposure": "discreet"})
    asked = [r for r in plan.ranked if r.beyond_exposure is not None]
    assert [r.support_type.id for r in asked] == ["trial-observation"]
    assert "The authorities would learn" in asked_beyond_exposure(asked[0])


def test_without_the_answer_the_plan_is_the_one_for_authorities_who_may_know() -> None:
    without = {key: value for key, value in CHARGED.items() if key != "authorities"}
    assert plan_json(plan_for(without)) == plan_json(plan_for({**without, "authorities": "may-know"}))
    assert plan_for(without).situation.authorities == "may-know"
    assert "demarche" in {r.support_type.id for r in plan_for(without).recommendations}


def test_a_meeting_in_a_neutral_place_stays_for_a_defender_who_accepts_no_exposure() -> None:
    for authorities in ("may-know", "must-not-know"):
        raw = {"country": "BY", "subject": "individual", "urgency": "pressure", "exposure": "none"}
        plan = plan_for({**raw, "authorities": authorities})
        assert "neutral-place-meeting" in {r.support_type.id for r in plan.recommendations}


def test_trial_observation_and_prison_visits_are_seen_by_the_authorities_not_announced() -> None:
    for sid in ("trial-observation", "detention-visit", "principled-trial-observation"):
        support_type = DATASET.support_types[sid]
        assert support_type.visibility == "formal" and support_type.authorities_aware


def test_every_public_measure_is_seen_by_the_authorities_too() -> None:
    for support_type in DATASET.support_types.values():
        if support_type.visibility == "public":
            assert support_type.authorities_aware, support_type.id


@settings(max_examples=300, deadline=None)
@given(situations())
def test_every_stated_need_is_met_or_kept_with_a_caution(raw):
    situation = parse_situation(raw, DATASET)
    plan = make_plan(situation, DATASET, RULES)
    in_plan = {r.support_type.id for r in plan.recommendations}
    for need in situation.needs:
        suggested = suggested_for(situation, need)
        assert not suggested or suggested & in_plan, f"{need}: nothing in the plan"


@settings(max_examples=300, deadline=None)
@given(situations())
def test_what_is_kept_from_the_authorities_is_recommended_only_as_asked_for_and_with_a_caution(raw):
    """Must not know, or abroad having fled: no measure the authorities would see unless asked for, then last."""
    situation = parse_situation(raw, DATASET)
    fled = situation.abroad and bool(situation.needs & FLED_NEEDS)
    if not (fled or situation.authorities == "must-not-know"):
        return
    plan = make_plan(situation, DATASET, RULES)
    asked = set().union(*(suggested_for(situation, need) for need in situation.needs))
    for r in plan.recommendations:
        if r.support_type.authorities_aware:
            assert r.beyond_exposure is not None, f"{r.support_type.id} offered of the plan's own accord"
            assert r.support_type.id in asked
            if r.beyond_exposure in AUTHORITIES_LIMITS:
                assert ("left-country" if fled else "must-not-know") == r.beyond_exposure
    flagged = [r.beyond_exposure is not None for r in plan.ranked]
    assert flagged == sorted(flagged)
