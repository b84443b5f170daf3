"""Composing the letter: the paragraphs a request becomes, each claim cited to the dataset.

The addressee, the guideline(s) by official title and year, each requested measure with
the provision that foresees it, and what the writer asks about contact, confidentiality
and public action. Every sentence about what a guideline foresees carries numbered
references to the dataset's citations; nothing is guessed (an unknown year is left out).

Every sentence is a whole message of the site's catalogues, written in the letter's
language (:mod:`.language`): titles stay in their official language, measure names and
source labels come from the dataset in the letter's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from amparo.documents.letter.language import Words, country_in_text, issuer_forms
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
from amparo.guidelines.countries import localized_country_name
from amparo.guidelines.model import Citation, Dataset, Guideline, Issuer, Mission, Provision
from amparo.labels import LETTER_CONSENT_TEXT, LETTER_MISSION_NAMES
from amparo.navigator.rules import get_rules

GUIDANCE_NOT_LISTED = "support-not-listed"
# The ISHR action sheet's statement that EU member States without guidelines of their own act on the EU's.
MEMBERS_LOCATOR = "How to obtain diplomatic support: support without national guidelines"
# The measures that the facts of a hearing, or of a detention, belong with.
TRIAL_MEASURES = ("trial-observation", "principled-trial-observation")
DETENTION_MEASURES = ("detention-visit",)
# A mission by its kind, in the addressee (the EU's are all "Delegation of the European Union").


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
    """The issuer's name as it reads in an English sentence: "Canada", "the United States"."""
    name = issuer_forms(issuer, "en")["issuer"]
    return name[:1].upper() + name[1:] if capital else name


def _capital(text: str) -> str:
    """A sentence that begins with a name: its first letter in capitals ("The United States' guidelines")."""
    return text[:1].upper() + text[1:]


def _titled(guideline: Guideline, _: Words) -> str:
    return _.quoted(guideline.title, guideline.year)


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


def _place(mission: Mission, _: Words) -> str:
    """Where a mission is: "Manila, Philippines" (the country in the letter's language)."""
    host = localized_country_name(mission.country, _.language) if mission.country else mission.country_label
    # Translators: where a mission is, in the address of a letter: "Manila, Philippines".
    return _("%(city)s, %(country)s", city=mission.city, country=host) if mission.city else host


def _addressee(issuer: Issuer, mission: Mission | None, _: Words) -> tuple[str, ...]:
    if issuer.id == "EU":
        delegation = _("Delegation of the European Union")
        return (delegation,) if mission is None else (delegation, _place(mission, _))
    forms = issuer_forms(issuer, _.language)
    if mission is None:
        return (_(LETTER_MISSION_NAMES["embassy"], **forms),)
    if mission.kind in LETTER_MISSION_NAMES:
        name = _(LETTER_MISSION_NAMES[mission.kind], **forms)
    else:  # a kind the letter has no words for: as the data names it
        name = f"{mission.kind[:1].upper()}{mission.kind[1:]} {forms['of_issuer']}"
    return (name, _place(mission, _))


def _trial_facts(request: LetterRequest, _: Words) -> list[Part]:
    """The hearing the writer told of: the court, the date, or both; nothing when neither is given."""
    when = date_text(request.hearing_date, request.language) if request.hearing_date else ""
    if request.court:
        if when:
            lead = _("The next hearing is on %(date)s, before this court: ", date=when)
        else:
            lead = _("The case is before this court: ")
        return [Part(lead), Part(request.court), _stop(request.court)]
    return [Part(_("The next hearing is on %(date)s.", date=when))] if when else []


def _detention_facts(request: LetterRequest, _: Words) -> list[Part]:
    if not request.detention_place:
        return []
    return [
        Part(_("The defender is held in this place: ")),
        Part(request.detention_place),
        _stop(request.detention_place),
    ]


def _spaced(parts: list[Part]) -> list[Part]:
    """``parts`` as sentences that follow another: a space before the first."""
    return [Part(" " + parts[0].text, parts[0].refs), *parts[1:]] if parts else []


def _case(request: LetterRequest, _: Words) -> Paragraph | None:
    """What happened, and the facts of a hearing or a detention that no requested measure carries."""
    parts: list[Part] = []
    if request.facts:
        parts += [Part(_("In brief, this is what happened: ")), Part(request.facts), _stop(request.facts)]
    if not set(TRIAL_MEASURES) & set(request.support_type_ids):
        parts += _spaced(_trial_facts(request, _)) if parts else _trial_facts(request, _)
    if not set(DETENTION_MEASURES) & set(request.support_type_ids):
        parts += _spaced(_detention_facts(request, _)) if parts else _detention_facts(request, _)
    return Paragraph(tuple(parts)) if parts else None


