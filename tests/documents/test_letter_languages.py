"""Request letters in every language of the site: translated sentences, dates and names, right to left in Arabic.

A letter's language is chosen apart from the page's (the form's choice, ``--lang``, the API's
``language``). Each format is read back as in ``test_letters``: PDFs with pdftotext, DOCX with
python-docx, HTML with an HTML parser, Markdown un-escaped.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.dates import MONTHS as DJANGO_MONTHS
from django.utils.formats import date_format
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from amparo.cli.letters import letter as letter_command
from amparo.documents.letter.compose import build_letter
from amparo.documents.letter.language import ARTICLES, Words, issuer_forms
from amparo.documents.letter.model import Letter
from amparo.documents.letter.render import letter_data, letter_docx, letter_html, letter_pdf
from amparo.guidelines import get_dataset
from amparo.guidelines.model import Dataset
from amparo.guidelines.words import LANGUAGES, MONTH_NAMES
from tests.documents.test_letters import (
    SITUATION,
    _plan,
    api,
    body_paragraphs,
    form_data,
    letter_requests,
    md_unescape,
    request,
    sentence_problems,
    squash,
    texts,
)
from tests.web.test_pages import PageParser

OTHERS = tuple(language for language in LANGUAGES if language != "en")
# Letters that between them say every kind of sentence a letter has: a guideline of the issuer's own, a nuance and
# a measure it does not name (CA); member States that act on the EU's guidelines (BG); an EU member with a guideline
# of its own, so also covered by the EU's (NL); support with no public guideline (DE); several documents (US).
CASES = {
    "CA": ("company-intervention", "trial-observation", "asylum-from-abroad"),
    "BG": ("trial-observation", "public-statement", "awards"),
    "NL": ("trial-observation", "detention-visit"),
    "DE": ("demarche", "detention-visit"),
    "US": ("public-statement", "awards"),
}
FACTS = {
    "country": "PH",
    "court": "Regional Trial Court",
    "hearing_date": "2027-03-01",
    "detention_place": "Camp Crame",
    "facts": "Raid 2026",
    "contact": "Signal",
    "confidential": "X",
    "follow_up": "Zoom",
    "sender": "Ana",
    "organisation": "Red Defensoras",
}
# Words only English has: any of them left in a Spanish, French or Portuguese letter is an untranslated sentence.
ENGLISH = re.compile(
    r"\b(?:the|and|your|which|please|this|that|with|would|what|have|from|our|any|must|may|ask|write|writing"
    r"|letter|measure|guidelines|support|defenders?|provide|includes|foresees?|agreement|consent)\b",
    re.I,
)
LAM_ALEF = re.compile("ل([اأإآ])")


def _letter(dataset: Dataset, language: str, issuer: str, **fields) -> Letter:
    mission = next((m.id for m in dataset.missions_of(issuer) if m.kind == "embassy"), None)
    data = {"issuer": issuer, "mission": mission, "support_types": list(CASES[issuer]), "language": language}
    return build_letter(request(dataset, **(data | FACTS | fields)), dataset)


@pytest.fixture(scope="module")
def letters(dataset) -> dict[tuple[str, str], Letter]:
    return {
        (language, issuer): _letter(dataset, language, issuer, public_consent="none")
        for language in LANGUAGES
        for issuer in CASES
    }


def _official(letter: Letter, dataset: Dataset) -> list[str]:
    """What stays as it is in a letter in any language: titles, typed text, the data's names of places."""
    kept = [g.title for g in letter.guidelines] + [str(v) for v in FACTS.values()] + ["Amparo"]
    kept += [m.city for m in dataset.missions_of(letter.issuer_id) if m.id == letter.mission_id and m.city]
    return sorted(kept, key=len, reverse=True)


def _body(letter: Letter) -> str:
    """Every sentence the letter composes (its sources list aside: labels and locators come from the data)."""
    lines = [*letter.addressee, letter.subject, letter.salutation, letter.closing, letter.note, letter.date_text]
    lines += [s.heading for s in letter.sections if s.heading] + body_paragraphs(letter)
    return "\n".join(lines)


