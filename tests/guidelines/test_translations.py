"""The dataset's translation catalogues: a translation is used only while it translates today's English,
a changed English makes it stale (and the reader gets the English, marked), drafts are known, and a broken
catalogue is a clear error of the data."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.cli import main
from amparo.guidelines import DataError, load_dataset
from amparo.guidelines.translations import (
    catalogue_name,
    changed_numbers,
    coverage,
    english_texts,
    read_catalogues,
    update_catalogues,
)
from amparo.navigator.rules import load_rules

NAME = "issuers/CA.yaml:name"  # Canada's name: a text every page of the issuer shows
TRIAL = "issuers/CA.yaml:provisions.trial-observation.note"


def po(data: Path, language: str, catalogue: str) -> polib.POFile:
    return polib.pofile(str(data / "locale" / language / f"{catalogue}.po"), wrapwidth=0)


def translate(data: Path, language: str, context: str, text: str, flags: tuple[str, ...] = ()) -> None:
    """Write one translation into a copy's catalogue, as a translator's PO editor would."""
    catalogue = po(data, language, catalogue_name(context.split(":", 1)[0]))
    entry = next(e for e in catalogue if e.msgctxt == context)
    entry.msgstr, entry.flags = text, list(flags)
    catalogue.save()


def test_every_text_has_one_context_named_by_ids_not_positions(data_copy):
    contexts = [c for items in english_texts(data_copy).values() for c, _ in items]
    assert len(contexts) == len(set(contexts)) > 1000
    assert TRIAL in contexts  # a provision is named by its support type, so inserting one moves no other
    assert "rules.yaml:rules.life-in-danger.reason" in contexts


def test_a_translation_is_shown_as_a_draft_until_reviewed(data_copy):
    translate(data_copy, "fr", NAME, "Canada (fr)")
    canada = load_dataset(data_copy).issuers["CA"].name
    assert canada.resolve("fr") == ("Canada (fr)", "fr")
    assert canada.is_draft("fr") and not canada.is_draft("en")
    translate(data_copy, "fr", NAME, "Canada (fr)", ("reviewed",))
    assert not load_dataset(data_copy).issuers["CA"].name.is_draft("fr")


def test_a_changed_english_makes_its_translation_stale_and_the_reader_gets_the_english(data_copy):
    translate(data_copy, "es", TRIAL, "Traducción de la nota.")
    note = load_dataset(data_copy).provision("CA", "trial-observation").note
    assert note.resolve("es") == ("Traducción de la nota.", "es")
    path = data_copy / "issuers" / "CA.yaml"
    text = path.read_text(encoding="utf-8")
    old = next(e.msgid for e in po(data_copy, "es", "issuers") if e.msgctxt == TRIAL)
    path.write_text(text.replace(old, old + " Changed.", 1), encoding="utf-8")

    note = load_dataset(data_copy).provision("CA", "trial-observation").note
    assert note.resolve("es") == (old + " Changed.", "en")  # stale: never shown as if it said the new English
    row = next(r for r in coverage(data_copy) if r.language == "es" and r.catalogue == "issuers")
    assert row.stale == 1

    assert update_catalogues(data_copy)["es"]["stale"] == 1
    entry = next(e for e in po(data_copy, "es", "issuers") if e.msgctxt == TRIAL)
    assert entry.msgid == old + " Changed." and entry.previous_msgid == old  # the translator sees what changed
    assert entry.fuzzy and entry.msgstr == "Traducción de la nota."  # kept for the translator, not shown
    note = load_dataset(data_copy).provision("CA", "trial-observation").note
    assert note.resolve("es")[1] == "en"


def test_a_text_that_moves_keeps_its_translation(data_copy):
    translate(data_copy, "ar", NAME, "كندا")
    path = data_copy / "issuers" / "CA.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: {en:", "name:\n  {en:", 1), encoding="utf-8")
    update_catalogues(data_copy)
    assert load_dataset(data_copy).issuers["CA"].name.resolve("ar") == ("كندا", "ar")


def test_a_rule_reason_reaches_the_plan_in_its_language(data_copy):
    translate(data_copy, "pt", "rules.yaml:rules.life-in-danger.reason", "Sua vida corre perigo.")
    rules = load_rules(load_dataset(data_copy), data_copy / "rules.yaml")
    rule = next(r for r in rules.rules if r.id == "life-in-danger")
    assert rule.reason.resolve("pt") == ("Sua vida corre perigo.", "pt")


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text.replace("\n\nmsgctxt", "\n\nnot a PO line\nmsgctxt", 1),
        lambda text: text + '\nmsgctxt "issuers/CA.yaml:name"\nmsgid "Canada"\nmsgstr "twice"\n',
        lambda text: text + '\nmsgid "no context"\nmsgstr "x"\n',
    ],
    ids=["syntax", "duplicate", "no-context"],
)
def test_a_broken_catalogue_is_an_error_with_its_file_and_nothing_half_loaded(data_copy, damage):
    path = data_copy / "locale" / "es" / "issuers.po"
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_dataset(data_copy)
    assert any("issuers.po" in str(p) for p in caught.value.problems), caught.value.problems
    result = CliRunner().invoke(main, ["data", "check", "--data-dir", str(data_copy)])
    assert result.exit_code == 2 and "issuers.po" in result.output
    assert "Traceback" not in result.output


def test_data_check_reports_coverage_per_language_and_file(data_copy):
    translate(data_copy, "fr", NAME, "Canada")
    result = CliRunner().invoke(main, ["data", "check", "--data-dir", str(data_copy)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("fr: data ") and "texts" in line for line in lines)
    total = sum(len(items) for items in english_texts(data_copy).values())
    fr = sum(r.translated for r in coverage(data_copy) if r.language == "fr")
    assert f"fr: data {fr}/{total} texts" in result.output


def test_data_check_fails_on_a_translation_that_changes_a_number(data_copy):
    english = next(e.msgid for e in po(data_copy, "es", "issuers") if e.msgctxt == "issuers/CA.yaml:summary")
    assert "2019" in english
    translate(data_copy, "es", "issuers/CA.yaml:summary", english.replace("2019", "2018"))
    result = CliRunner().invoke(main, ["data", "check", "--data-dir", str(data_copy)])
    assert result.exit_code == 2 and "2019" in result.output


def test_changed_numbers():
    phone = "+41 22 919 71 00"
    assert changed_numbers(f"Adopted in 2004, revised 2008; call {phone}.", f"Adoptées en 2004, 2008 ; {phone}.") == []
    # Each language writes its own separators: the digits, not the marks, are the fact.
    assert changed_numbers("Grants of up to €7,500 (€1.93 million in all)", "jusqu'à 7 500 € (1,93 million)") == []
    assert changed_numbers("Grants of up to €7,500", "até R$ 7.500") == []
    assert changed_numbers("Grants of up to €7,500 since 2019", "jusqu'à 75 000 € depuis 2018") == ["7,500", "2019"]
    assert changed_numbers("Section 4.2", "Section 4") == ["4.2"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200).filter(str.strip))
def test_any_translation_a_translator_writes_survives_the_catalogue(data_copy, text):
    translate(data_copy, "es", NAME, text)
    read_catalogues.__globals__["_read"].clear()  # the same second and size may not hide a new file
    assert read_catalogues(data_copy).entries["es"][NAME].text == text


def test_every_language_the_site_speaks_has_every_text_of_the_data_translated():
    from django.conf import settings as django_settings

    from amparo.guidelines import DATA_DIR

    shipped = [code for code, _ in django_settings.LANGUAGES if code != "en"]
    rows = coverage(DATA_DIR)
    for code in shipped:
        short = [f"{r.catalogue}: {r.translated}/{r.total} ({r.stale} stale)" for r in rows if r.language == code]
        assert short, f"{code} has no dataset catalogues (amparo data catalogues --language {code})"
        incomplete = [s for s, r in zip(short, [r for r in rows if r.language == code], strict=True) if r.percent < 100]
        assert not incomplete, f"{code}: {incomplete}"


def test_a_new_language_is_its_catalogues_not_code(data_copy):
    from amparo.guidelines.translations import catalogue_languages, is_right_to_left

    assert "ru" not in catalogue_languages(data_copy)
    update_catalogues(data_copy, ["ru"])
    assert catalogue_languages(data_copy)[0] == "en" and "ru" in catalogue_languages(data_copy)
    assert is_right_to_left("ar") and is_right_to_left("fa") and not is_right_to_left("ru")
