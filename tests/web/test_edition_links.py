"""The offline edition is rendered by the templates: {% link %} and {% asset %}, and the edition flag."""

from __future__ import annotations

import ast
import html
from pathlib import Path

import pytest
from django.template import engines
from django.templatetags.static import static
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from amparo.web.edition import export
from amparo.web.edition.links import EDITION_KEY, OFFLINE_CSP, Edition, EditionError

FILES = {
    "/": "index.html",
    "/en/": "en/index.html",
    "/en/issuers/": "en/issuers/index.html",
    **{f"/en/{name}/": f"en/{name}/index.html" for name in ("navigator", "support", "guidance", "programmes", "about")},
    "/en/search/": "en/search/index.html",
    "/en/issuers/CA/": "en/issuers/CA/index.html",
    "/en/compare/": "en/compare/index.html",
    "/en/compare/?category=general": "en/compare/general/index.html",
    "/static/amparo/amparo.css": "static/amparo/amparo.css",
    "/data/matrix.csv": "data/matrix.csv",
}
EDITION = Edition(files=FILES, languages=("en",))


def render(source: str, url: str = "/en/issuers/CA/", edition: Edition | None = EDITION, **context) -> str:
    request = RequestFactory().get(url, **({EDITION_KEY: edition.at(url)} if edition else {}))
    with translation.override("en"):
        return engines["django"].from_string("{% load edition %}" + source).render(context, request)


def test_live_links_are_the_live_addresses():
    with translation.override("en"):
        expected = reverse("issuer-detail", args=["CA"])
    assert render("{% link 'issuer-detail' 'CA' %}", edition=None) == expected
    assert render("{% link 'issuer-detail' i fragment='x' %}", edition=None, i="CA") == expected + "#x"
    assert render("{% link '/data/matrix.csv' %}", edition=None) == "/data/matrix.csv"
    assert render("{% link '?category=general' %}", edition=None) == "?category=general"
    assert render("{% asset 'amparo/amparo.css' %}", edition=None) == static("amparo/amparo.css")
    assert render("{% if edition %}offline{% else %}live{% endif %}", edition=None) == "live"


def test_offline_links_are_paths_from_the_page_file():
    assert render("{% link 'issuer-list' %}") == "../index.html"
    assert render("{% link 'issuer-detail' 'CA' fragment='visa' %}") == "index.html#visa"
    assert render("{% link 'home' %}") == "../../index.html"
    assert render("{% link '/data/matrix.csv' %}") == "../../../data/matrix.csv"
    assert render("{% asset 'amparo/amparo.css' %}") == "../../../static/amparo/amparo.css"
    assert render("{% link '?category=general' %}", url="/en/compare/") == "general/index.html"
    assert render("{% link 'compare' %}", url="/en/compare/?category=general") == "../index.html"
    assert render("{% if edition %}offline{% else %}live{% endif %}") == "offline"


def test_a_link_split_over_lines_is_still_a_link_offline():
    """The old exporter found links with regular expressions over one-line templates; now the tag is the link."""
    source = """<nav>
      <a
        class="brand"
        href="{% link 'issuer-list' %}"
      >Issuers</a>
      <ul>
        <li>
          <a href="{% link 'issuer-detail' 'CA' %}">
            Canada
          </a>
        </li>
      </ul>
    </nav>"""
    html = render(source)
    assert 'href="../index.html"' in html and 'href="index.html"' in html
    assert "/en/" not in html


def test_a_page_not_in_the_edition_keeps_its_words_without_a_link():
    source = (
        "{% link 'casebook:dashboard' as href %}"
        '<p>{% if href %}<a href="{{ href }}">Your casebook</a>{% else %}Your casebook{% endif %}</p>'
    )
    assert render(source) == "<p>Your casebook</p>"
    with translation.override("en"):
        live = reverse("casebook:dashboard")
    assert render(source, edition=None) == f'<p><a href="{live}">Your casebook</a></p>'


def test_a_link_the_edition_cannot_hold_stops_the_export_with_its_name():
    with pytest.raises(EditionError, match="casebook"):
        render("<a href=\"{% link 'casebook:dashboard' %}\">Casebook</a>")
    with pytest.raises(EditionError, match="navigator-data"):
        render("{% asset 'amparo/navigator-data.js' %}")


def test_the_policy_and_the_server_only_parts_follow_the_flag():
    page = render("{% include 'web/base.html' %}", alternates=[], language="en")
    assert f'<meta http-equiv="Content-Security-Policy" content="{html.escape(OFFLINE_CSP)}">' in page
    assert 'role="search"' not in page and "casebook" not in page
    live = render("{% include 'web/base.html' %}", edition=None, alternates=[], language="en")
    assert "Content-Security-Policy" not in live and 'role="search"' in live and "casebook" in live


def test_no_visitor_can_ask_for_the_offline_rendering():
    """The edition travels in the WSGI environ, where a request header cannot reach (headers become HTTP_*)."""
    client = Client()
    page = client.get("/en/about/", headers={EDITION_KEY: "1"}, **{f"HTTP_{EDITION_KEY}": "1"}).content.decode()
    assert "Content-Security-Policy" not in page and 'role="search"' in page and "/api/v1/" in page


def test_the_exporter_does_not_rewrite_html():
    """No regular expression (nor any other pass) changes a page after its template rendered it."""
    source = Path(export.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert "re" not in imported and "regex" not in imported
    assert ".replace(" not in source and ".sub(" not in source
