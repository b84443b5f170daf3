"""Every casebook page, unlocked and full of records, in every language: the same promises as public pages.

One h1, no inline code, nothing from another origin, the strict CSP, within
the one-round-trip budget, never stored by a cache, and no 5xx.
"""

from __future__ import annotations

import gzip

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.web.casebook_helpers import PASSPHRASE, new_case
from tests.web.test_casebook_flow import RECORDS
from tests.web.test_casebook_locked import _casebook_patterns
from tests.web.test_pages import BUDGET, CSS, PageParser

pytestmark = pytest.mark.django_db
POST_ONLY = {
    "casebook:lock",
    "casebook:case-access",
    "casebook:record-delete",
    "casebook:follow-up-done",
    "casebook:from-plan",
}
DOWNLOADS = {"casebook:export-case", "casebook:export-engagements", "casebook:export-follow-ups"}
ENTRY_PAGES = {"casebook:setup", "casebook:unlock"}  # redirect once a casebook exists / is unlocked


@pytest.fixture
def full(unlocked: Client) -> tuple[Client, dict[str, str]]:
    case_id = new_case(unlocked)
    new_case(unlocked, pseudonym="Second case", country="")
    ids = {"case": case_id}
    for kind, data in RECORDS.items():
        unlocked.post(f"/en/casebook/cases/{case_id}/new/{kind}/", data)
    from amparo.web.casebook import runtime

    for entry in runtime.casebook().timeline("local", case_id):
        ids.setdefault(entry.kind, entry.record.id)
    return unlocked, ids


def _page_urls(ids: dict[str, str], language: str) -> list[str]:
    urls = []
    with translation.override(language):
        for name, pattern in _casebook_patterns():
            if name in POST_ONLY | DOWNLOADS | ENTRY_PAGES:
                continue
            converters = pattern.pattern.converters
            if "kind" in converters and "record_id" in converters:
                for kind in ("case", "incident", "engagement", "request", "follow-up", "risk"):
                    urls.append(reverse(name, kwargs={"kind": kind, "record_id": ids[kind]}))
            elif "kind" in converters:
                for kind in ("incident", "engagement", "request", "follow-up", "risk"):
                    urls.append(reverse(name, kwargs={"kind": kind, "case_id": ids["case"]}))
            elif "record_id" in converters:  # a page of one record of a known kind: the letter of a request
                urls.append(reverse(name, kwargs={"record_id": ids["request"]}))
            elif "case_id" in converters:
                urls.append(reverse(name, kwargs={"case_id": ids["case"]}))
            else:
                urls.append(reverse(name))
    return urls


def _check_page(response, url: str, language: str, status: int = 200) -> None:
    assert response.status_code == status, (url, response.status_code)
    body = response.content
    parser = PageParser()
    parser.feed(body.decode("utf-8"))
    assert parser.h1 == 1, url
    assert parser.html_lang == language
    assert not parser.problems, (url, parser.problems)
    assert len(parser.ids) == len(set(parser.ids)), (url, "duplicate id attributes")
    size = len(gzip.compress(body, 9)) + len(gzip.compress(CSS, 9))
    assert size <= BUDGET, f"{url}: {size} bytes gzipped with CSS, budget {BUDGET}"
    assert response.headers["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_pages_in_front_of_the_lock(casebook_dir, language: str) -> None:
    client = Client()
    for url in [f"/{language}/casebook/setup/", f"/{language}/casebook/restore/"]:
        _check_page(client.get(url), url, language)
    client.post(f"/{language}/casebook/setup/", {"passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    _check_page(client.post(f"/{language}/casebook/lock/"), "lock", language)
    url = f"/{language}/casebook/unlock/"
    _check_page(client.get(url), url, language)
    bad = client.post(url, {"passphrase": "not the passphrase"})
    assert bad.status_code == 403
    _check_page(bad, url, language, status=403)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_casebook_page(full, language: str) -> None:
    client, ids = full
    for url in _page_urls(ids, language):
        _check_page(client.get(url), url, language)


def test_downloads_are_private_too(full) -> None:
    client, ids = full
    for url in [
        f"/en/casebook/cases/{ids['case']}/export.csv",
        f"/en/casebook/cases/{ids['case']}/export.json",
        "/en/casebook/export/engagements.csv",
        "/en/casebook/export/engagements.json",
        "/en/casebook/export/follow-ups.ics",
    ]:
        response = client.get(url)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"], url
        assert "no-store" in response.headers["Cache-Control"]


def test_only_casebook_pages_carry_the_casebook_styles(unlocked) -> None:
    """A defender on a public page loads the one stylesheet every page shares, not the casebook's forms and timeline."""
    assert "casebook.css" in unlocked.get("/en/casebook/").content.decode()
    for path in ("/en/", "/en/support/", "/en/navigator/"):
        body = Client().get(path).content.decode()
        assert "amparo.css" in body and "casebook.css" not in body, path