def _asking(request: LetterRequest, _: Words) -> str:
    """The first sentence: who asks, for whom, and where if the writer names the country."""
    organisation = request.organisation
    country = country_in_text(request.country, request.language) if request.country else ""
    if organisation and country:
        return _(
            "I am writing on behalf of %(organisation)s to ask your mission for support for a human rights "
            "defender in %(country)s.",
            organisation=organisation,
            country=country,
        )
    if organisation:
        return _(
            "I am writing on behalf of %(organisation)s to ask your mission for support for a human rights defender.",
            organisation=organisation,
        )
    if country:
        return _(
            "I am writing to ask your mission for support for a human rights defender in %(country)s.",
            country=country,
        )
    return _("I am writing to ask your mission for support for a human rights defender.")


def _opening(issuer: Issuer, request: LetterRequest, dataset: Dataset, refs: _References, _: Words) -> list[Paragraph]:
    case = _case(request, _)
    if case:
        details = _(
            "I can give more details of the case in person, or through a channel that is safe for the people concerned."
        )
    else:
        details = _(
            "I can give the details of the case in person, or through a channel that is safe for the people concerned."
        )
    paragraphs = [Paragraph((Part(f"{_asking(request, _)} {details}"),))]
    if case:
        paragraphs.append(case)
    forms = issuer_forms(issuer, request.language)
    own = _named(issuer)
    parts: list[Part] = []
    if own:
        if issuer.id == "EU":
            lead = _("I write on the basis of the European Union's guidelines on supporting human rights defenders: ")
        else:
            lead = _(
                # Translators: %(issuer_s)s is whose guidance it is: "Canada's" in English, "de Canadá", "du Canada",
                # "do Canadá" (the same "of" form in every sentence that has it), in Arabic the name alone.
                "I write on the basis of %(issuer_s)s own guidance on supporting human rights defenders: ",
                **forms,
            )
        parts.append(Part(lead))
        for i, guideline in enumerate(own):
            glue = "" if i == 0 else (_.and_ if i == len(own) - 1 else _.comma)
            parts.append(Part(glue + _titled(guideline, _), refs.cite(guideline.citations)))
        parts.append(Part("."))
    eu = _eu_guidelines(dataset)
    if issuer.eu_member and eu:
        titles = _.join([_titled(g, _) for g in eu])
        members = _members_citations(dataset)
        if own or not members:
            if own:
                # Translators: %(issuer)s is the country's name as a noun, with its article where the language needs
                # one ("the Netherlands", "los Países Bajos", "les Pays-Bas"); %(titles)s the EU's guideline titles.
                covered = _(
                    "As a member State of the European Union, %(issuer)s is also covered by the EU Guidelines on "
                    "Human Rights Defenders, %(titles)s",
                    titles=titles,
                    **forms,
                )
            else:
                covered = _(
                    "As a member State of the European Union, %(issuer)s is covered by the EU Guidelines on Human "
                    "Rights Defenders, %(titles)s",
                    titles=titles,
                    **forms,
                )
            parts.append(Part((" " if own else "") + _capital(covered), refs.cite(c for g in eu for c in g.citations)))
        else:
            parts.append(
                Part(
                    _(
                        "Member States of the European Union that have no national guidelines of their own are "
                        "expected to act on the EU Guidelines on Human Rights Defenders"
                    ),
                    refs.cite(members),
                )
            )
            parts.append(
                Part(
                    _(", so I write to you on the basis of %(titles)s", titles=titles),
                    refs.cite(c for g in eu for c in g.citations),
                )
            )
        parts.append(Part("."))
    if not parts:
        parts.append(
            Part(_capital(_("I write on the basis of %(issuer_s)s support for human rights defenders.", **forms)))
        )
    paragraphs.append(Paragraph(tuple(parts)))
    return paragraphs


def _not_named(again: bool, _: Words) -> str:
    if again:
        return _(
            "As far as our sources show, the guidelines that apply to your mission do not name this measure "
            "either; as said above, they are not meant as a complete list"
        )
    return _(
        "As far as our sources show, the guidelines that apply to your mission do not name this measure. "
        "Guidelines are not meant as a complete list, however: no single model of support fits every "
        "situation, and missions can combine and adapt the tools they describe"
    )


def _foreseen(
    issuer: Issuer,
    provision: Provision | None,
    dataset: Dataset,
    refs: _References,
    _: Words,
    again: bool = False,
) -> tuple[str, tuple[Part, ...]]:
    """Status and wording of what foresees one measure for this issuer (``again``: a second unnamed measure)."""
    status = provision.status if provision else "unknown"
    if provision is None or status not in ("explicit", "inherited"):
        item = dataset.guidance.get(GUIDANCE_NOT_LISTED)
        cited = refs.cite(item.citations) if item else ()
        return "none", (Part(_not_named(again, _), cited), Part("."))
    cited = refs.cite(provision.citations)
    owner = dataset.issuers[cast(str, provision.inherited_from)] if status == "inherited" else issuer
    forms = issuer_forms(owner, _.language)
    guideline = next((g for g in owner.guidelines if g.id == provision.guideline_id), None)
    if guideline is not None and guideline.public is True:
        title = _titled(guideline, _)
        if status == "inherited":
            text = _("The EU Guidelines, %(title)s, provide for this measure", title=title)
        else:
            text = _("%(issuer_s)s guidelines, %(title)s, provide for this measure", title=title, **forms)
    else:
        text = _("%(issuer_s)s support for human rights defenders includes this measure", **forms)
    parts = [Part(_capital(text), cited), Part(".")]
    if provision.nuances:
        parts.append(
            Part(" " + _("Other sources qualify this"), refs.cite(c for n in provision.nuances for c in n.citations))
        )
        parts.append(Part("."))
    if provision.uncertain:
        parts.append(Part(" " + _("Our sources leave some doubt on this point.")))
    return status, tuple(parts)


