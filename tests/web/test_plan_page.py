"""The plan page on a phone: a short plan before any fold, the rest one tap away, no rule ids or source keys in
what the defender reads first, and the list of sources cut into pages that each hold what they are linked for."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from amparo.guidelines import get_dataset
from amparo.navigator import get_rules
from amparo.web.templatetags.amparo import source_parts
from tests.navigator.test_plan_first import HONDURAS
from tests.web.test_navigator import every_answer, form_data

LANGUAGES = [code for code, _name in settings.LANGUAGES]
WORD = re.compile(r"\w[\w'’.-]*")
# The budgets of words a defender sees with every fold closed, the site's header and footer aside. Measured on
# 2026-12-03, with every text of the data translated: the Honduras emergency plan 315–352 words (en–es), within the
# issue's "about 350"; every threat, need and field at once, abroad after fleeing, for someone detained, 525–587
# (en–fr): the cautions on what was asked
# for beyond what the defender accepts (never folded away), and the missions both where they are and at home for
# a return. A page that grows is noticed.
EMERGENCY_WORDS = 360
RICHEST_WORDS = 600


class Unfolded(HTMLParser):
    """The words of <main> that show with every <details> closed: a fold's summary shows, its content does not."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_main = False
        self.folds = 0  # open <details> around the current point
        self.summary = 0
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        elif tag == "details":
            self.folds += 1
        elif tag == "summary":
            self.summary += 1

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif tag == "details":
            self.folds -= 1
        elif tag == "summary":
            self.summary -= 1

    def handle_data(self, data):
        shown = self.folds == 0 or (self.folds == 1 and self.summary)
        if self.in_main and shown:
            self.words += WORD.findall(data)


def unfolded_words(body: str) -> list[str]:
    parser = Unfolded()
    parser.feed(body)
    return parser.words


def test_the_counter_sees_a_fold():
    page = "<main><p>one two</p><details><summary>three</summary><p>hidden words</p></details></main>"
    assert unfolded_words(page) == ["one", "two", "three"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_emergency_plan_fits_a_few_phone_screens_before_any_fold(client, language):
    body = client.post(f"/{language}/navigator/plan/", form_data(HONDURAS)).content.decode()
    words = unfolded_words(body)
    assert len(words) <= EMERGENCY_WORDS, f"{language}: {len(words)} words before any fold"
    assert body.count("<details") >= 10, "what is not read first is folded, not dropped"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_richest_plan_still_shows_only_a_short_plan_before_any_fold(client, language):
    body = client.post(f"/{language}/navigator/plan/", form_data(every_answer())).content.decode()
    assert len(unfolded_words(body)) <= RICHEST_WORDS, language


def test_no_rule_id_or_source_key_before_any_fold(client):
    dataset = get_dataset()
    # Ids that are also plain words ("detained") cannot be told from the text; the others are what a reader must
    # never meet.
    rule_ids = {rule.id for rule in get_rules(dataset).rules if "-" in rule.id}
    for situation in (HONDURAS, every_answer()):
        body = client.post("/en/navigator/plan/", form_data(situation)).content.decode()
        words = set(unfolded_words(body))
        assert not words & rule_ids and not words & set(dataset.sources), words & (rule_ids | set(dataset.sources))
        assert "Rules applied:" in body, "the rules stay, in a fold"


def test_each_source_is_on_the_page_its_citations_link_to(client):
    parts = source_parts()
    assert len(parts) >= 2, "the list of sources is long enough to need pages"
    for language in ("en", "ar"):
        for number, part in enumerate(parts, 1):
            url = f"/{language}/sources/" + (f"{number}/" if number > 1 else "")
            body = client.get(url).content.decode()
            assert all(f'id="{s.id}"' in body for s in part), url
        assert client.get(f"/{language}/sources/1/").status_code == 404, "one address for the first page"
        assert client.get(f"/{language}/sources/{len(parts) + 1}/").status_code == 404
    # A citation of a source on the second page links there.
    late = parts[1][0]
    issuer = next(i for i in dataset_issuers_citing(late.id))
    body = client.get(f"/en/issuers/{issuer}/").content.decode()
    assert f'href="/en/sources/2/#{late.id}"' in body


def dataset_issuers_citing(source_id: str):
    dataset = get_dataset()
    for provision in dataset.provisions:
        if any(c.source.id == source_id for c in provision.citations):
            yield provision.issuer_id


def left_out(body: str) -> str:
    start = body.index("<ul>", body.index("<summary><h2>Left out, and why</h2></summary>"))
    return body[start : body.index("</ul>", start)]


def test_a_reason_shared_by_several_measures_left_out_is_said_once(client):
    body = client.post("/en/navigator/plan/", form_data(every_answer())).content.decode()
    section = left_out(body)
    lines = section.split("<li>")[1:]
    assert section.count('<a href="/en/support/') > len(lines) >= 1, "several measures share a reason, under one line"
    reasons = [re.sub(r"<[^>]+>", "", line).split(":", 1)[-1].strip() for line in lines]
    assert len(reasons) == len(set(reasons)), "a reason is said once"


def test_the_emergency_measures_are_one_tap_away_below_the_contacts(client):
    body = client.post("/en/navigator/plan/", form_data(HONDURAS)).content.decode()
    box = body[
        body.index('aria-labelledby="emergency"') : body.index("</section>", body.index('aria-labelledby="emergency"'))
    ]
    fold = box.index("<summary>What to ask missions for in an emergency</summary>")
    assert box.index('class="routes"') < fold < box.index('class="measures"'), "contacts first, measures in a fold"


def test_a_measure_names_a_few_programmes_and_countries_and_its_page_all_of_them(client):
    body = client.post("/en/navigator/plan/", form_data(every_answer())).content.decode()
    item = body[body.index('<li id="r-financial-support">') :]
    item = item[: item.index("</li>")]
    programmes = item[item.index("Programmes that offer it:") :]
    programmes = programmes[: programmes.index("<br>")]
    assert programmes.count("<a ") == 3 and "more on the page of this measure" in programmes
    foreseen = item[item.index("Foreseen by:") :]
    foreseen = foreseen[: foreseen.index("<br>")]
    assert foreseen.count('<a href="/en/issuers/') == 6 and "more on the page of this measure" in foreseen
    page = client.get("/en/support/financial-support/").content.decode()
    dataset = get_dataset()
    named = [p for p in dataset.programmes_for("financial-support")]
    assert len(named) > 3 and all(f"#{p.id}" in page for p in named)
