"""The missions data: every label mapped, gaps shown honestly, the 'serves' rule of SOURCES.md."""

from __future__ import annotations

import csv

from amparo.guidelines import DATA_DIR
from amparo.guidelines.countries import NOT_COUNTRIES, country_code, country_name
from amparo.guidelines.missions import rank


def test_all_rows_are_imported(dataset):
    assert len(dataset.missions) == 3969
    assert len({m.issuer_id for m in dataset.missions}) == 36


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


def test_eu_presence_is_unknown_not_absent(dataset):
    assert dataset.missions_of("EU") == ()
    assert not dataset.issuers["EU"].has_mission_data


def test_honorary_consulates_are_kept_apart_and_ranked_last(dataset):
    missions = dataset.missions_of("DE")
    honorary = [m for m in missions if m.honorary]
    embassies = [m for m in missions if m.kind == "embassy"]
    assert honorary and embassies
    assert max(rank(m) for m in embassies) < min(rank(m) for m in honorary)
