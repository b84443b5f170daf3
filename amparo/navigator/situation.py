"""What a defender tells the navigator, validated field by field.

The vocabulary (threats, needs, fields, urgency, subjects, exposure) comes from
the dataset's ``situations.yaml``, so it is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

from amparo.guidelines.countries import is_country_code
from amparo.guidelines.model import Dataset

FIELDS = (
    "country",
    "location",
    "subject",
    "fields",
    "threats",
    "urgency",
    "needs",
    "exposure",
    "authorities",
    "family_at_risk",
    "unhcr_registered",
    "uses_violence",
    "company_country",
    "on_behalf",
)
LISTS = ("fields", "threats", "needs")  # several values each (a set), sorted when echoed
# on_behalf: the person filling in the form does so for someone who is detained; the plan speaks of them.
BOOLEANS = ("family_at_risk", "unhcr_registered", "uses_violence", "on_behalf")
# How each field is read, in the order its problems are reported: (field, check, vocabulary), the
# vocabulary being the kind of situations.yaml a choice draws from.
CHECKS = (
    ("country", "required_country", None),
    ("location", "optional_country", None),
    ("company_country", "optional_country", None),
    ("subject", "one_of", "subject"),
    ("urgency", "one_of", "urgency"),
    ("exposure", "one_of", "exposure"),
    ("authorities", "optional_one_of", "authorities"),
    ("fields", "some_of", "field"),
    ("threats", "some_of", "threat"),
    ("needs", "some_of", "need"),
    *((name, "boolean", None) for name in BOOLEANS),
)
# The answer a situation without the field is read with: an API client of before still gets its plan.
DEFAULTS = {"authorities": "may-know"}
MAX_ITEMS = 32  # values in one list field
SHOWN_LENGTH = 40  # characters of an unknown value or field name repeated in a message
WHOLE = "situation"  # the field named by an error about the input as a whole
TRUE_WORDS = ("true", "yes", "on", "1")
FALSE_WORDS = ("false", "no", "off", "0", "")
SEPARATOR = ", "  # between the values a message lists
# Each problem's code ("required" or "invalid": lets an interface word it in its own language) and message,
# with {placeholders} filled by str.format.
# Codes people write for a country that ISO 3166-1 spells otherwise: said, not guessed silently.
CODE_ALIASES = {"UK": "GB", "EL": "GR"}
# A defender registered with UNHCR is a refugee somewhere: the plan needs to know where (its missions).
NEEDS_LOCATION = ("unhcr_registered", "location")

MESSAGES = {
    "not_an_object": ("invalid", "must be an object with named fields"),
    "unknown_fields": ("invalid", "unknown field(s) {unknown}"),
    "country_required": ("required", "required: the ISO 3166-1 two-letter code of a country"),
    "country_invalid": ("invalid", "not a country code (ISO 3166-1 alpha-2, e.g. MX)"),
    "country_alias": ("invalid", "not the ISO 3166-1 code: for {alias}, write {code}"),
    "location_needed": ("required", "required with UNHCR registration: the country where you are now"),
    "choice_required": ("required", "required: one of {allowed}"),
    "choice_invalid": ("invalid", "must be one of {allowed}"),
    "list_invalid": ("invalid", "must be a list"),
    "list_unknown": ("invalid", "unknown value(s) {unknown}; allowed: {allowed}"),
    "boolean_invalid": ("invalid", "must be true or false"),
}


@dataclass(frozen=True, slots=True)
class Situation:
    country: str  # ISO 3166-1 alpha-2 code of where the defender works
    subject: str
    urgency: str
    exposure: str
    location: str | None = None  # where they are now, when not in that country
    fields: frozenset[str] = field(default_factory=frozenset)
    threats: frozenset[str] = field(default_factory=frozenset)
    needs: frozenset[str] = field(default_factory=frozenset)
    family_at_risk: bool = False
    unhcr_registered: bool = False
    uses_violence: bool = False
    # Whether the authorities may learn of the request (may-know) or must not (must-not-know).
    authorities: str = DEFAULTS["authorities"]
    company_country: str | None = None  # where a company linked to the threats is based, when known
    on_behalf: bool = False  # filled in for someone who is detained

    @property
    def abroad(self) -> bool:
        """Now in another country than the one they work in."""
        return self.location is not None

    @property
    def where_now(self) -> str:
        return self.location or self.country

    def value(self, name: str) -> Any:
        return getattr(self, name)


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str
    code: str = "invalid"  # "required" or "invalid": lets an interface word the message in its own language

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class SituationError(ValueError):
    """The situation is incomplete or invalid; ``errors`` lists each field's problem."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


