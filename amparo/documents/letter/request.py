"""The letter request: what a person asked for, validated and normalised before a letter is written.

Input arrives as a JSON object, a form or CLI options; :func:`parse_letter_request` checks
every field against the dataset (the issuer, its missions, the support types) and cleans
free text (:func:`clean_text`) so that it can be shown and written safely. Problems come
back together, one per field, as a :class:`LetterError`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from amparo.guidelines.countries import is_country_code
from amparo.guidelines.model import Dataset, Issuer
from amparo.guidelines.words import LANGUAGES as LANGUAGES  # the languages a request may ask for
from amparo.navigator.situation import FieldError

MAX_SUPPORT_TYPES = 8
MAX_NAME = 200  # sender, organisation
MAX_TEXT = 2000  # contact, confidential, follow-up, what happened
CONSENT = ("none", "discreet", "formal", "public")  # the situation's exposure levels
# What the writer may choose to tell the mission about the case, each optional.
FACTS = ("country", "court", "hearing_date", "detention_place", "facts")
FIELDS = (
    "issuer",
    "mission",
    "support_types",
    "sender",
    "organisation",
    "contact",
    "confidential",
    "public_consent",
    "follow_up",
    "date",
    "language",
    *FACTS,
)
SINGLE_LINE = ("sender", "organisation", "court", "detention_place")
MULTI_LINE = ("contact", "confidential", "follow_up", "facts")
# Bidirectional embeddings, overrides and isolates can reorder what a reader sees; typed RTL text does not need them.
_BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))


@dataclass(frozen=True)
class LetterRequest:
    """What the writer asks for, and on what terms. Free text is already cleaned and within limits."""

    issuer_id: str
    support_type_ids: tuple[str, ...]
    mission_id: str | None = None  # a Wikidata id of one of the issuer's missions
    sender: str = ""  # a name or a pseudonym
    organisation: str = ""
    contact: str = ""  # how, and by whom, the writer may be contacted
    confidential: str = ""  # what must stay confidential
    public_consent: str = "none"
    follow_up: str = ""
    date: dt.date = field(default_factory=dt.date.today)
    language: str = "en"  # the letter's: one of LANGUAGES, whatever the language of the page that asks
    # Facts the writer chooses to tell the mission; each is said only when given.
    country: str | None = None  # ISO code of the country where the defender works or is now
    court: str = ""  # the court that hears the case
    hearing_date: dt.date | None = None
    detention_place: str = ""  # where the defender is held
    facts: str = ""  # what happened, in the writer's words


class LetterError(ValueError):
    """The letter request is incomplete or invalid; ``errors`` lists each field's problem."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


def clean_text(value: str, multiline: bool = False) -> str:
    """Text as a person meant it: control characters out, line ends normalised, outer blanks trimmed.

    Control characters (and lone surrogates, non-characters, bidi overrides) cannot be shown,
    break XML (DOCX) or can disguise text; tabs become spaces. A single-line field loses its
    line breaks; a multi-line one keeps non-empty lines.
    """
    kept = []
    for char in value.replace("\r\n", "\n"):
        code = ord(char)
        if char in "\n\r\u2028\u2029\x85":
            kept.append("\n" if multiline else " ")
        elif char == "\t":
            kept.append(" ")
        elif (
            unicodedata.category(char) in ("Cc", "Cs")
            or code in _BIDI_CONTROLS
            or 0xFDD0 <= code <= 0xFDEF
            or (code & 0xFFFE) == 0xFFFE
            or char == "\ufeff"
        ):
            continue
        else:
            kept.append(char)
    lines = [re.sub(r" {2,}", " ", line).strip() for line in "".join(kept).split("\n")]
    return "\n".join(line for line in lines if line)


def _issuer(value: Any, dataset: Dataset, errors: list[FieldError]) -> Issuer | None:
    if value in (None, ""):
        errors.append(FieldError("issuer", "required: the id of an issuer, e.g. CA or EU", "required"))
        return None
    issuer = dataset.issuers.get(value.strip().upper()) if isinstance(value, str) else None
    if issuer is None:
        errors.append(FieldError("issuer", "not an issuer of the dataset (e.g. CA, EU, NL)"))
        return None
    if not any(p.status in ("explicit", "inherited") for p in dataset.provisions_of(issuer.id)):
        errors.append(
            FieldError("issuer", f"no diplomatic support by {issuer.name} is recorded: write to another issuer")
        )
        return None
    return issuer


