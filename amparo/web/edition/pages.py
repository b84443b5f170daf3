"""The pages the offline edition makes itself, where the live site has a server to answer.

The navigator (the live form, and a region where ``navigator-page.js`` shows the plan the
device works out), the A–Z index that stands in for search, and the chooser of languages
at the edition's root. Every other page is the live view, rendered by the exporter
(:mod:`amparo.web.edition.export`).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from amparo.guidelines.model import Dataset
from amparo.web.edition.links import EDITION_KEY, OFFLINE_CSP, Edition, file_for, relative


def special_urls(language: str) -> tuple[str, str]:
    """The two pages the offline edition makes itself: the navigator and the A–Z index (for search)."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return reverse("navigator"), reverse("search")


def _labels(dataset: Dataset, language: str) -> dict[str, Any]:
    """The navigator's words in ``language``, from the catalogues the live plan page uses."""
    from django.template.defaultfilters import date as date_filter
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from amparo.labels import (
        ASKED_BEYOND_EXPOSURE,
        ASKED_BEYOND_EXPOSURE_MANY,
        CONTACT_KINDS,
        DELEGATION_STATUSES,
        EXPOSURE_LABELS,
        FIELD_LABELS,
        FORM_ERRORS,
        MISSION_KINDS,
        VISIBILITY_EXPOSES,
        VISIBILITY_LABELS,
        list_separators,
    )

    comma, semicolon = list_separators(language)
    return {
        "comma": comma,  # between the items of a list, as the live page's {% comma %} and {% semicolon %}
        "semicolon": semicolon,
        "your_plan": _("Your plan"),
        "their_plan": _("A plan for someone who is detained"),
        "intro": _("For a defender working in %(country)s. Nothing you entered is stored."),
        "intro_abroad": _("For a defender working in %(country)s, now in %(where)s. Nothing you entered is stored."),
        "next_steps": _("Next steps"),
        "contact_now": _("Contact %(name)s now"),
        "ask_at": _("Ask for “%(measure)s”: %(issuer)s, %(kind)s in %(place)s."),
        "ask_kind": _("Ask for “%(measure)s”: %(issuer)s, %(kind)s."),
        "ask_directory": _("Ask for “%(measure)s”: %(issuer)s (its list of Delegations is below)."),
        "ask_anyone": _("Ask a mission for “%(measure)s”: no guideline foresees it explicitly, but you can still ask."),
        "prepare": _("Before you contact a mission:"),
        "how_to_reach": _("How to reach them"),
        "programmes_offer": _("Programmes that offer it:"),
        "more_about": _("More about this measure"),
        "national": _("National protection, not diplomatic support:"),
        "national_note": _("The State runs it, so asking for it tells the authorities; you decide."),
        "about_list": _("About this list"),
        "sources_rules": _("Sources and rules"),
        "checked_date": _("checked %(date)s"),
        "visibility": _("Visibility:"),
        "visibility_warning": _(
            "you said visibility could put your family or community at risk. Weigh every formal or public step "
            "with them before you ask for it, and tell the mission."
        ),
        "explain": _("* marks a provision whose source is uncertain: see the page of that country or organisation."),
        "ranked": _("What to ask for, most relevant first"),
        "escalation": _("Escalation path"),
        "escalation_note": _(
            "Start discreetly; move to formal and then public steps only if needed and only with your consent."
        ),
        "excluded": _("Left out, and why"),
        "exposure_reason": _("it is a measure of %(kind)s visibility, and you accept: %(accepted)s."),
        "missions": _("Which missions to approach in %(where)s"),
        "home_missions": _("For your return: missions in %(home)s"),
        "host": _(
            "%(name)s is the State you work in: its own programmes are not diplomatic support, "
            "so it is not listed here."
        ),
        "missions_note": _(
            "The countries and organisations whose guidelines foresee the first measures above: those with a "
            "mission in %(where)s first, then those with one elsewhere accredited to it. Embassies and consulates "
            "are from Wikidata (as of %(date)s), EU Delegations from a partial list built by hand from the pages "
            "it cites. A missing mission means not known, not absent."
        ),
        "missions_date": date_filter(dataset.missions_source.as_of),
        "not_known": _("not known from this data"),
        "eu_not_listed": _("not in our partial list of its Delegations; the EU has Delegations in most countries:"),
        "eu_directory": _("the EEAS on its Delegations"),
        "emergency_measures": _("What to ask missions for in an emergency"),
        "more_measures": {
            str(n): ngettext("%(counter)s more measure", "%(counter)s more measures", n) % {"counter": n}
            for n in range(1, len(dataset.support_types) + 1)
        },
        "more_on_page": {
            str(n): ngettext(
                "%(counter)s more on the page of this measure", "%(counter)s more on the page of this measure", n
            )
            % {"counter": n}
            for n in range(1, len(dataset.programmes) + 1)
        },
        "more_organisations": {
            str(n): ngettext("%(counter)s more organisation", "%(counter)s more organisations", n) % {"counter": n}
            for n in range(1, len(dataset.programmes) + 1)
        },
        "more_issuers": {
            str(n): ngettext("One more country or organisation", "%(counter)s more countries or organisations", n)
            % {"counter": n}
            for n in range(1, len(dataset.issuers) + 1)
        },
        "delegation_statuses": {key: _(label) for key, label in DELEGATION_STATUSES.items()},
        "cautions": _("Watch out for"),
        "checklist": _("Before you make contact"),
        "change": _("Change my answers"),
        "applied": _("Rules applied:"),
        "last_resort": _("Only when nothing else works"),
        "condition": _("Condition:"),
        "foreseen": _("Foreseen by:"),
        "no_explicit": _("no guideline explicitly; you can still ask"),
        "inherited": {
            str(n): ngettext(
                "and %(counter)s EU member State through the EU guidelines",
                "and %(counter)s EU member States through the EU guidelines",
                n,
            )
            % {"counter": n}
            for n in range(1, len(dataset.issuers) + 1)
        },
        "source": _("Source:"),
        "problems": _("Please check these answers"),
        "errors": {code: _(FORM_ERRORS[code]) for code in ("required", "invalid")},
        "fields": {name: _(label) for name, label in FIELD_LABELS.items()},
        "visibilities": {key: _(label) for key, label in VISIBILITY_LABELS.items()},
        "exposures": {key: _(label) for key, label in EXPOSURE_LABELS.items()},
        "asked_beyond": _(ASKED_BEYOND_EXPOSURE),
        "asked_beyond_many": _(ASKED_BEYOND_EXPOSURE_MANY),
        "exposes": {key: _(words) for key, words in VISIBILITY_EXPOSES.items()},
        "mission_kinds": {key: _(label) for key, label in MISSION_KINDS.items()},
        "contact_kinds": {key: _(label) for key, label in CONTACT_KINDS.items()},
        "checked": _("checked %(date)s on %(site)s"),
        "no_route": _(
            "We hold no contact route for an emergency organisation that we have checked on its own page, "
            "so we name none here."
        ),
        "programmes_page": _("Emergency help"),
    }


