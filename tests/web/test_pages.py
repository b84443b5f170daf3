"""Every URL of the site, walked with Django's test client: status, budgets, headers, no inline code."""

from __future__ import annotations

import gzip
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation
from django.utils.html import escape

from amparo.guidelines import get_dataset
from amparo.web.templatetags.amparo import source_parts
from amparo.web.views import GUIDANCE_SECTIONS

BUDGET = 14 * 1024
CSS = (settings.BASE_DIR / "web" / "static" / "amparo" / "amparo.css").read_bytes()


def page_urls() -> list[str]:
    dataset = get_dataset()
    urls = []
    for code, _name in settings.LANGUAGES:

        def r(name, *args, code=code):
            return f"/{code}" + reverse(name, args=args)[3:]

        urls += [
            r(n)
            for n in (
                "home",
                "support-list",
                "issuer-list",
                "compare",
                "guidance-index",
                "programme-list",
                "programme-relocation",
                "programme-more",
                "search",
                "about",
                "source-list",
                "navigator",
            )
        ]
        urls += [r("source-part", n) for n in range(2, len(source_parts()) + 1)]
        urls += [r("compare") + f"?category={c.id}" for c in dataset.categories]
        urls += [r("search") + "?q=visa", r("search") + "?q=nothingmatchesthis"]
        urls += [r("support-detail", s) for s in dataset.support_types]
        urls += [r("issuer-detail", i) for i in dataset.issuers]
        urls += [r("issuer-missions", i.id) for i in dataset.issuers.values() if i.has_mission_data]
        urls += [r("guidance-section", s) for s in GUIDANCE_SECTIONS]
    return urls


PAGES = page_urls()


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.problems: list[str] = []
        self.html_lang = None
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "h1":
            self.h1 += 1
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "style" or "style" in attrs:
            self.problems.append(f"inline style in <{tag}>")
        if tag == "script" and not attrs.get("src"):
            self.problems.append("inline script")
        if any(name.startswith("on") for name in attrs):
            self.problems.append(f"event handler on <{tag}>")
        for name in ("src", "action", "formaction") + (("href",) if tag == "link" else ()):
            value = attrs.get(name)
            if value and urlsplit(value).netloc:
                self.problems.append(f"{tag} {name} loads from another origin: {value}")
        if tag == "a" and (attrs.get("href") or "").lower().startswith("javascript:"):
            self.problems.append("javascript: link")


@pytest.fixture(scope="module")
def client():
    return Client()


