"""The interface translations: complete, compiled, current, and shown in the right language and direction.

The .po and .mo files live in amparo/locale and are committed, so a fresh machine runs the
site without gettext. These tests need Debian's gettext (msgfmt, xgettext, msgmerge), which
the Makefile's system-packages script installs for `make test`.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import html5lib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

from amparo.guidelines import get_dataset
from amparo.guidelines.model import Text, Translation
from amparo.web import context
from amparo.web.context import translation_notes
from amparo.web.templatetags.amparo import tr

DRAFT_NOTE = (
    "This translation is a draft: no native speaker who works in human rights has reviewed it yet. "
    "Where it is unclear, the English version is the reference."
)
INCOMPLETE_NOTE = "Some texts are not translated into this language yet: they are shown in English."

PACKAGE = Path(settings.BASE_DIR)
LOCALE = PACKAGE / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PO_FILES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def msgfmt() -> str:
    found = shutil.which("msgfmt")
    if not found:
        pytest.fail("msgfmt not found: install Debian's gettext (make test does)")
    return found


def statistics(po: Path) -> str:
    """msgfmt's check and statistics for one .po file (it writes them on stderr)."""
    run = subprocess.run(
        [msgfmt(), "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 0, f"{po}: msgfmt --check failed:\n{run.stderr}"
    return run.stderr


def assert_complete(po: Path, label: str) -> None:
    stats = statistics(po)
    assert "untranslated" not in stats, f"{label}: untranslated entries: {stats.strip()}"
    assert "fuzzy" not in stats, f"{label}: fuzzy entries (check and remove the flag): {stats.strip()}"
    assert "translated message" in stats, f"{label}: unexpected msgfmt output: {stats.strip()}"


def page(client: Client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200, path
    return html5lib.parse(response.content.decode("utf-8"), namespaceHTMLElements=False)


def text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.fixture
def client() -> Client:
    return Client()


# --- the catalogues ---------------------------------------------------------------------------


def test_every_interface_language_has_a_catalogue():
    assert {po.parent.parent.name for po in PO_FILES} == set(TRANSLATED)
    for po in PO_FILES:
        assert po.with_suffix(".mo").exists(), f"{po.with_suffix('.mo')} is missing: run compilemessages"


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(po: Path):
    assert_complete(po, str(po.relative_to(PACKAGE.parent)))


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_catalogue_header_is_filled(po: Path):
    head = po.read_text(encoding="utf-8").split("\n\n", 1)[0]
    language = po.parent.parent.name
    assert f'"Language: {language}\\n"' in head
    assert "charset=UTF-8" in head
    assert "#, fuzzy" not in head
    nplurals = {"ar": 6}.get(language, 2)
    assert f"Plural-Forms: nplurals={nplurals};" in head


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_committed_mo_is_compiled_from_the_current_po(po: Path, tmp_path: Path):
    # compilemessages runs exactly this; every machine of the project has the same gettext (Debian's).
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt(), "--check-format", "-o", str(fresh), str(po)], check=True, timeout=60)
    assert po.with_suffix(".mo").read_bytes() == fresh.read_bytes(), (
        f"{po.with_suffix('.mo')} is stale: run `cd amparo && ../.venv/bin/django-admin compilemessages`"
    )


def test_catalogues_hold_every_string_marked_in_the_code(tmp_path: Path, monkeypatch):
    """makemessages on a copy of the package finds nothing new: no marked string is left out of the .po files."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.fail("xgettext/msgmerge not found: install Debian's gettext (make test does)")
    copy = tmp_path / "amparo"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "data", "static", "*.mo"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=TRANSLATED, no_location=True, verbosity=0)
    for code in TRANSLATED:
        assert_complete(
            copy / "locale" / code / "LC_MESSAGES" / "django.po",
            f"{code} (after makemessages: translate the new strings, then compilemessages)",
        )


# --- the pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", TRANSLATED)
def test_home_page_is_in_the_language(client, code):
    with translation.override(code):
        support = translation.gettext("Support")
        title = translation.gettext("Diplomatic support for human rights defenders")
    assert support != "Support" and title != "Diplomatic support for human rights defenders", code
    root = page(client, f"/{code}/")
    assert root.tag == "html" and root.get("lang") == code
    labels = [text(a) for a in root.findall(".//header//nav//a") if a.get("href") == f"/{code}/support/"]
    assert labels == [support], f"/{code}/: the nav label for Support is {labels}, expected {support!r}"
    assert text(root.find(".//title")) == f"{title} · Amparo"
    assert text(root.find(".//h1")) == title


def test_arabic_is_right_to_left(client):
    root = page(client, "/ar/")
    assert root.tag == "html" and root.get("lang") == "ar" and root.get("dir") == "rtl"
    for code in ("en", *[c for c in TRANSLATED if c != "ar"]):
        root = page(client, f"/{code}/")
        assert root.get("dir") == "ltr", code


def test_language_switcher_links_the_same_page_in_other_languages(client):
    with translation.override("es"):
        label = translation.gettext("Language")
    root = page(client, "/es/issuers/CA/")
    navs = [n for n in root.iter("nav") if n.get("aria-label") == label]
    assert len(navs) == 1, f"no language switcher labelled {label!r}"
    links = {a.get("hreflang"): a for a in navs[0].iter("a")}
    assert links["en"].get("href") == "/en/issuers/CA/"
    assert links["ar"].get("href") == "/ar/issuers/CA/"
    assert links["fr"].get("href") == "/fr/issuers/CA/"
    assert links["ar"].get("lang") == "ar"
    assert links["es"].get("aria-current") == "true"
    assert [code for code, a in links.items() if a.get("aria-current")] == ["es"]


@pytest.mark.parametrize("code", TRANSLATED)
def test_a_text_missing_in_the_language_is_shown_in_english_and_marked(code):
    only_english = Text.of({"en": "Only in English"})
    with translation.override(code):
        assert tr(only_english) == '<span lang="en" dir="ltr">Only in English</span>'  # isolated, even in Arabic
        translated = tr(Text.of({"en": "Only in English", code: "Traduit"}))
        # a text in Latin script on a right-to-left page is isolated from the Arabic around it
        assert translated == ("<bdi>Traduit</bdi>" if translation.get_language_bidi() else "Traduit")
        assert tr(Text.of({"en": "Only in English", code: "مترجم"})) == "مترجم"


def test_a_page_says_when_its_translation_is_a_draft_or_incomplete(client, monkeypatch):
    with translation.override("es"):
        draft = translation.gettext(DRAFT_NOTE)
        incomplete = translation.gettext(INCOMPLETE_NOTE)
    root = page(client, "/es/support/")
    footer = " ".join(text(p) for p in root.findall(".//footer//p"))
    assert draft in footer
    assert (incomplete in footer) == translation_notes("es")[0]
    english = page(client, "/en/support/")
    assert not [p for p in english.iter("p") if text(p) in (DRAFT_NOTE, INCOMPLETE_NOTE)]


def test_a_complete_reviewed_translation_carries_no_note(monkeypatch):
    dataset = get_dataset()
    assert translation_notes("en") == (False, False)
    monkeypatch.setattr(context, "interface_state", lambda language: (10, 10, 0, 0))
    monkeypatch.setattr(context, "get_dataset", lambda: SimpleNamespace(translations={"es": Translation(5, 5, 0)}))
    assert context.translation_notes("es") == (False, False)
    monkeypatch.setattr(context, "get_dataset", lambda: SimpleNamespace(translations={"es": Translation(5, 4, 0)}))
    assert context.translation_notes("es") == (True, False)
    monkeypatch.setattr(context, "get_dataset", lambda: SimpleNamespace(translations={"es": Translation(5, 5, 1)}))
    assert context.translation_notes("es") == (False, True)
    monkeypatch.setattr(context, "interface_state", lambda language: (10, 10, 0, 3))
    monkeypatch.setattr(context, "get_dataset", lambda: SimpleNamespace(translations={"es": Translation(5, 5, 0)}))
    assert context.translation_notes("es") == (False, True)
    assert dataset.translations.keys() >= {code for code in TRANSLATED}  # every site language has catalogues


@pytest.mark.parametrize(("code", "separator"), [("en", ","), ("es", "."), ("pt", "."), ("fr", "\u202f"), ("ar", ",")])
def test_counts_on_a_page_group_their_digits_as_the_language_does(client, code, separator):
    missions = len(get_dataset().missions)
    assert missions >= 1000, "a count large enough to be grouped"
    page = client.get(f"/{code}/about/").content.decode()
    assert f"{missions:,}".replace(",", separator) in page and str(missions) not in page
