"""The answers real cases needed (issue 11): charges, a relative attacked, arrest on return, a safe return home,
the UN, a company's home State, and a plan filled in for someone who is detained."""

from __future__ import annotations

from amparo.guidelines import get_dataset
from amparo.navigator import get_rules, make_plan, parse_situation
from amparo.navigator.plan import COMPANY_MEASURES

DATASET = get_dataset()
RULES = get_rules(DATASET)
BASE = {"country": "ET", "subject": "individual", "urgency": "pressure", "exposure": "formal"}
# Words that speak to the person filling in the form about their own situation.
SECOND_PERSON = ("You face", "You are", "You have been", "You may be", "Your life", "Your accounts", "against you")


def plan_for(raw: dict):
    return make_plan(parse_situation(raw, DATASET), DATASET, RULES)


def ids(plan) -> list[str]:
    return [r.support_type.id for r in plan.recommendations]


def test_terrorism_charges_bring_diplomats_to_the_hearings_and_formal_questions() -> None:
    plan = plan_for({**BASE, "threats": ["criminal-charges"]})
    assert ids(plan)[0] == "trial-observation" and "formal-enquiry" in ids(plan)[:3]
    assert "criminal-charges" in plan.applied_rules


def test_an_attack_on_a_relative_is_its_own_answer_with_an_enquiry_and_the_family_in_mind() -> None:
    plan = plan_for({**BASE, "threats": ["relative-attacked"]})
    assert "formal-enquiry" in ids(plan)[:3]
    assert {"security-is-shared", "do-no-harm"} <= {c.item.id for c in plan.cautions}
    assert "family-threatened" not in plan.applied_rules, "distinct from threats to the family"


def test_arrest_on_return_and_a_safe_return_home_ask_for_help_to_return() -> None:
    for raw in ({**BASE, "threats": ["arrest-on-return"]}, {**BASE, "needs": ["safe-return"]}):
        assert ids(plan_for(raw))[0] == "travel-assistance"


def test_abroad_needing_a_safe_return_the_plan_lists_missions_at_home_too() -> None:
    raw = {**BASE, "location": "KE", "needs": ["safe-return"]}
    plan = plan_for(raw)
    assert plan.presence and plan.home_presence
    assert all(m.serves("ET") for p in plan.home_presence for m in p.missions)
    assert any(p.known for p in plan.home_presence)
    assert not plan_for({**raw, "needs": ["funding"]}).home_presence, "only for the return"
    assert not plan_for({**BASE, "needs": ["safe-return"]}).home_presence, "at home, the missions are already there"


def test_un_engagement_names_the_forums_and_warns_of_reprisals() -> None:
    plan = plan_for({**BASE, "exposure": "public", "needs": ["multilateral"]})
    assert {"multilateral-advocacy", "multilateral-instruments"} <= set(ids(plan))
    assert "do-no-harm" in {c.item.id for c in plan.cautions}
    # The UN Special Rapporteur's communications are a programme for the measure the plan recommends.
    rapporteur = DATASET.programmes["un-special-rapporteur-hrds-communications"]
    assert set(rapporteur.support_type_ids) & set(ids(plan))


def test_a_company_based_in_an_issuer_that_foresees_business_steps_brings_that_issuers_missions_first() -> None:
    raw = {**BASE, "threats": ["company-linked"], "company_country": "GB"}
    plan = plan_for(raw)
    assert plan.presence[0].issuer.id == "GB"
    foreseen = {o.issuer.id for r in plan.recommendations if r.support_type.id in COMPANY_MEASURES for o in r.issuers}
    assert "GB" in foreseen
    # No business provision, no promotion: the company's State is not invented into the list.
    elsewhere = plan_for({**raw, "company_country": "JP"})
    assert "JP" not in {p.issuer.id for p in elsewhere.presence}


def test_the_company_country_is_read_like_any_country_code() -> None:
    from amparo.navigator import SituationError

    try:
        parse_situation({**BASE, "company_country": "UK"}, DATASET)
    except SituationError as exc:
        assert [(e.field, "GB" in e.message) for e in exc.errors] == [("company_country", True)]
    else:
        raise AssertionError("UK is not an ISO code")


def test_a_plan_for_someone_detained_speaks_of_them() -> None:
    raw = {
        **BASE,
        "urgency": "attacked",
        "threats": ["judicial-harassment", "criminal-charges", "threats", "asset-freeze"],
        "on_behalf": True,
    }
    plan = plan_for(raw)
    assert "detention-visit" in ids(plan)[:5], "they are detained: visits among the first"
    reasons = [why.get("en") for r in plan.recommendations for why in r.reasons]
    assert not [text for text in reasons if any(words in text for words in SECOND_PERSON)]
    assert any(text.startswith("They face") for text in reasons)
    for_themselves = plan_for({**raw, "on_behalf": False})
    assert any(why.get("en").startswith("You face") for r in for_themselves.recommendations for why in r.reasons)
