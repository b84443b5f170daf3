"""Request letters: a defender asks one mission for support, citing that mission's own guideline.

A mission is more likely to act when a request names the guideline it works under and the
measures that guideline foresees. This module writes such a letter from the dataset: the
addressee, the guideline(s) by official title and year, each requested measure with the
provision that foresees it, and what the writer asks about contact, confidentiality and
public action. Every sentence about what a guideline foresees carries numbered references
to the dataset's citations; nothing is guessed (an unknown year is left out).

Pure Python over the dataset, no Django: the site, the API and the CLI write the same
letter. What a person types stays plain data (renderers escape it) and is never stored.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from amparo.guidelines.countries import country_name
from amparo.guidelines.model import Citation, Dataset, Guideline, Issuer, Mission, Provision
from amparo.navigator.plan import Plan
from amparo.navigator.rules import get_rules
from amparo.navigator.situation import FieldError

MAX_SUPPORT_TYPES = 8
FROM_PLAN = 5  # a letter from a plan asks for its most relevant measures, not all of them
MAX_NAME = 200  # sender, organisation
MAX_TEXT = 2000  # contact, confidential, follow-up
LANGUAGES = ("en",)
CONSENT = ("none", "discreet", "formal", "public")  # the situation's exposure levels
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
)
SINGLE_LINE = ("sender", "organisation")
MULTI_LINE = ("contact", "confidential", "follow_up")
GUIDANCE_NOT_LISTED = "support-not-listed"
# The ISHR action sheet's statement that EU member States without guidelines of their own act on the EU's.
MEMBERS_LOCATOR = "How to obtain diplomatic support: support without national guidelines"
# Issuer names that take "the" in running text ("the Embassy of the United States").
ARTICLE = frozenset({"CZ", "EU", "GB", "NL", "US"})
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Bidirectional embeddings, overrides and isolates can reorder what a reader sees; typed RTL text does not need them.
_BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))


# The request ---------------------------------------------------------------------------------------------------
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
    language: str = "en"


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


def _date(value: Any, errors: list[FieldError]) -> dt.date:
    if value in (None, ""):
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) < 20:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors.append(FieldError("date", "must be a date written YYYY-MM-DD"))
    return dt.date.today()


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
    date = _date(data.get("date"), errors)
    language = data.get("language") or "en"
    if language not in LANGUAGES:
        errors.append(FieldError("language", f"letters are written in {', '.join(LANGUAGES)} for now"))
    if errors:
        raise LetterError(errors)
    return LetterRequest(
        issuer_id=issuer.id,
        support_type_ids=support_type_ids,
        mission_id=mission_id,
        public_consent=consent,
        date=date,
        language=language,
        **texts,
    )


# The letter ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Part:
    """A run of plain text, followed by the numbers of the references that support it."""

    text: str
    refs: tuple[int, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    parts: tuple[Part, ...]

    @property
    def refs(self) -> tuple[int, ...]:
        return tuple(n for part in self.parts for n in part.refs)

    @property
    def plain(self) -> str:
        """The paragraph as plain text, references written [1–3, 5]."""
        return "".join(part.text + (f" [{ref_label(part.refs)}]" if part.refs else "") for part in self.parts)


def ref_label(numbers: Iterable[int]) -> str:
    """Reference numbers as a reader expects them: ``1–3, 5``."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


@dataclass(frozen=True)
class Measure:
    """One requested measure: its name and what foresees it (``status``: explicit, inherited or none)."""

    support_type_id: str
    name: str
    status: str
    paragraph: Paragraph


@dataclass(frozen=True)
class Section:
    heading: str | None
    paragraphs: tuple[Paragraph, ...]
    measures: tuple[Measure, ...] = ()


@dataclass(frozen=True)
class CitedGuideline:
    """A guideline the letter names, with its official title and, only when known, its year and address."""

    issuer_id: str
    title: str
    year: int | None
    url: str | None
    refs: tuple[int, ...]


@dataclass(frozen=True)
class Reference:
    """One entry of the letter's sources list."""

    number: int
    source_id: str
    label: str
    locator: str | None
    urls: tuple[str, ...]


@dataclass(frozen=True)
class Letter:
    """A letter ready to render: plain texts in order, and the numbered sources its sentences cite."""

    issuer_id: str
    mission_id: str | None
    language: str
    date: dt.date
    sender: tuple[str, ...]  # name or pseudonym, organisation: whatever was given
    addressee: tuple[str, ...]
    subject: str
    salutation: str
    sections: tuple[Section, ...]
    closing: str
    signature: tuple[str, ...]
    guidelines: tuple[CitedGuideline, ...]
    references: tuple[Reference, ...]
    note: str  # where the references come from

    @property
    def date_text(self) -> str:
        return f"{self.date.day} {MONTHS[self.date.month - 1]} {self.date.year}"

    @property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(m for section in self.sections for m in section.measures)

    def filename(self, extension: str) -> str:
        """A file name with nothing a person typed in it."""
        return f"letter-{self.issuer_id.lower()}-{self.date.isoformat()}.{extension}"


