"""Words for the ids a casebook record stores, in the page's language."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from amparo.casebook.records import (
    ACTOR_KINDS,
    CHANNELS,
    CONSENT_MEANS,
    CONSENT_PURPOSES,
    CONSENT_RELATIONS,
    KIND_NAMES,
    REQUEST_STATUSES,
    RISK_LEVELS,
)
from amparo.guidelines import get_dataset
from amparo.guidelines.model import Mission
from amparo.web.templatetags.amparo import country, isolated, mission_kind, tr

register = template.Library()

OWN = {
    "actor": ACTOR_KINDS,
    "channel": CHANNELS,
    "status": REQUEST_STATUSES,
    "risk": RISK_LEVELS,
    "relation": CONSENT_RELATIONS,
    "purpose": CONSENT_PURPOSES,
    "means": CONSENT_MEANS,
}


def mission_words(mission: Mission) -> str:
    """A mission as a person names it: its city (or country) and kind, e.g. "Tegucigalpa (embassy)"."""
    return f"{mission.city or mission.country_label} ({mission_kind(mission.kind)})"


@register.filter
def label(value: str, kind: str) -> str:
    """``{{ incident.threat|label:"threat" }}``: a stored id as words; an unknown id is shown as it is.

    Dataset words go through :func:`tr`, so an English fallback is marked as such.
    """
    if not value:
        return ""
    if kind in OWN:
        return gettext(OWN[kind][value]) if value in OWN[kind] else value
    if kind == "country":
        return country(value)
    dataset = get_dataset()
    if kind == "mission":
        mission = dataset.mission(value)
        if mission is None:
            return value
        # mission_words, with the city isolated on a right-to-left page
        return format_html("{} ({})", isolated(mission.city or mission.country_label), mission_kind(mission.kind))
    named = {"issuer": dataset.issuers, "support": dataset.support_types}
    if kind in named:
        item = named[kind].get(value)
        return tr(item.name) if item else value
    words = dataset.situations.get(kind, {})
    return tr(words[value]) if value in words else value


@register.filter
def labels(values, kind: str) -> list[str]:
    return [label(v, kind) for v in values]


@register.filter
def kind_name(kind: str) -> str:
    return gettext(KIND_NAMES.get(kind, kind))
