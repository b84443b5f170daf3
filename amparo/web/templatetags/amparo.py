"""Template filters that render dataset values in the page's language."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from amparo.guidelines.countries import localized_country_name
from amparo.guidelines.labels import POLICY_LABELS, STATUS_LABELS
from amparo.guidelines.model import Text

register = template.Library()

STATUS_SHORT = {"explicit": _("Yes"), "inherited": _("EU"), "not_stated": _("No"), "unknown": "·"}
VISIBILITY_LABELS = {"discreet": _("Discreet"), "formal": _("Formal"), "public": _("Public")}
URGENCY_LABELS = {"preventive": _("Preventive"), "responsive": _("Responsive"), "emergency": _("Emergency")}
SERVES_LABELS = {
    "individual": _("Individuals"),
    "collective": _("Groups and communities"),
    "both": _("Individuals and groups"),
}
KIND_LABELS = {
    "support_type": _("Support types"),
    "issuer": _("Issuers"),
    "guidance": _("Guidance"),
    "programme": _("Programmes"),
    "ten_things": _("Ten things to keep in mind"),
    "qa": _("Questions and answers"),
    "holistic": _("Holistic security"),
    "collective": _("Collective protection"),
    "case_story": _("Case stories"),
    "ten-things": _("Ten things to keep in mind"),
    "questions": _("Questions and answers"),
    "security": _("Holistic and collective protection"),
    "stories": _("Case stories"),
}


@register.filter
def tr(value: Text | None) -> str:
    """A dataset text in the current language; an English fallback is marked for screen readers."""
    if not value:
        return ""
    text, used = value.resolve(get_language() or "en")
    if used != (get_language() or "en"):
        return format_html('<span lang="{}" dir="ltr">{}</span>', used, text)
    return text


@register.filter
def paragraphs(value: Text | None) -> list[str]:
    """Paragraphs of a dataset text (split on blank lines), each marked like :func:`tr`."""
    if not value:
        return []
    text, used = value.resolve(get_language() or "en")
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    if used != (get_language() or "en"):
        return [format_html('<span lang="{}" dir="ltr">{}</span>', used, p) for p in parts]
    return parts


@register.filter
def status_label(status: str) -> str:
    return gettext(STATUS_LABELS[status]) if status in STATUS_LABELS else status


@register.filter
def status_short(status: str) -> str:
    return str(STATUS_SHORT.get(status, status))


@register.filter
def visibility_label(value: str) -> str:
    return str(VISIBILITY_LABELS.get(value, value))


@register.filter
def urgency_label(value: str) -> str:
    return str(URGENCY_LABELS.get(value, value))


@register.filter
def serves_label(value: str) -> str:
    return str(SERVES_LABELS.get(value, value))


@register.filter
def policy_label(value: str) -> str:
    return gettext(POLICY_LABELS[value]) if value in POLICY_LABELS else value


@register.filter
def kind_label(value: str) -> str:
    return str(KIND_LABELS.get(value, value))


@register.filter
def country(code: str | None) -> str:
    """A country's name in the page's language (ISO names translated by pycountry's catalogues)."""
    return localized_country_name(code, get_language() or "en") if code else ""


@register.filter
def english(text: str) -> str:
    """Text that exists only in English (a title, a locator), marked as such on other pages."""
    if not text or (get_language() or "en") == "en":
        return text
    return format_html('<span lang="en" dir="ltr">{}</span>', text)


MISSION_KINDS = {
    "embassy": _("embassy"),
    "high commission": _("high commission"),
    "de facto embassy": _("de facto embassy"),
    "consulate general": _("consulate general"),
    "consulate": _("consulate"),
    "consular office": _("consular office"),
    "consular agency": _("consular agency"),
    "de facto consulate": _("de facto consulate"),
    "honorary consulate": _("honorary consulate"),
    "trade office": _("trade office"),
    "permanent mission": _("permanent mission"),
    "liaison office": _("liaison office"),
    "interests section": _("interests section"),
}


@register.filter
def mission_kind(kind: str) -> str:
    return str(MISSION_KINDS.get(kind, kind))


@register.filter
def public_label(value: bool | None) -> str:
    if value is None:
        return str(_("Not known"))
    return str(_("Public") if value else _("Not public"))


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def items(mapping):
    return list(mapping.items()) if mapping else []


FIELD_LABELS = {
    "country": _("Country"),
    "location": _("Where you are now"),
    "subject": _("Who needs support"),
    "fields": _("Field of work"),
    "threats": _("What has happened"),
    "urgency": _("How urgent"),
    "needs": _("What you need"),
    "exposure": _("Public exposure"),
    "family_at_risk": _("Family at risk"),
    "unhcr_registered": _("UNHCR registration"),
    "uses_violence": _("Violence"),
    "situation": _("Your answers"),
}


@register.filter
def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


EXPOSURE_LABELS = {
    "none": _("no public exposure"),
    "discreet": _("discreet measures only"),
    "formal": _("formal measures, not public"),
    "public": _("public measures"),
}


@register.filter
def exposure_label(value: str) -> str:
    return str(EXPOSURE_LABELS.get(value, value))


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