def _without(text: str, kept: list[str]) -> str:
    for value in kept:
        text = text.replace(value, " ")
    return text


# Sentences ------------------------------------------------------------------------------------------------------
def test_a_letter_may_be_written_in_every_language_of_the_site():
    assert {code for code, _name in settings.LANGUAGES} == set(LANGUAGES)


@pytest.mark.parametrize("language", OTHERS)
@pytest.mark.parametrize("issuer", list(CASES))
def test_no_english_sentence_is_left_in_a_translated_letter(dataset, letters, language, issuer):
    letter = letters[(language, issuer)]
    english = letters[("en", issuer)]
    left = _without(_body(letter), _official(letter, dataset))
    if language == "ar":
        assert not re.findall(r"[A-Za-z]{2,}", left), "only titles, names and typed text are in Latin letters"
    else:
        assert not ENGLISH.findall(left), ENGLISH.findall(left)
    for ours, theirs in zip(body_paragraphs(letter), body_paragraphs(english), strict=True):
        assert ours != theirs
    assert letter.salutation != english.salutation and letter.subject != english.subject


@pytest.mark.parametrize("language", OTHERS)
def test_measure_names_and_source_labels_come_from_the_dataset_in_the_letters_language(dataset, letters, language):
    letter = letters[(language, "CA")]
    for measure in letter.measures:
        assert measure.name == dataset.support_types[measure.support_type_id].name.get(language)
    for reference in letter.references:
        assert reference.label == dataset.sources[reference.source_id].label.get(language)
    titles = [g.title for g in dataset.issuers["CA"].guidelines if g.public is True]
    assert [g.title for g in letter.guidelines] == titles, "titles stay in their official language"
    assert all(t in " ".join(body_paragraphs(letter)) for t in titles)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("issuer", ["CA", "BG"])
def test_a_letter_renders_in_every_language_in_every_format(dataset, letters, language, issuer, tmp_path):
    letter = letters[(language, issuer)]
    _ = Words(language)
    expected = [letter.subject, letter.salutation, letter.closing, letter.date_text, *letter.addressee]
    expected += [_("Guidelines cited"), _("Sources"), _("Security and confidentiality")]
    expected += [m.name for m in letter.measures] + [g.title for g in letter.guidelines]
    for fmt, text in texts(letter, tmp_path).items():
        flat = squash(text)
        for needle in map(squash, expected):
            if fmt == "pdf":
                # pdftotext drops a hyphen where a line wraps; in Arabic it swaps the letters of a lam-alef (as
                # below) and moves a space or a comma where a run of Latin letters or digits meets Arabic.
                flat, needle = flat.replace("-", ""), needle.replace("-", "")
                if language == "ar":
                    words = re.split(r"[\s،]+", LAM_ALEF.sub(r"\1ل", needle))
                    assert all(word in flat.replace(" ", "") for word in words), (fmt, needle)
                    continue
            assert needle in flat, (fmt, needle)
    assert letter_data(letter)["language"] == language


