"""The missions data: every label mapped, gaps shown honestly, the 'serves' rule of SOURCES.md."""

from __future__ import annotations

import csv

from amparo.guidelines import DATA_DIR
from amparo.guidelines.countries import NOT_COUNTRIES, country_code, country_name
from amparo.guidelines.missions import rank


def test_all_rows_are_imported(dataset):
    wikidata = [m for m in dataset.missions if m.issuer_id != "EU"]
    assert len(wikidata) == 3969
    assert len({m.issuer_id for m in wikidata}) == 36


def test_every_label_maps_or_is_a_deliberate_exception():
    with (DATA_DIR / "missions.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for label in [row["sending_state"], row["receiving_country"], *row["jurisdictions"].split("|")]:
                if label:
                    code = country_code(label)  # raises on an unmapped label
                    assert code or label in NOT_COUNTRIES


def test_wikidata_labels_that_differ_from_iso_names():
    assert country_code("Republic of Ireland") == "IE"
    assert country_code("Ivory Coast") == "CI"
    assert country_code("People's Republic of China") == "CN"
    assert country_code("Bavaria") == "DE"  # a consulate's jurisdiction, inside Germany
    assert country_name("XK") == "Kosovo"


def test_a_mission_located_in_its_own_state_serves_only_its_jurisdictions(dataset):
    """30 rows have the sending State as receiving country (a Wikidata error); SOURCES.md gives the rule."""
    nauru = [m for m in dataset.missions_of("AU") if m.country == "AU" and "NR" in m.jurisdictions]
    assert nauru
    assert all(m.serves("NR") and not m.serves("AU") for m in nauru)


def test_non_resident_accreditation_counts(dataset):
    serving_honduras = {m.issuer_id for m in dataset.missions_serving("HN")}
    located_in_honduras = {m.issuer_id for m in dataset.missions if m.country == "HN"}
    assert serving_honduras > located_in_honduras


def test_the_eu_delegations_are_all_imported_one_mission_each(dataset):
    """174 rows: 125 Delegations, 3 offices and 1 Delegation to organisations, serving 171 codes from 127 hosts."""
    with (DATA_DIR / "eu-delegations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 174
    delegations = dataset.missions_of("EU")
    assert len(delegations) == 129 and dataset.issuers["EU"].has_mission_data
    kinds = [m.kind for m in delegations]
    assert (kinds.count("EU delegation"), kinds.count("EU office")) == (125, 3)
    assert len({c for m in delegations for c in m.jurisdictions}) == 171
    assert len({m.country for m in delegations}) == 127
    assert sum(len(m.jurisdictions) or 1 for m in delegations) == len(rows)  # every row is in one Delegation


def test_every_delegation_row_has_its_page(dataset):
    with (DATA_DIR / "eu-delegations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    pages = {page for m in dataset.missions_of("EU") for page in m.pages}
    assert all(row["source"].startswith(("http://", "https://")) for row in rows)
    assert {row["source"] for row in rows} == pages
    barbados = next(m for m in dataset.missions_of("EU") if m.id == "EU-BB")
    assert barbados.pages == ("https://eeas.europa.eu/barbados/about-ambassador_en?s=132",)
    assert len(barbados.jurisdictions) == 10 and barbados.city == ""  # no page read names its city


def test_delegation_caveats_are_carried(dataset):
    caveats = {m.id: m.caveat for m in dataset.missions_of("EU") if m.caveat}
    statuses = {key: c.status for key, c in caveats.items()}
    assert statuses["EU-HT"] == "evacuated" and statuses["EU-SD"] == statuses["EU-YE"] == "relocated"
    assert statuses["EU-NE"] == statuses["EU-NI"] == statuses["EU-VE"] == "no-head"
    assert statuses["EU-RU"] == "reduced"
    assert {"EU-LY", "EU-UA", "EU-SY", "EU-MM-YANGON", "EU-IQ-ERBIL", "EU-BZ-BELMOPAN"} <= set(statuses)
    source = dataset.delegations_source.source.id
    assert all(c.citations for c in caveats.values())
    assert all(c.citations[0].source.id == source for key, c in caveats.items() if key != "EU-YE")
    assert caveats["EU-YE"].citations[0].source.urls[0].startswith("https://eeas.europa.eu/")  # read on the EEAS page
    assert "evacuated" in caveats["EU-HT"].note.get("en")


def test_a_delegation_serves_the_countries_it_is_accredited_to(dataset):
    serving_bahrain = [m for m in dataset.missions_serving("BH") if m.issuer_id == "EU"]
    assert [(m.id, m.city, m.country) for m in serving_bahrain] == [("EU-SA", "Riyadh", "SA")]
    belize = [m.id for m in dataset.missions_serving("BZ") if m.issuer_id == "EU"]
    assert sorted(belize) == ["EU-BZ-BELMOPAN", "EU-JM"]


def test_the_delegation_to_organisations_serves_no_state(dataset):
    to_au = next(m for m in dataset.missions_of("EU") if m.id == "EU-ET-IO")
    assert not to_au.serves("ET") and to_au.jurisdictions == ()
    assert [m.id for m in dataset.missions_serving("ET") if m.issuer_id == "EU"] == ["EU-ET"]


def test_eu_presence_without_a_row_is_unknown_not_absent(dataset):
    assert not [m for m in dataset.missions_serving("AR") if m.issuer_id == "EU"]  # a gap of the partial list
    assert dataset.delegations_source.directory.urls == ("http://eeas.europa.eu/background/organisation/index_en.htm",)


def test_honorary_consulates_are_kept_apart_and_ranked_last(dataset):
    missions = dataset.missions_of("DE")
    honorary = [m for m in missions if m.honorary]
    embassies = [m for m in missions if m.kind == "embassy"]
    assert honorary and embassies
    assert max(rank(m) for m in embassies) < min(rank(m) for m in honorary)
