"""Composing the letter: the paragraphs a request becomes, each claim cited to the dataset.

The addressee, the guideline(s) by official title and year, each requested measure with
the provision that foresees it, and what the writer asks about contact, confidentiality
and public action. Every sentence about what a guideline foresees carries numbered
references to the dataset's citations; nothing is guessed (an unknown year is left out).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from amparo.documents.letter.model import (
    CitedGuideline,
    Letter,
    Measure,
    Paragraph,
    Part,
    Reference,
    Section,
    date_text,
)
from amparo.documents.letter.request import LetterRequest
from amparo.guidelines.countries import country_name
from amparo.guidelines.model import Citation, Dataset, Guideline, Issuer, Mission, Provision
from amparo.navigator.rules import get_rules

GUIDANCE_NOT_LISTED = "support-not-listed"
# The ISHR action sheet's statement that EU member States without guidelines of their own act on the EU's.
MEMBERS_LOCATOR = "How to obtain diplomatic support: support without national guidelines"
# Issuer names that take "the" in running text ("the Embassy of the United States").
ARTICLE = frozenset({"CZ", "EU", "GB", "NL", "US"})
# Countries whose name takes "the" in running text ("a defender in the Philippines"), and names that read
# better in a sentence than the ISO list's ("Congo, The Democratic Republic of the").
COUNTRY_ARTICLE = frozenset(
    {"AE", "AX", "BS", "CC", "CD", "CF", "CK", "DO", "FK", "FO", "GB", "GM", "KM", "KY", "MH", "MP", "MV", "NL"}
    | {"PH", "SB", "SC", "TC", "TF", "UM", "US", "VG", "VI"}
)
COUNTRY_IN_TEXT = {
    "CD": "Democratic Republic of the Congo",
    "FM": "Federated States of Micronesia",
    "PS": "State of Palestine",
    "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands",
}
# The measures that the facts of a hearing, or of a detention, belong with.
TRIAL_MEASURES = ("trial-observation", "principled-trial-observation")
DETENTION_MEASURES = ("detention-visit",)


class _References:
    """Numbers citations in the order the letter first uses them; one number per source and locator.

    Of the sources one statement rests on, the issuer's own publications (``kind: official``) are
    numbered first: a mission should read its own text before a mirror or a commentary on it.
    """

    def __init__(self, language: str):
        self.language = language
        self.items: dict[tuple[str, str | None], Reference] = {}

    def cite(self, citations: Iterable[Citation]) -> tuple[int, ...]:
        numbers: list[int] = []
        for citation in sorted(citations, key=lambda c: c.source.kind != "official"):
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


def _in_country(code: str) -> str:
    """A country's name as it reads after "in": "Kenya", "the Philippines"."""
    name = COUNTRY_IN_TEXT.get(code) or country_name(code)
    return f"the {name}" if code in COUNTRY_ARTICLE else name


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
        if mission is None:
            return ("Delegation of the European Union",)
        host = country_name(mission.country) if mission.country else mission.country_label
        return ("Delegation of the European Union", f"{mission.city}, {host}" if mission.city else host)
    if mission is None:
        return (f"Embassy of {_the(issuer)}",)
    kind = mission.kind[:1].upper() + mission.kind[1:]
    where = country_name(mission.country) if mission.country else mission.country_label
    return (f"{kind} of {_the(issuer)}", f"{mission.city}, {where}")


def _trial_facts(request: LetterRequest) -> list[Part]:
    """The hearing the writer told of: the court, the date, or both; nothing when neither is given."""
    when = date_text(request.hearing_date) if request.hearing_date else ""
    if request.court:
        lead = f"The next hearing is on {when}, before this court: " if when else "The case is before this court: "
        return [Part(lead), Part(request.court), _stop(request.court)]
    return [Part(f"The next hearing is on {when}.")] if when else []


def _detention_facts(request: LetterRequest) -> list[Part]:
    if not request.detention_place:
        return []
    return [Part("The defender is held in this place: "), Part(request.detention_place), _stop(request.detention_place)]


def _spaced(parts: list[Part]) -> list[Part]:
    """``parts`` as sentences that follow another: a space before the first."""
    return [Part(" " + parts[0].text, parts[0].refs), *parts[1:]] if parts else []


def _case(request: LetterRequest) -> Paragraph | None:
    """What happened, and the facts of a hearing or a detention that no requested measure carries."""
    parts: list[Part] = []
    if request.facts:
        parts += [Part("In brief, this is what happened: "), Part(request.facts), _stop(request.facts)]
    if not set(TRIAL_MEASURES) & set(request.support_type_ids):
        parts += _spaced(_trial_facts(request)) if parts else _trial_facts(request)
    if not set(DETENTION_MEASURES) & set(request.support_type_ids):
        parts += _spaced(_detention_facts(request)) if parts else _detention_facts(request)
    return Paragraph(tuple(parts)) if parts else None


def _opening(issuer: Issuer, request: LetterRequest, dataset: Dataset, refs: _References) -> list[Paragraph]:
    on_behalf = f" on behalf of {request.organisation}" if request.organisation else ""
    where = f" in {_in_country(request.country)}" if request.country else ""
    case = _case(request)
    paragraphs = [
        Paragraph(
            (
                Part(
                    f"I am writing{on_behalf} to ask your mission for support for a human rights defender{where}. "
                    f"I can give {'more' if case else 'the'} details of the case in person, or through a channel "
                    "that is safe for the people concerned."
                ),
            )
        )
    ]
    if case:
        paragraphs.append(case)
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
    owner = dataset.issuers[cast(str, provision.inherited_from)] if status == "inherited" else issuer
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
    measures: list[Measure] = []
    first_trial = next((sid for sid in request.support_type_ids if sid in TRIAL_MEASURES), None)
    for sid, name in zip(request.support_type_ids, names, strict=True):
        again = any(m.status == "none" for m in measures)
        status, parts = _foreseen(issuer, dataset.provision(issuer.id, sid), dataset, refs, again)
        facts = _trial_facts(request) if sid == first_trial else []
        facts += _detention_facts(request) if sid in DETENTION_MEASURES else []
        measures.append(Measure(sid, name, status, Paragraph((*parts, *_spaced(facts)))))
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
