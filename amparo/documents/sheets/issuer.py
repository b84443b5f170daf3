"""The action sheet of one issuer: its guidelines, what they foresee, its programmes and missions."""

from __future__ import annotations

from typing import Any

from amparo.documents.sheets.common import (
    APPROACH_ITEMS,
    CAUTION_ITEMS,
    NO_GUIDELINE_ITEM,
    Cited,
    Words,
    common,
    find_issuer,
    finish,
    guidance_items,
    note_data,
)
from amparo.documents.typst import compile_pdf
from amparo.guidelines.countries import localized_country_name
from amparo.guidelines.missions import DELEGATION_ISSUER
from amparo.guidelines.model import DEFAULT_LANGUAGE, Dataset, DelegationsSource, Issuer, Programme, Provision
from amparo.labels import (
    DELEGATION_STATUSES,
    MISSION_KINDS,
    POLICY_LABELS,
    PUBLIC_LABELS,
    STATUS_LABELS,
    STATUS_SHORT,
    STATUS_SYMBOLS,
)


def _guideline_rows(issuer: Issuer, words: Words, cited: Cited) -> list[dict[str, Any]]:
    _ = words.gettext
    rows = []
    for g in issuer.guidelines:
        public = _(PUBLIC_LABELS[g.public])
        rows.append(
            {
                "title": words.ltr(g.title),  # the official title, as the document gives it
                "year": str(g.year) if g.year is not None else _("not known"),
                "public": public,
                "url": g.url,
                "languages": words.language_names(g.languages) if g.languages else _("not known"),
                "revisions": [
                    {
                        "text": words.labelled(
                            _("Revision") + " " + (str(r.year) if r.year is not None else _("year not known")),
                            words(r.note),
                        ),
                        "refs": cited.ref(r.citations),
                    }
                    for r in g.revisions
                ],
                "note": words.optional(g.note),
                "uncertain": words.optional(g.uncertain),
                "refs": cited.ref(g.citations),
            }
        )
    return rows


def _provision_row(dataset: Dataset, provision: Provision, words: Words, cited: Cited) -> dict[str, Any]:
    _ = words.gettext
    support_type = dataset.support_types[provision.support_type_id]
    note = words.optional(provision.note)
    if provision.status == "inherited" and provision.inherited_from:
        # An inherited provision has no note of its own: show what the issuer it comes from says, marked as such.
        origin = dataset.provision(provision.inherited_from, provision.support_type_id)
        if origin is not None and origin.note is not None:
            note = words.labelled(_("The EU guidelines"), words(origin.note))
    return {
        "name": words(support_type.name),
        "status": provision.status,
        "symbol": STATUS_SYMBOLS[provision.status],
        "status_label": _(STATUS_LABELS[provision.status]),
        "status_short": _(STATUS_SHORT[provision.status]),
        "note": note,
        "refs": cited.ref(provision.citations),
        "nuances": [note_data(n, words, cited) for n in provision.nuances],
        "uncertain": words.optional(provision.uncertain),
    }


def _missions(dataset: Dataset, issuer: Issuer, words: Words) -> list[str]:
    """What the missions data says about where this issuer is present, and what its silence means."""
    _ = words.gettext
    source = dataset.missions_source
    date = words.date(source.as_of)
    if issuer.id == DELEGATION_ISSUER and dataset.delegations_source is not None:
        return _delegations(dataset, dataset.delegations_source, issuer, words)
    if not issuer.has_mission_data:
        return [_("Not known from the missions data we hold.")]
    missions = dataset.missions_of(issuer.id)
    honorary = sum(1 for m in missions if m.honorary)
    return [
        _(
            "%(count)s embassies, high commissions and consulates, and %(honorary)s "
            "honorary consulates, are known from the data as of %(date)s."
        )
        % {"count": len(missions) - honorary, "honorary": honorary, "date": date},
        _(
            "Missions data: %(attribution)s (%(licence)s), as of %(date)s. A mission missing from it is "
            "not known, which does not mean there is none. The site lists them by country."
        )
        % {"attribution": words.ltr(source.attribution), "licence": source.licence, "date": date},
    ]


def _delegations(dataset: Dataset, source: DelegationsSource, issuer: Issuer, words: Words) -> list[str]:
    """The EU's Delegations in our partial list, those a reader must be warned about, and where to look for the rest."""
    _ = words.gettext
    delegations = dataset.missions_of(issuer.id)
    lines = [
        _(
            "%(count)s EU Delegations and offices are in our list. The list is partial (the EU has about 140), "
            "built by hand from the pages it cites: a country it lacks means not known, not that there is no "
            "Delegation. For the others, see the EEAS on its Delegations: %(url)s"
        )
        % {"count": len(delegations), "url": words.ltr(source.directory.urls[0])}
    ]
    for mission in delegations:
        if mission.caveat is None or mission.caveat.status is None:
            continue
        country = localized_country_name(mission.country or "", words.language)
        place = f"{mission.city} ({country})" if mission.city else country
        what = words.labelled(
            words.join((_(MISSION_KINDS[mission.kind]), place)), _(DELEGATION_STATUSES[mission.caveat.status])
        )
        lines.append(f"{what}. {words(mission.caveat.note)} ({source.source.id})")
    return lines