@cache
def whitespace() -> str:
    """What ``str.strip()`` removes, for an interface in another language that must read input the same way."""
    return "".join(c for c in map(chr, range(0x110000)) if c.isspace())


def _error(name: str, key: str, **values: str) -> FieldError:
    code, message = MESSAGES[key]
    return FieldError(name, message.format(**values), code)


def _shown(value: Any) -> str:
    return str(value)[:SHOWN_LENGTH]


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS:
        return True
    if isinstance(value, str) and value.strip().lower() in FALSE_WORDS:
        return False
    return None


def _country(name: str, value: Any, errors: list[FieldError], required: bool) -> str | None:
    if value in (None, ""):
        if required:
            errors.append(_error(name, "country_required"))
        return None
    if isinstance(value, str) and value.strip().upper() in CODE_ALIASES:
        alias = value.strip().upper()
        errors.append(_error(name, "country_alias", alias=alias, code=CODE_ALIASES[alias]))
        return None
    if not isinstance(value, str) or not is_country_code(value.strip().upper()):
        errors.append(_error(name, "country_invalid"))
        return None
    return value.strip().upper()


def _one_of(name: str, value: Any, allowed: Mapping[str, Any], errors: list[FieldError]) -> str | None:
    if value in (None, ""):
        errors.append(_error(name, "choice_required", allowed=SEPARATOR.join(allowed)))
        return None
    if not isinstance(value, str) or value not in allowed:
        errors.append(_error(name, "choice_invalid", allowed=SEPARATOR.join(allowed)))
        return None
    return value


def _some_of(name: str, value: Any, allowed: Mapping[str, Any], errors: list[FieldError]) -> frozenset[str]:
    if value in (None, ""):
        return frozenset()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or len(items) > MAX_ITEMS:
        errors.append(_error(name, "list_invalid"))
        return frozenset()
    unknown = [_shown(item) for item in items if not isinstance(item, str) or item not in allowed]
    if unknown:
        errors.append(_error(name, "list_unknown", unknown=SEPARATOR.join(unknown), allowed=SEPARATOR.join(allowed)))
        return frozenset()
    return frozenset(items)


def _flag(name: str, value: Any, errors: list[FieldError]) -> bool:
    parsed = _boolean(value if value is not None else False)
    if parsed is None:
        errors.append(_error(name, "boolean_invalid"))
    return bool(parsed)


def parse_situation(data: Any, dataset: Dataset) -> Situation:
    """Validate raw input (a JSON object, YAML mapping or form) into a :class:`Situation`."""
    if not isinstance(data, Mapping):
        raise SituationError([_error(WHOLE, "not_an_object")])
    vocabulary = dataset.situations
    errors: list[FieldError] = []
    unknown = [_shown(key) for key in data if key not in FIELDS]
    if unknown:
        errors.append(_error(WHOLE, "unknown_fields", unknown=SEPARATOR.join(unknown)))
    values: dict[str, Any] = {}
    for name, check, kind in CHECKS:
        value = data.get(name)
        if check in ("required_country", "optional_country"):
            values[name] = _country(name, value, errors, required=check == "required_country")
        elif check == "optional_one_of":
            empty = value in (None, "")
            values[name] = DEFAULTS[name] if empty else _one_of(name, value, vocabulary[cast(str, kind)], errors)
        elif check == "one_of":
            values[name] = _one_of(name, value, vocabulary[cast(str, kind)], errors)
        elif check == "some_of":
            values[name] = _some_of(name, value, vocabulary[cast(str, kind)], errors)
        else:
            values[name] = _flag(name, data.get(name, False), errors)
    flag, place = NEEDS_LOCATION
    if values[flag] and values[place] is None and not any(e.field == place for e in errors):
        errors.append(_error(place, "location_needed"))
    if errors:
        raise SituationError(errors)
    if values["location"] == values["country"]:
        values["location"] = None
    return Situation(**values)


def situation_as_dict(situation: Situation) -> dict[str, Any]:
    """The situation in the input's own shape (sorted lists), e.g. to echo it in a plan."""
    return {
        name: sorted(value) if isinstance(value, frozenset) else value
        for name in FIELDS
        if (value := situation.value(name)) is not None
    }
