"""Giving money to the Lifeline fund is one fact, recorded once: on the programme, never per donor."""

from __future__ import annotations

LIFELINE = "lifeline-embattled-cso-assistance-fund"
# The government donors the research names (shared/research/guidelines-facts.md, Lifeline) that have an issuer file.
DONORS = {"US", "CA", "CZ", "DK", "EE", "LV", "LT", "LU", "NL", "NO", "PL", "SE", "GB"}


def test_lifeline_donors_are_the_programmes_issuers(dataset):
    programme = dataset.programmes[LIFELINE]
    assert set(programme.issuer_ids) == DONORS
    for issuer_id in DONORS:
        assert programme in dataset.programmes_of(issuer_id), "the issuer's page lists it under programmes"
    assert "not to an embassy" in programme.description.get("en"), "who gives the grants is said once, here"
    assert programme.uncertain is not None, "the donor lists are old"


def test_no_issuer_restates_lifeline_as_a_provision_or_a_caveat(dataset):
    lifeline_sources = {c.source.id for c in dataset.programmes[LIFELINE].citations}
    for provision in dataset.provisions:
        cited = {c.source.id for c in provision.citations}
        assert not cited & lifeline_sources, f"{provision.issuer_id} {provision.support_type_id} cites Lifeline"
        assert "Lifeline" not in (provision.note.get("en") if provision.note else "")
    for issuer in dataset.issuers.values():
        for note in issuer.caveats:
            assert "Lifeline" not in note.text.get("en"), issuer.id
            assert not {c.source.id for c in note.citations} & lifeline_sources, issuer.id
