"""HTML made smaller without changing what a browser shows: runs of whitespace become one character.

The templates are indented to be read; what they send is not. Outside tags, a run of
HTML whitespace becomes one newline (if it held one) or one space: a browser renders
any run as one space or none, so the page looks the same, and no space between two
words or inline elements is ever removed. Inside a tag, runs outside quoted values
become one space (and go before ``>``). ``<pre>``, ``<textarea>``, ``<script>``,
``<style>`` and comments pass untouched, and so do attribute values. Only ASCII
whitespace counts: a no-break space is content.

The minifier runs on every HTML response (:class:`amparo.web.middleware.MinifyHTMLMiddleware`)
and on every page of the offline edition.
"""

from __future__ import annotations

import re

_VERBATIM = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"""<[A-Za-z/!][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")
_QUOTED = re.compile(r"""("[^"]*"|'[^']*')""")
_SPACE = re.compile(r"[ \t\n\r\f]+")


def _text(text: str) -> str:
    return _SPACE.sub(lambda m: "\n" if "\n" in m.group() else " ", text)


def _tag(tag: str) -> str:
    parts = _QUOTED.split(tag)  # odd indexes are quoted values, kept as they are
    parts[::2] = [_SPACE.sub(" ", part) for part in parts[::2]]
    collapsed = "".join(parts)
    if collapsed.endswith(" >"):
        collapsed = collapsed[:-2] + ">"
    return collapsed


def _markup(markup: str) -> str:
    out, at = [], 0
    for match in _TAG.finditer(markup):
        out += [_text(markup[at : match.start()]), _tag(match.group())]
        at = match.end()
    out.append(_text(markup[at:]))
    return "".join(out)


def minify_html(html: str) -> str:
    """``html`` with each run of whitespace made one character, where that cannot change the page."""
    out, at = [], 0
    for match in _VERBATIM.finditer(html):
        start = match.start()
        opening = _TAG.match(html, start)
        out.append(_markup(html[at:start]))
        if opening and match.group(1):  # the element's own opening tag is markup like any other
            out += [_tag(opening.group()), html[opening.end() : match.end()]]
        else:
            out.append(match.group())
        at = match.end()
    out.append(_markup(html[at:]))
    return "".join(out)
