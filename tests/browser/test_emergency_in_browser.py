"""Emergency help is on the first screen of a phone: the home page's first line, in every language."""

from __future__ import annotations

import pytest
from django.conf import settings

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
