"""Findings of the audit of provisions and programmes against their sources, kept fixed."""

from __future__ import annotations


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
