"""The minifier: whitespace runs become one character, and nothing a browser shows changes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client, RequestFactory
from django.urls import resolve
from django.utils import translation

from amparo.web.minify import minify_html

HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


class Tokens(HTMLParser):
    """Tags with their attributes, and text with each whitespace run made one space (except in pre/textarea)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []
        self.verbatim = 0

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(attrs)))
        self.verbatim += tag in ("pre", "textarea")

    def handle_startendtag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(attrs)))

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag))
        self.verbatim -= tag in ("pre", "textarea")

    def handle_data(self, data):
        if self.tokens and self.tokens[-1][0] == "text" and not self.verbatim:
            data = self.tokens.pop()[1] + data
        self.tokens.append(("text", data if self.verbatim else HTML_SPACE.sub(" ", data)))

    def handle_comment(self, data):
        self.tokens.append(("comment", data))

    def handle_decl(self, decl):
        self.tokens.append(("decl", decl))


def tokens(html: str) -> list[tuple]:
    parser = Tokens()
    parser.feed(html)
    parser.close()
    return parser.tokens


def text(html: str) -> str:
    return "".join(t[1] for t in tokens(html) if t[0] == "text")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<p>a  <b>b</b>   c</p>", "<p>a <b>b</b> c</p>"),
        ("<span>a</span> <span>b</span>", "<span>a</span> <span>b</span>"),  # a space between inline elements
        ("<ul>\n    <li>a</li>\n    <li>b</li>\n  </ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ('<a\n      href="x"\n      lang="en"\n    >words</a>', '<a href="x" lang="en">words</a>'),
        ('<input value="two  spaces\n kept">', '<input value="two  spaces\n kept">'),
        ("<p title='a  b'>x</p>", "<p title='a  b'>x</p>"),
        ("<p>a\u00a0\u00a0b</p>", "<p>a\u00a0\u00a0b</p>"),  # no-break spaces are content
        ("<p>a\t\t b</p>", "<p>a b</p>"),
        ("<br />", "<br />"),
        ("<p>no change</p>", "<p>no change</p>"),
    ],
)
def test_whitespace_runs_become_one_character(before, after):
    assert minify_html(before) == after


@pytest.mark.parametrize(
    "verbatim",
    [
        "<pre>  two\n    indented\n\n  lines  </pre>",
        "<PRE class=x>  a\n  b</PRE>",
        '<textarea name="notes">  first line\n\n   second  </textarea>',
        "<script>  var a = '  x  ';\n  </script>",
        "<style>  p {  margin: 0  }\n</style>",
        "<!--  a   comment\n -->",
    ],
)
def test_preformatted_content_passes_untouched(verbatim):
    html = f"<div>\n   {verbatim}\n   </div>"
    assert minify_html(html) == f"<div>\n{verbatim}\n</div>"


def test_the_opening_tag_of_a_preformatted_element_is_still_tidied():
    assert minify_html('<textarea\n    name="x"\n    rows="2">  kept  </textarea>') == (
        '<textarea name="x" rows="2">  kept  </textarea>'
    )


def test_minifying_twice_changes_nothing_more():
    html = "<main>\n  <p>a  b</p>\n  <pre> x  y </pre>\n  <p>\n    c\n  </p>\n</main>\n"
    once = minify_html(html)
    assert minify_html(once) == once


def _unminified(url: str) -> str:
    """The page as the view renders it, before any middleware touches it."""
    language = url.split("/")[1]
    with translation.override(language):
        match = resolve(url.split("?")[0])
        request = RequestFactory().get(url)
        response = match.func(request, *match.args, **match.kwargs)
    return response.content.decode()


@pytest.mark.parametrize("url", ["/en/", "/ar/issuers/CA/", "/en/sources/", "/fr/navigator/", "/en/compare/"])
def test_a_page_says_and_holds_the_same_after_minifying(url):
    raw = _unminified(url)
    small = minify_html(raw)
    assert len(small) < len(raw), "the indentation of the templates goes"
    assert text(small) == text(raw), "the same words, with the same spaces between them"
    assert tokens(small) == tokens(raw), "the same elements, with the same attributes"


def test_html_responses_are_minified_and_measured_again():
    response = Client().get("/en/issuers/CA/")
    body = response.content.decode()
    assert "\n  " not in body and "  " not in body.replace("\u00a0", "")
    assert body == minify_html(_unminified("/en/issuers/CA/"))
    if response.has_header("Content-Length"):
        assert int(response["Content-Length"]) == len(response.content)


def test_other_responses_pass_untouched():
    for url in ("/data/amparo.json", "/data/matrix.csv"):
        response = Client().get(url)
        assert not response["Content-Type"].startswith("text/html")
        direct = resolve(url).func(RequestFactory().get(url))
        assert response.content == direct.content, url
