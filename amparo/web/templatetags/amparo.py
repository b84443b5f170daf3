"""Template filters that render dataset values in the page's language."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi, gettext, ngettext

from amparo.guidelines import get_dataset, words
from amparo.guidelines.countries import localized_country_name
from amparo.guidelines.model import ContactRoute, Mission, Programme, Source, Text, site_of
from amparo.labels import (
    CONTACT_KINDS,
    DELEGATION_STATUSES,
    EXPOSURE_LABELS,
    FIELD_LABELS,
    KIND_LABELS,
    MISSION_KINDS,
    POLICY_LABELS,
    PUBLIC_LABELS,
    SERVES_LABELS,
    STATUS_LABELS,
    STATUS_SHORT,
    STATUS_SYMBOLS,
    URGENCY_LABELS,
    VISIBILITY_LABELS,
    list_separators,
)
from amparo.navigator.plan import (
    EMERGENCY_SHOWN,
    FORESEEN_SHOWN,
    PROGRAMMES_SHOWN,
    Presence,
    Recommendation,
    exclusion_groups,
    first_line,
    shown_and_folded,
)
from amparo.navigator.render import asked_beyond_exposure, asked_runs
from amparo.web.routes import fast_reverse_escaped, place
from amparo.web.templatetags.edition import link_href, url

register = template.Library()
register.tag("url", url)  # Django's {% url %}, reversed from each route's pattern (amparo.web.routes)


def word(vocabulary: Mapping[Any, str], code: Any) -> str:
    """A code's word from :mod:`amparo.labels` in the page's language; an unknown code is shown as it is."""
    return gettext(vocabulary[code]) if code in vocabulary else str(code)


def left_to_right_only(text: str) -> bool:
    """Whether ``text`` has a letter written left to right (Latin, say) and none written right to left."""
    classes = {unicodedata.bidirectional(c) for c in text}
    return "L" in classes and not classes & {"R", "AL"}


@register.filter
def isolated(text: Any) -> str:
    """On a right-to-left page, a text in a left-to-right script only (a name left in Latin script, a city) in
    a ``<bdi>``, so that the punctuation around it keeps its place; any other text, and every text on a
    left-to-right page, as it is."""
    if text and get_language_bidi() and left_to_right_only(str(text)):
        return format_html("<bdi>{}</bdi>", text)
    return text


@register.filter
def tr(value: Text | None) -> str:
    """A dataset text in the current language; an English fallback is marked for screen readers, and a text in
    Latin script on a right-to-left page is isolated (:func:`isolated`)."""
    if not value:
        return ""
    language = get_language() or "en"
    text, used = value.resolve(language)
    if used != language:
        return format_html('<span lang="{}" dir="ltr">{}</span>', used, text)
    return isolated(text)


@register.simple_tag
def comma() -> str:
    """The comma (and its space) between the items of a list, in the page's language: «، » in Arabic."""
    return list_separators(get_language() or "en")[0]


@register.simple_tag
def semicolon() -> str:
    """The semicolon (and its space) between the items of a list, in the page's language: «؛ » in Arabic."""
    return list_separators(get_language() or "en")[1]


@register.filter(needs_autoescape=True)
def commas(values, autoescape: bool = True) -> str:
    """``values`` joined by :func:`comma` (what ``|join:", "`` writes, in the page's language)."""
    escape = conditional_escape if autoescape else str
    return mark_safe(comma().join(escape(v) for v in values))  # noqa: S308 - every item is escaped


register.filter("exclusion_groups", exclusion_groups)


@register.filter
def programmes_shown(programmes: tuple[Programme, ...]) -> tuple[Programme, ...]:
    """The programmes named beside a measure in a plan; its own page lists them all."""
    return programmes[:PROGRAMMES_SHOWN]


@register.filter
def foreseen_shown(options: list) -> list:
    """The issuers named as foreseeing a measure in a plan; its own page names them all."""
    return options[:FORESEEN_SHOWN]


@register.filter
def foreseen_more(options: list) -> int:
    return max(0, len(options) - FORESEEN_SHOWN)


@register.filter
def programmes_more(programmes: tuple[Programme, ...]) -> int:
    return max(0, len(programmes) - PROGRAMMES_SHOWN)


@register.filter
def unmarked(value: Text | None) -> str:
    """A dataset text in the current language or its English fallback, for a container already marked as such."""
    return value.resolve(get_language() or "en")[0] if value else ""


