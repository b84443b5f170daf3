"""Words for the ids a casebook record stores, in the page's language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language, gettext

from amparo.casebook.records import ACTOR_KINDS, CHANNELS, REQUEST_STATUSES, RISK_LEVELS
from amparo.guidelines import get_dataset
from amparo.guidelines.countries import localized_country_name
from amparo.guidelines.labels import gettext_noop

register = template.Library()

OWN = {"actor": ACTOR_KINDS, "channel": CHANNELS, "status": REQUEST_STATUSES, "risk": RISK_LEVELS}
_missions: dict[str, object] = {}


def _language() -> str:
    return get_language() or "en"


@register.filter
def label(value: str, kind: str) -> str:
    """``{{ incident.threat|label:"threat" }}``: a stored id as words; an unknown id is shown as it is."""
    if not value:
        return ""
    if kind in OWN:
        return gettext(OWN[kind][value]) if value in OWN[kind] else value
    dataset = get_dataset()
    if kind == "issuer":
        issuer = dataset.issuers.get(value)
        return issuer.name.resolve(_language())[0] if issuer else value
    if kind == "support":
        support = dataset.support_types.get(value)
        return support.name.resolve(_language())[0] if support else value
    if kind == "country":
        return localized_country_name(value, _language())
    if kind == "mission":
        if not _missions:
            _missions.update((m.id, m) for m in dataset.missions)
        mission = _missions.get(value)
        return f"{mission.city or mission.country_label} ({mission.kind})" if mission else value
    words = dataset.situations.get(kind, {})
    return words[value].resolve(_language())[0] if value in words else value


@register.filter
def labels(values, kind: str) -> list[str]:
    return [label(v, kind) for v in values]


KIND_NAMES = {
    "case": gettext_noop("Case"),
    "incident": gettext_noop("Incident"),
    "engagement": gettext_noop("Engagement with a mission"),
    "request": gettext_noop("Request"),
    "follow-up": gettext_noop("Follow-up"),
    "risk": gettext_noop("Risk assessment"),
}


@register.filter
def kind_name(kind: str) -> str:
    return gettext(KIND_NAMES.get(kind, kind))
