"""The public pages in a real headless Chromium: accessibility, validity, privacy, no-JS, small screens, print, RTL.

Every test visits one page of each type (PAGES in conftest.py) and reports every problem it
finds, not only the first, so that one run tells a developer everything to fix.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import AXE, PAGES, REPO, nu_checker_messages

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
NARROW = 320


@contextmanager
def new_page(browser, **options):
    """A page in a fresh browser context, closed afterwards."""
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.browser
def test_axe_finds_no_wcag_a_or_aa_violation(browser, live_server):
    # The site's CSP forbids injected scripts: only this context bypasses it, to run axe.
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (make test does)"
    problems = []
    with new_page(browser, bypass_csp=True) as page:
        for path, _status in PAGES:
            page.goto(live_server.url + path)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                AXE_TAGS,
            )
            for violation in result["violations"]:
                node = violation["nodes"][0]
                problems.append(
                    f"{path}: {violation['id']} ({violation['impact']}, {len(violation['nodes'])} nodes) "
                    f"{violation['help']}\n    first: {node['target']} {node['html'][:200]}"
                )
    assert not problems, "axe-core violations:\n" + "\n".join(problems)


@pytest.mark.browser
def test_nu_html_checker_finds_no_error(raw_html, tmp_path: Path):
    names = {}
    for index, (path, body) in enumerate(raw_html.items()):
        name = f"page{index:02d}.html"
        names[name] = path
        (tmp_path / name).write_text(body, encoding="utf-8")
    messages = nu_checker_messages(tmp_path, timeout=120)
    problems = [
        f"{names.get(Path(m.get('url', '')).name, m.get('url'))}:{m.get('lastLine', '?')}: "
        f"{m['type']}: {m['message']}  «{m.get('extract', '').strip()[:120]}»"
        for m in messages
    ]
    assert not problems, "Nu HTML checker errors:\n" + "\n".join(problems)


@pytest.mark.browser
def test_no_third_party_request_and_no_csp_violation(browser, live_server):
    origin = live_server.url + "/"
    requests, console, errors = [], [], []
    with new_page(browser) as page:
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: console.append((page.url, message.type, message.text)))
        page.on("pageerror", lambda error: errors.append((page.url, str(error))))
        for path, status in PAGES:
            response = page.goto(live_server.url + path)
            assert response.status == status, path
    assert len(requests) >= len(PAGES)
    foreign = [url for url in requests if not url.startswith(origin)]
    assert not foreign, "requests to another origin:\n" + "\n".join(foreign)
    csp = [m for m in console if m[1] == "error" and "content security policy" in m[2].lower()]
    assert not csp, "CSP violations:\n" + "\n".join(f"{url}: {text}" for url, _, text in csp)
    assert not errors, f"page errors: {errors}"


@pytest.mark.browser
def test_search_and_compare_filters_work_without_javascript(browser, live_server):
    with new_page(browser, java_script_enabled=False) as page:
        page.goto(live_server.url + "/en/")
        page.fill("#q", "visa")
        with page.expect_navigation():
            page.click("header form button[type=submit]")
        assert page.url == live_server.url + "/en/search/?q=visa"
        link = page.locator('main a[href="/en/support/emergency-visa/"]')
        assert link.count() == 1, "the emergency visa is not among the results"
        assert link.inner_text().strip()
        assert page.input_value("#q") == "visa"

        page.goto(live_server.url + "/en/compare/")
        all_columns = page.locator(".matrix thead th").count()
        with page.expect_navigation():
            page.click('main nav a[href="?category=exceptional"]')
        assert page.url == live_server.url + "/en/compare/?category=exceptional"
        assert page.get_attribute('main nav a[href="?category=exceptional"]', "aria-current") == "page"
        some_columns = page.locator(".matrix thead th").count()
        assert 1 < some_columns < all_columns
        with page.expect_navigation():
            page.click('main nav a[href="/en/compare/"]')
        assert page.locator(".matrix thead th").count() == all_columns


@pytest.mark.browser
def test_pages_fit_a_320_pixel_screen(browser, live_server):
    problems = []
    with new_page(browser, viewport={"width": NARROW, "height": 640}) as page:
        for path, _status in PAGES:
            page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > NARROW + 1:
                wide = page.evaluate(
                    """limit => [...document.querySelectorAll('body *')]
                        .filter(e => !e.closest('.scroll') && e.getBoundingClientRect().right > limit)
                        .slice(0, 3).map(e => e.outerHTML.slice(0, 120))""",
                    NARROW + 1,
                )
                problems.append(f"{path}: page is {width}px wide; overflowing: {wide}")
            # Data tables (the compare matrix, the issuer and mission lists) may scroll, but only
            # inside their own .scroll container (WCAG 1.4.10 exempts two-dimensional tables).
            for box in page.locator(".scroll").all():
                if box.evaluate("e => e.getBoundingClientRect().right") > NARROW + 1:
                    problems.append(f"{path}: the .scroll container is wider than the screen")
            links = page.locator("header > nav:first-of-type a")  # the main menu (its label is translated)
            assert links.count() >= 7, path
            for link in links.all():
                box = link.bounding_box()
                if not link.is_visible() or box is None or box["x"] < 0 or box["x"] + box["width"] > NARROW + 1:
                    problems.append(f"{path}: nav link {link.inner_text()!r} is not visible on screen")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_print_hides_the_search_form(browser, live_server):
    with new_page(browser) as page:
        page.goto(live_server.url + "/en/issuers/FR/")
        assert page.locator("header form").is_visible()
        page.emulate_media(media="print")
        assert not page.locator("header form").is_visible()
        assert not page.locator("#q").is_visible()
        assert page.locator("h1").is_visible()


@pytest.mark.browser
def test_right_to_left_mirrors_the_layout(browser, live_server):
    def layout(path: str, width: int) -> dict:
        with new_page(browser, viewport={"width": width, "height": 768}) as page:
            page.goto(live_server.url + path)
            assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none", "stylesheet not loaded"
            brand = page.locator("header .brand").bounding_box()
            button = page.locator("header form button").bounding_box()
            return {
                "dir": page.evaluate("document.documentElement.dir"),
                "brand": brand,
                "button": button,
                "width": page.evaluate("document.documentElement.scrollWidth"),
            }

    ltr = layout("/en/", 1024)
    assert ltr["dir"] == "ltr"
    assert ltr["brand"]["x"] < ltr["button"]["x"], "left to right: the brand should come first, on the left"

    rtl = layout("/ar/", 1024)
    assert rtl["dir"] == "rtl"
    assert rtl["brand"]["x"] > rtl["button"]["x"] + rtl["button"]["width"], (
        f"right to left: the brand should be on the right of the search button: {rtl}"
    )
    assert rtl["width"] <= 1024, "right to left: something placed with a physical offset (left:…) overflows the page"

    narrow = layout("/ar/", NARROW)
    assert narrow["width"] <= NARROW + 1, f"right to left: /ar/ is {narrow['width']}px wide on a {NARROW}px screen"
    for name in ("brand", "button"):
        box = narrow[name]
        assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW + 1, f"right to left: the {name} is off screen"

    # Mirroring holds only as long as the stylesheet says start/end, never left/right.
    css = (REPO / "amparo/web/static/amparo/amparo.css").read_text(encoding="utf-8")
    physical = re.findall(r"[\w-]*(?:left|right)[\w-]*\s*:|(?:text-align|float|clear)\s*:\s*(?:left|right)", css)
    assert not physical, f"physical properties in amparo.css: {physical}"