def _render(template: str, context: dict[str, Any], url: str, language: str, edition: Edition) -> str:
    """A page the live site has no address for, rendered like the others: with the edition in its request."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import translation

    with translation.override(language):
        request = RequestFactory().get(url, **{EDITION_KEY: edition})
        return render_to_string(template, context, request=request)


def navigator_page(dataset: Dataset, language: str, edition: Edition) -> str:
    """The offline navigator: the live form, and a region where ``navigator-page.js`` shows the plan."""
    from django.urls import reverse
    from django.utils import translation

    from amparo.web.navigator import form_context
    from amparo.web.templatetags.amparo import PROGRAMME_PAGES

    navigator_url, _search = special_urls(language)
    edition = edition.at(navigator_url)

    def link(url: str) -> str:
        return relative(file_for(url), edition.page)

    with translation.override(language):
        support, issuers = reverse("support-list"), reverse("issuer-list")
        context = form_context({"exposure": "discreet", "subject": "individual"}, {})
        context |= {
            "labels_json": json.dumps(_labels(dataset, language), ensure_ascii=False),
            "urls_json": json.dumps(
                {
                    "support": link(support + "{id}/"),
                    "issuer": link(issuers + "{id}/"),
                    "programmes": link(reverse("programme-list")),
                    **{name: link(reverse(name)) for name in PROGRAMME_PAGES},
                    "guidance": link(reverse("guidance-index")),
                    "sources": link(reverse("source-list")),
                }
            ),
        }
    return _render("web/offline_navigator.html", context, navigator_url, language, edition)


@dataclass(frozen=True)
class _Topic:
    id: str
    title: str


def index_page(dataset: Dataset, language: str, edition: Edition) -> str:
    """Every topic from A to Z, in place of search (which needs a server): the search page, offline."""
    from amparo.guidelines.search import KINDS, fold

    _navigator, search_url = special_urls(language)
    topics = {
        "support_type": [(s.id, s.name) for s in dataset.support_types.values()],
        "issuer": [(i.id, i.name) for i in dataset.issuers.values()],
        "guidance": [(g.id, g.title) for g in dataset.guidance.values()],
        "programme": [(p.id, p.name) for p in dataset.programmes.values()],
    }
    from django.utils import translation

    from amparo.web.templatetags.amparo import tr

    with translation.override(language):  # a title the language lacks is the English, marked as tr marks it
        groups = [
            (kind, [_Topic(i, tr(t)) for i, t in sorted(topics[kind], key=lambda it: fold(it[1].get(language)))])
            for kind in KINDS
        ]
    context = {"query": "", "groups": groups, "searched": True}
    return _render("web/search.html", context, search_url, language, edition.at(search_url))


def chooser_page(languages: list[str]) -> str:
    """DEST/index.html: the language chooser, in every exported language at once."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext as _

    names = dict(settings.LANGUAGES)
    items = []
    for code in languages:
        with translation.override(code):
            tagline = _("Diplomatic support for human rights defenders")
            direction = "rtl" if translation.get_language_bidi() else "ltr"
        items.append(
            f'<li lang="{code}" dir="{direction}"><a href="{code}/index.html" hreflang="{code}">'
            f"{html.escape(names[code])}</a>: {html.escape(tagline)}</li>"
        )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{OFFLINE_CSP}">'
    return (
        '<!doctype html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        f'{meta}\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n<title>Amparo</title>\n'
        '<link rel="stylesheet" href="static/amparo/amparo.css">\n</head>\n<body>\n<main id="main">\n'
        "<h1>Amparo</h1>\n<ul>" + "".join(items) + "</ul>\n</main>\n</body>\n</html>\n"
    )
