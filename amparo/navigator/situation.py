"""What a defender tells the navigator, validated field by field.

The vocabulary (threats, needs, fields, urgency, subjects, exposure) comes from
the dataset's ``situations.yaml``, so it is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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
    "family_at_risk",
    "unhcr_registered",
    "uses_violence",
)
BOOLEANS = ("family_at_risk", "unhcr_registered", "uses_violence")
MAX_ITEMS = 32


@dataclass(frozen=True)
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

    @property
    def abroad(self) -> bool:
        """Now in another country than the one they work in."""
        return self.location is not None

    @property
    def where_now(self) -> str:
        return self.location or self.country

    def value(self, name: str) -> Any:
        return getattr(self, name)


@dataclass(frozen=True)
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


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "off", "0", ""):
        return False
    return None


def _country(name: str, value: Any, errors: list[FieldError], required: bool) -> str | None:
    if value in (None, ""):
        if required:
            errors.append(FieldError(name, "required: the ISO 3166-1 two-letter code of a country", "required"))
        return None
    if not isinstance(value, str) or not is_country_code(value.strip().upper()):
        errors.append(FieldError(name, "not a country code (ISO 3166-1 alpha-2, e.g. MX)"))
        return None
    return value.strip().upper()


def _one_of(name: str, value: Any, allowed: Mapping[str, Any], errors: list[FieldError]) -> str | None:
    if value in (None, ""):
        errors.append(FieldError(name, f"required: one of {', '.join(allowed)}", "required"))
        return None
    if not isinstance(value, str) or value not in allowed:
        errors.append(FieldError(name, f"must be one of {', '.join(allowed)}"))
        return None
    return value


def _some_of(name: str, value: Any, allowed: Mapping[str, Any], errors: list[FieldError]) -> frozenset[str]:
    if value in (None, ""):
        return frozenset()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or len(items) > MAX_ITEMS:
        errors.append(FieldError(name, "must be a list"))
        return frozenset()
    unknown = [str(item)[:40] for item in items if not isinstance(item, str) or item not in allowed]
    if unknown:
        errors.append(FieldError(name, f"unknown value(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}"))
        return frozenset()
    return frozenset(items)


def parse_situation(data: Any, dataset: Dataset) -> Situation:
    """Validate raw input (a JSON object, YAML mapping or form) into a :class:`Situation`."""
    if not isinstance(data, Mapping):
        raise SituationError([FieldError("situation", "must be an object with named fields")])
    vocabulary = dataset.situations
    errors: list[FieldError] = []
    unknown = [str(key)[:40] for key in data if key not in FIELDS]
    if unknown:
        errors.append(FieldError("situation", f"unknown field(s) {', '.join(unknown)}"))
    # A required answer that is missing or wrong is "" here, with its error recorded: never in a Situation.
    country = _country("country", data.get("country"), errors, required=True) or ""
    location = _country("location", data.get("location"), errors, required=False)
    subject = _one_of("subject", data.get("subject"), vocabulary["subject"], errors) or ""
    urgency = _one_of("urgency", data.get("urgency"), vocabulary["urgency"], errors) or ""
    exposure = _one_of("exposure", data.get("exposure"), vocabulary["exposure"], errors) or ""
    fields = _some_of("fields", data.get("fields"), vocabulary["field"], errors)
    threats = _some_of("threats", data.get("threats"), vocabulary["threat"], errors)
    needs = _some_of("needs", data.get("needs"), vocabulary["need"], errors)
    flags = {}
    for name in BOOLEANS:
        raw = data.get(name, False)
        value = _boolean(raw if raw is not None else False)
        if value is None:
            errors.append(FieldError(name, "must be true or false"))
        flags[name] = bool(value)
    if errors:
        raise SituationError(errors)
    return Situation(
        country=country,
        location=location if location != country else None,
        subject=subject,
        urgency=urgency,
        exposure=exposure,
        fields=fields,
        threats=threats,
        needs=needs,
        **flags,
    )


def situation_as_dict(situation: Situation) -> dict[str, Any]:
    """The situation in the input's own shape (sorted lists), e.g. to echo it in a plan."""
    return {
        name: sorted(value) if isinstance(value, frozenset) else value
        for name in FIELDS
        if (value := situation.value(name)) is not None
    }
