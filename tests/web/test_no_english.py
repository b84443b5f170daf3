"""A defender reading Amparo in Spanish, French, Portuguese or Arabic meets no English but official titles,
names, codes and quotations.

Every page type is crawled in each of those languages: the home page, the support types and each of their
pages, the countries and the EU with each one's page and missions, the comparison, the guidance, the
programmes, the sources, search results, the about page, the navigator's form (blank and with errors), plans
for several situations (an emergency, the richest there is), the letter page, the casebook's first and locked
pages, and the error pages. Two checks on each page's HTML (parsed as a browser does, with html5lib):

* English the page marks as such (an element whose ``lang`` is ``en``, or inside one) is counted, word by
  word. It is explained only inside an element marked ``translate="no"``: what is kept as the English
  original writes it (a guideline's title, a locator into an English source, by the ``english`` filter), and
  the language switcher's own name for English. Any other marked English is a text the page's language lacks
  (``|tr``'s fallback) or a template that marks English it should have translated: a page may hold at most
  ``ENGLISH_BUDGET`` such words.
* A text of the data shown in English though it is translated (rendered as ``str()`` rather than ``|tr``) is
  found by its English: no text node or attribute outside English-marked elements may be the English of a
  dataset text whose translation differs from it (a mission's city aside: Wikidata's names are English).
* English that leaks without any mark (an untranslated template string, a sentence composed in Python, an
  English name the code picks where a translated one exists) is found by English function words that no
  other language of the site writes (``FUNCTION_WORDS``), anywhere in ``<main>`` outside English-marked
  elements, in its text and in the attributes read aloud. Official names that the translations keep in
  English (``OFFICIAL_NAMES``), the cities of the missions data (Wikidata's English names: there is no
  other), and quotations (between quotation marks) are not counted.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import html5lib
import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from amparo.guidelines import DATA_DIR, get_dataset
from amparo.guidelines.model import Text
from amparo.web.templatetags.amparo import source_parts
from amparo.web.views import GUIDANCE_SECTIONS, bad_request
from tests.navigator.test_plan_first import HONDURAS, KENYA_WOMEN
from tests.web.casebook_helpers import PASSPHRASE
from tests.web.test_navigator import SITUATION, every_answer, form_data

LANGUAGES = ["es", "fr", "pt", "ar"]
# Unexplained English-marked words a page may hold. Every text of the data and of the interface is
# translated, so none: a new text shown before it is translated fails here, and that is the point.
ENGLISH_BUDGET = 0
# English words that are not words of Spanish, French, Portuguese (nor, in Latin letters, of Arabic):
# Portuguese writes "for" (se for), so it is not looked for in Portuguese.
FUNCTION_WORDS = frozenset({"the", "and", "of", "you", "your", "with", "for", "is", "are", "this", "that", "which"})
NOT_FUNCTION_WORDS = {"pt": {"for"}}
# Attributes a screen reader or a browser shows the defender.
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "label")
# Names the translations keep as the English original writes them: programmes, funds, prizes, offices,
# networks, plans and titles that have no name of their own in the other languages. Each is in the English
# data (a test checks it); a new one is a decision: translate it, or add it here.
OFFICIAL_NAMES = (
    "Action Plan for Human Rights Defenders",
    "Action Plan for Human Rights",
    "Bureau of Democracy, Human Rights and Labor",
    "Cities of Refuge",
    "Department for International Development",
    "Foreign and Commonwealth Office",
    "Franco-German Prize for Human Rights and the Rule of Law",
    "Fund for Local Cooperation",
    "Human Rights and Transition Promotion Policy Concept",
    "Immigration, Refugees and Citizenship Canada",
    "International Journal of Human Rights",
    "International Women of Courage Award",
    "Justice and Peace Netherlands",
    "Magna Carta Fund for Human Rights and Democracy",
    "Observatory for the Protection of Human Rights Defenders",
    "OSCE/ODIHR Guidelines on the Protection of Human Rights Defenders",
    "Platform for Protecting Human Rights Defenders",
    "Standard country or area codes for statistical use",
    "Summit for Democracy",
    "Urgent Action Fund for Women's Human Rights",
)
QUOTED = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"]*\"|‘[^’]*’|(?<!\w)'[^']*'(?!\w)")
WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A common word in each language, so that the search page is crawled with results on it.
COMMON_WORD = {"es": "protección", "fr": "protection", "pt": "proteção", "ar": "حماية"}
# Situations the plans are drawn for: an emergency, the richest plan there is, a public case, another region,
# and a discreet defender with no emergency (whose plan leaves measures out for their visibility).
DISCREET = {
    **SITUATION,
    "exposure": "none",
    "urgency": "planning",
    "threats": ["surveillance"],
    "authorities": "must-not-know",
}
PLANS = {
    "emergency": HONDURAS,
    "richest": every_answer(),
    "public": SITUATION,
    "kenya": KENYA_WOMEN,
    "discreet": DISCREET,
}


def _texts(value: Any, seen: set[int], found: list[Text]) -> list[Text]:
    """Every :class:`Text` the dataset holds, however deep."""
    if id(value) in seen or isinstance(value, str | int | float | bool | None):
        return found
    seen.add(id(value))
    if isinstance(value, Text):
        found.append(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            _texts(item, seen, found)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _texts(item, seen, found)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            _texts(getattr(value, f.name), seen, found)
    return found


_TRANSLATED: dict[tuple[int, str], tuple[object, frozenset[str]]] = {}


PROBE = "Observation of your trial"


def _translated_english(language: str) -> frozenset[str]:
    """The English of every dataset text translated into ``language`` (the translation differs), cities aside.

    Kept per dataset, not once per process: a test elsewhere in this process may load another one."""
    dataset = get_dataset()
    cached = _TRANSLATED.get((id(dataset), language))
    if cached is None or cached[0] is not dataset:
        cached = _TRANSLATED[(id(dataset), language)] = (dataset, _translated_in(dataset, language))
    return cached[1]


def _translated_in(dataset: Any, language: str) -> frozenset[str]:
    cities = {m.city for m in dataset.missions}
    english = {" ".join(t.get("en").split()) for t in _texts(dataset, set(), []) if t.get(language) != t.get("en")}
    return frozenset(english - cities)


@dataclass
class Reading:
    """What a page shows in English: explained (kept as the original writes it) and not, and the leaks."""

    url: str
    explained: list[str] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)

    @property
    def unexplained_words(self) -> int:
        return sum(len(WORD.findall(t)) for t in self.unexplained)

    @property
    def explained_words(self) -> int:
        return sum(len(WORD.findall(t)) for t in self.explained)


def _is_english(lang: str | None) -> bool:
    return bool(lang) and lang.lower().split("-")[0] == "en"


def _kept(element: ET.Element) -> bool:
    """English kept as the original writes it, on purpose: ``translate="no"``, or the switcher's "English"."""
    return element.get("translate") == "no" or element.get("hreflang") is not None


