"""Emergency help is on the first screen of a phone: the home page's first line, in every language."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.navigator.test_plan_first import HONDURAS  # a land defender in Honduras, in danger tonight

PHONE = {"width": 360, "height": 640}


@pytest.mark.browser
@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_emergency_entry_is_on_the_first_screen_of_a_phone(browser, live_server, language):
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/{language}/")
        entry = page.locator("#danger-now")
        link = entry.locator("a")
        assert link.get_attribute("href") == f"/{language}/programmes/"
        for element in (entry, link):
            box = element.bounding_box()
            assert box is not None and element.is_visible()
            assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], f"{language}: {box}"
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{language}: {box}"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_every_language_has_the_emergency_entry_first(client):
    for language, _name in settings.LANGUAGES:
        body = client.get(f"/{language}/").content.decode("utf-8")
        main = body[body.index("<main") :]
        assert main.index('id="danger-now"') < main.index("<h1"), language
        assert f'href="/{language}/programmes/"' in main[main.index('id="danger-now"') :][:400], language


def _post_plan(page, base: str, language: str, situation: dict) -> None:
    """Answer the navigator form as a person would (no JavaScript needed) and send it."""
    page.goto(f"{base}/{language}/navigator/")
    page.select_option("#country", situation["country"])
    for name in ("subject", "urgency", "exposure"):
        page.check(f"#{name}-{situation[name]}")
    for name in ("fields", "threats", "needs"):
        for value in situation[name]:
            page.check(f"#{name}-{value}")
    page.click("form[action$='/navigator/plan/'] button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["es", "ar"])
def test_an_emergency_plan_puts_a_way_to_reach_help_on_the_first_screen_of_a_phone(browser, live_server, language):
    """On a 360 × 640 phone the first thing to do is to call an emergency line, and its number is on the first
    screen; the emergency box, with every organisation and its routes, follows the next steps at once, and
    nothing is wider than the screen."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        _post_plan(page, live_server.url, language, HONDURAS)
        steps = page.locator("ol.next > li")
        assert 1 <= steps.count() <= 3
        call = steps.first.locator("a[href^='tel:']")
        assert call.count() == 1, "the first step is a number to call"
        box = call.bounding_box()
        assert box is not None and call.is_visible()
        assert box["y"] + box["height"] <= PHONE["height"], f"{language}: {box}"
        assert page.locator("section[aria-labelledby=next] + section.alert h2#emergency").count() == 1
        first = page.locator("section[aria-labelledby=emergency] ul.routes > li").first
        assert first.locator("a").first.is_visible(), "the first organisation's route shows without opening a fold"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