class _References:
    """Numbers citations in the order the letter first uses them; one number per source and locator."""

    def __init__(self, language: str):
        self.language = language
        self.items: dict[tuple[str, str | None], Reference] = {}

    def cite(self, citations: Iterable[Citation]) -> tuple[int, ...]:
        numbers: list[int] = []
        for citation in citations:
            key = (citation.source.id, citation.locator)
            if key not in self.items:
                self.items[key] = Reference(
                    len(self.items) + 1,
                    citation.source.id,
                    citation.source.label.get(self.language),
                    citation.locator,
                    citation.source.urls,
                )
            if self.items[key].number not in numbers:
                numbers.append(self.items[key].number)
        return tuple(sorted(numbers))


def _the(issuer: Issuer, capital: bool = False) -> str:
    """The issuer's name as it reads in a sentence: "Canada", "the United States"."""
    name = issuer.name.get("en")
    if issuer.id not in ARTICLE:
        return name
    return ("The " if capital else "the ") + name


def _possessive(issuer: Issuer, capital: bool = False) -> str:
    name = _the(issuer, capital)
    return name + ("'" if name.endswith("s") else "'s")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _titled(guideline: Guideline) -> str:
    return f"“{guideline.title}”" + (f" ({guideline.year})" if guideline.year is not None else "")


def _named(issuer: Issuer) -> tuple[Guideline, ...]:
    """The guidelines a letter may name by title: published ones only (the others' titles are our descriptions)."""
    return tuple(g for g in issuer.guidelines if g.public is True)


def _eu_guidelines(dataset: Dataset) -> tuple[Guideline, ...]:
    """The EU documents that EU provisions rest on (those inherited by member States)."""
    eu = dataset.issuers.get("EU")
    if eu is None:
        return ()
    used = {p.guideline_id for p in dataset.provisions_of("EU") if p.status == "explicit" and p.guideline_id}
    return tuple(g for g in _named(eu) if g.id in used)


def _members_citations(dataset: Dataset) -> tuple[Citation, ...]:
    """The sources for "member States without guidelines of their own are expected to act on the EU's"."""
    eu = dataset.issuers.get("EU")
    for note in eu.caveats if eu else ():
        if any(c.locator == MEMBERS_LOCATOR for c in note.citations):
            return note.citations
    return ()


def _addressee(issuer: Issuer, mission: Mission | None) -> tuple[str, ...]:
    if issuer.id == "EU":
        return ("Delegation of the European Union",)
    if mission is None:
        return (f"Embassy of {_the(issuer)}",)
    kind = mission.kind[:1].upper() + mission.kind[1:]
    where = country_name(mission.country) if mission.country else mission.country_label
    return (f"{kind} of {_the(issuer)}", f"{mission.city}, {where}")


def _opening(issuer: Issuer, request: LetterRequest, dataset: Dataset, refs: _References) -> list[Paragraph]:
    on_behalf = f" on behalf of {request.organisation}" if request.organisation else ""
    paragraphs = [
        Paragraph(
            (
                Part(
                    f"I am writing{on_behalf} to ask your mission for support for a human rights defender. "
                    "I can give the details of the case in person, or through a channel that is safe "
                    "for the people concerned."
                ),
            )
        )
    ]
    own = _named(issuer)
    parts: list[Part] = []
    if own:
        whose = "the European Union's guidelines" if issuer.id == "EU" else f"{_possessive(issuer)} own guidance"
        parts.append(Part(f"I write on the basis of {whose} on supporting human rights defenders: "))
        for i, guideline in enumerate(own):
            glue = "" if i == 0 else (" and " if i == len(own) - 1 else ", ")
            parts.append(Part(glue + _titled(guideline), refs.cite(guideline.citations)))
        parts.append(Part("."))
    eu = _eu_guidelines(dataset)
    if issuer.eu_member and eu:
        titles = _join([_titled(g) for g in eu])
        members = _members_citations(dataset)
        if own or not members:
            also = " also" if own else ""
            parts.append(
                Part(
                    f"{' ' if own else ''}As a member State of the European Union, {_the(issuer)} is{also} covered "
                    f"by the EU Guidelines on Human Rights Defenders, {titles}",
                    refs.cite(c for g in eu for c in g.citations),
                )
            )
        else:
            parts.append(
                Part(
                    "Member States of the European Union that have no national guidelines of their own are "
                    "expected to act on the EU Guidelines on Human Rights Defenders",
                    refs.cite(members),
                )
            )
            parts.append(
                Part(f", so I write to you on the basis of {titles}", refs.cite(c for g in eu for c in g.citations))
            )
        parts.append(Part("."))
    if not parts:
        parts.append(Part(f"I write on the basis of {_possessive(issuer)} support for human rights defenders."))
    paragraphs.append(Paragraph(tuple(parts)))
    return paragraphs