# Names and dates -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("en", 3, "3 December 2026"),
        ("es", 3, "3 de diciembre de 2026"),
        ("fr", 3, "3 décembre 2026"),
        ("pt", 3, "3 de dezembro de 2026"),
        ("ar", 3, "3 ديسمبر 2026"),
        ("en", 1, "1 December 2026"),
        ("es", 1, "1 de diciembre de 2026"),
        ("fr", 1, "1er décembre 2026"),
        ("pt", 1, "1º de dezembro de 2026"),
        ("ar", 1, "1 ديسمبر 2026"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(language, day, expected):
    assert Words(language).date(dt.date(2026, 12, day)) == expected


@pytest.mark.parametrize("language", OTHERS)
def test_month_names_are_those_of_djangos_own_catalogue(language):
    """Our month names, checked against the translations Django ships (hamza and capitals aside: Django writes
    Portuguese months with capitals, which Brazil does not, and one Arabic month with another alef)."""

    def same(name: str) -> str:
        return re.sub("[أإآ]", "ا", name).lower()

    with translation.override(language):
        theirs = [str(DJANGO_MONTHS[n]) for n in range(1, 13)]
    ours = [Words(language).pgettext("month in a date", name) for name in MONTH_NAMES]
    assert [same(n) for n in ours] == [same(n) for n in theirs]
    if language != "ar":  # and Django's date format, where it writes dates as the letter does (Arabic's has a comma)
        for date in (dt.date(2026, 12, 3), dt.date(2027, 3, 25)):
            with translation.override(language):
                theirs_date = date_format(date, "DATE_FORMAT")
            assert Words(language).date(date).lower() == theirs_date.lower()


@pytest.mark.parametrize(
    ("language", "issuer", "addressee"),
    [
        ("es", "US", "Embajada de los Estados Unidos"),
        ("es", "GB", "Embajada del Reino Unido"),
        ("es", "CA", "Embajada de Canadá"),
        ("fr", "CA", "Ambassade du Canada"),
        ("fr", "US", "Ambassade des États-Unis"),
        ("fr", "FR", "Ambassade de France"),
        ("fr", "DE", "Ambassade d’Allemagne"),
        ("fr", "CZ", "Ambassade de la République tchèque"),
        ("fr", "CY", "Ambassade de Chypre"),
        ("pt", "CA", "Embaixada do Canadá"),
        ("pt", "US", "Embaixada dos Estados Unidos"),
        ("pt", "DE", "Embaixada da Alemanha"),
        ("pt", "PT", "Embaixada de Portugal"),
        ("ar", "CA", "سفارة كندا"),
        ("ar", "US", "سفارة الولايات المتحدة"),
    ],
)
def test_the_addressee_names_the_issuer_as_the_language_does(dataset, language, issuer, addressee):
    letter = build_letter(request(dataset, issuer=issuer, support_types=["awards"], language=language), dataset)
    assert letter.addressee == (addressee,)


def test_each_issuer_a_letter_may_go_to_has_its_article_in_french_and_portuguese(dataset):
    writable = {
        i.id
        for i in dataset.issuers.values()
        if any(p.status in ("explicit", "inherited") for p in dataset.provisions_of(i.id))
    }
    assert writable - set(ARTICLES["fr"]) == {"CY", "MT"}, "Chypre and Malte alone take no article"
    assert writable - set(ARTICLES["pt"]) == {"CY", "MT", "PT"}, "Chipre, Malta and Portugal alone take none"
    france = issuer_forms(dataset.issuers["FR"], "fr")
    assert france == {"issuer": "la France", "of_issuer": "de France", "issuer_s": "de la France"}


def test_a_mission_is_addressed_in_the_letters_language(dataset):
    mission = next(m for m in dataset.missions_of("DE") if m.kind == "consulate general" and m.city)
    for language, expected in [("es", "Consulado general de Alemania"), ("ar", "قنصلية ألمانيا العامة")]:
        letter = build_letter(
            request(dataset, issuer="DE", mission=mission.id, support_types=["demarche"], language=language), dataset
        )
        assert letter.addressee[0] == expected and letter.addressee[1].startswith(mission.city)


@hypothesis_settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=letter_requests, language=st.sampled_from(OTHERS))
def test_no_combination_of_optional_parts_breaks_a_sentence_in_any_language(fields, language):
    dataset = get_dataset()
    letter = build_letter(request(dataset, **fields, language=language), dataset)
    for paragraph in body_paragraphs(letter):
        for line in paragraph.split("\n"):
            problems = [p for p in sentence_problems(line) if p != "dangling and"]  # an English check
            assert not problems, (problems, line)
        assert paragraph.endswith((".", "?")), paragraph
    given_facts = [v for k, v in fields.items() if k in ("court", "detention_place", "facts") and v]
    assert all(value in "\n".join(body_paragraphs(letter)) for value in given_facts), "a fact told is never dropped"


