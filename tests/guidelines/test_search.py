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


def test_finds_a_word_by_its_stem_in_the_page_language(dataset):
    # "trials" and "observing" share only their stems with "Trial observation".
    assert "trial-observation" in ids(search(dataset, "observing trials"), "support_type")
    assert "trial-observation" in ids(search(dataset, "OBSERVING TRIALS"), "support_type")


def test_spanish_and_french_searches_stem_and_fold_their_own_words(data_copy):
    from amparo.guidelines import load_dataset
    from tests.guidelines.test_translations import translate

    translate(
        data_copy,
        "es",
        "taxonomy.yaml:categories.targeted.groups.targeted-public.support_types.trial-observation.name",
        "Observación de juicios",
    )
    translate(
        data_copy,
        "fr",
        "taxonomy.yaml:categories.targeted.groups.targeted-public.support_types.detention-visit.name",
        "Visites en détention",
    )
    translated = load_dataset(data_copy)
    assert "trial-observation" in ids(search(translated, "juicio", "es"), "support_type")
    assert "trial-observation" in ids(search(translated, "JUICIOS", "es"), "support_type")
    assert "detention-visit" in ids(search(translated, "détentions", "fr"), "support_type")
    assert "detention-visit" in ids(search(translated, "DETENTION", "fr"), "support_type")
    # The English index is not the Spanish one: an English page does not find the Spanish word.
    assert "trial-observation" not in ids(search(translated, "juicio", "en"), "support_type")


def test_a_defender_finds_the_measures_in_their_own_language(dataset):
    # The shipped translations: what a defender types in Spanish, French, Portuguese or Arabic finds the measure.
    for language, query, measure in [
        ("es", "juicio", "trial-observation"),
        ("es", "emergencia", "emergency-funds"),
        ("fr", "détention", "detention-visit"),
        ("fr", "detention", "detention-visit"),
        ("fr", "procès", "trial-observation"),
        ("pt", "julgamento", "trial-observation"),
        ("ar", "محاكمة", "trial-observation"),
        ("ar", "الاحتجاز", "detention-visit"),
    ]:
        assert measure in ids(search(dataset, query, language), "support_type"), (language, query)
    assert any(search(dataset, "amenaza", "es").values())
