"""Findings of the audit of provisions and programmes against their sources, kept fixed."""

from __future__ import annotations

import datetime as dt

import pytest

from amparo.guidelines import DataError, load_dataset


def cited(record) -> set[str]:
    return {c.source.id for c in record.citations}


def test_uk_business_engagement_rests_on_the_2019_paper_not_the_2025_summary(dataset):
    provision = dataset.provision("GB", "host-business-engagement")
    assert provision.status == "explicit"
    assert provision.guideline_id == "gb-uk-support-2019"
    assert "S28e" not in cited(provision), "the news summary of the 2025 principles does not say it"
    assert "S28h" in cited(provision)
    paper = next(g for g in dataset.issuers["GB"].guidelines if g.id == "gb-uk-support-2019")
    assert paper.url == "https://www.gov.uk/government/publications/uk-support-for-human-rights-defenders"
    assert "S28g" in cited(paper)


CANADA_CURRENT = (
    "https://www.international.gc.ca/world-monde/issues_development-enjeux_developpement/"
    "human_rights-droits_homme/rights_defenders_guide_defenseurs_droits.aspx?lang=eng"
)


def test_canadas_guideline_points_to_the_current_edition_on_the_governments_site(dataset):
    guideline = next(g for g in dataset.issuers["CA"].guidelines if g.id == "ca-voices-at-risk")
    assert guideline.url == CANADA_CURRENT
    assert guideline.url not in dataset.sources["S29a"].urls, "the older page is kept only as a source"
    assert {"S29g", "S29h"} <= cited(guideline)


def test_whether_voices_at_risk_names_trial_observation_stays_unknown_and_says_why(dataset):
    provision = dataset.provision("CA", "trial-observation")
    assert provision is not None and provision.status == "unknown", "no source read shows it, nor that it is absent"
    assert provision.uncertain is not None and "S29g" in cited(provision)


def test_the_magna_carta_fund_is_described_from_who_may_apply_not_as_a_fund_run_by_defenders(dataset):
    fund = dataset.programmes["uk-magna-carta-fund"]
    text = fund.description.get("en")
    assert "registered organisations" in text and "Individuals are not among those who may apply" in text
    assert not text.startswith("A UK fund that pays mostly for projects run by defenders")
    assert {"S28i", "S28j"} <= cited(fund), "the Foreign Office's own call and Parliament, not only MPs' letters"


TODAY = dt.date(2026, 12, 2)
READ_TODAY = {"S28a", "S28b", "S28c", "S28d", "S28e", "S28g", "S28h", "S28i", "S28j"} | {
    "S29a",
    "S29b",
    "S29c",
    "S29d",
    "S29g",
    "S29h",
}


def test_every_source_says_when_it_was_read_and_unknown_stays_unknown(dataset):
    read = {s.id: s.read for s in dataset.sources.values() if s.read}
    assert set(read) >= READ_TODAY, "the audit's sources, re-read"
    assert {s for s in read if s.startswith("S7") or s.startswith("S8")}, "the organisations' contact pages"
    # Read after the audit: the EEAS page read when Delegations were added, and the M49 regions of regional funds.
    later = {"S102": dt.date(2026, 12, 3), "S110": dt.date(2026, 12, 3)}
    audited = {d for key, d in read.items() if key not in later}
    assert audited == {TODAY}, "no date is claimed for a reading not made in this audit"
    assert {key: read.get(key) for key in later} == later
    assert dataset.sources["S0"].read is None, "not known is not guessed"


def test_a_source_without_its_read_date_is_a_data_error(data_copy):
    path = data_copy / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("S13:\n")
    path.write_text(text[:start] + text[start:].replace("  read: null\n", "", 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_dataset(data_copy)
    assert any("sources.yaml:" in str(p) and "'read' is required" in str(p) for p in caught.value.problems)


def test_last_verified_is_per_record_and_claims_only_the_checks_made(dataset):
    checked = [
        dataset.provision("GB", "host-business-engagement"),
        dataset.provision("CA", "trial-observation"),
        next(g for g in dataset.issuers["GB"].guidelines if g.id == "gb-uk-support-2019"),
        next(g for g in dataset.issuers["CA"].guidelines if g.id == "ca-voices-at-risk"),
        dataset.programmes["uk-magna-carta-fund"],
    ]
    assert all(record.last_verified == TODAY for record in checked)
    # Records of the same issuers that were not re-checked keep their date.
    assert dataset.issuers["GB"].last_verified < TODAY and dataset.issuers["CA"].last_verified < TODAY
    assert dataset.provision("GB", "trial-observation").last_verified < TODAY
    # A programme is verified today only where its own pages were read today: its contact routes say so.
    for programme in dataset.programmes.values():
        if programme.last_verified == TODAY and programme.id != "uk-magna-carta-fund":
            assert any(route.checked == TODAY for route in programme.contacts) or any(
                c.source.read == TODAY for c in programme.citations
            ), programme.id
