"""What every action sheet shares: the catalogue of its language, its sources, and the parts it is made of.

Each sheet is built in two steps so both can be tested: a data builder (one module per
sheet) turns the dataset into a plain dict, every fact with its source and unknown shown
as unknown, and Typst lays it out. Labels are translated with the site's own gettext
catalogues (``amparo/locale``), read with the standard library. No Django here.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from amparo.guidelines.model import (
    DEFAULT_LANGUAGE,
    Citation,
    Dataset,
    GuidanceItem,
    Issuer,
    Note,
    Source,
    Text,
)

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
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


def source_key(source_id: str) -> tuple:
    """``S2`` before ``S13`` before ``S29a``: sources sorted as a reader counts them."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", source_id) if p)


class Cited:
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
        return ", ".join(sorted(ids, key=source_key))

    def section(self, language: str, locators: bool = True) -> list[dict[str, Any]]:
        return [
            {
                "id": source.id,
                "label": source.label.get(language),
                "locators": cited_at if locators else [],
                "urls": list(source.urls),
            }
            for source, cited_at in sorted(self.found.values(), key=lambda item: source_key(item[0].id))
        ]


def paragraphs(text: Text | None, language: str) -> list[str]:
    """Dataset paragraphs (separated by a blank line) as a list, so Typst sets each as a paragraph."""
    if text is None:
        return []
    return [p.strip() for p in text.get(language).split("\n\n") if p.strip()]


def text_or_none(text: Text | None, language: str) -> str | None:
    return text.get(language) if text else None


def note_data(note: Note, language: str, cited: Cited) -> dict[str, Any]:
    return {
        "text": note.text.get(language),
        "refs": cited.ref(note.citations),
        "uncertain": text_or_none(note.uncertain, language),
    }


def guidance_data(item: GuidanceItem, language: str, cited: Cited) -> dict[str, Any]:
    return {
        "title": item.title.get(language),
        "body": paragraphs(item.body, language),
        "refs": cited.ref(item.citations),
        "uncertain": text_or_none(item.uncertain, language),
        # Where other sources nuance the action sheet, both are shown, each with its sources.
        "nuances": [{"text": n.text.get(language), "refs": cited.ref(n.citations)} for n in item.nuances],
    }


def guidance_items(dataset: Dataset, ids: Iterable[str], language: str, cited: Cited) -> list[dict[str, Any]]:
    return [guidance_data(dataset.guidance[i], language, cited) for i in ids if i in dataset.guidance]


def common(dataset: Dataset, language: str, title: str) -> dict[str, Any]:
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