def _measures_section(
    issuer: Issuer, request: LetterRequest, dataset: Dataset, refs: _References, _: Words
) -> tuple[Section, list[str]]:
    names = [dataset.support_types[sid].name.get(request.language) for sid in request.support_type_ids]
    if len(names) > 1:
        intro = _(
            "I ask your mission to consider the support below, and note what foresees each; the numbers refer to "
            "the sources listed at the end of this letter."
        )
    else:
        intro = _(
            "I ask your mission to consider the measure below, and note what foresees it; the numbers refer to "
            "the sources listed at the end of this letter."
        )
    measures: list[Measure] = []
    first_trial = next((sid for sid in request.support_type_ids if sid in TRIAL_MEASURES), None)
    for sid, name in zip(request.support_type_ids, names, strict=True):
        again = any(m.status == "none" for m in measures)
        status, parts = _foreseen(issuer, dataset.provision(issuer.id, sid), dataset, refs, _, again)
        facts = _trial_facts(request, _) if sid == first_trial else []
        facts += _detention_facts(request, _) if sid in DETENTION_MEASURES else []
        measures.append(Measure(sid, name, status, Paragraph((*parts, *_spaced(facts)))))
    accepted = get_rules(dataset).exposure[request.public_consent]
    visible = [
        name
        for sid, name in zip(request.support_type_ids, names, strict=True)
        if dataset.support_types[sid].visibility not in accepted
    ]
    return Section(_("What I ask for"), (Paragraph((Part(intro),)),), tuple(measures)), visible


# In English; the letter says them in its own language.


def _stop(text: str, after: str = "") -> Part:
    """The full stop a sentence ending in typed text needs, unless the text has one."""
    return Part(("" if text.rstrip().endswith((".", "!", "?", "…", "。", "؟")) else ".") + after)


def _security_section(request: LetterRequest, visible: list[str], _: Words) -> Section:
    paragraphs = []
    if request.contact:
        paragraphs.append(
            Paragraph(
                (Part(_("Please get in touch only in this way: ")), Part(request.contact), _stop(request.contact))
            )
        )
    else:
        paragraphs.append(Paragraph((Part(_("Please reply through the channel by which this letter reached you.")),)))
    confidential = [
        Part(
            _(
                "Please do not share this letter, or the names and details in it, outside your mission "
                "without my prior agreement."
            )
        )
    ]
    if request.confidential:
        confidential = [
            Part(_("The following must stay confidential: ")),
            Part(request.confidential),
            _stop(request.confidential, " "),
            *confidential,
        ]
    paragraphs.append(Paragraph(tuple(confidential)))
    consent = [Part(_(LETTER_CONSENT_TEXT[request.public_consent]))]
    if visible:
        further = _(
            "Some of the support I ask for goes further than this (%(measures)s): please discuss it with me "
            "before taking any such step.",
            measures=_.join(visible),
        )
        consent.append(Part(" " + further))
    paragraphs.append(Paragraph(tuple(consent)))
    return Section(_("Security and confidentiality"), tuple(paragraphs))


def _follow_up_section(request: LetterRequest, _: Words) -> Section:
    if request.follow_up:
        first = Paragraph((Part(_("As a next step, I propose: ")), Part(request.follow_up), _stop(request.follow_up)))
    else:
        first = Paragraph((Part(_("I would be grateful for a reply, and I am ready to discuss this request.")),))
    thanks = Paragraph((Part(_("Thank you for your attention to this request.")),))
    return Section(_("Follow-up"), (first, thanks))


def build_letter(request: LetterRequest, dataset: Dataset) -> Letter:
    """The letter for ``request``: same request and dataset, same letter, on every interface."""
    _ = Words(request.language)
    issuer = dataset.issuers[request.issuer_id]
    mission = next((m for m in dataset.missions_of(issuer.id) if m.id == request.mission_id), None)
    refs = _References(request.language)
    opening = Section(None, tuple(_opening(issuer, request, dataset, refs, _)))
    measures, visible = _measures_section(issuer, request, dataset, refs, _)
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
        addressee=_addressee(issuer, mission, _),
        subject=_("Request for support for a human rights defender"),
        salutation=_("Dear Sir or Madam,"),
        sections=(
            opening,
            measures,
            _security_section(request, visible, _),
            _follow_up_section(request, _),
        ),
        closing=_("Yours faithfully,"),
        signature=tuple(line for line in (request.sender, request.organisation) if line),
        guidelines=guidelines,
        references=tuple(refs.items.values()),
        note=_("References compiled from the Amparo dataset, edition %(edition)s.", edition=dataset.edition.edition),
    )
