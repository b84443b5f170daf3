"""Django's ``reverse``, from each route's pattern reversed once per language: a plan page links ~140 times.

``reverse`` walks the resolver, checks the arguments against the route's regular expression and
quotes them on every call, about as long as the rest of a link's rendering. Here a route is reversed
once per language (and URL configuration and script prefix) with marker arguments, and the markers are
then replaced by the real ones. The cache holds the route's pattern only, never an argument: nothing
in it depends on who asked for which page.

The fast way is taken only where it gives exactly what ``reverse`` gives: a route name without a
namespace (the casebook's routes, with their own converters, always go to ``reverse``), Django's own
converters, and arguments that are ints or strings of ``[-A-Za-z0-9_]`` (dataset ids): each such
string is accepted by the slug, str and path converters and is left as it is by quoting and by HTML
escaping. Anything else goes to ``reverse``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

_PLAIN = re.compile(r"[-A-Za-z0-9_]+\Z")
_CONVERTERS = (IntConverter, PathConverter, SlugConverter, StringConverter)
_MISSING = object()

Parts = tuple[tuple[str, ...], tuple[str, ...]]
Place = tuple[str, str, str]  # the language, the script prefix, the URL configuration (see place)
# (name, argument kinds, place) -> the pattern's parts around its arguments, as a URL and HTML-escaped; None for
# a route the fast way cannot take.
_patterns: dict[tuple, Parts | None] = {}


def _marker(index: int, kind: str) -> str:
    return f"90817{index}36455" if kind == "i" else f"amparo{index}marker"


def _pattern(name: str, kinds: tuple[str, ...]) -> Parts | None:
    resolver = get_resolver(get_urlconf())
    for _possibility, _pattern_text, _defaults, converters in resolver.reverse_dict.getlist(name):
        if any(type(converter) not in _CONVERTERS for converter in converters.values()):
            return None
    markers = [_marker(index, kind) for index, kind in enumerate(kinds)]
    try:
        url = reverse(name, args=[int(m) if k == "i" else m for m, k in zip(markers, kinds, strict=True)])
    except NoReverseMatch:
        return None
    if any(url.count(marker) != 1 for marker in markers):
        return None  # a converter changed a marker, or the pattern holds one already
    parts, rest = [], url
    for marker in markers:
        before, _, rest = rest.partition(marker)
        parts.append(before)
    parts.append(rest)
    if _join(parts, markers) != url:  # the markers came out of order
        return None
    return tuple(parts), tuple(escape(part) for part in parts)


def _join(parts: Sequence[str], args: Sequence[str]) -> str:
    out = [parts[0]]
    for arg, part in zip(args, parts[1:], strict=True):
        out += [arg, part]
    return "".join(out)


def place(language: str | None = None) -> Place:
    """What a URL depends on besides its route and arguments: the language (``language``, when the caller has it
    at hand), the script prefix, the URL configuration. A fragment with many links reads them once."""
    return language or get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


def _parts(name: str, args: Sequence, where: Place | None) -> Parts | None:
    if ":" in name:
        return None
    kinds = []
    for arg in args:
        if type(arg) is int:
            kinds.append("i")
        elif type(arg) is str and _PLAIN.match(arg):
            kinds.append("s")
        else:
            return None
    key = (name, tuple(kinds), where or place())
    found = _patterns.get(key, _MISSING)
    if found is _MISSING:
        found = _patterns[key] = _pattern(name, key[1])
    return found  # type: ignore[return-value]


def fast_reverse(name: str, args: Sequence = (), where: Place | None = None) -> str:
    """``reverse(name, args=args)`` (``where``: :func:`place`, when the caller has it at hand)."""
    parts = _parts(name, args, where)
    if parts is None:
        return reverse(name, args=list(args))
    return _join(parts[0], [str(arg) for arg in args])


def fast_reverse_escaped(name: str, args: Sequence = (), where: Place | None = None) -> SafeString:
    """``conditional_escape(reverse(name, args=args))``: what ``{% url %}`` writes on an autoescaped page."""
    parts = _parts(name, args, where)
    if parts is None:
        return escape(reverse(name, args=list(args)))
    return mark_safe(_join(parts[1], [str(arg) for arg in args]))  # noqa: S308 - escaped parts, plain arguments


def _forget(*, setting: str, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME", "LANGUAGES", "LANGUAGE_CODE"):
        _patterns.clear()


setting_changed.connect(_forget)
