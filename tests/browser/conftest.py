"""Fixtures for the browser tests: one headless Chromium for the session, and the raw HTML of every page.

The browser is Debian's Chromium (never a Playwright download); the pages come from
pytest-django's session-scoped ``live_server``.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path(os.environ.get("AMPARO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# One page of each type, in English, and a few in other languages, with the status each must answer.
PAGES: list[tuple[str, int]] = [
    ("/en/", 200),
    ("/en/support/", 200),
    ("/en/support/trial-observation/", 200),
    ("/en/support/asylum-from-abroad/", 200),
    ("/en/issuers/", 200),
    ("/en/issuers/CA/", 200),
    ("/en/issuers/EU/", 200),
    ("/en/issuers/FR/", 200),
    ("/en/issuers/US/missions/", 200),
    ("/en/compare/", 200),
    ("/en/compare/?category=exceptional", 200),
    ("/en/guidance/", 200),
    ("/en/guidance/questions/", 200),
    ("/en/guidance/security/", 200),
    ("/en/guidance/stories/", 200),
    ("/en/programmes/", 200),
    ("/en/search/?q=visa", 200),
    ("/en/search/?q=zzzz", 200),
    ("/en/about/", 200),
    ("/en/sources/", 200),
    ("/en/navigator/", 200),
    ("/en/issuers/XX/", 404),
    ("/ar/", 200),  # right to left
    ("/es/issuers/CA/", 200),  # dataset text in English inside a Spanish page
]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """A headless Chromium shared by the tests of a module.

    Playwright's sync API keeps an asyncio loop marked as running in the main thread for
    as long as it is open, and Django then refuses database work there (the live server's
    transactional_db set-up and flush). So the browser lives for one module only, and
    Django's async-safety check is relaxed for exactly that time: the tests themselves
    never touch the database, and the tests of other modules keep the check.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (make test does).")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def raw_html(live_server, django_db_blocker) -> dict[str, str]:
    """The HTML body of every page in PAGES, exactly as the server sent it (checked against its status).

    This module-scoped fixture runs before any test's database fixture. The live server shares
    the main thread's connection, and once an earlier test (a transactional one) has opened it,
    Django checks it at the start of every request, which pytest-django forbids outside a
    test with database access. The pages read nothing from the database; the check only looks.
    """
    bodies = {}
    with django_db_blocker.unblock():
        for path, status in PAGES:
            try:
                with urllib.request.urlopen(live_server.url + path, timeout=30) as response:
                    code, body = response.status, response.read()
            except urllib.error.HTTPError as error:
                code, body = error.code, error.read()
            assert code == status, f"{path} answered {code}, expected {status}"
            bodies[path] = body.decode("utf-8")
    return bodies


def nu_checker_messages(directory: Path, timeout: int = 300) -> list[dict]:
    """Errors the Nu HTML checker finds in every .html file under ``directory``, in one run (it is slow to start)."""
    import json
    import shutil
    import subprocess

    java = shutil.which("java")
    assert java, "a Java runtime is needed for the Nu HTML checker (make test installs it)"
    assert VNU.exists(), f"{VNU} is missing: run `npm ci` (make test does)"
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(directory)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    try:  # the checker reports on stderr
        return json.loads(run.stderr or '{"messages": []}')["messages"]
    except (ValueError, KeyError):
        raise AssertionError(
            f"the Nu HTML checker did not answer in JSON (exit {run.returncode}):\n{run.stderr}"
        ) from None


@pytest.fixture
def casebook_settings(tmp_path: Path, settings):
    """A fresh casebook folder, unlocked with a fast key derivation, for one test."""
    from amparo.web.casebook import runtime
    from tests.casebook.test_vault import FAST

    settings.CASEBOOK_DIR = tmp_path / "casebook"
    settings.CASEBOOK_KDF = FAST
    runtime.reset_for_tests()
    yield
    runtime.reset_for_tests()


PASSPHRASE = "five unrelated words in a row"  # the browser tests' casebooks


def create_casebook(page) -> None:
    """On the casebook's setup page: a new casebook with the test passphrase."""
    page.locator("#id_passphrase").fill(PASSPHRASE)
    page.locator("#id_confirm").fill(PASSPHRASE)
    page.get_by_role("button", name="Create the casebook").click()


def save_new_case(page) -> str:
    """On the new-case form: the case a land defender's community would open; the address of its page."""
    import re

    page.locator("#id_pseudonym").fill("Guardian of the river")
    page.locator("#id_subject").select_option("community")
    page.locator("#id_country").select_option("HN")
    page.get_by_role("button", name="Save").click()
    assert re.search(r"/casebook/cases/[0-9a-f]{16}/$", page.url), page.url
    return page.url
