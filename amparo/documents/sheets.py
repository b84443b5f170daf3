"""Printable action sheets: one per issuer, a general one, and the comparison matrix.

A defender often needs paper: to take into a meeting at an embassy, to share with a
community that has no safe internet. Each sheet is built in two steps so both can be
tested: a *data builder* turns the dataset into a plain dict (every fact with its
source, unknown shown as unknown), and Typst lays it out. Text reaches Typst only as
JSON data, never as markup, so nothing in the dataset can run Typst code.

No Django here: the CLI and the site call the same functions.
Labels are translated with the site's own gettext catalogues (``amparo/locale``), read
with the standard library, so a label the site already translates is translated here too.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from amparo.documents.typst import compile_pdf
from amparo.guidelines.model import (
    DEFAULT_LANGUAGE,
    Citation,
    Dataset,
    GuidanceItem,
    Issuer,
    Note,
    Programme,
    Provision,
    Source,
    Text,
)
from amparo.labels import POLICY_LABELS, STATUS_LABELS, STATUS_SHORT, STATUS_SYMBOLS

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES: tuple[str, ...] = (
    DEFAULT_LANGUAGE,
    *sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/django.mo")),
)

# Guidance items that make up "how to approach its missions" and "cautions", by id.
# An id missing from the dataset is left out (the tests name the ones that must be there).
APPROACH_ITEMS = ("engage-early", "state-your-needs", "be-clear-and-cooperative", "digital-security-with-diplomats")
NO_GUIDELINE_ITEM = "no-national-guidelines"  # for issuers without guidelines of their own
CAUTION_ITEMS = ("support-can-raise-risk", "do-no-harm", "manage-expectations")
DEFENDER_ITEM = "am-i-a-defender"


class UnknownIssuerError(LookupError):
    """Asked for a sheet of an issuer the dataset does not have."""

    def __init__(self, issuer_id: str, known: Iterable[str]):
        self.issuer_id = issuer_id
        self.known = tuple(sorted(known))
        super().__init__(f"unknown issuer {issuer_id!r}")


@cache
def translator(language: str) -> Callable[[str], str]:
    """``gettext`` for one language from the site's catalogues; English (the msgids) when there is none."""
    return gettext.translation("django", LOCALE_DIR, languages=[language], fallback=True).gettext


def filename(kind: str, language: str, issuer_id: str | None = None) -> str:
    """The file name of a sheet, the same from the CLI and the site: ``sheet-CA-en.pdf``, ``matrix-en.pdf``."""
    if kind == "issuer":
        return f"sheet-{issuer_id}-{language}.pdf"
    return f"{'sheet-general' if kind == 'general' else 'matrix'}-{language}.pdf"


def find_issuer(dataset: Dataset, issuer_id: str) -> Issuer:
    """The issuer with this id, case-insensitive as on the site (``ca`` finds ``CA``)."""
    issuer = dataset.issuers.get(issuer_id) or dataset.issuers.get(issuer_id.upper())
    if issuer is None:
        raise UnknownIssuerError(issuer_id, dataset.issuers)
    return issuer