def _foreseen(
    issuer: Issuer, provision: Provision | None, dataset: Dataset, refs: _References, again: bool = False
) -> tuple[str, tuple[Part, ...]]:
    """Status and wording of what foresees one measure for this issuer (``again``: a second unnamed measure)."""
    status = provision.status if provision else "unknown"
    if provision is None or status not in ("explicit", "inherited"):
        item = dataset.guidance.get(GUIDANCE_NOT_LISTED)
        cited = refs.cite(item.citations) if item else ()
        if again:
            text = (
                "As far as our sources show, the guidelines that apply to your mission do not name this measure "
                "either; as said above, they are not meant as a complete list"
            )
        else:
            text = (
                "As far as our sources show, the guidelines that apply to your mission do not name this measure. "
                "Guidelines are not meant as a complete list, however: no single model of support fits every "
                "situation, and missions can combine and adapt the tools they describe"
            )
        return "none", (Part(text, cited), Part("."))
    cited = refs.cite(provision.citations)
    owner = dataset.issuers[provision.inherited_from] if status == "inherited" else issuer
    guideline = next((g for g in owner.guidelines if g.id == provision.guideline_id), None)
    if guideline is not None and guideline.public is True:
        if status == "inherited":
            text = f"The EU Guidelines, {_titled(guideline)}, provide for this measure"
        else:
            text = f"{_possessive(owner, capital=True)} guidelines, {_titled(guideline)}, provide for this measure"
    else:
        text = f"{_possessive(owner, capital=True)} support for human rights defenders includes this measure"
    parts = [Part(text, cited), Part(".")]
    if provision.nuances:
        parts.append(Part(" Other sources qualify this", refs.cite(c for n in provision.nuances for c in n.citations)))
        parts.append(Part("."))
    if provision.uncertain:
        parts.append(Part(" Our sources leave some doubt on this point."))
    return status, tuple(parts)


def _measures_section(
    issuer: Issuer, request: LetterRequest, dataset: Dataset, refs: _References
) -> tuple[Section, list[str]]:
    names = [dataset.support_types[sid].name.get(request.language) for sid in request.support_type_ids]
    many = len(names) > 1
    intro = Paragraph(
        (
            Part(
                f"I ask your mission to consider the {'support' if many else 'measure'} below, and note what "
                f"foresees {'each' if many else 'it'}; the numbers refer to the sources listed at the end of this "
                "letter."
            ),
        )
    )
    measures = []
    for sid, name in zip(request.support_type_ids, names, strict=True):
        again = any(m.status == "none" for m in measures)
        status, parts = _foreseen(issuer, dataset.provision(issuer.id, sid), dataset, refs, again)
        measures.append(Measure(sid, name, status, Paragraph(parts)))
    accepted = get_rules(dataset).exposure[request.public_consent]
    visible = [
        name
        for sid, name in zip(request.support_type_ids, names, strict=True)
        if dataset.support_types[sid].visibility not in accepted
    ]
    return Section("What I ask for", (intro,), tuple(measures)), visible


CONSENT_TEXT = {
    "none": "I do not consent to any public action. No public statement or visible action may be taken "
    "without my prior agreement.",
    "discreet": "I ask for discreet support only. No public statement or visible action may be taken "
    "without my prior agreement.",
    "formal": "I agree to formal steps that are not public, such as contacts with the authorities. No public "
    "statement or public action may be taken without my prior agreement.",
    "public": "I consent to public action in support of this case. Please agree the content and timing of any "
    "public statement with me beforehand.",
}


def _stop(text: str, after: str = "") -> Part:
    """The full stop a sentence ending in typed text needs, unless the text has one."""
    return Part(("" if text.rstrip().endswith((".", "!", "?", "…", "。", "؟")) else ".") + after)


def _security_section(request: LetterRequest, visible: list[str]) -> Section:
    paragraphs = []
    if request.contact:
        paragraphs.append(
            Paragraph((Part("Please get in touch only in this way: "), Part(request.contact), _stop(request.contact)))
        )
    else:
        paragraphs.append(Paragraph((Part("Please reply through the channel by which this letter reached you."),)))
    confidential = [
        Part(
            "Please do not share this letter, or the names and details in it, outside your mission "
            "without my prior agreement."
        )
    ]
    if request.confidential:
        confidential = [
            Part("The following must stay confidential: "),
            Part(request.confidential),
            _stop(request.confidential, " "),
            *confidential,
        ]
    paragraphs.append(Paragraph(tuple(confidential)))
    consent = [Part(CONSENT_TEXT[request.public_consent])]
    if visible:
        consent.append(
            Part(
                f" Some of the support I ask for goes further than this ({_join(visible)}): please discuss it "
                "with me before taking any such step."
            )
        )
    paragraphs.append(Paragraph(tuple(consent)))
    return Section("Security and confidentiality", tuple(paragraphs))


