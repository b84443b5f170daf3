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