# Right to left ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_html_letter_says_its_language_and_direction(letters, language):
    document = letter_html(letters[(language, "CA")])
    parser = PageParser()
    parser.feed(document)
    assert parser.h1 == 1 and not parser.problems and parser.html_lang == language
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in document


def test_an_arabic_docx_runs_right_to_left_and_a_french_one_does_not(letters):
    for language, rtl in (("ar", True), ("fr", False)):
        document = docx.Document(io.BytesIO(letter_docx(letters[(language, "BG")])))
        assert document.core_properties.language == language
        paragraphs = [p for p in document.paragraphs if p.text]
        bidi = [p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None for p in paragraphs]
        assert all(bidi) if rtl else not any(bidi), language
        assert all(run.font.rtl for p in paragraphs for run in p.runs) == rtl
    arabic = docx.Document(io.BytesIO(letter_docx(letters[("ar", "BG")])))
    lang = arabic.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:bidi")) == "ar-SA", "Word checks the Arabic text as Arabic"


def _lines(pdf: bytes, tmp_path: Path) -> list[tuple[float, float, str]]:
    """``(left, right, text)`` of each line of page 1, as pdftotext lays them out."""
    path = tmp_path / "bbox.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    found = []
    for line in re.findall(r"<line ([^>]*)>(.*?)</line>", out, re.S):
        box = dict(re.findall(r'(\w+)="([\d.]+)"', line[0]))
        words = re.findall(r">([^<]*)</word>", line[1])
        found.append((float(box["xMin"]), float(box["xMax"]), " ".join(words)))
    return found


def test_the_arabic_pdf_is_right_to_left_and_its_text_reads_in_logical_order(dataset, tmp_path):
    """pdftotext gives each Arabic sentence back in the order it was written: the letter is text, not glyphs drawn in
    visual order. Two quirks of pdftotext are allowed for: it writes the two letters of a lam-alef ligature (لا، لأ،
    لإ) the other way round, which shows that the ligature was formed (the text is shaped, not set letter by letter),
    and it puts the space that follows a full stop before it."""
    letter = _letter(dataset, "ar", "CA", organisation="", country="KE")
    pdf = letter_pdf(letter)
    path = tmp_path / "ar.pdf"
    path.write_bytes(pdf)
    text = squash(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout)
    _ = Words("ar")
    first = _(
        "I am writing to ask your mission for support for a human rights defender in %(country)s.",
        country="كينيا",
    )
    thanks = _("Thank you for your attention to this request.")
    assert first.startswith("أكتب إليكم لأطلب") and first.endswith("كينيا.")
    for sentence in (first, thanks):
        extracted = LAM_ALEF.sub(r"\1ل", sentence.rstrip("."))
        assert extracted in text, sentence
        assert extracted[::-1] not in text, "not in visual order"
    assert "لأطلب" not in text and "ألطلب" in text, "lam and alef make one glyph: Arabic shaping is applied"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "DejaVuSans" in fonts, "a font with Arabic glyphs, embedded"
    # Right to left: lines start at the right margin (A4 is 595 pt wide, the margins 25 mm, 71 pt), or at the indent
    # of a numbered item, and end anywhere; an English letter's start at the left margin.
    left, right = 70.87, 595.28 - 70.87
    arabic = [(x0, x1) for x0, x1, words in _lines(pdf, tmp_path) if re.search("[\u0600-\u06ff]", words)]
    assert len(arabic) > 10 and all(right - 20 < x1 < right + 2 for _x0, x1 in arabic)
    assert sum(abs(x1 - right) < 1 for _x0, x1 in arabic) > 0.6 * len(arabic)
    assert any(x0 > 150 for x0, _x1 in arabic), "a short line ends well before the left margin"
    english = [
        x0 for x0, _x1, words in _lines(letter_pdf(_letter(dataset, "en", "CA")), tmp_path) if re.search("[a-z]", words)
    ]
    assert all(left - 1 < x0 < left + 20 for x0 in english)
    assert sum(abs(x0 - left) < 1 for x0 in english) > 0.6 * len(english)


