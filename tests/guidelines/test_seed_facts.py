"""Every fact the seed states is encoded, with the seed (S0) as a source, and nuanced where research says so."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

SEED_FACTS = yaml.safe_load((Path(__file__).with_name("seed_measures.yaml")).read_text(encoding="utf-8"))
SEED_ISSUERS = set(SEED_FACTS["issuers"])


def seed_items() -> dict[str, list[str]]:
    """The seed's measures (category.group[.bullet]) and the support types that encode each.

    A fixture of facts taken from the seed once, so that dropping or merging a measure fails here.
    """
    return {m["measure"]: m["support_types"] for measures in SEED_FACTS["categories"].values() for m in measures}


def test_seed_taxonomy_is_complete_in_the_fixture():
    per_category = {name: len(measures) for name, measures in SEED_FACTS["categories"].items()}
    # 7 targeted items (1+1+4+1), 20 general (1+2+7+2+3+4+1), 8 exceptional (4 groups + 2 + 2).
    assert per_category == {"targeted": 7, "general": 20, "exceptional": 8}
    ids = [m["measure"] for measures in SEED_FACTS["categories"].values() for m in measures]
    assert len(ids) == len(set(ids)), "a measure is listed twice"
    for name, measures in SEED_FACTS["categories"].items():
        assert all(m["measure"].startswith(f"{name}.") and m["support_types"] for m in measures)
    encoded = Counter(s for types in seed_items().values() for s in types)
    assert max(encoded.values()) == 1, "a support type encodes one measure"


def test_every_seed_measure_is_a_support_type_and_none_merged(dataset):
    items = seed_items()
    covered = defaultdict(list)
    for support_type in dataset.support_types.values():
        if support_type.seed_item is not None:
            assert support_type.seed_item in items, (
                f"{support_type.id} points at {support_type.seed_item}, not in the seed"
            )
            covered[support_type.seed_item].append(support_type.id)
    missing = set(items) - set(covered)
    assert not missing, f"seed measures without a support type: {sorted(missing)}"
    # Not merged: each measure is encoded by the support types the fixture names, no fewer, and
    # the groups of the dataset are the seed's groups.
    assert {item: sorted(ids) for item, ids in covered.items()} == {k: sorted(v) for k, v in items.items()}
    seed_groups = {tuple(key.split(".")[:2]) for key in items}
    data_groups = {(c.id, str(g.number)) for c in dataset.categories for g in c.groups}
    assert data_groups == seed_groups


def test_every_support_type_has_the_attributes_advice_needs(dataset):
    for s in dataset.support_types.values():
        assert s.visibility in {"discreet", "formal", "public"}
        assert s.urgency in {"preventive", "responsive", "emergency"}
        assert s.serves in {"individual", "collective", "both"}
        assert s.citations, s.id


def test_last_resort_measures_are_labelled(dataset):
    for sid in ("emergency-visa", "humanitarian-residence-permit", "asylum-from-abroad"):
        assert dataset.support_types[sid].last_resort


def test_asylum_from_abroad_requires_unhcr_registration(dataset):
    conditions = " ".join(str(n.text) for n in dataset.support_types["asylum-from-abroad"].preconditions)
    assert "UNHCR" in conditions


def explicit_from_seed(dataset, support_type_id: str) -> set[str]:
    return {
        p.issuer_id
        for p in dataset.provisions_for(support_type_id)
        if p.status == "explicit" and any(c.source.id == "S0" for c in p.citations)
    }


def test_grants_explicitly_referenced_by_the_six_issuers_the_seed_names(dataset):
    assert explicit_from_seed(dataset, "financial-support") == set(SEED_FACTS["credited"]["financial-support"])


def test_refugee_applications_from_abroad_only_canada_and_norway(dataset):
    explicit = {
        p.issuer_id for p in dataset.provisions_for("asylum-from-abroad") if p.status in ("explicit", "inherited")
    }
    assert explicit == set(SEED_FACTS["credited"]["asylum-from-abroad"])


@pytest.mark.parametrize("issuer", SEED_FACTS["credited"]["asylum-from-abroad"])
def test_sources_that_nuance_the_seed_on_asylum_are_shown_beside_it(dataset, issuer):
    provision = dataset.provision(issuer, "asylum-from-abroad")
    assert any(c.source.id == "S0" for c in provision.citations)
    assert provision.nuances, "the research says neither takes direct applications: show it"
    nuance_sources = {c.source.id for n in provision.nuances for c in n.citations}
    assert "S0" not in nuance_sources
    text = " ".join(str(n.text) for n in provision.nuances)
    assert "UNHCR" in text


def test_canada_nuance_gives_the_places_of_its_refugee_stream(dataset):
    text = " ".join(str(n.text) for n in dataset.provision("CA", "asylum-from-abroad").nuances)
    assert "250" in text and "500" in text and "2021" in text


def test_engaging_specific_companies_is_canada(dataset):
    assert explicit_from_seed(dataset, "company-intervention") == set(SEED_FACTS["credited"]["company-intervention"])


def test_issuers_the_seed_lists_for_exceptional_support(dataset):
    listed = {
        i.id
        for i in dataset.issuers.values()
        for cp in i.category_provisions
        if cp.category_id == "exceptional" and any(c.source.id == "S0" for c in cp.citations)
    }
    assert listed == SEED_ISSUERS


def test_every_issuer_the_seed_names_is_in_the_dataset_and_marked(dataset):
    named = {i.id for i in dataset.issuers.values() if i.named_in_seed}
    assert named == SEED_ISSUERS


def test_us_fact_sheet_of_2017_and_guideline_not_public(dataset):
    us = dataset.issuers["US"]
    fact_sheets = [g for g in us.guidelines if g.year == 2017]
    assert len(fact_sheets) == 1
    assert fact_sheets[0].title == "U.S. Support for Human Rights Defenders"
    assert fact_sheets[0].public is True
    assert any(g.public is False and any(c.source.id == "S0" for c in g.citations) for g in us.guidelines)


def test_issuers_documented_by_the_research_are_present(dataset):
    for issuer_id in ("GB", "FR", "LT", "LU", "OSCE", "MX", "CO", "SE"):
        assert issuer_id in dataset.issuers


def test_domestic_programmes_are_labelled_as_such(dataset):
    for issuer_id in ("BR", "MX", "CO"):
        assert dataset.issuers[issuer_id].policy == "domestic_programme"


def test_eu_member_states_inherit_the_eu_guidelines(dataset):
    followed = {g.id for g in dataset.issuers["EU"].guidelines if g.member_states_follow}
    eu_explicit = {
        p.support_type_id for p in dataset.provisions_of("EU") if p.status == "explicit" and p.guideline_id in followed
    }
    assert len(eu_explicit) == 13  # 12, and meetings at the mission, split from events and visits
    members = [i for i in dataset.issuers.values() if i.eu_member]
    assert len(members) == 27
    for member in members:
        for support_type_id in eu_explicit:
            assert dataset.status(member.id, support_type_id) in {"explicit", "inherited"}
    inherited = dataset.provision("BG", "trial-observation")
    assert inherited.status == "inherited" and inherited.inherited_from == "EU"
    assert dataset.status("CA", "trial-observation") != "inherited"


def test_mexico_case_story_supporters_recorded(dataset):
    supporters = {
        p.issuer_id
        for p in dataset.provisions_for("public-statement")
        if any(c.source.id == "S0" and "Mexico" in (c.locator or "") for c in p.citations)
    }
    assert set(SEED_FACTS["credited"]["public-statement-mexico"]) <= supporters


def test_uncertain_facts_stay_marked(dataset):
    eu_guideline = dataset.issuers["EU"].guidelines[0]
    assert any(g.uncertain for g in dataset.issuers["EU"].guidelines), eu_guideline.title
    assert any(n.uncertain for n in dataset.edition.notes), "the unnamed 'not public' issuer stays an open question"


def test_guidance_is_complete(dataset):
    assert len(dataset.guidance_of_kind("ten_things")) == 10
    assert len(dataset.guidance_of_kind("qa")) == 8
    assert len(dataset.guidance_of_kind("case_story")) == 2
    assert len(dataset.guidance_of_kind("holistic")) == 6
    assert len(dataset.guidance_of_kind("collective")) == 6
    for item in dataset.guidance.values():
        assert item.citations


def test_every_provision_and_programme_has_a_source_and_a_date(dataset):
    for provision in dataset.provisions:
        assert provision.citations and provision.last_verified
    for programme in dataset.programmes.values():
        assert programme.citations and programme.last_verified


def test_emergency_programmes_exist_with_sources(dataset):
    emergency = {p.id for p in dataset.programmes.values() if p.emergency}
    assert len(emergency) >= 3


def test_the_asylum_answer_shows_the_seed_and_its_nuance_each_with_its_sources(dataset):
    item = dataset.guidance["asylum-from-abroad"]
    assert {c.source.id for c in item.citations} == {"S0"}
    nuance_sources = {c.source.id for n in item.nuances for c in n.citations}
    assert {"S18", "S30a"} <= nuance_sources and "S0" not in nuance_sources