def _source_key(source_id: str) -> tuple:
    """``S2`` before ``S13`` before ``S29a``: sources sorted as a reader counts them."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", source_id) if p)


class _Cited:
    """The sources one sheet cites, and where in them, for its Sources section."""

    def __init__(self) -> None:
        self.found: dict[str, tuple[Source, list[str]]] = {}

    def _remember(self, citation: Citation) -> None:
        _source, locators = self.found.setdefault(citation.source.id, (citation.source, []))
        if citation.locator and citation.locator not in locators:
            locators.append(citation.locator)

    def ref(self, citations: Iterable[Citation]) -> str:
        """A short reference for the text (``S0 (section); S29d``), remembered for the Sources section."""
        parts = []
        for citation in citations:
            self._remember(citation)
            parts.append(citation.source.id + (f" ({citation.locator})" if citation.locator else ""))
        return "; ".join(dict.fromkeys(parts))

    def ids(self, citations: Iterable[Citation]) -> str:
        """Source ids only (``S0, S2, S13``), where there is no room for locators; the Sources section has them."""
        ids = set()
        for citation in citations:
            self._remember(citation)
            ids.add(citation.source.id)
        return ", ".join(sorted(ids, key=_source_key))

    def section(self, language: str, locators: bool = True) -> list[dict[str, Any]]:
        return [
            {
                "id": source.id,
                "label": source.label.get(language),
                "locators": cited_at if locators else [],
                "urls": list(source.urls),
            }
            for source, cited_at in sorted(self.found.values(), key=lambda item: _source_key(item[0].id))
        ]


def _paragraphs(text: Text | None, language: str) -> list[str]:
    """Dataset paragraphs (separated by a blank line) as a list, so Typst sets each as a paragraph."""
    if text is None:
        return []
    return [p.strip() for p in text.get(language).split("\n\n") if p.strip()]


def _get(text: Text | None, language: str) -> str | None:
    return text.get(language) if text else None


def _note(note: Note, language: str, cited: _Cited) -> dict[str, Any]:
    return {
        "text": note.text.get(language),
        "refs": cited.ref(note.citations),
        "uncertain": _get(note.uncertain, language),
    }


def _guidance(item: GuidanceItem, language: str, cited: _Cited) -> dict[str, Any]:
    return {
        "title": item.title.get(language),
        "body": _paragraphs(item.body, language),
        "refs": cited.ref(item.citations),
        "uncertain": _get(item.uncertain, language),
        # Where other sources nuance the action sheet, both are shown, each with its sources.
        "nuances": [{"text": n.text.get(language), "refs": cited.ref(n.citations)} for n in item.nuances],
    }


def _guidance_items(dataset: Dataset, ids: Iterable[str], language: str, cited: _Cited) -> list[dict[str, Any]]:
    return [_guidance(dataset.guidance[i], language, cited) for i in ids if i in dataset.guidance]


def _common(dataset: Dataset, language: str, title: str) -> dict[str, Any]:
    """What every sheet carries: language, title, labels, edition, date and footer."""
    _ = translator(language)
    edition = dataset.edition
    published = edition.published
    return {
        "lang": language,
        "title": title,
        "date": {"year": published.year, "month": published.month, "day": published.day},
        "edition": _("Dataset edition %(edition)s.") % {"edition": edition.edition},
        "licence": _("The data are open, under the %(name)s licence; they cite their sources so you can check them.")
        % {"name": edition.licence_name},
        # Dataset texts exist in every language of edition.languages; in any other they may fall back
        # to English, and are then set as English (left to right, English hyphenation) in a page of
        # the sheet's language.
        "content_lang": language if language in edition.languages else DEFAULT_LANGUAGE,
        "fallback": None
        if language in edition.languages
        else _("The guideline texts are not translated yet: they are shown in English."),
        "footer": f"Amparo · {title}",
        "page": _("Page %(page)s of %(total)s") % {"page": "{page}", "total": "{total}"},
        "labels": {
            "source": _("Source:"),
            "sources": _("Sources"),
            "uncertain": _("Uncertain:"),
            "cited_at": _("Cited at:"),
        },
    }


# Issuer sheet -------------------------------------------------------------------


def _guideline_rows(issuer: Issuer, language: str, cited: _Cited) -> list[dict[str, Any]]:
    _ = translator(language)
    rows = []
    for g in issuer.guidelines:
        public = _("Not known") if g.public is None else _("Public") if g.public else _("Not public")
        rows.append(
            {
                "title": g.title,
                "year": str(g.year) if g.year is not None else _("not known"),
                "public": public,
                "url": g.url,
                "languages": ", ".join(g.languages) if g.languages else _("not known"),
                "revisions": [
                    {
                        "year": str(r.year) if r.year is not None else _("year not known"),
                        "note": r.note.get(language),
                        "refs": cited.ref(r.citations),
                    }
                    for r in g.revisions
                ],
                "note": _get(g.note, language),
                "uncertain": _get(g.uncertain, language),
                "refs": cited.ref(g.citations),
            }
        )
    return rows


def _provision_row(dataset: Dataset, provision: Provision, language: str, cited: _Cited) -> dict[str, Any]:
    _ = translator(language)
    support_type = dataset.support_types[provision.support_type_id]
    note = _get(provision.note, language)
    if provision.status == "inherited" and provision.inherited_from:
        # An inherited provision has no note of its own: show what the issuer it comes from says, marked as such.
        origin = dataset.provision(provision.inherited_from, provision.support_type_id)
        if origin is not None and origin.note is not None:
            note = _("The EU guidelines") + ": " + origin.note.get(language)
    return {
        "name": support_type.name.get(language),
        "status": provision.status,
        "symbol": STATUS_SYMBOLS[provision.status],
        "status_label": _(STATUS_LABELS[provision.status]),
        "status_short": _(STATUS_SHORT[provision.status]),
        "note": note,
        "refs": cited.ref(provision.citations),
        "nuances": [_note(n, language, cited) for n in provision.nuances],
        "uncertain": _get(provision.uncertain, language),
    }


def _missions(dataset: Dataset, issuer: Issuer, language: str) -> list[str]:
    """What the missions data says about where this issuer is present, and what its silence means."""
    _ = translator(language)
    source = dataset.missions_source
    date = source.as_of.isoformat()
    if not issuer.has_mission_data:
        if issuer.id == "EU":
            return [
                _("EU Delegations are not in the missions data we hold, so where the EU is present is not known here.")
            ]
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
        % {"attribution": source.attribution, "licence": source.licence, "date": date},
    ]


def _programme(programme: Programme, language: str, cited: _Cited) -> dict[str, Any]:
    return {
        "name": programme.name.get(language),
        "operator": programme.operator.get(language),
        "description": _paragraphs(programme.description, language),
        "how_to_reach": _get(programme.how_to_reach, language),
        "url": programme.url,
        "emergency": programme.emergency,
        "uncertain": _get(programme.uncertain, language),
        "refs": cited.ref(programme.citations),
    }


def issuer_sheet_data(dataset: Dataset, issuer_id: str, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """Everything the issuer's action sheet shows, as plain data; raises :class:`UnknownIssuerError`."""
    _ = translator(language)
    issuer = find_issuer(dataset, issuer_id)
    cited = _Cited()
    name = issuer.name.get(language)
    data = _common(dataset, language, _("Action sheet: %(name)s") % {"name": name})
    provisions = {p.support_type_id: p for p in dataset.provisions_of(issuer.id)}
    categories = []
    for category in dataset.categories:
        rows = [
            _provision_row(dataset, provisions[s], language, cited)
            for s in (s for g in category.groups for s in g.support_type_ids)
            if s in provisions
        ]
        notes = [
            {"text": cp.note.get(language), "refs": cited.ref(cp.citations)}
            for cp in issuer.category_provisions
            if cp.category_id == category.id
        ]
        categories.append({"name": category.name.get(language), "rows": rows, "notes": notes})
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
                "summary": _paragraphs(issuer.summary, language),
            },
            "guidelines": _guideline_rows(issuer, language, cited),
            "no_guidelines": _("No document found in the sources we hold."),
            "inherits": {
                "text": _(
                    "As an EU member State, its missions are expected to act on the EU "
                    "guidelines; support those guidelines foresee is shown below as inherited."
                ),
                "documents": [f"{g.title} ({g.year if g.year is not None else _('not known')})" for g in eu.guidelines],
            }
            if inherits
            else None,
            "categories": categories,
            "nothing_known": _("Nothing known from the sources we hold."),
            "unknown_note": _(
                "A support type that is not listed is not known from the sources we hold: ask the mission."
            ),
            "programmes": [_programme(p, language, cited) for p in dataset.programmes_of(issuer.id)],
            "approach": _guidance_items(dataset, approach_ids, language, cited),
            "missions": _missions(dataset, issuer, language),
            "caveats": [_note(n, language, cited) for n in issuer.caveats],
            "cautions": _guidance_items(dataset, CAUTION_ITEMS, language, cited),
            "verified": _("Last verified against its sources on %(date)s.")
            % {"date": issuer.last_verified.isoformat()},
        }
    )
    data["labels"].update(
        {
            "documents": _("Guidelines and policy documents"),
            "year": _("Year:"),
            "languages": _("Languages:"),
            "link": _("Link:"),
            "not_known": _("not known"),
            "revision": _("Revision"),
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
    data["sources"] = cited.section(language)
    return data


def issuer_sheet_pdf(dataset: Dataset, issuer_id: str, language: str = DEFAULT_LANGUAGE) -> bytes:
    """The issuer's action sheet as a PDF (A4, two to four pages)."""
    return compile_pdf("sheet", issuer_sheet_data(dataset, issuer_id, language))


# General sheet --------------------------------------------------------------------


def general_sheet_data(dataset: Dataset, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """What diplomatic support is, who is a defender, the ten things and the questions, with sources."""
    _ = translator(language)
    cited = _Cited()
    data = _common(dataset, language, _("Diplomatic support for human rights defenders"))
    categories = []
    for category in dataset.categories:
        support_types = dataset.support_types_in(category.id)
        categories.append(
            {
                "name": category.name.get(language),
                "description": category.description.get(language),
                "groups": [
                    {
                        "name": group.name.get(language),
                        "support_types": [dataset.support_types[s].name.get(language) for s in group.support_type_ids],
                    }
                    for group in category.groups
                ],
                # A category has no citation of its own: it is cited through the measures it groups.
                "refs": cited.ids(c for s in support_types for c in s.citations),
            }
        )
    verified = max((g.last_verified for g in dataset.guidance.values()), default=dataset.edition.published)
    data.update(
        {
            "intro": _(
                "Some States and the EU have written guidelines that tell their embassies how "
                "to support people who defend human rights. Amparo shows, with a source for "
                "every line, what each guideline foresees, so you can ask the right mission "
                "for the right support, safely."
            ),
            "categories": categories,
            "defender": _guidance_items(dataset, (DEFENDER_ITEM,), language, cited),
            "ten_things": [_guidance(g, language, cited) for g in dataset.guidance_of_kind("ten_things")],
            "questions": [
                _guidance(g, language, cited) for g in dataset.guidance_of_kind("qa") if g.id != DEFENDER_ITEM
            ],
            "verified": _("Last verified against its sources on %(date)s.") % {"date": verified.isoformat()},
        }
    )
    data["labels"].update(
        {
            "what": _("What diplomatic support is"),
            "defender": _("Who is a human rights defender"),
            "ten_things": _("Ten things to keep in mind"),
            "questions": _("Questions and answers"),
        }
    )
    data["sources"] = cited.section(language)
    return data


def general_sheet_pdf(dataset: Dataset, language: str = DEFAULT_LANGUAGE) -> bytes:
    return compile_pdf("general", general_sheet_data(dataset, language))


# Matrix -----------------------------------------------------------------------------


def _verified(issuers: Iterable[Issuer], language: str) -> str:
    _ = translator(language)
    dates = sorted({i.last_verified for i in issuers})
    if len(dates) == 1:
        return _("Last verified against its sources on %(date)s.") % {"date": dates[0].isoformat()}
    return _("Last verified against their sources between %(first)s and %(last)s.") % {
        "first": dates[0].isoformat(),
        "last": dates[-1].isoformat(),
    }


def matrix_data(dataset: Dataset, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """Issuers × support types, numbered columns with a legend, and the sources behind each row."""
    _ = translator(language)
    cited = _Cited()
    data = _common(dataset, language, _("Which support each issuer's guidelines foresee"))
    groups, columns = [], []
    for category in dataset.categories:
        ids = [s for g in category.groups for s in g.support_type_ids]
        groups.append({"name": category.name.get(language), "span": len(ids), "first": len(columns) + 1})
        columns += [
            {"number": len(columns) + n, "name": dataset.support_types[s].name.get(language), "id": s}
            for n, s in enumerate(ids, start=1)
        ]
    rows = []
    for issuer in dataset.issuers_sorted():
        name = issuer.name.get(language)
        statuses = [dataset.status(issuer.id, c["id"]) for c in columns]
        rows.append(
            {
                "id": issuer.id,
                "name": name if name.endswith(f"({issuer.id})") else f"{name} ({issuer.id})",
                "cells": [STATUS_SYMBOLS[s] for s in statuses],
                "statuses": statuses,
                "refs": cited.ids(c for p in dataset.provisions_of(issuer.id) for c in p.citations),
            }
        )
    data.update(
        {
            "groups": groups,
            "columns": columns,
            "rows": rows,
            "legend": [
                {"symbol": STATUS_SYMBOLS[s], "label": _(STATUS_LABELS[s]), "status": s}
                for s in ("explicit", "inherited", "not_stated", "unknown")
            ],
            "verified": _verified(dataset.issuers.values(), language),
            "explain": _(
                "Inherited: an EU member State whose missions are expected to act on the EU guidelines; "
                "its sources are the EU's. Not known: no source we hold speaks of it, which does not mean "
                "the mission will not help. Each issuer's action sheet gives the source of every mark."
            ),
        }
    )
    data["labels"].update(
        {
            "issuer": _("Issuer"),
            "columns": _("Columns"),
            "legend": _("Legend"),
            "row_sources": _("Sources of each row"),
            "none": _("none"),
        }
    )
    # Every locator of every provision would fill pages; the issuer sheets give them.
    data["sources"] = cited.section(language, locators=False)
    return data


def matrix_pdf(dataset: Dataset, language: str = DEFAULT_LANGUAGE) -> bytes:
    """The matrix as an A4 landscape PDF."""
    return compile_pdf("matrix", matrix_data(dataset, language))