def _programme(programme: Programme, words: Words, cited: Cited) -> dict[str, Any]:
    return {
        "name": words(programme.name),
        "operator": words(programme.operator),
        "description": words.paragraphs(programme.description),
        "how_to_reach": words.optional(programme.how_to_reach),
        "url": programme.url,
        "emergency": programme.emergency,
        "uncertain": words.optional(programme.uncertain),
        "refs": cited.ref(programme.citations),
    }


def issuer_sheet_data(dataset: Dataset, issuer_id: str, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """Everything the issuer's action sheet shows, as plain data; raises :class:`UnknownIssuerError`."""
    words = Words(language)
    _ = words.gettext
    issuer = find_issuer(dataset, issuer_id)
    cited = Cited(words)
    name = words(issuer.name)
    data = common(dataset, words, _("Action sheet: %(name)s") % {"name": name})
    provisions = {p.support_type_id: p for p in dataset.provisions_of(issuer.id)}
    categories = []
    for category in dataset.categories:
        rows = [
            _provision_row(dataset, provisions[s], words, cited)
            for s in (s for g in category.groups for s in g.support_type_ids)
            if s in provisions
        ]
        notes = [
            {"text": words(cp.note), "refs": cited.ref(cp.citations)}
            for cp in issuer.category_provisions
            if cp.category_id == category.id
        ]
        categories.append({"name": words(category.name), "rows": rows, "notes": notes})
    eu = dataset.issuers.get("EU")
    inherits = issuer.eu_member and eu is not None
    approach_ids = APPROACH_ITEMS + ((NO_GUIDELINE_ITEM,) if not issuer.guidelines else ())
    data.update(
        {
            "issuer": {
                "id": issuer.id,
                "name": name,
                "policy": _(POLICY_LABELS.get(issuer.policy, issuer.policy)),
                "eu_member": _("EU member State") if issuer.eu_member else None,
                "summary": words.paragraphs(issuer.summary),
            },
            "guidelines": _guideline_rows(issuer, words, cited),
            "no_guidelines": _("No document found in the sources we hold."),
            "inherits": {
                "text": _(
                    "As an EU member State, its missions are expected to act on the EU "
                    "guidelines; support those guidelines foresee is shown below as “through the EU guidelines”."
                ),
                "documents": [
                    f"{words.ltr(g.title)} ({g.year if g.year is not None else _('not known')})" for g in eu.guidelines
                ],
            }
            if inherits
            else None,
            "categories": categories,
            "nothing_known": _("Nothing known from the sources we hold."),
            "unknown_note": _(
                "A support type that is not listed is not known from the sources we hold: ask the mission."
            ),
            "programmes": [_programme(p, words, cited) for p in dataset.programmes_of(issuer.id)],
            "approach": guidance_items(dataset, approach_ids, words, cited),
            "missions": _missions(dataset, issuer, words),
            "caveats": [note_data(n, words, cited) for n in issuer.caveats],
            "cautions": guidance_items(dataset, CAUTION_ITEMS, words, cited),
            "verified": _("Last verified against its sources on %(date)s.")
            % {"date": words.date(issuer.last_verified)},
        }
    )
    data["labels"].update(
        {
            "documents": _("Guidelines and policy documents"),
            "year": _("Year:"),
            "languages": _("Languages:"),
            "link": _("Link:"),
            "not_known": _("not known"),
            "foresees": _("What it foresees"),
            "support": _("Support"),
            "status": _("Status"),
            "says": _("What the sources say"),
            "legend": "  ".join(
                f"{STATUS_SYMBOLS[s]} {_(STATUS_LABELS[s])}" for s in ("explicit", "inherited", "not_stated")
            ),
            "programmes": _("Programmes"),
            "emergency": _("Emergency help"),
            "operator": _("Run by:"),
            "reach": _("How to reach it:"),
            "approach": _("How to approach its missions"),
            "missions": _("Missions"),
            "cautions": _("Before you ask: cautions"),
            "caveats": _("Caveats"),
        }
    )
    return finish(data, dataset, words, cited)


def issuer_sheet_pdf(dataset: Dataset, issuer_id: str, language: str = DEFAULT_LANGUAGE) -> bytes:
    """The issuer's action sheet as a PDF (A4, two to four pages)."""
    return compile_pdf("sheet", issuer_sheet_data(dataset, issuer_id, language))
