"""What the Node tests of the offline navigator need from Python: the data script, and the real offline
navigator page as a tree that tests/js/fake-dom.mjs builds a document from (the scripts left out: Node
loads them itself)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from amparo.guidelines import get_dataset
from amparo.web.edition.data import navigator_data_js
from amparo.web.edition.export import DATA_FILES, STATIC_FILES, page_urls, sheet_urls
from amparo.web.edition.links import Edition, file_for
from amparo.web.edition.pages import navigator_page, special_urls

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: list[Any] | None = None
        self.stack: list[list[Any]] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.skipping += 1
            return
        node: list[Any] = [tag, {name: value or "" for name, value in attrs}]
        if self.stack:
            self.stack[-1].append(node)
        else:
            self.root = node
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.skipping -= 1
            return
        if tag in VOID:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack and not self.skipping:
            self.stack[-1].append(data)


def html_tree(body: str) -> list[Any]:
    """``[tag, {attributes}, *children]`` for the page's ``<html>`` element, text as strings."""
    parser = _Tree()
    parser.feed(body)
    parser.close()
    assert parser.root is not None and parser.root[0] == "html"
    return parser.root


def offline_navigator_html(language: str) -> str:
    """The offline edition's navigator page in ``language``, as the exporter makes it."""
    from django.conf import settings

    dataset = get_dataset()
    files = {url: file_for(url) for url in (*page_urls(dataset, language), *special_urls(language))}
    files |= {f"{settings.STATIC_URL}{name}": f"static/{name}" for name in (*STATIC_FILES, "amparo/navigator-data.js")}
    files |= {url: url.lstrip("/") for url in (*DATA_FILES, *sheet_urls(dataset, language, issuer_sheets=False))}
    return navigator_page(dataset, language, Edition(files={"/": "index.html", **files}, languages=(language,)))


def write_inputs(folder: Path, languages: list[str]) -> tuple[Path, Path]:
    """(navigator-data.js, pages.json: {language: tree}) in ``folder``, for node."""
    data = folder / "navigator-data.js"
    data.write_text(navigator_data_js(get_dataset()), encoding="utf-8")
    pages = folder / "pages.json"
    trees = {language: html_tree(offline_navigator_html(language)) for language in languages}
    pages.write_text(json.dumps(trees, ensure_ascii=False), encoding="utf-8")
    return data, pages
