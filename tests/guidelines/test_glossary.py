"""Each language says the same thing the same way: every translation of a text that uses a glossary term uses
the established term of that language (docs/glossary.md), in the dataset's catalogues and the interface's."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
import yaml
from django.conf import settings

from amparo.guidelines import DATA_DIR

LOCALE = DATA_DIR / "locale"
INTERFACE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = sorted(p.parent.name for p in LOCALE.glob("*/glossary.yaml"))
# Short vowels, shadda and tatweel are optional in Arabic writing: a term matches with or without them.
ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def glossary(language: str) -> dict:
    return yaml.safe_load((LOCALE / language / "glossary.yaml").read_text(encoding="utf-8"))


def translations(language: str) -> list[tuple[str, str, str]]:
    """``(where, English, translation)`` of every translated entry of both kinds of catalogue."""
    found = []
    for path in sorted((LOCALE / language).glob("*.po")):
        found += [(e.msgctxt, e.msgid, e.msgstr) for e in polib.pofile(str(path)) if e.msgstr and not e.fuzzy]
    interface = INTERFACE / language / "LC_MESSAGES" / "django.po"
    if interface.is_file():
        for e in polib.pofile(str(interface)):
            if e.translated() and not e.fuzzy:
                text = " ".join(e.msgstr_plural.values()) if e.msgid_plural else e.msgstr
                found.append((f"django.po: {e.msgid[:40]}", f"{e.msgid} {e.msgid_plural or ''}", text))
    return found


def written(language: str, text: str) -> str:
    return ARABIC_MARKS.sub("", text) if language == "ar" else text


def test_every_shipped_language_has_a_glossary():
    assert {code for code, _ in settings.LANGUAGES if code != "en"} <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_glossary_is_well_formed_and_each_term_matches_itself(language):
    terms = glossary(language)["terms"]
    assert len({t["id"] for t in terms}) == len(terms) > 20
    for term in terms:
        assert re.search(term["en_pattern"], term["en"], re.I), term["id"]
        assert re.search(term["pattern"], written(language, term["term"]), re.I), term["id"]
        for wrong in term.get("avoid") or []:
            assert not re.search(term["pattern"], wrong, re.I), f"{term['id']}: its pattern accepts {wrong!r}"
        source = term.get("source")
        assert source is None or (source.get("title") and source.get("url", "").startswith("http")), term["id"]
        assert term["certain"] in (True, False) and (term["certain"] is False or source), term["id"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_use_the_established_terms(language):
    problems = []
    entries = translations(language)
    for term in glossary(language)["terms"]:
        english = re.compile(term["en_pattern"], re.I)
        established = re.compile(term["pattern"], re.I)
        avoid = [w.lower() for w in term.get("avoid") or []]
        for where, source, text in entries:
            if not english.search(source):
                continue
            # A name or title kept in English (as the rules ask) carries the English term itself.
            if not established.search(written(language, text)) and not english.search(text):
                problems.append(f"{term['id']}: {where}: {text[:120]}")
            problems += [f"{term['id']}: {where}: uses {w!r}" for w in avoid if w in text.lower()]
    assert not problems, f"{len(problems)} translations stray from the {language} glossary:\n" + "\n".join(problems)
