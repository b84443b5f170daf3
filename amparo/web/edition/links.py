"""What a page needs to know when it is rendered for the offline edition: where every exported file lives.

The exporter puts an :class:`Edition` in the request it renders a page with (under
:data:`EDITION_KEY` in the WSGI environ, where no visitor's header can reach: headers
arrive as ``HTTP_*``); the context processor hands it to the templates as ``edition``.
Templates then decide what is server-only (``{% if not edition %}``), and the
``{% link %}`` and ``{% asset %}`` tags (amparo.web.templatetags.edition) give each
internal link as a path relative to the page's own file. Nothing rewrites the HTML
afterwards.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin, urlsplit

EDITION_KEY = "amparo.edition"

# file:// pages have no headers: the policy travels in the page (frame-ancestors cannot, by design of CSP).
OFFLINE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'"
)


def file_for(url: str) -> str:
    """Where the page at ``url`` (path and query) lives in the export: a folder with an index.html."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    if parts.query.startswith("category="):  # the matrix filtered by a category, a page of its own
        path = f"{path}/{parts.query.removeprefix('category=')}"
    return f"{path}/index.html" if path else "index.html"


def relative(target: str, page: str) -> str:
    """The path from the file ``page`` to the file ``target``, both inside the export."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


class EditionError(Exception):
    """A template links to what the offline edition does not hold, without saying what to do instead."""


@dataclass(frozen=True, eq=False)
class Edition:
    """The offline edition a page is rendered for, and which of its files the page is."""

    files: Mapping[str, str]  # live address (path, and query if any) → file inside the export
    languages: tuple[str, ...]
    url: str = "/"  # the live address of the page being rendered
    page: str = "index.html"  # and its file
    csp: str = OFFLINE_CSP
    issuer_sheets: bool = field(default=False)

    def at(self, url: str) -> Edition:
        """The edition as seen from the page at ``url``."""
        return replace(self, url=url, page=self.files[url])

    def href(self, url: str) -> str | None:
        """``url`` (a live address) as a link from this page's file; None if the edition does not hold it."""
        parts = urlsplit(urljoin(self.url, url) if url.startswith("?") else url)
        if parts.scheme or parts.netloc:
            return url  # another site: a link that leaves the edition, as on the live site
        if not parts.path:
            return url  # a fragment of this page
        key = parts.path + (f"?{parts.query}" if parts.query else "")
        target = self.files.get(key)
        if target is None:
            return None
        return relative(target, self.page) + (f"#{parts.fragment}" if parts.fragment else "")
