"""Links that work on the live site and in the offline edition alike.

``{% link 'issuer-detail' i.id %}`` is ``{% url 'issuer-detail' i.id %}`` on the live site;
when the page is rendered for the offline edition (``edition`` in the context, see
amparo.web.edition.links) it is the path from this page's file to that page's file.
A target may also be a path (``{% link '/data/matrix.csv' %}``) or a query on this page
(``{% link '?category=x' %}``); ``query=`` and ``fragment=`` add those parts.

A link to something the edition does not hold is a mistake in the template, and the
export stops with its name, unless the template asked for it with ``as``:
``{% link 'issuer-sheet-pdf' issuer.id as sheet %}`` sets ``sheet`` to "" offline when
there is no such file, so that the template keeps the words without a link.

``{% asset 'amparo/amparo.css' %}`` is ``{% static %}`` the same way.

``{% url %}`` is Django's own, reversed from each route's pattern (amparo.web.routes): loading this
library, or ``amparo``, replaces it in the template.
"""

from __future__ import annotations

from django import template
from django.template import defaulttags
from django.template.base import kwarg_re
from django.templatetags.static import static
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from amparo.web.edition.links import Edition, EditionError
from amparo.web.routes import fast_reverse, fast_reverse_escaped

register = template.Library()


def _edition(context: template.Context) -> Edition | None:
    edition = context.get("edition")
    return edition if isinstance(edition, Edition) else None


def live_url(target: str, args: tuple = (), query: str = "", fragment: str = "") -> str:
    url = target if target.startswith(("/", "?")) else fast_reverse(target, args)
    if query:
        url += f"?{query}"
    if fragment:
        url += f"#{fragment}"
    return url


class URLNode(defaulttags.URLNode):
    """``{% url %}``: the same URL as Django's, reversed from the route's pattern where that gives the same."""

    def render(self, context):
        if self.kwargs:
            return super().render(context)
        view_name = self.view_name.resolve(context)
        if not isinstance(view_name, str) or ":" in view_name:  # a namespace: its current app counts
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        if self.asvar:
            try:
                context[self.asvar] = fast_reverse(view_name, args)
            except NoReverseMatch:  # as Django's: with ``as``, no such URL is an empty one
                context[self.asvar] = ""
            return ""
        return fast_reverse_escaped(view_name, args) if context.autoescape else fast_reverse(view_name, args)


@register.tag
def url(parser, token):
    """Django's ``{% url %}``, faster (:class:`URLNode`)."""
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)


def link_href(context: template.Context, target: str, args: tuple = (), **options: str) -> str:
    """What ``{% link target *args **options %}`` writes (without ``as``)."""
    url = live_url(target, args, **options)
    edition = _edition(context)
    href = url if edition is None else edition.href(url)
    if href is None:
        raise EditionError(f"{edition.page}: {url} is not in the offline edition; use {{% if not edition %}}")
    return conditional_escape(href) if context.autoescape else href


class LinkNode(template.Node):
    def __init__(self, target, args, kwargs, asvar):
        self.target, self.args, self.kwargs, self.asvar = target, args, kwargs, asvar

    def render(self, context):
        target = self.target.resolve(context)
        args = tuple(arg.resolve(context) for arg in self.args)
        options = {name: str(value.resolve(context)) for name, value in self.kwargs.items()}
        url = live_url(str(target), args, **options)
        edition = _edition(context)
        href = url if edition is None else edition.href(url)
        if href is None:
            if not self.asvar:
                raise EditionError(f"{edition.page}: {url} is not in the offline edition; use {{% if not edition %}}")
            href = ""
        if self.asvar:
            context[self.asvar] = href
            return ""
        return conditional_escape(href) if context.autoescape else href


@register.tag
def link(parser, token):
    """``{% link target [arg ...] [query=...] [fragment=...] [as name] %}``."""
    bits = token.split_contents()
    name, bits = bits[0], bits[1:]
    asvar = None
    if len(bits) >= 2 and bits[-2] == "as":
        asvar, bits = bits[-1], bits[:-2]
    if not bits:
        raise template.TemplateSyntaxError(f"'{name}' needs a URL name or a path")
    target, args, kwargs = parser.compile_filter(bits[0]), [], {}
    for bit in bits[1:]:
        found = kwarg_re.match(bit)
        key = found.group(1) if found else None
        if key:
            if key not in ("query", "fragment"):
                raise template.TemplateSyntaxError(f"'{name}' takes query= and fragment=, not {key}=")
            kwargs[key] = parser.compile_filter(found.group(2))
        elif kwargs:
            raise template.TemplateSyntaxError(f"'{name}': URL arguments come before query= and fragment=")
        else:
            args.append(parser.compile_filter(bit))
    return LinkNode(target, args, kwargs, asvar)


@register.simple_tag(takes_context=True)
def asset(context, name: str) -> str:
    """A static file: its URL on the live site, its path from this page's file in the offline edition."""
    url = static(name)
    edition = _edition(context)
    if edition is None:
        return url
    href = edition.href(url)
    if href is None:
        raise EditionError(f"{edition.page}: static file {name} is not in the offline edition")
    return href