@register.filter
def paragraphs(value: Text | None) -> list[str]:
    """Paragraphs of a dataset text (split on blank lines), each marked like :func:`tr`."""
    if not value:
        return []
    language = get_language() or "en"
    text, used = value.resolve(language)
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    if used != language:
        return [format_html('<span lang="{}" dir="ltr">{}</span>', used, p) for p in parts]
    return [isolated(p) for p in parts]


@register.filter
def status_label(status: str) -> str:
    return word(STATUS_LABELS, status)


@register.filter
def status_short(status: str) -> str:
    return word(STATUS_SHORT, status)


@register.filter
def status_mark(status: str) -> str:
    """A matrix cell's mark, with its word for screen readers (the legend explains the marks)."""
    return format_html(
        '<span aria-hidden="true">{}</span><span class="vh">{}</span>',
        STATUS_SYMBOLS.get(status, "·"),
        word(STATUS_SHORT, status),
    )


@register.filter
def visibility_label(value: str) -> str:
    return word(VISIBILITY_LABELS, value)


@register.filter
def urgency_label(value: str) -> str:
    return word(URGENCY_LABELS, value)


@register.filter
def serves_label(value: str) -> str:
    return word(SERVES_LABELS, value)


@register.filter
def policy_label(value: str) -> str:
    return word(POLICY_LABELS, value)


@register.filter
def kind_label(value: str) -> str:
    return word(KIND_LABELS, value)


@register.filter
def number(value: int) -> str:
    """A count as the page's language writes it (7,500 · 7.500 · 7 500), where Django's templates would not group
    its digits (``USE_THOUSAND_SEPARATOR`` would group years and ids too)."""
    return words.number(get_language() or "en", value)


@register.filter
def country(code: str | None) -> str:
    """A country's name in the page's language (ISO names translated by pycountry's catalogues)."""
    return localized_country_name(code, get_language() or "en") if code else ""


@register.filter
def english(text: str) -> str:
    """Text kept as the English original writes it (a title, a locator), marked as such on other pages:
    ``translate="no"`` says it is English on purpose, not a text the page's language lacks."""
    if not text or (get_language() or "en") == "en":
        return text
    return format_html('<span lang="en" dir="ltr" translate="no">{}</span>', text)


@register.filter
def mission_kind(kind: str) -> str:
    return word(MISSION_KINDS, kind)


@register.filter
def mission_place(mission: Mission, where: str) -> str:
    """Where a mission is, for a sentence: its city, and its country when that is not where the defender is (the
    city isolated on a right-to-left page)."""
    if mission.country and mission.country != where:
        return format_html("{} ({})", isolated(mission.city), country(mission.country))
    return isolated(mission.city)


@register.filter
def lead_route(programme: Programme) -> ContactRoute:
    """The route an emergency entry shows first: a line that reaches a person now, else its first route."""
    return first_line(programme) or programme.contacts[0]


@register.filter
def contact_kind(kind: str) -> str:
    return word(CONTACT_KINDS, kind)


register.filter("page_host", site_of)  # a source page named by its site, in a narrow column


@register.filter
def delegation_status(status: str) -> str:
    """What an EU Delegation's caveat says of it: evacuated, relocated, without a head..."""
    return word(DELEGATION_STATUSES, status)


