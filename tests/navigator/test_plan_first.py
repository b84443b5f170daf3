"""A plan a defender in crisis can act on first: a few next steps, the programmes beside each measure, the
State's own protection shown as such, regional funds only where they work, numbers that dial.

On the real dataset: the routes, programmes and regions a defender would get today.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings

from amparo.guidelines import get_dataset
from amparo.guidelines.model import ContactRoute
from amparo.navigator import get_rules, make_plan, parse_situation
from amparo.navigator.plan import LINE_KINDS, NATIONAL_KIND, NEXT_STEPS, Plan, fits
from amparo.navigator.render import plan_json, plan_markdown, plan_text
from tests.navigator.strategies import situations

HONDURAS = {
    "country": "HN",
    "subject": "community",
    "urgency": "immediate-danger",
    "exposure": "discreet",
    "fields": ["land-environment", "indigenous-rights"],
    "threats": ["threats", "physical-attack", "community-killings"],
    "needs": ["relocation", "trial-observation"],
}
KENYA_WOMEN = {**HONDURAS, "country": "KE", "fields": ["womens-rights"]}
UAF_AFRICA, UAF_ASIA_PACIFIC, UAF_WHR = (
    "urgent-action-fund-africa",
    "urgent-action-fund-asia-pacific",
    "urgent-action-fund-womens-human-rights",
)


def plan_for(raw: dict[str, Any]) -> Plan:
    dataset = get_dataset()
    return make_plan(parse_situation(raw, dataset), dataset, get_rules(dataset))


def test_an_emergency_plan_starts_with_a_line_to_call_then_a_mission_then_what_to_prepare():
    plan = plan_for(HONDURAS)
    assert [s.kind for s in plan.next_steps] == list(NEXT_STEPS)
    contact, ask, prepare = plan.next_steps
    assert plan.emergency is not None and contact.programme == plan.emergency.programmes[0]
    assert contact.route is not None and contact.route.kind in LINE_KINDS, "a line that reaches a person now"
    assert ask.presence is not None and ask.presence.resident, "a mission in Honduras, not one accredited from abroad"
    assert ask.recommendation in plan.recommendations
    assert ask.presence.issuer.id in {o.issuer.id for o in ask.recommendation.issuers}, "it foresees the measure"
    assert prepare.guidance == plan.checklist[0]


def test_the_next_steps_are_in_every_form_of_the_plan():
    plan = plan_for(HONDURAS)
    steps = plan_json(plan)["next_steps"]
    assert steps[0]["route"]["href"] == "tel:+35312100489", "the number dials: the (0) is dropped after +353"
    assert (steps[1]["kind"], steps[1]["issuer"], steps[1]["mission"]) == ("ask", "EU", "EU-HN")
    for text in (plan_markdown(plan), plan_text(plan)):
        top = text[: text.index("First, if your life is in danger now")]
        assert "Contact ProtectDefenders.eu now: 24/7 emergency helpline: +353 (0) 1 21 00 489" in top
        assert "https://protectdefenders.eu/en/supporting-defenders.html" in top, "where the number was read"
        assert "Ask for “" in top and "Before you contact a mission: " in top


@settings(max_examples=150, deadline=None)
@given(situations())
def test_at_most_three_next_steps_each_one_the_plan_can_back(raw):
    try:
        plan = plan_for(raw)
    except ValueError:
        return
    kinds = [s.kind for s in plan.next_steps]
    assert len(kinds) <= 3 and kinds == [k for k in NEXT_STEPS if k in kinds], kinds
    if plan.emergency is not None and plan.emergency.reachable:
        assert kinds[0] == "contact", "emergency help first when life is at risk"
    for step in plan.next_steps:
        if step.kind == "ask":
            assert step.recommendation.beyond_exposure is None, "a step never skips the caution of what goes beyond"
        if step.kind == "ask" and step.presence is not None:
            assert step.presence in plan.presence
            assert step.presence.issuer.id in {o.issuer.id for o in step.recommendation.issuers}
    # Every programme beside a measure delivers it and is for this defender; the State's own is never among them.
    for r in plan.recommendations:
        for p in r.programmes:
            assert r.support_type.id in p.support_type_ids and fits(p, plan.situation)
            assert NATIONAL_KIND not in p.kinds
    for p in plan.emergency.programmes if plan.emergency else ():
        assert p.serves(plan.situation.country), f"{p.id} does not work in {plan.situation.country}"


def test_each_measure_names_the_programmes_that_deliver_it():
    plan = plan_for(HONDURAS)
    by_measure = {r.support_type.id: {p.id for p in r.programmes} for r in plan.recommendations}
    assert "shelter-city-netherlands" in by_measure["shelter-city-programme"]
    assert {"protectdefenders-eu", "front-line-defenders"} <= by_measure["emergency-funds"]
    assert "canada-hrd-refugee-stream" in {
        p.id
        for r in plan_for(
            {**HONDURAS, "needs": ["protection-abroad"], "location": "CR", "unhcr_registered": True}
        ).recommendations
        for p in r.programmes
    }, "a refugee abroad: the resettlement stream for defenders"
    # Visas for people from one country (Belarus, Afghanistan, Russia) are not offered to a Honduran defender.
    offered = {p.id for r in plan.recommendations for p in r.programmes}
    assert not offered & {
        "lithuania-humanitarian-visas-belarus",
        "ireland-afghan-hrd-visas-2021",
        "czech-civil-society-visa-programme",
    }
    assert "rsf-assistance-desk" not in offered, "RSF's desk is for journalists"
    journalist = plan_for({**HONDURAS, "fields": ["journalism"]})
    assert "rsf-assistance-desk" in {p.id for r in journalist.recommendations for p in r.programmes}


def test_the_states_own_protection_is_shown_as_national_and_never_to_someone_who_left():
    at_home = plan_for({**HONDURAS, "country": "MX"})
    assert [p.id for p in at_home.national] == ["mexico-protection-mechanism"]
    assert plan_json(at_home)["national"] == ["mexico-protection-mechanism"]
    assert "National protection, not diplomatic support: " in plan_text(at_home)
    fled = plan_for({**HONDURAS, "country": "MX", "location": "GT"})
    assert fled.national == () and "National protection" not in plan_markdown(fled)
    assert plan_for(HONDURAS).national == (), "no mechanism in the data for Honduras"
    quiet = plan_for({**HONDURAS, "country": "MX", "authorities": "must-not-know"})
    assert quiet.national == (), "a defender who keeps the request from the authorities is not sent to them"


@pytest.mark.parametrize(
    ("country", "shown", "hidden"),
    [
        ("HN", set(), {UAF_AFRICA, UAF_ASIA_PACIFIC, UAF_WHR}),  # the Americas: none of the three serves it
        ("KE", {UAF_AFRICA}, {UAF_ASIA_PACIFIC, UAF_WHR}),
        ("PH", {UAF_ASIA_PACIFIC}, {UAF_AFRICA, UAF_WHR}),
        ("TR", {UAF_WHR, UAF_ASIA_PACIFIC}, {UAF_AFRICA}),  # Western Asia: both say they cover it
        ("EG", {UAF_AFRICA, UAF_WHR}, {UAF_ASIA_PACIFIC}),  # "the Middle East" may include Egypt: kept
        ("XK", {UAF_AFRICA, UAF_ASIA_PACIFIC, UAF_WHR}, set()),  # M49 does not place Kosovo: none is hidden
    ],
)
def test_a_regional_fund_is_offered_only_where_it_works(country, shown, hidden):
    emergency = plan_for({**KENYA_WOMEN, "country": country}).emergency
    assert emergency is not None
    offered = {p.id for p in emergency.programmes}
    assert shown <= offered and not hidden & offered, offered


def test_a_phone_link_dials_from_abroad():
    route = ContactRoute("phone", "+353 (0) 1 21 00 489", None, "https://example.org/", dt.date(2026, 12, 2))
    assert route.href == "tel:+35312100489"
    assert ContactRoute("phone", "01 21 00 489", None, "https://example.org/", route.checked).href == "tel:012100489"


def test_a_defender_abroad_who_needs_to_return_sees_the_missions_at_home(client):
    fled = {**HONDURAS, "location": "CR", "needs": ["safe-return"]}
    plan = plan_for(fled)
    serving = set(get_dataset().missions_serving("HN"))
    assert plan.home_presence and all(set(p.missions) <= serving for p in plan.home_presence), "missions for Honduras"
    assert "## For your return: missions in Honduras" in plan_markdown(plan)
    assert plan_json(plan)["home_missions"], "in the JSON too"
    body = client.post("/en/navigator/plan/", {**fled, "needs": "safe-return"}).content.decode()
    assert "Which missions to approach in Costa Rica" in body and "For your return: missions in Honduras" in body
    assert not plan_for({**HONDURAS, "location": "CR"}).home_presence, "only for a return"


def test_the_ask_step_skips_a_measure_that_goes_beyond_what_the_defender_accepts():
    """Found among generated situations: the only measure a mission near the defender foresees was one they asked
    for beyond their limits; the next step used to name it, without its caution."""
    raw = {"country": "JP", "location": "SB", "subject": "community", "urgency": "attacked", "exposure": "none"}
    plan = plan_for({**raw, "needs": ["capacity"], "company_country": "DE"})
    assert any(r.beyond_exposure for r in plan.recommendations), "the case still has a measure beyond the limits"
    ask = next(s for s in plan.next_steps if s.kind == "ask")
    assert ask.recommendation.beyond_exposure is None