def _follow_up_section(request: LetterRequest) -> Section:
    if request.follow_up:
        first = Paragraph((Part("As a next step, I propose: "), Part(request.follow_up), _stop(request.follow_up)))
    else:
        first = Paragraph((Part("I would be grateful for a reply, and I am ready to discuss this request."),))
    return Section("Follow-up", (first, Paragraph((Part("Thank you for your attention to this request."),))))


def build_letter(request: LetterRequest, dataset: Dataset) -> Letter:
    """The letter for ``request``: same request and dataset, same letter, on every interface."""
    issuer = dataset.issuers[request.issuer_id]
    mission = next((m for m in dataset.missions_of(issuer.id) if m.id == request.mission_id), None)
    refs = _References(request.language)
    opening = Section(None, tuple(_opening(issuer, request, dataset, refs)))
    measures, visible = _measures_section(issuer, request, dataset, refs)
    cited = [*_named(issuer), *(_eu_guidelines(dataset) if issuer.eu_member else ())]
    guidelines = tuple(
        CitedGuideline(g.issuer_id, g.title, g.year, g.url, refs.cite(g.citations)) for g in dict.fromkeys(cited)
    )
    return Letter(
        issuer_id=issuer.id,
        mission_id=mission.id if mission else None,
        language=request.language,
        date=request.date,
        sender=tuple(line for line in (request.sender, request.organisation) if line),
        addressee=_addressee(issuer, mission),
        subject="Request for support for a human rights defender",
        salutation="Dear Sir or Madam,",
        sections=(opening, measures, _security_section(request, visible), _follow_up_section(request)),
        closing="Yours faithfully,",
        signature=tuple(line for line in (request.sender, request.organisation) if line),
        guidelines=guidelines,
        references=tuple(refs.items.values()),
        note=f"References compiled from the Amparo dataset, edition {dataset.edition.edition}.",
    )


# From a plan ---------------------------------------------------------------------------------------------------
def plan_support_types(plan: Plan, issuer_id: str) -> tuple[str, ...]:
    """The plan's recommended measures that this issuer foresees (explicit or inherited), in plan order, at most 5."""
    chosen = [
        r.support_type.id
        for r in plan.recommendations
        if any(o.issuer.id == issuer_id and o.status in ("explicit", "inherited") for o in r.issuers)
    ]
    return tuple(chosen[:FROM_PLAN])


def request_from_plan(plan: Plan, data: Mapping[str, Any], dataset: Dataset) -> LetterRequest:
    """A request to one of the plan's issuers for the plan's measures it foresees; ``data`` has the other fields.

    Consent to public action defaults to the exposure the defender accepted in the situation.
    """
    if not isinstance(data, Mapping):
        raise LetterError([FieldError("letter", "must be an object with named fields")])
    issuer_id = data.get("issuer")
    issuer_id = issuer_id.strip().upper() if isinstance(issuer_id, str) else issuer_id
    in_plan = {p.issuer.id for p in plan.presence}
    errors: list[FieldError] = []
    if issuer_id in (None, ""):
        errors.append(FieldError("issuer", "required: one of the plan's issuers", "required"))
    elif issuer_id not in in_plan:
        errors.append(FieldError("issuer", f"not among the issuers of this plan: {', '.join(sorted(in_plan))}"))
    fields = {key: value for key, value in data.items() if key != "support_types"}
    fields["public_consent"] = data.get("public_consent") or plan.situation.exposure
    fields["issuer"] = None if errors else issuer_id
    fields["support_types"] = [] if errors else list(plan_support_types(plan, issuer_id))
    try:
        request = parse_letter_request(fields, dataset)
    except LetterError as exc:
        # With no issuer, "issuer" and "support_types" would only repeat the problem already reported.
        errors += [e for e in exc.errors if not (errors and e.field in ("issuer", "support_types"))]
    if errors:
        raise LetterError(errors)
    return request


def letter_from_plan(plan: Plan, issuer_id: str, dataset: Dataset, **fields: Any) -> Letter:
    """The letter to ``issuer_id`` for the plan's measures it foresees; ``fields`` are the request's other fields."""
    return build_letter(request_from_plan(plan, {**fields, "issuer": issuer_id}, dataset), dataset)