@register.filter
def public_label(value: bool | None) -> str:
    return word(PUBLIC_LABELS, value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def items(mapping):
    return list(mapping.items()) if mapping else []


@register.filter
def field_label(name: str) -> str:
    return word(FIELD_LABELS, name)


@register.filter
def exposure_label(value: str) -> str:
    return word(EXPOSURE_LABELS, value)


@register.filter
def explicit_options(options) -> list:
    return [o for o in options if o.status == "explicit"]


@register.filter
def inherited_count(options) -> int:
    return sum(1 for o in options if o.status == "inherited")


@register.filter
def split(value: str) -> list[str]:
    return value.split()


@register.filter
def attr(obj, name: str):
    """A situation's field, for templates (sorted when it is a set, so output is stable)."""
    value = getattr(obj, name, None)
    return sorted(value) if isinstance(value, frozenset) else value


@register.filter
def asked_caution(recommendations: Recommendation | list[Recommendation]) -> str:
    """The caution on a measure the defender asked for that goes further than they accept (they decide), or on a
    run of them that share it (asked_runs)."""
    run = recommendations if isinstance(recommendations, list) else [recommendations]
    return asked_beyond_exposure(run[0], gettext, len(run))


@register.filter
def own_measures(ranked: tuple[Recommendation, ...]) -> list[Recommendation]:
    """The ranked measures shown in full that go no further than the defender accepts."""
    return [r for r in shown_and_folded(ranked)[0] if r.beyond_exposure is None]


@register.filter
def asked_measures(ranked: tuple[Recommendation, ...]) -> list[tuple[int, list[Recommendation]]]:
    """The measures asked for beyond what the defender accepts, in runs that share one caution, each with its
    number in the list of measures (its list goes on counting from there)."""
    shown = shown_and_folded(ranked)[0]
    return [(shown.index(run[0]) + 1, run) for run in asked_runs(shown)]


RELOCATION_KINDS = frozenset({"relocation", "shelter", "resettlement", "visa"})  # the "leaving for a while" page
PROGRAMME_PAGES = ("programme-list", "programme-relocation", "programme-more")  # emergency, relocation, the others


@register.filter
def programme_page(programme: Programme | str) -> str:
    """The URL name of the page that describes a programme (or its id): emergency help, relocation, or the others."""
    found = get_dataset().programmes.get(programme) if isinstance(programme, str) else programme
    emergency, relocation, others = PROGRAMME_PAGES
    if found is None or found.emergency:
        return emergency
    return relocation if RELOCATION_KINDS & set(found.kinds) else others


SOURCES_PER_PAGE = 120  # the list of sources in parts, so each page stays within the 14 KB budget in every language


def source_parts() -> list[list[Source]]:
    """The sources in the dataset's order, cut into pages of SOURCES_PER_PAGE (the last may be shorter)."""
    sources = list(get_dataset().sources.values())
    return [sources[i : i + SOURCES_PER_PAGE] for i in range(0, len(sources), SOURCES_PER_PAGE)]


_parts: dict[int, dict[str, int]] = {}  # per loaded dataset (by identity): each source's page


@register.filter
def source_part(source: Source) -> int:
    """The page of the list of sources (1, 2…) that describes ``source``."""
    dataset = get_dataset()
    pages = _parts.get(id(dataset))
    if pages is None:
        pages = {s.id: n for n, part in enumerate(source_parts(), 1) for s in part}
        _parts.clear()
        _parts[id(dataset)] = pages
    return pages[source.id]


@register.filter
def emergency_shown(programmes: tuple[Programme, ...]) -> tuple[Programme, ...]:
    return programmes[:EMERGENCY_SHOWN]


@register.filter
def emergency_folded(programmes: tuple[Programme, ...]) -> tuple[Programme, ...]:
    return programmes[EMERGENCY_SHOWN:]


@register.filter
def folded_measures(ranked: tuple[Recommendation, ...]) -> list[Recommendation]:
    return shown_and_folded(ranked)[1]


# --- Fragments written in Python -----------------------------------------------------------------------
# A plan page repeats them dozens of times (a citation per measure, note and caveat; a line per issuer),
# where a template's include, loops and filters cost about ten times as much. Each writes, byte for byte,
# what its template did, the template's closing newline included; the templates' own words stay marked
# for translation here (gettext with the same message ids), written unescaped as {% translate %} writes them.


def _shown(value: Any) -> str:
    """``{{ value }}`` on an autoescaped page: conditional_escape, without its wrapper for lazy arguments."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _isolated(text: Any, bidi: bool) -> str:
    """``{{ text|isolated }}``."""
    if text and bidi and left_to_right_only(str(text)):
        return f"<bdi>{_shown(text)}</bdi>"
    return _shown(text)


def _tr(value: Text | None, language: str, bidi: bool) -> str:
    """``{{ value|tr }}``."""
    if not value:
        return ""
    text, used = value.resolve(language)
    if used != language:
        return f'<span lang="{_shown(used)}" dir="ltr">{_shown(text)}</span>'
    return _isolated(text, bidi)


def citations_html(context: template.Context, citations: Any) -> str:
    """What ``{% include "web/_cite.html" %}`` wrote: "Source:" and a link to each citation's source."""
    if not citations:
        return "\n"
    bidi = context.get("bidi")
    language = get_language() or "en"
    out = ['<span class="cite">', gettext("Source:"), " "]
    if bidi:
        out.append('<bdi lang="en" translate="no">')
    last = len(citations) - 1
    for index, citation in enumerate(citations):
        source_id = citation.source.id
        page = source_part(citation.source)
        if page == 1:
            href = link_href(context, "source-list", (), fragment=str(source_id))
        else:
            href = link_href(context, "source-part", (page,), fragment=str(source_id))
        out += ['<a href="', href, '">', _shown(source_id), "</a>"]
        locator = citation.locator
        if locator:
            if bidi or language == "en":
                out += [" (", _shown(locator), ")"]
            else:  # |english
                out += [' (<span lang="en" dir="ltr" translate="no">', _shown(locator), "</span>)"]
        if index != last:
            out.append("; ")
    if bidi:
        out.append("</bdi>")
    out.append("</span>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped


@register.simple_tag(takes_context=True)
def cite(context: template.Context, citations: Any) -> str:
    """``{% cite citations %}``: "Source:" and a link to each citation's source (on the offline edition's pages
    too)."""
    return citations_html(context, citations)


def presence_html(context: template.Context, presence: Presence, where: str | None = None) -> str:
    """What ``{% include "web/_presence.html" %}`` wrote: an issuer, and its missions serving ``where`` (the
    country the defender is in now, unless the context says another)."""
    language = get_language() or "en"
    links = place(language)  # read once for the fragment's links
    bidi = bool(context.get("bidi"))
    if not where:
        where = context.get("where") or context["situation"].where_now
    issuer = presence.issuer
    out = ['<li><a href="', fast_reverse_escaped("issuer-detail", (issuer.id,), links), '">']
    out += [_tr(issuer.name, language, bidi), "</a>: "]
    if presence.known:
        comma_, semicolon_ = (_shown(s) for s in list_separators(language))
        last = len(presence.missions) - 1
        for index, mission in enumerate(presence.missions):
            out.append(_shown(word(MISSION_KINDS, mission.kind)))
            if mission.city:
                out += [comma_, _isolated(mission.city, bidi)]
            if mission.country != where:
                name = localized_country_name(mission.country, language) if mission.country else ""  # |country
                out += [" (", _shown(name), ")"]
            caveat = mission.caveat
            if caveat:
                out.append(" ")
                if caveat.status:
                    out += ['<span class="tag warn">', _shown(delegation_status(caveat.status)), "</span> "]
                out += [_tr(caveat.note, language, bidi), " ", citations_html(context, caveat.citations)]
            if index != last:
                out.append(semicolon_)
    elif presence.directory:
        out += [
            gettext("not in our partial list of its Delegations; the EU has Delegations in most countries:"),
            ' <a href="',
            _shown(presence.directory),
            '">',
            gettext("the EEAS on its Delegations"),
            "</a>",
        ]
    else:
        out.append(gettext("not known from this data"))
    out.append("</li>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped


@register.simple_tag(takes_context=True)
def presence(context: template.Context, presence: Presence, where: str | None = None) -> str:
    """``{% presence p %}``: an issuer and its missions where the defender is now (or in ``where``)."""
    return presence_html(context, presence, where)


def _more_on_page(count: int) -> str:
    return ngettext(
        "%(counter)s more on the page of this measure", "%(counter)s more on the page of this measure", count
    ) % {"counter": count}


def recommendation_html(context: template.Context, r: Recommendation, grouped: bool | None = None) -> str:
    """What ``{% include "web/_recommendation.html" %}`` wrote: a measure, folded, with why, who foresees it,
    the programmes that offer it and its sources; and the caution when it goes beyond what the defender
    accepts (unless ``grouped``: a run of them shares one, written above it)."""
    language = get_language() or "en"
    links = place(language)  # read once for the fragment's links
    bidi = bool(context.get("bidi"))
    support_type = r.support_type
    shown_id = _shown(support_type.id)
    out = ['\n<li id="r-', shown_id, '">\n  <details>\n    <summary><strong>', _tr(support_type.name, language, bidi)]
    out.append("</strong>\n      ")
    if not r.emergency:
        out += ['<span class="tag">', _shown(visibility_label(support_type.visibility)), "</span>"]
    out.append("\n      ")
    if support_type.last_resort:
        out += ['<span class="tag warn">', gettext("Only when nothing else works"), "</span>"]
    out.append("</summary>\n    ")
    for why in r.reasons:
        out += [_tr(why, language, bidi), " "]
    out.append("\n    ")
    for note in support_type.preconditions:
        out += ["<br><em>", gettext("Condition:"), "</em> ", _tr(note.text, language, bidi), " "]
        out.append(citations_html(context, note.citations))
    out += ["\n    <br>", gettext("Foreseen by:"), "\n    "]
    comma_, semicolon_ = (_shown(s) for s in list_separators(language))
    explicit = explicit_options(r.issuers)
    named = explicit[:FORESEEN_SHOWN]
    for index, option in enumerate(named):
        out += ['<a href="', fast_reverse_escaped("issuer-detail", (option.issuer.id,), links), "#", shown_id, '">']
        out += [_tr(option.issuer.name, language, bidi), "</a>"]
        if option.uncertain:
            out.append("*")
        if index != len(named) - 1:
            out.append(comma_)
    if not named:
        out.append(gettext("no guideline explicitly; you can still ask"))
    more = foreseen_more(explicit)
    if more:
        out += [semicolon_, _more_on_page(more)]
    inherited = inherited_count(r.issuers)
    if inherited:
        words = ngettext(
            "and %(counter)s EU member State through the EU guidelines",
            "and %(counter)s EU member States through the EU guidelines",
            inherited,
        )
        out += [semicolon_, words % {"counter": inherited}]
    out.append(".\n    \n    ")
    if r.programmes and not r.emergency:
        shown = r.programmes[:PROGRAMMES_SHOWN]
        out += ["<br>", gettext("Programmes that offer it:"), " "]
        for index, programme in enumerate(shown):
            out += ['<a href="', fast_reverse_escaped(programme_page(programme), (), links), "#"]
            out += [_shown(programme.id), '">', _tr(programme.name, language, bidi), "</a>"]
            if index != len(shown) - 1:
                out.append(comma_)
        more = programmes_more(r.programmes)
        if more:
            out += [semicolon_, _more_on_page(more)]
        out.append(".")
    out += ['\n    <br><a href="', fast_reverse_escaped("support-detail", (support_type.id,), links), '">']
    out += [gettext("More about this measure"), "</a>\n    ", citations_html(context, r.citations)]
    out.append("\n  </details>\n  ")
    if grouped is None:
        grouped = context.get("grouped")
    if r.beyond_exposure and not grouped:
        out += ['<strong class="caution">', _shown(asked_caution(r)), "</strong>"]
    out.append("\n</li>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped


@register.simple_tag(takes_context=True)
def recommendation(context: template.Context, r: Recommendation, grouped: bool | None = None) -> str:
    """``{% recommendation r %}``: a measure of the plan, in a list of measures (``grouped``: in a run that shares
    one caution)."""
    return recommendation_html(context, r, grouped)


SITUATION_SINGLE = ("country", "location", "subject", "urgency", "exposure", "authorities", "company_country")
SITUATION_LISTS = ("fields", "threats", "needs")
SITUATION_FLAGS = ("family_at_risk", "unhcr_registered", "uses_violence", "on_behalf")


@register.simple_tag(takes_context=True)
def situation_fields(context: template.Context) -> str:
    """``{% situation_fields %}``: the situation's answers as hidden fields, for a form that sends them again (to
    change them, or for a letter); what web/_situation_fields.html wrote, in the form's order."""
    situation = context["situation"]
    out = []
    for name in SITUATION_SINGLE:
        value = attr(situation, name)
        if value:
            out.append(f'<input type="hidden" name="{name}" value="{_shown(value)}">')
    for name in SITUATION_LISTS:
        for value in attr(situation, name) or ():
            out.append(f'<input type="hidden" name="{name}" value="{_shown(value)}">')
    for name in SITUATION_FLAGS:
        if attr(situation, name):
            out.append(f'<input type="hidden" name="{name}" value="on">')
    out.append("\n")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped


def route_html(route: ContactRoute, language: str, bidi: bool) -> str:
    """What ``{% include "web/_route.html" %}`` wrote: a contact route, and where and when it was checked."""
    named = _tr(route.label, language, bidi) if route.label else _shown(word(CONTACT_KINDS, route.kind))
    out = [named, ": "]
    href, shown = route.href, _shown(route.shown)
    if href:
        out += ['<a href="', _shown(href), '" dir="ltr">', shown, "</a>"]
    else:
        out += ['<span dir="ltr">', shown, "</span>"]
    out.append(" <small>(")
    checked = _shown(date_filter(route.checked, "Y-m-d"))
    if route.page == route.value:
        out.append(gettext("checked %(date)s") % {"date": checked})
    else:
        words = gettext("checked %(date)s on %(site)s") % {"date": checked, "site": _isolated(route.site, bidi)}
        out += ['<a href="', _shown(route.page), '">', words, "</a>"]
    out.append(")</small>\n")
    return "".join(out)


@register.simple_tag
def contact_route(route: ContactRoute) -> str:
    """``{% contact_route route %}``: a contact route, and where and when it was checked."""
    return mark_safe(route_html(route, get_language() or "en", get_language_bidi()))  # noqa: S308 - escaped


def routes_html(routes: Any, language: str, bidi: bool) -> str:
    """What ``{% include "web/_routes.html" %}`` wrote: a list of contact routes."""
    if not routes:
        return "\n"
    out = ['\n  <ul class="routes">\n    ']
    for route in routes:
        out += ["\n      <li>", route_html(route, language, bidi), "</li>\n    "]
    out.append("\n  </ul>\n\n")
    return "".join(out)


@register.simple_tag
def contact_routes(routes: Any) -> str:
    """``{% contact_routes routes %}``: a list of contact routes."""
    return mark_safe(routes_html(routes, get_language() or "en", get_language_bidi()))  # noqa: S308 - escaped


@register.simple_tag(takes_context=True)
def emergency_programme(context: template.Context, programme: Programme) -> str:
    """``{% emergency_programme p %}``: an emergency organisation, its first contact route, and how else to
    reach it folded (what web/_emergency_programme.html wrote)."""
    language = get_language() or "en"
    links = place(language)  # read once for the fragment's links
    bidi = bool(context.get("bidi"))
    out = ['<li><a href="', fast_reverse_escaped("programme-list", (), links), "#", _shown(programme.id), '">']
    out += ["<strong>", _tr(programme.name, language, bidi), "</strong></a>"]
    if programme.audience:
        out += [" (", _tr(programme.audience, language, bidi), ")"]
    out += [": ", route_html(lead_route(programme), language, bidi), "\n  "]
    several = len(programme.contacts) > 1
    if programme.how_to_reach or several:
        out += ["<details>\n    <summary>", gettext("How to reach them"), "</summary>\n    "]
        if programme.how_to_reach:
            out += ["<p>", _tr(programme.how_to_reach, language, bidi), " "]
            out += [citations_html(context, programme.citations), "</p>"]
        out.append("\n    ")
        if several:
            out.append(routes_html(programme.contacts, language, bidi))
        out.append("\n  </details>")
    out.append("\n</li>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped


def _names(items: Any, language: str, bidi: bool, link: Callable[[str], str]) -> str:
    """Measures (recommendations or exclusions), each its name in a link (``link`` of its id), comma-separated."""
    comma_ = _shown(list_separators(language)[0])
    return comma_.join(
        f'<a href="{link(item.support_type.id)}">{_tr(item.support_type.name, language, bidi)}</a>' for item in items
    )


@register.simple_tag
def escalation(steps: Any) -> str:
    """``{% escalation plan.steps %}``: each step of the escalation path, its visibility and its measures (links
    to them above), one list item each."""
    language, bidi = get_language() or "en", get_language_bidi()
    out = []
    for step in steps:
        label = _shown(visibility_label(step.visibility))
        names = _names(step.recommendations, language, bidi, lambda sid: f"#r-{_shown(sid)}")
        out.append(f"\n        <li><strong>{label}:</strong> {names}</li>\n      ")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped


@register.simple_tag
def measure_links(items: Any) -> str:
    """``{% measure_links group %}``: measures (recommendations or exclusions), each linked to its page."""
    language, bidi = get_language() or "en", get_language_bidi()
    links = place(language)  # read once for the fragment's links
    return mark_safe(  # noqa: S308 - every value is escaped
        _names(items, language, bidi, lambda sid: fast_reverse_escaped("support-detail", (sid,), links))
    )


@register.simple_tag
def folded_list(recommendations: Any) -> str:
    """``{% folded_list folded %}``: the measures folded away, one list item each, by name, linked to its page."""
    language, bidi = get_language() or "en", get_language_bidi()
    links = place(language)  # read once for the fragment's links
    out = []
    for r in recommendations:
        sid = _shown(r.support_type.id)
        href = fast_reverse_escaped("support-detail", (r.support_type.id,), links)
        out.append(f'<li id="r-{sid}"><a href="{href}">{_tr(r.support_type.name, language, bidi)}</a></li>')
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped


@register.filter
def support_ids(recommendations: Any) -> str:
    """The measures' ids, separated by spaces (a form's hidden field)."""
    return " ".join(str(r.support_type.id) for r in recommendations)