@cache
def _names() -> tuple[str, ...]:
    """The names a leak check sets aside, longest first: the official names, and the missions' cities that hold
    one of the function words (Wikidata's English names, such as "The Hague" or "Port of Spain")."""
    cities = {m.city for m in get_dataset().missions if m.city}
    with_words = {c for c in cities if {w.lower() for w in WORD.findall(c)} & FUNCTION_WORDS}
    return tuple(sorted({*OFFICIAL_NAMES, *with_words}, key=len, reverse=True))


def _leaks(text: str, language: str) -> list[str]:
    """The function words in ``text`` once quotations and names are set aside."""
    text = QUOTED.sub(" ", text.replace("’", "'"))
    for name in _names():
        if name in text:
            text = text.replace(name, " ")
    words = FUNCTION_WORDS - NOT_FUNCTION_WORDS.get(language, set())
    return [w for w in WORD.findall(text) if w.lower() in words]


def read(url: str, html: str, language: str) -> Reading:
    root = html5lib.parse(html, namespaceHTMLElements=False)
    reading = Reading(url)
    translated = _translated_english(language)

    def visit(element: ET.Element, lang: str, kept: bool, in_main: bool) -> None:
        lang = element.get("lang", lang)
        kept = kept or _kept(element)
        in_main = in_main or element.tag == "main"
        if element.tag in ("script", "style", "template"):
            return
        english = _is_english(lang)
        if not english:
            for name, value in element.attrib.items():
                if " ".join(value.split()) in translated:
                    reading.leaks.append(f"<{element.tag} {name}={value!r}>: a translated text shown in English")
                elif in_main and name in READ_ATTRIBUTES and (found := _leaks(value, language)):
                    reading.leaks.append(f"<{element.tag} {name}={value!r}>: {found}")

        def text(value: str | None) -> None:
            if not value or not value.strip():
                return
            value = " ".join(value.split())
            if english:
                (reading.explained if kept else reading.unexplained).append(value)
            elif value in translated:
                reading.leaks.append(f"{value[:160]!r}: a translated text shown in English")
            elif in_main and not kept and (found := _leaks(value, language)):
                reading.leaks.append(f"{value[:160]!r}: {found}")

        text(element.text)
        for child in element:
            if isinstance(child.tag, str):
                visit(child, lang, kept, in_main)
            text(child.tail)

    visit(root, root.get("lang", ""), False, False)
    return reading


