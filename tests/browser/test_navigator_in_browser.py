"""The navigator in a real browser, JavaScript off: a defender fills the form and gets a plan.

The plan and the form's error page are checked with axe-core and the Nu HTML checker too,
since they are pages no GET walk reaches.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import AXE, nu_checker_messages
from .test_pages_in_browser import AXE_TAGS, new_page


def fill_and_submit(page, url: str) -> None:
    page.goto(url + "/en/navigator/")
    page.select_option("#country", "MX")
    page.check("#subject-group")
    page.check("#threats-community-killings")
    page.check("#urgency-immediate-danger")
    page.check("#exposure-discreet")
    page.check("#family_at_risk")
    page.click("form[action$='/navigator/plan/'] button[type=submit]")


def axe_problems(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    return [f"{page.url}: {v['id']} {v['help']} {v['nodes'][0]['target']}" for v in result["violations"]]


@pytest.mark.browser
def test_a_defender_gets_a_plan_without_javascript(browser, live_server):
    with new_page(browser, java_script_enabled=False, viewport={"width": 320, "height": 640}) as page:
        fill_and_submit(page, live_server.url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 321, "the plan fits a 320 px phone"
        assert page.url.endswith("/en/navigator/plan/"), "the answers never go into the address"
        assert page.locator("h1").inner_text() == "Your plan"
        emergency = page.locator("#emergency")
        assert emergency.is_visible(), "life in danger: the emergency track is on screen"
        assert "Visibility" in page.content()
        public = page.locator("#r-public-statement")
        assert public.count() == 0, "discreet exposure only: no public statement is offered"


@pytest.mark.browser
def test_plan_and_error_pages_are_accessible_and_valid(browser, live_server, tmp_path: Path):
    problems, bodies = [], {}
    with new_page(browser, bypass_csp=True) as page:
        fill_and_submit(page, live_server.url)
        bodies["plan.html"] = page.content()
        problems += axe_problems(page)
        page.goto(live_server.url + "/en/navigator/")
        page.select_option("#country", "MX")
        page.click("form[action$='/navigator/plan/'] button[type=submit]")
        assert page.locator("#problems").is_visible(), "missing answers are listed at the top"
        bodies["errors.html"] = page.content()
        problems += axe_problems(page)
    assert not problems, "\n".join(problems)
    for name, body in bodies.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    messages = nu_checker_messages(tmp_path)
    assert not messages, [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages]