# Every interface --------------------------------------------------------------------------------------------------
def test_cli_writes_the_letter_in_the_language_asked_for(tmp_path):
    args = ["--issuer", "CA", "--support-type", "company-intervention", "--date", "2026-12-03"]
    result = CliRunner().invoke(letter_command, [*args, "--lang", "es"])
    assert result.exit_code == 0, result.output
    text = md_unescape(result.output)
    assert "Señoras y señores:" in text and "3 de diciembre de 2026" in text and "Embajada de Canadá" in text
    assert "Voices at Risk" in text, "the title in its official language"
    target = tmp_path / "lettre.pdf"
    result = CliRunner().invoke(letter_command, [*args, "--lang", "ar", "--format", "pdf", "-o", str(target)])
    assert result.exit_code == 0 and target.read_bytes().startswith(b"%PDF")
    bad = CliRunner().invoke(letter_command, [*args, "--lang", "de"])
    assert bad.exit_code == 2 and "--lang" in bad.output and "Traceback" not in bad.output
    assert "--lang" in CliRunner().invoke(letter_command, ["--help"]).output


@pytest.fixture
def client():
    return Client()


def test_the_letter_page_offers_every_language_with_the_pages_chosen_first(client):
    data = form_data(SITUATION) | {"recipient": "CA", "details": "1"}
    for page in ("en", "ar", "fr"):
        body = client.post(f"/{page}/letter/", data).content.decode()
        select = body[body.index('id="l-language"') : body.index("</select>", body.index('id="l-language"'))]
        assert [code for code in re.findall(r'<option value="(\w+)" lang="\1"', select)] == [
            c for c, _ in settings.LANGUAGES if c in LANGUAGES
        ]
        chosen = re.findall(r'value="(\w+)" lang="\w+" translate="no" selected', select)
        assert chosen == [page], "the page's language at first"


def test_the_letter_is_written_in_the_language_chosen_whatever_the_page(client, dataset):
    issuer = next(p.issuer for p in _plan(dataset).presence if p.issuer.id != "EU")
    data = form_data(SITUATION) | {"recipient": issuer.id, "format": "md"}
    arabic_page = client.post("/ar/letter/", data | {"language": "fr"})
    assert arabic_page.status_code == 200
    text = md_unescape(arabic_page.content.decode())
    assert "Madame, Monsieur," in text and "السادة" not in text
    assert f"Ambassade {issuer_forms(issuer, 'fr')['of_issuer']}" in text
    english_page = client.post("/en/letter/", data | {"format": "html", "language": "ar"})
    assert '<html lang="ar" dir="rtl">' in english_page.content.decode()
    default = client.post("/pt/letter/", data)
    assert "Prezados senhores e senhoras," in md_unescape(default.content.decode()), "the page's language by default"
    bad = client.post("/en/letter/", data | {"language": "de", "sender": "Ana"})
    body = bad.content.decode()
    assert bad.status_code == 400 and 'href="#l-language"' in body and 'id="e-language"' in body
    assert 'value="Ana"' in body


def test_the_plan_page_keeps_the_language_choice_for_the_letter_page(client):
    body = client.post("/ar/navigator/plan/", form_data(SITUATION)).content.decode()
    assert 'action="/ar/letter/"' in body and 'name="language"' not in body


def test_api_writes_the_letter_in_the_language_asked_for():
    payload = json.loads(api({"issuer": "NO", "support_types": ["demarche"], "language": "pt"}).content)
    assert payload["letter"]["language"] == "pt" and payload["letter"]["salutation"] == "Prezados senhores e senhoras,"
    bad = json.loads(api({"issuer": "NO", "support_types": ["demarche"], "language": "xx"}).content)
    assert bad["ok"] is False and [e["field"] for e in bad["errors"]] == ["language"]
