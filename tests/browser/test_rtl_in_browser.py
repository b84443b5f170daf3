"""Arabic pages on a 360 × 640 phone: nothing wider than the screen, no WCAG A/AA violation, and every run of
text in another direction isolated.

In a right-to-left page a run of Latin script — a source id, a locator, a guideline's title, a city, an
organisation's name, an English fallback — must sit in an element of its own direction (``<bdi>``, or an element
with a ``dir`` attribute, which HTML isolates), or the bidirectional algorithm reorders it with the Arabic and the
punctuation around it: "سفارة, Guatemala City" shows its comma on the wrong side. The check walks every text
node of ``<main>`` in the browser's DOM that is not held by an element inside ``<main>`` with ``dir`` (or a
``<bdi>``): a node with Latin letters and no Arabic is an offender; so is a node that mixes both scripts where
its Latin words are not where an Arabic translation wrote them (a translator may write "PDF" inside a sentence;
a template that glues a city after an Arabic word, or a site into a translated sentence, may not).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import polib
import pytest

from tests.web.test_navigator import every_answer

from .conftest import AXE, REPO, create_casebook, save_new_case
from .test_pages_in_browser import AXE_TAGS, new_page

PHONE = {"width": 360, "height": 640}
PATHS = [
    "/ar/",
    "/ar/issuers/CA/",
    "/ar/compare/",
    "/ar/issuers/EU/",
    "/ar/issuers/US/missions/",
    "/ar/issuers/EU/missions/",
    "/ar/programmes/",
    "/ar/programmes/relocation/",
    "/ar/programmes/more/",
    "/ar/sources/",
    "/ar/sources/2/",
    "/ar/about/",
    "/ar/support/",
    "/ar/support/trial-observation/",
    "/ar/guidance/",
    "/ar/guidance/security/",
    "/ar/search/?q=visa",
    "/ar/search/?q=zzzz",
    "/ar/issuers/",
]
LETTERS = re.compile(r"[^\W\d_]+")  # a word; Latin if it has a Latin letter (see _latin)
ARABIC = re.compile(r"[\u0600-\u06ff]")
ARROW = re.compile(r"[→←⇒⇐»«›‹▶◀▸◂➔]|\\(?:2192|2190|21d2|21d0|bb|ab|203a|2039|25b6|25c0)\b", re.IGNORECASE)
CATALOGUES = [
    REPO / "amparo/locale/ar/LC_MESSAGES/django.po",
    *sorted((REPO / "amparo/guidelines/data/locale/ar").glob("*.po")),
]

# Every text node of <main> with a Latin letter, and whether it is isolated: inside <main>, an element with a
# dir attribute or a <bdi> holds it. Script and style content is not text a reader sees.
UNISOLATED = """() => {
  const main = document.querySelector('main');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    if (!/\\p{Script=Latin}/u.test(text)) continue;
    const parent = node.parentElement;
    if (parent.closest('script, style, template')) continue;
    const holder = parent.closest('[dir], bdi');
    if (holder && holder !== main && main.contains(holder)) continue;
    found.push({text: text.trim(), arabic: /\\p{Script=Arabic}/u.test(text), html: parent.outerHTML.slice(0, 160)});
  }
  return found;
}"""


@cache
def translated_fragments() -> tuple[str, ...]:
    """The runs of the Arabic translations (interface and data) between their placeholders and tags that have a
    Latin letter in them ("ورقة عمل (PDF)"), longest first: a translator wrote them so, inside an Arabic sentence."""
    found = set()
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                for part in re.split(r"%\(\w+\)[sd]|\{\{[^}]*\}\}|\{\w+\}|<[^>]*>|\n\n", text):
                    part = " ".join(part.split())
                    if ARABIC.search(part) and any(_latin(w) for w in LETTERS.findall(part)):
                        found.add(part)
    return tuple(sorted(found, key=len, reverse=True))


def _latin(word: str) -> bool:
    return any(unicodedata.name(c, "").startswith("LATIN ") for c in word)


def foreign_words(text: str) -> list[str]:
    """The Latin words of a text node that mixes scripts which no Arabic translation wrote where they stand."""
    text = " ".join(text.split())
    fragments = translated_fragments()
    if any(text in fragment for fragment in fragments):
        return []
    for fragment in fragments:
        text = text.replace(fragment, " ")
    return [w for w in LETTERS.findall(text) if _latin(w)]


def rtl_problems(page, label: str) -> list[str]:
    """What is wrong with the page on screen: overflow, axe violations, runs of Latin script not isolated."""
    problems = []
    assert page.evaluate("document.documentElement.dir") == "rtl", label
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"] + 1:
        wide = page.evaluate(
            """limit => [...document.querySelectorAll('body *')]
                .filter(e => !e.closest('.scroll') && e.getBoundingClientRect().right > limit)
                .slice(0, 3).map(e => e.outerHTML.slice(0, 120))""",
            PHONE["width"] + 1,
        )
        problems.append(f"{label}: the page is {width}px wide on a {PHONE['width']}px screen: {wide}")
    if page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1:
        left = page.evaluate(
            """() => [...document.querySelectorAll('main *')].filter(e => {
                 const box = e.getBoundingClientRect();
                 return box.width && !e.closest('.scroll, .vh, .skip') && box.left < -1;
               }).slice(0, 3).map(e => e.outerHTML.slice(0, 120))"""
        )
        if left:  # right to left, what overflows goes off the left edge, where no scrollbar reaches
            problems.append(f"{label}: content beyond the left edge of the screen: {left}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    for violation in result["violations"]:
        node = violation["nodes"][0]
        problems.append(
            f"{label}: axe {violation['id']} ({len(violation['nodes'])} nodes) {violation['help']}: "
            f"{node['target']} {node['html'][:160]}"
        )
    for run in page.evaluate(UNISOLATED):
        if not run["arabic"] or foreign_words(run["text"]):
            problems.append(f"{label}: not isolated: «{run['text'][:80]}» in {run['html']}")
    return problems


def _fill_navigator(page, base: str, answers: dict) -> None:
    """The navigator form in Arabic, answered as a person would, and sent."""
    page.goto(f"{base}/ar/navigator/")
    for name in ("country", "location", "company_country"):
        if answers.get(name):
            page.select_option(f"#{name}", answers[name])
    for name, value in answers.items():
        if isinstance(value, list):
            for item in value:
                page.check(f"#{name}-{item}")
        elif value is True:
            page.check(f"#{name}")
        elif name not in ("country", "location", "company_country"):
            page.check(f"#{name}-{value}")
    with page.expect_navigation():
        page.click("form[action$='/navigator/plan/'] button[type=submit]")


@pytest.mark.browser
@pytest.mark.parametrize("path", PATHS)
def test_an_arabic_page_fits_a_phone_and_isolates_latin_script(browser, live_server, path):
    with new_page(browser, viewport=PHONE, bypass_csp=True) as page:
        response = page.goto(live_server.url + path)
        assert response.status == 200
        problems = rtl_problems(page, path)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_the_richest_arabic_plan_fits_a_phone_and_isolates_latin_script(browser, live_server):
    with new_page(browser, viewport=PHONE, bypass_csp=True) as page:
        _fill_navigator(page, live_server.url, every_answer())
        assert page.url.endswith("/ar/navigator/plan/")
        assert page.locator("#emergency").count() == 1, "the richest plan has the emergency box"
        page.evaluate("() => document.querySelectorAll('main details').forEach(d => d.open = true)")
        problems = rtl_problems(page, "plan")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_arabic_casebook_fits_a_phone_and_isolates_latin_script(browser, live_server, casebook_settings):
    """A casebook kept in English (names, notes, roles typed in Latin script) read in Arabic."""
    base = live_server.url
    problems = []
    with new_page(browser, viewport=PHONE, bypass_csp=True) as page:
        page.goto(base + "/en/casebook/")
        create_casebook(page)
        page.goto(base + "/en/casebook/cases/new/")
        case_url = save_new_case(page)
        for kind, fill in [
            ("Incident", {"#id_occurred_on": "2026-03-01", "#id_description": "A car followed them home."}),
            ("Engagement with a mission", {"#id_occurred_on": "2026-03-05", "#id_roles": "HRD focal point"}),
            ("Follow-up", {"#id_due_on": "2026-01-10", "#id_what": "Call the focal point"}),
        ]:
            page.goto(case_url)
            page.get_by_role("link", name=kind, exact=True).click()
            for selector, value in fill.items():
                page.locator(selector).fill(value)
            if kind == "Engagement with a mission":
                page.locator("#id_where").select_option("CA")
            page.get_by_role("button", name="Save").click()
            assert page.url.startswith(case_url), page.content()[:2000]
        visits = [case_url.replace("/en/", "/ar/")]
        visits += [f"{base}/ar/casebook/{page}" for page in ("", "missions/", "follow-ups/", "audit/")]
        for path in visits:
            page.goto(path)
            problems += rtl_problems(page, path.removeprefix(base))
    assert not problems, "\n".join(problems)


def test_the_stylesheets_are_written_in_logical_properties_and_draw_no_arrow():
    """Mirroring holds only while the stylesheets say start and end, never left and right, and a symbol the
    stylesheet draws (content:) would not turn round with the page."""
    for name in ("amparo.css", "casebook.css"):
        css = (REPO / "amparo/web/static/amparo" / name).read_text(encoding="utf-8")
        physical = re.findall(
            r"[\w-]*(?:left|right)[\w-]*\s*:|(?:text-align|float|clear|caption-side)\s*:\s*(?:left|right)|"
            r"(?:margin|padding|border)-(?:top|bottom)\b",
            css,
        )
        assert not physical, f"physical properties in {name}: {physical}"
        drawn = [c for c in re.findall(r"content\s*:([^;}]*)", css) if ARROW.search(c)]
        assert not drawn, f"directional symbols drawn by {name}: {drawn}"