def _mission(value: Any, issuer: Issuer | None, dataset: Dataset, errors: list[FieldError]) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        errors.append(FieldError("mission", "must be the Wikidata id of a mission, e.g. Q5369597"))
        return None
    mission_id = value.strip().upper()
    if issuer is not None and not any(m.id == mission_id for m in dataset.missions_of(issuer.id)):
        errors.append(FieldError("mission", f"not a mission of {issuer.name} in the missions data"))
        return None
    return mission_id


def _support_types(value: Any, dataset: Dataset, errors: list[FieldError]) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not items:
        errors.append(FieldError("support_types", "required: at least one support type id", "required"))
        return ()
    if not isinstance(items, list | tuple) or not all(isinstance(item, str) for item in items):
        errors.append(FieldError("support_types", "must be a list of support type ids"))
        return ()
    if len(items) > 4 * MAX_SUPPORT_TYPES:  # clearly too many: say so without reading them all
        errors.append(FieldError("support_types", f"at most {MAX_SUPPORT_TYPES} measures in one letter"))
        return ()
    chosen = tuple(dict.fromkeys(item.strip() for item in items))
    unknown = [item[:40] for item in chosen if item not in dataset.support_types]
    if unknown:
        errors.append(FieldError("support_types", f"unknown support type(s) {', '.join(unknown[:5])}"))
        return ()
    if len(chosen) > MAX_SUPPORT_TYPES:
        errors.append(FieldError("support_types", f"at most {MAX_SUPPORT_TYPES} measures in one letter"))
        return ()
    return chosen


def _free_text(name: str, value: Any, errors: list[FieldError]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(FieldError(name, "must be text"))
        return ""
    limit = MAX_NAME if name in SINGLE_LINE else MAX_TEXT
    text = clean_text(value, multiline=name in MULTI_LINE) if len(value) <= 4 * limit else value
    if len(text) > limit:
        errors.append(FieldError(name, f"too long: at most {limit} characters", "too_long"))
        return ""
    return text


def _date(value: Any, errors: list[FieldError], name: str = "date") -> dt.date | None:
    """A real calendar date (2027-02-30 is refused), or None when none is given."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*", value):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            errors.append(FieldError(name, "not a real date: check the day and the month (YYYY-MM-DD)", "date"))
            return None
    errors.append(FieldError(name, "must be a date written YYYY-MM-DD, e.g. 2027-03-14", "date"))
    return None


def _country(value: Any, errors: list[FieldError]) -> str | None:
    if value in (None, ""):
        return None
    code = value.strip().upper() if isinstance(value, str) else None
    if code is None or not is_country_code(code):
        errors.append(FieldError("country", "must be the ISO code of a country, e.g. KE or PH"))
        return None
    return code


def parse_letter_request(data: Any, dataset: Dataset) -> LetterRequest:
    """Validate raw input (a JSON object, form or CLI options) into a :class:`LetterRequest`."""
    if not isinstance(data, Mapping):
        raise LetterError([FieldError("letter", "must be an object with named fields")])
    errors: list[FieldError] = []
    unknown = [str(key)[:40] for key in data if key not in FIELDS]
    if unknown:
        errors.append(FieldError("letter", f"unknown field(s) {', '.join(unknown[:5])}"))
    issuer = _issuer(data.get("issuer"), dataset, errors)
    mission_id = _mission(data.get("mission"), issuer, dataset, errors)
    support_type_ids = _support_types(data.get("support_types"), dataset, errors)
    texts = {name: _free_text(name, data.get(name), errors) for name in (*SINGLE_LINE, *MULTI_LINE)}
    consent = data.get("public_consent") or "none"
    if not isinstance(consent, str) or consent not in dataset.situations["exposure"]:
        errors.append(FieldError("public_consent", f"must be one of {', '.join(CONSENT)}"))
    date = _date(data.get("date"), errors) or dt.date.today()
    country = _country(data.get("country"), errors)
    hearing_date = _date(data.get("hearing_date"), errors, "hearing_date")
    language = data.get("language") or "en"
    if not isinstance(language, str) or language not in LANGUAGES:
        errors.append(FieldError("language", f"must be one of {', '.join(LANGUAGES)}"))
        language = "en"
    if errors:
        raise LetterError(errors)
    return LetterRequest(
        issuer_id=cast(Issuer, issuer).id,  # no error: the issuer was found
        support_type_ids=support_type_ids,
        mission_id=mission_id,
        public_consent=consent,
        date=date,
        language=language,
        country=country,
        hearing_date=hearing_date,
        **texts,
    )
