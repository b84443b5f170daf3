"""A defender who fled: never steered toward the authorities they fled, and asked where they are (issue 11)."""

from __future__ import annotations

import pytest

from amparo.guidelines import get_dataset
from amparo.navigator import SituationError, get_rules, make_plan, parse_situation

DATASET = get_dataset()
RULES = get_rules(DATASET)
CONTACT_WITH_AUTHORITIES = {
    "discreet-engagement",
    "official-meeting",
    "formal-enquiry",
    "demarche",
    "authorities-dialogue",
    "nhri-cooperation",
}
FLED = {
    "country": "NI",
    "location": "CR",
    "subject": "individual",
    "urgency": "attacked",
    "exposure": "formal",
    "threats": ["arbitrary-detention", "threats", "judicial-harassment"],
    "needs": ["protection-abroad", "dialogue"],
}


def test_a_defender_who_fled_is_offered_no_contact_with_the_authorities_they_fled() -> None:
    plan = make_plan(parse_situation(FLED, DATASET), DATASET, RULES)
    of_its_own_accord = {r.support_type.id for r in plan.recommendations if r.beyond_exposure is None}
    assert not of_its_own_accord & CONTACT_WITH_AUTHORITIES, of_its_own_accord & CONTACT_WITH_AUTHORITIES
    left_out = {e.support_type.id: e for e in plan.excluded}
    for support_type in CONTACT_WITH_AUTHORITIES & set(left_out):
        assert left_out[support_type].rule_id == "abroad-seeking-protection"
        assert "country you left" in left_out[support_type].reason.get("en")


def test_contact_they_fled_is_kept_only_as_they_asked_for_it_last_and_with_a_caution() -> None:
    """They asked for dialogue with the authorities: it is not dropped, but it comes last, and says what it risks."""
    plan = make_plan(parse_situation(FLED, DATASET), DATASET, RULES)
    asked = [r for r in plan.ranked if r.beyond_exposure is not None]
    assert [r.support_type.id for r in asked] == ["authorities-dialogue"]
    assert asked[0].beyond_exposure == "left-country"
    assert plan.ranked[-len(asked) :] == tuple(asked)
    from amparo.navigator.render import asked_beyond_exposure

    assert "authorities of the country you left" in asked_beyond_exposure(asked[0])


def test_at_home_the_same_answers_keep_those_contacts() -> None:
    at_home = {key: value for key, value in FLED.items() if key != "location"}
    plan = make_plan(parse_situation(at_home, DATASET), DATASET, RULES)
    assert {r.support_type.id for r in plan.recommendations} & CONTACT_WITH_AUTHORITIES


@pytest.mark.parametrize(("written", "meant"), [("UK", "GB"), (" uk ", "GB"), ("EL", "GR")])
def test_a_common_code_that_is_not_iso_says_which_one_is(written: str, meant: str) -> None:
    with pytest.raises(SituationError) as caught:
        parse_situation({**FLED, "location": written}, DATASET)
    (error,) = caught.value.errors
    assert error.field == "location" and meant in error.message


def test_unhcr_registration_without_a_place_asks_where_they_are() -> None:
    raw = {key: value for key, value in FLED.items() if key != "location"} | {"unhcr_registered": True}
    with pytest.raises(SituationError) as caught:
        parse_situation(raw, DATASET)
    assert [(e.field, e.code) for e in caught.value.errors] == [("location", "required")]
    assert parse_situation({**raw, "location": "CR"}, DATASET).where_now == "CR"