# --- the pages ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    kind: str
    url: str
    data: dict | None = None  # posted when given
    status: int = 200


def pages(language: str) -> Iterator[Page]:
    """Every public page type in ``language``: each support type's and each issuer's page, every page of sources."""
    dataset = get_dataset()
    p = f"/{language}"
    yield Page("home", f"{p}/")
    yield Page("support list", f"{p}/support/")
    for s in dataset.support_types:
        yield Page("support detail", f"{p}/support/{s}/")
    yield Page("issuer list", f"{p}/issuers/")
    for issuer in dataset.issuers.values():
        yield Page("issuer", f"{p}/issuers/{issuer.id}/")
        if issuer.has_mission_data:
            yield Page("missions", f"{p}/issuers/{issuer.id}/missions/")
    yield Page("compare", f"{p}/compare/")
    for category in dataset.categories:
        yield Page("compare", f"{p}/compare/?category={category.id}")
    yield Page("guidance index", f"{p}/guidance/")
    for section in GUIDANCE_SECTIONS:
        yield Page("guidance section", f"{p}/guidance/{section}/")
    for path in ("programmes/", "programmes/relocation/", "programmes/more/"):
        yield Page("programmes", f"{p}/{path}")
    yield Page("sources", f"{p}/sources/")
    for part in range(2, len(source_parts()) + 1):
        yield Page("sources", f"{p}/sources/{part}/")
    yield Page("search", f"{p}/search/?q={COMMON_WORD[language]}")
    yield Page("about", f"{p}/about/")
    yield Page("navigator", f"{p}/navigator/")
    yield Page("navigator errors", f"{p}/navigator/plan/", {"country": "ZZ", "exposure": "public"}, 400)
    for name, situation in PLANS.items():
        yield Page(f"plan: {name}", f"{p}/navigator/plan/", form_data(situation))
    yield Page("letter", f"{p}/letter/", form_data(HONDURAS) | {"details": "1"})
    wrong = {"format": "no-such-format", "choose": "1", "where": "ZZ"}  # a message for every field at once
    yield Page("letter errors", f"{p}/letter/", form_data(HONDURAS) | wrong, 400)
    yield Page("404", f"{p}/no-such-page/", status=404)


PAGE_KINDS = list(dict.fromkeys(page.kind for page in pages("es")))


def fetch(client: Client, page: Page) -> str:
    response = client.post(page.url, page.data) if page.data is not None else client.get(page.url)
    assert response.status_code == page.status, (page.url, response.status_code)
    return response.content.decode("utf-8")


def crawl(language: str, kind: str | None = None) -> list[Reading]:
    client = Client()
    return [
        read(page.url, fetch(client, page), language) for page in pages(language) if kind is None or page.kind == kind
    ]


def problems(readings: list[Reading]) -> list[str]:
    found = []
    for r in readings:
        if r.unexplained_words > ENGLISH_BUDGET:
            shown = "; ".join(dict.fromkeys(t[:120] for t in r.unexplained))
            found.append(f"{r.url}: {r.unexplained_words} words marked English, not kept on purpose: {shown}")
        if r.leaks:
            found.append(f"{r.url}: English without a mark: " + "; ".join(dict.fromkeys(r.leaks)))
    return found


