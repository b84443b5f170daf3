"""Full-text search: finds what a defender would type, in any case or accent, and never fails."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.guidelines.search import KINDS, search


def ids(results, kind):
    return [h.id for h in results[kind]]


def test_finds_support_types_by_word_and_prefix(dataset):
    assert "emergency-visa" in ids(search(dataset, "visa"), "support_type")
    assert "trial-observation" in ids(search(dataset, "trial observ"), "support_type")


def test_finds_issuers_by_name_and_guideline_title(dataset):
    assert ids(search(dataset, "canada"), "issuer")[0] == "CA"
    assert "CA" in ids(search(dataset, "Voices at Risk"), "issuer")


def test_is_case_and_accent_insensitive(dataset):
    assert search(dataset, "DÉMARCHE") == search(dataset, "demarche")


def test_groups_results_by_kind(dataset):
    results = search(dataset, "relocation")
    assert set(results) == set(KINDS)
    assert results["programme"] and results["support_type"]


def test_all_words_must_match(dataset):
    assert not any(search(dataset, "visa qwertyuiop").values())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_query_returns_grouped_results(dataset, query):
    results = search(dataset, query)
    assert set(results) == set(KINDS)