def test_every_url_pattern_is_walked():
    """A new page must be added to the walk (and so to every check below)."""
    walked = set()
    for url in PAGES:
        with translation.override(url.split("/")[1]):
            walked.add(resolve(urlsplit(url).path).url_name)

    def names(resolver, found, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                names(pattern, found, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
        return found

    # Not HTML pages for a GET walk; each is exercised by its own tests:
    # POST forms (tests/web/test_navigator.py, tests/documents/test_letters.py) and
    # file downloads (tests/documents/test_sheets.py, tests/documents/test_offline.py).
    post_only = {"navigator-plan", "letter", "issuer-sheet-pdf", "general-sheet-pdf", "matrix-pdf", "offline-zip"}
    # The private casebook pages are walked, unlocked and locked, by tests/web/test_casebook_*.py.
    private = ("casebook:",)
    html_pages = {n for n in names(get_resolver(), set()) if not n.startswith(("api-", "download-", *private))}
    html_pages -= post_only
    assert html_pages <= walked, html_pages - walked


@pytest.mark.parametrize("url", PAGES)
def test_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content
    parser = PageParser()
    parser.feed(body.decode("utf-8"))
    assert parser.h1 == 1, "one <h1> per page"
    assert parser.html_lang == url.split("/")[1]
    assert not parser.problems, parser.problems
    assert len(parser.ids) == len(set(parser.ids)), "duplicate id attributes"
    size = len(gzip.compress(body, 9)) + len(gzip.compress(CSS, 9))
    assert size <= BUDGET, f"{url}: {size} bytes gzipped with CSS, budget {BUDGET}"
    assert "Set-Cookie" not in response.headers and not response.cookies, "public pages set no cookie"
    assert response.headers["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_policy_is_strict():
    policy = settings.CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "*" not in policy
    assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy


def test_root_chooses_the_language_from_the_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert not response.cookies


@pytest.mark.parametrize(
    "url",
    [
        "/en/support/no-such-measure/",
        "/en/issuers/XX/",
        "/en/issuers/XX/missions/",
        "/en/guidance/nothing/",
        "/en/nowhere/",
        "/en/issuers/" + "A" * 300 + "/",
        "/xx/",
        "/en/support/%ff/",
    ],
)
def test_unknown_addresses_get_a_friendly_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"<h1>" in response.content and b"Traceback" not in response.content
    assert response.headers["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "query",
    [
        "category=%ff%fe",
        "category=targeted&category=general",
        "category[]=x",
        "category=" + "x" * 5000,
        "q=%00",
        "q=" + "word " * 2000,
        "q=%E2%80%AE",
        "q=<script>alert(1)</script>",
        "q=%25%25%25",
        "a=1;b=2",
    ],
)
def test_malformed_query_strings_are_handled(client, query):
    for path in ("/en/compare/", "/en/search/", "/en/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, (path, query)
        assert b"<script>alert" not in response.content


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_public_pages_refuse_writes(client, method):
    response = getattr(client, method)("/en/issuers/CA/")
    assert response.status_code in (403, 405)


def test_head_is_answered(client):
    response = client.head("/en/compare/")
    assert response.status_code == 200 and response.content == b""


def test_downloads(client):
    response = client.get("/data/amparo.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert b'"support_types"' in response.content
    response = client.get("/data/matrix.csv")
    assert response.status_code == 200 and response.content.startswith(b"issuer,issuer_name,")


def test_issuer_page_shows_nuance_beside_the_seed(client):
    body = client.get("/en/issuers/CA/").content.decode()
    section = body[body.index('id="asylum-from-abroad"') :]
    assert "S0" in section[:3000] and "UNHCR" in section[:3000]
    assert 'class="nuance"' in section[:3000]


def test_missions_page_says_absence_is_not_known(client):
    body = client.get("/en/issuers/DE/missions/").content.decode()
    assert "not known" in body and "2024" in body and "Honorary consulates" in body
    eu = client.get("/en/issuers/EU/").content.decode()
    assert "129 EU Delegations and offices are in our list. The list is partial" in eu
    assert "not that there is no Delegation" in eu and 'href="http://eeas.europa.eu/' in eu


def test_eu_missions_page_lists_delegations_with_their_pages_and_caveats(client, dataset):
    body = client.get("/en/issuers/EU/missions/").content.decode()
    assert "EU Delegations and offices" in body and "not that there is no Delegation" in body
    haiti = body[body.index("<td>Haiti</td>") :][:1500]
    assert "Port-au-Prince" in haiti and '<span class="tag warn">evacuated</span>' in haiti
    assert 'href="https://www.tripfoumi.com/' in haiti  # the page the row was read on
    for mission in dataset.missions_of("EU"):
        assert all(f'href="{escape(page)}"' in body for page in mission.pages), mission.id
    assert "not named by the pages read" in body  # a Delegation whose city no page names


def test_matrix_filters_by_category_without_javascript(client):
    everything = client.get("/en/compare/").content.decode()
    exceptional = client.get("/en/compare/?category=exceptional").content.decode()
    assert "/en/support/asylum-from-abroad/" in exceptional and "/en/support/trial-observation/" not in exceptional
    assert "/en/support/trial-observation/" in everything


def test_guidance_shows_nuances_beside_the_action_sheet(client):
    body = client.get("/en/guidance/questions/").content.decode()
    section = body[body.index('id="asylum-from-abroad"') :]
    section = section[: section.index("</section>")]
    assert 'class="nuance"' in section and "#S18" in section and "#S30a" in section
