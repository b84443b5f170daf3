"""Every casebook URL refuses while locked, and to any browser but the one that unlocked.

The URLs are found by walking the URLconf, so a page added later is covered
without anyone remembering to add it here.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from amparo.web.casebook import runtime
from tests.web.casebook_helpers import new_case

pytestmark = pytest.mark.django_db

# Pages in front of the boundary: they must work while locked, and they show no record.
OPEN_WHILE_LOCKED = {"casebook:setup", "casebook:unlock", "casebook:lock", "casebook:restore"}
SAMPLE = {"case_id": "0123456789abcdef", "record_id": "0123456789abcdef", "kind": "incident", "fmt": "csv"}


def _casebook_patterns(resolver=None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    """Every URL of the casebook app: the patterns under its namespace, however deep."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            found += _casebook_patterns(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name and namespace == "casebook":
            found.append((f"casebook:{entry.name}", entry))
    return found


def _urls(case_id: str) -> list[tuple[str, str]]:
    from django.urls import reverse

    urls = []
    for name, pattern in _casebook_patterns():
        args = {k: (case_id if k in ("case_id", "record_id") else v) for k, v in SAMPLE.items()}
        args = {k: v for k, v in args.items() if k in pattern.pattern.converters}
        if name == "casebook:follow-up-done":
            args["record_id"] = case_id
        urls.append((name, reverse(name, kwargs=args)))
    return urls


def test_the_walk_finds_every_casebook_page() -> None:
    names = {name for name, _ in _casebook_patterns()}
    assert len(names) >= 20
    assert {"casebook:dashboard", "casebook:case", "casebook:search", "casebook:export-follow-ups"} <= names


@pytest.mark.parametrize("method", ["get", "post"])
def test_locked_casebook_shows_nothing(unlocked: Client, method: str) -> None:
    case_id = new_case(unlocked, pseudonym="CANARY-PSEUDONYM")
    unlocked.post("/en/casebook/lock/")
    for name, url in _urls(case_id):
        response = getattr(unlocked, method)(url)
        body = response.content.decode(errors="replace")
        assert "CANARY-PSEUDONYM" not in body, url
        if name in OPEN_WHILE_LOCKED:
            continue
        assert response.status_code in (302, 405), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].endswith("/casebook/unlock/"), url
        if response.status_code != 405:
            assert {"no-store", "private"} <= {p.strip() for p in response["Cache-Control"].split(",")}, url


def test_another_browser_sees_nothing_while_unlocked(unlocked: Client) -> None:
    case_id = new_case(unlocked, pseudonym="CANARY-PSEUDONYM")
    stranger = Client(enforce_csrf_checks=True)
    for name, url in _urls(case_id):
        for method in ("get", "post"):
            response = getattr(stranger, method)(url)
            assert "CANARY-PSEUDONYM" not in response.content.decode(errors="replace"), url
            if name not in OPEN_WHILE_LOCKED:
                assert response.status_code in (302, 403, 405), (url, method, response.status_code)
    assert runtime.vault().is_unlocked  # a stranger's POST to lock without a CSRF token changed nothing


def test_unknown_and_foreign_ids_are_404_not_500(unlocked: Client) -> None:
    for url in [
        "/en/casebook/cases/ffffffffffffffff/",
        "/en/casebook/incident/ffffffffffffffff/",
        "/en/casebook/cases/ffffffffffffffff/export.json",
        "/en/casebook/cases/XYZ/",
    ]:
        assert unlocked.get(url).status_code == 404


def test_public_pages_still_work_and_set_no_cookie_while_locked(unlocked: Client) -> None:
    unlocked.post("/en/casebook/lock/")
    fresh = Client()
    response = fresh.get("/en/")
    assert response.status_code == 200 and not response.cookies