@pytest.mark.parametrize("kind", PAGE_KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_show_no_english_but_titles_names_and_quotations(language, kind):
    readings = crawl(language, kind)
    assert readings, kind
    found = problems(readings)
    assert not found, "\n".join(found)


def test_every_page_type_of_the_site_is_crawled():
    """The crawl visits every URL name of the public site (the API, downloads and documents aside)."""
    from django.urls import resolve

    from tests.web.test_pages import PAGES

    walked = set()
    for page in pages("es"):
        if page.status == 404:
            continue
        with translation.override("es"):
            walked.add(resolve(page.url.split("?")[0]).url_name)
    with translation.override("es"):
        listed = {resolve(url.split("?")[0]).url_name for url in PAGES if url.startswith("/es/")}
    assert listed <= walked, listed - walked
    assert {"navigator-plan", "letter"} <= walked


def test_a_search_for_a_common_word_finds_results():
    """The search page is crawled with results on it, not only its empty form."""
    client = Client()
    for language in LANGUAGES:
        body = client.get(f"/{language}/search/?q={COMMON_WORD[language]}").content.decode()
        main = html5lib.parse(body, namespaceHTMLElements=False).find(".//main")
        assert len(main.findall(".//li")) >= 5, language


def test_a_search_result_the_language_lacks_is_marked_english(monkeypatch):
    dataset = get_dataset()
    measure = dataset.support_types["trial-observation"]
    found = Client().get("/es/search/?q=juicio").content.decode()  # the index is built from the real names
    assert "/es/support/trial-observation/" in found
    english_only = dataclasses.replace(measure, name=Text.of({"en": "Observation of your trial"}))
    # The dataset is changed for this test only: what this module keeps of it must not outlive the change.
    monkeypatch.setattr(sys.modules[__name__], "_TRANSLATED", {})
    monkeypatch.setitem(dataset.support_types, measure.id, english_only)
    body = Client().get("/es/search/?q=juicio").content.decode()
    reading = read("/es/search/", body, "es")
    assert "Observation of your trial" in reading.unexplained, "the English title is marked lang=en"


@pytest.mark.parametrize("language", LANGUAGES)
def test_bad_request_page_shows_no_english(language):
    request = RequestFactory().get(f"/{language}/")
    with translation.override(language):
        response = bad_request(request)
    assert response.status_code == 400
    found = problems([read(f"/{language}/ (400)", response.content.decode("utf-8"), language)])
    assert not found, "\n".join(found)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_casebook_first_and_locked_pages_show_no_english(language, casebook_dir):
    client = Client()
    setup = f"/{language}/casebook/setup/"
    readings = [read(setup, fetch(client, Page("casebook setup", setup)), language)]
    response = client.post(setup, {"passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    assert response.status_code == 302
    client.post(f"/{language}/casebook/lock/")
    unlock = f"/{language}/casebook/unlock/"
    readings.append(read(unlock, fetch(Client(), Page("casebook locked", unlock)), language))
    found = problems(readings)
    assert not found, "\n".join(found)


def test_official_names_are_names_the_english_data_writes():
    english = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(DATA_DIR.rglob("*.yaml")) if "locale" not in p.parts
    )
    missing = [name for name in OFFICIAL_NAMES if name not in english]
    assert not missing, f"not in the English data, so not a name it keeps: {missing}"


# --- the check itself ---------------------------------------------------------------------------------------


def test_the_check_finds_english_marked_and_unmarked(monkeypatch):
    # The probe "Observation of your trial" stands for any translated dataset text shown in English.
    monkeypatch.setattr(sys.modules[__name__], "_translated_english", lambda language: frozenset({PROBE}))
    html = (
        '<html lang="es"><body><header><a lang="en" hreflang="en">English</a></header><main>'
        '<p>Texto <span lang="en" dir="ltr">only in English</span>.</p>'
        '<p><span lang="en" dir="ltr" translate="no">Voices at Risk: a title</span></p>'
        "<p>Your plan is ready</p><p>El «Leveraging diplomatic support for the protection» citado</p>"
        '<button aria-label="Close the menu">x</button><p>Observation of your trial</p>'
        "<p>Ver Front Line Defenders, Cities of Refuge, The Hague</p></main></body></html>"
    )
    reading = read("/es/x/", html, "es")
    assert reading.unexplained == ["only in English"] and reading.unexplained_words == 3
    assert reading.explained == ["English", "Voices at Risk: a title"]
    assert len(reading.leaks) == 3
    assert "Your plan is ready" in reading.leaks[0] and "aria-label" in reading.leaks[1]
    assert "a translated text shown in English" in reading.leaks[2]
    assert not read("/pt/x/", "<html lang=pt><main><p>Se for preciso</p></main></html>", "pt").leaks
