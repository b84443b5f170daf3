"""Which missions a plan offers: the issuers of its first measures, those in the country first, at most
ISSUERS_SHOWN shown and the rest folded; EU Delegations for the EU, with their caveats, or the EEAS page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.test import Client

from amparo.navigator import get_rules, make_plan, parse_situation
from amparo.navigator.plan import ISSUERS_SHOWN, MISSIONS_SHOWN, TOP_MEASURES
from amparo.navigator.render import plan_json, plan_markdown
from tests.web.test_navigator import SITUATION, form_data

EEAS = "http://eeas.europa.eu/background/organisation/index_en.htm"
PRESSURE = {"subject": "individual", "urgency": "pressure", "exposure": "formal", "threats": ["stigmatisation"]}


@pytest.fixture
def client():
    return Client()


def _plan(dataset, **situation):
    return make_plan(parse_situation(situation, dataset), dataset, get_rules(dataset))


def _missions_section(body: str) -> str:
    start = body.index("Which missions to approach in")
    return body[start : body.index("About this list", start)]


def _shown_and_folded(section: str) -> tuple[str, str]:
    if "<details>" not in section:
        return section, ""
    return section[: section.index("<details>")], section[section.index("<details>") :]


def _page(client, situation: dict) -> str:
    return client.post("/en/navigator/plan/", form_data(situation)).content.decode()


def _issuer_item(section: str, issuer_id: str) -> str:
    start = section.index(f'href="/en/issuers/{issuer_id}/"')
    return section[start : section.index("</li>", start)]


def test_only_the_issuers_of_the_first_measures(dataset):
    scenarios = yaml.safe_load((Path(__file__).parents[1] / "navigator" / "scenarios.yaml").read_text("utf-8"))
    lawyer = next(s["situation"] for s in scenarios if s["id"] == "detained-human-rights-lawyer")
    plan = _plan(dataset, **lawyer)
    top = [r for r in plan.recommendations if r.issuers][:TOP_MEASURES]
    foreseeing = {o.issuer.id for r in top for o in r.issuers}
    assert {p.issuer.id for p in plan.presence} == foreseeing
    later = {o.issuer.id for r in plan.recommendations for o in r.issuers} - foreseeing
    assert "CA" in later, "Canada foresees only the public statement, far down this plan"


@pytest.mark.parametrize("where", ["HN", "BZ", "KE", "CR", "AR", "PK"])
def test_resident_missions_come_first(dataset, where):
    plan = _plan(dataset, country=where, **PRESSURE)
    groups = [0 if p.resident else 1 if p.known else 2 for p in plan.presence]
    assert groups == sorted(groups)
    for presence in plan.presence:
        assert presence.resident == any(m.country == where for m in presence.missions)
        located = [m.country != where for m in presence.missions]
        assert located == sorted(located), "an issuer's missions in the country come before those elsewhere"
        assert len(presence.missions) <= MISSIONS_SHOWN and all(m.serves(where) for m in presence.missions)


def test_a_plan_lists_the_eu_delegation_serving_the_country(client, dataset):
    plan = _plan(dataset, country="KE", **PRESSURE)
    eu = next(p for p in plan.presence if p.issuer.id == "EU")
    assert [m.id for m in eu.missions] == ["EU-KE"] and eu.resident
    entry = next(e for e in plan_json(plan)["missions"] if e["issuer"] == "EU")
    assert entry["missions"] == [{"id": "EU-KE", "city": "Nairobi", "country": "KE", "kind": "EU delegation"}]
    body = client.post("/en/navigator/plan/", form_data({"country": "KE", **PRESSURE})).content.decode()
    assert "EU Delegation, Nairobi" in _issuer_item(_missions_section(body), "EU")


def test_a_delegation_accredited_from_elsewhere_is_named_with_its_country(client):
    body = client.post("/en/navigator/plan/", form_data({"country": "BH", **PRESSURE})).content.decode()
    assert "EU Delegation, Riyadh (Saudi Arabia)" in _issuer_item(_missions_section(body), "EU")


def test_an_evacuated_delegation_is_shown_as_such(client, dataset):
    plan = _plan(dataset, country="HT", **PRESSURE)
    entry = next(e for e in plan_json(plan)["missions"] if e["issuer"] == "EU")
    assert entry["missions"][0]["status"] == "evacuated" and "evacuated" in entry["missions"][0]["note"]
    item = _issuer_item(_missions_section(_page(client, {"country": "HT", **PRESSURE})), "EU")
    assert '<span class="tag warn">evacuated</span>' in item and "work from abroad" in item
    assert "evacuated" in plan_markdown(plan)


@pytest.mark.parametrize("where", ["KE", "MX", "PH", "HN", "CR"])
def test_never_more_than_the_limit_unfolded(client, dataset, where):
    body = client.post("/en/navigator/plan/", form_data(SITUATION | {"country": where})).content.decode()
    shown, folded = _shown_and_folded(_missions_section(body))
    plan = _plan(dataset, **(SITUATION | {"country": where}))
    assert len(plan.presence) > ISSUERS_SHOWN, "the test needs a plan with more issuers than are shown"
    assert shown.count("<li>") == ISSUERS_SHOWN
    assert folded.count("<li>") == len(plan.presence) - ISSUERS_SHOWN
    assert f"{len(plan.presence) - ISSUERS_SHOWN} more countries or organisations</summary>" in folded
    assert "<script" not in _missions_section(body)


def test_the_heading_names_where_the_defender_is_now(client):
    data = form_data(SITUATION | {"country": "NI", "location": "CR"})
    body = client.post("/en/navigator/plan/", data).content.decode()
    assert re.search(r"<h2>Which missions to approach in Costa Rica</h2>", body)
    body = client.post("/en/navigator/plan/", form_data(SITUATION | {"country": "NI"})).content.decode()
    assert re.search(r"<h2>Which missions to approach in Nicaragua</h2>", body)


def test_the_eu_without_a_delegation_in_the_list_links_the_eeas_not_not_known(client, dataset):
    plan = _plan(dataset, country="AR", **PRESSURE)
    eu = next(p for p in plan.presence if p.issuer.id == "EU")
    assert not eu.known and eu.directory == EEAS
    assert next(e for e in plan_json(plan)["missions"] if e["issuer"] == "EU")["directory"] == EEAS
    item = _issuer_item(_missions_section(_page(client, {"country": "AR", **PRESSURE})), "EU")
    assert f'href="{EEAS}"' in item and "the EU has Delegations in most countries" in item
    assert "not known from this data" not in item


def test_inside_the_union_the_eu_has_no_delegation_to_point_to(dataset):
    plan = _plan(dataset, country="HU", **PRESSURE)
    eu = next((p for p in plan.presence if p.issuer.id == "EU"), None)
    assert eu is None or (not eu.known and eu.directory is None)


def test_the_letter_form_offers_every_issuer_of_the_missions_and_delegations(client, dataset):
    situation = {"country": "AR", **PRESSURE}
    plan = _plan(dataset, **situation)
    body = client.post("/en/letter/", form_data(situation) | {"details": "1"}).content.decode()  # the letter page
    form = body[body.index('id="l-recipient"') :]
    form = form[: form.index("</select>")]
    for presence in plan.presence:  # also those without a known mission, such as the EU here
        assert f'<option value="{presence.issuer.id}"' in form
    assert not next(p for p in plan.presence if p.issuer.id == "EU").known


@pytest.mark.django_db(transaction=True)
def test_a_letter_to_an_eu_delegation_is_addressed_to_it(client):
    situation = {"country": "KE", **PRESSURE}
    data = form_data(situation) | {"recipient": "EU-KE", "format": "md", "public_consent": "discreet"}
    response = client.post("/en/letter/", data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Delegation of the European Union" in text and "Nairobi, Kenya" in text
