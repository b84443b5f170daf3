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
from bisect import bisect_right
from itertools import accumulate

_VERBATIM = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"""<[A-Za-z/!][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")
_QUOTED = re.compile(r"""("[^"]*"|'[^']*')""")
_SPACE = re.compile(r"[ \t\n\r\f]+")


_CHANGING_RUN = re.compile(r"[ \t\n\r\f]{2,}|[\t\r\f]")  # a run that is not one space or one newline already
_SPLIT = re.compile(f"({_TAG.pattern})")  # text, tag, text, tag, ..., text
# What makes minifying change a tag: a run of spaces, a tab or a line break, or a space before its ">"; in a
# tag of its own (\Z), or in tags joined by _SEPARATOR.
_TAG_CHANGES = re.compile(r"[\t\n\r\f]|  | >(?:\Z|(?=\x00))")
_SEPARATOR = "\x00"  # not whitespace, so no run crosses it, and never in a tag; the fast way checks the page has none


def _one(run: re.Match) -> str:
    return "\n" if "\n" in run.group() else " "


def _text(text: str) -> str:
    return _CHANGING_RUN.sub(_one, text)


def _tag(tag: str) -> str:
    if not _TAG_CHANGES.search(tag):
        return tag
    parts = _QUOTED.split(tag)  # odd indexes are quoted values, kept as they are
    parts[::2] = [_SPACE.sub(" ", part) for part in parts[::2]]
    collapsed = "".join(parts)
    if collapsed.endswith(" >"):
        collapsed = collapsed[:-2] + ">"
    return collapsed


def _markup(markup: str) -> str:
    parts = _SPLIT.split(markup)
    texts, tags = parts[::2], parts[1::2]
    if _SEPARATOR in markup:
        parts[::2] = [_text(text) for text in texts]
        parts[1::2] = [_tag(tag) for tag in tags]
        return "".join(parts)
    # The fast way: all the texts in one pass of the regex engine, and only the tags that change one by one.
    parts[::2] = _text(_SEPARATOR.join(texts)).split(_SEPARATOR)
    joined = _SEPARATOR.join(tags)
    changing = [found.start() for found in _TAG_CHANGES.finditer(joined)]
    if changing:
        starts = list(accumulate((len(tag) + 1 for tag in tags), initial=0))
        for index in {bisect_right(starts, at) - 1 for at in changing}:
            parts[2 * index + 1] = _tag(tags[index])
    return "".join(parts)


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
