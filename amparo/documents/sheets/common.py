"""What every action sheet shares: the words of its language, its sources, and the parts it is made of.

Each sheet is built in two steps so both can be tested: a data builder (one module per
sheet) turns the dataset into a plain dict, every fact with its source and unknown shown
as unknown, and Typst lays it out. The sheet's own words come from the site's gettext
catalogues (``amparo/locale``), read with the standard library; the dataset's texts from
its translations, a text missing in the language shown in English and marked so
(:class:`Words`). No Django here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
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
from amparo.guidelines.words import Words as SiteWords
from amparo.guidelines.words import catalogue, interface_state
from amparo.labels import LANGUAGE_NAMES

# Guidance items that make up "how to approach its missions" and "cautions", by id.
# An id missing from the dataset is left out (the tests name the ones that must be there).
APPROACH_ITEMS = ("engage-early", "state-your-needs", "be-clear-and-cooperative", "digital-security-with-diplomats")
NO_GUIDELINE_ITEM = "no-national-guidelines"  # for issuers without guidelines of their own
CAUTION_ITEMS = ("support-can-raise-risk", "do-no-harm", "manage-expectations")
DEFENDER_ITEM = "am-i-a-defender"

# Unicode isolates: a left-to-right run (a reference, a title, a text in English) inside right-to-left text.
LRI, PDI = "\u2066", "\u2069"


class UnknownIssuerError(LookupError):
    """Asked for a sheet of an issuer the dataset does not have."""

    def __init__(self, issuer_id: str, known: Iterable[str]):
        self.issuer_id = issuer_id
        self.known = tuple(sorted(known))
        super().__init__(f"unknown issuer {issuer_id!r}")


def translator(language: str) -> Callable[[str], str]:
    """``gettext`` for one language from the site's catalogues."""
    return catalogue(language).gettext


def interface_is_draft(language: str) -> bool:
    """Whether the site's words in ``language`` hold a translation no reviewer has approved (as its footer says)."""
    state = interface_state(language) if language != DEFAULT_LANGUAGE else None
    return state is not None and state[3] > 0


class Words:
    """The words of one sheet in its language: the site's catalogue, dates, and the dataset's texts.

    A dataset text missing in the language (or whose translation is stale) is shown in English,
    followed by "(in English)" in the sheet's language and, on a page written right to left, kept
    left to right; the sheet then says that some texts are in English (:meth:`notes`). Left-to-right
    runs inside right-to-left text (references, official titles) are isolated with :meth:`ltr`.
    """

    def __init__(self, language: str) -> None:
        self.site = SiteWords(language)  # the site's own words in the language, as every document writes them
        self.language = language
        self.rtl = self.site.rtl
        self.gettext = self.site.gettext
        self.fallbacks = 0  # dataset texts shown in English
        self.drafts = 0  # dataset texts shown in a draft translation

    def __call__(self, text: Text) -> str:
        """A dataset text in the sheet's language, or in English marked as such."""
        return self.paragraphs(text, split=False)[0]

    def optional(self, text: Text | None) -> str | None:
        return self(text) if text is not None else None

    def paragraphs(self, text: Text | None, split: bool = True) -> list[str]:
        """Paragraphs (separated by a blank line) of a dataset text, so Typst sets each as a paragraph."""
        if text is None:
            return []
        value, used = text.resolve(self.language)
        parts = [p.strip() for p in value.split("\n\n") if p.strip()] if split else [value]
        if used == self.language:
            self.drafts += text.is_draft(self.language)
            return parts
        self.fallbacks += 1
        parts = [self.ltr(p) for p in parts]
        if parts:
            parts[-1] += " " + self.gettext("(in English)")
        return parts

    def ltr(self, value: str) -> str:
        """A left-to-right run, isolated on a right-to-left page so its punctuation stays where it belongs."""
        return f"{LRI}{value}{PDI}" if self.rtl and value else value

    def labelled(self, label: str, value: str) -> str:
        return self.site.labelled(label, value)

    def join(self, items: Iterable[str]) -> str:
        """Items of a list in a sentence, with the language's comma."""
        return self.site.listed(items)

    def date(self, day: dt.date) -> str:
        return self.site.date(day)

    def language_names(self, codes: Iterable[str]) -> str:
        """The languages of a document by name (``English, French``); a code without a name stays a code."""
        return self.join(self.gettext(LANGUAGE_NAMES[c]) if c in LANGUAGE_NAMES else c for c in codes)

    def notes(self, dataset: Dataset) -> list[str]:
        """What the sheet says of its translation, once it is built, as the site's footer does."""
        _ = self.gettext
        notes = []
        if self.fallbacks:
            notes.append(_("Some texts are not translated into this language yet: they are shown in English."))
        translation = dataset.translations.get(self.language)
        if self.language != DEFAULT_LANGUAGE and (
            self.drafts or (translation is not None and translation.draft) or interface_is_draft(self.language)
        ):
            notes.append(
                _(
                    "This translation is a draft: no native speaker who works in human rights has reviewed it "
                    "yet. Where it is unclear, the English version is the reference."
                )
            )
        return notes


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
    """The sources one sheet cites, and where in them, for its Sources section.

    Locators name parts of the sources as the sources do (in English, mostly): on a right-to-left
    page each reference is kept left to right.
    """

    def __init__(self, words: Words) -> None:
        self.words = words
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
        return self.words.ltr("; ".join(dict.fromkeys(parts)))

    def ids(self, citations: Iterable[Citation]) -> str:
        """Source ids only (``S0, S2, S13``), where there is no room for locators; the Sources section has them."""
        ids = set()
        for citation in citations:
            self._remember(citation)
            ids.add(citation.source.id)
        return self.words.ltr(", ".join(sorted(ids, key=source_key)))

    def section(self, locators: bool = True) -> list[dict[str, Any]]:
        return [
            {
                "id": source.id,
                "label": self.words(source.label),
                "locators": [self.words.ltr(c) for c in cited_at] if locators else [],
                "urls": list(source.urls),
            }
            for source, cited_at in sorted(self.found.values(), key=lambda item: source_key(item[0].id))
        ]


def note_data(note: Note, words: Words, cited: Cited) -> dict[str, Any]:
    return {
        "text": words(note.text),
        "refs": cited.ref(note.citations),
        "uncertain": words.optional(note.uncertain),
    }


def guidance_data(item: GuidanceItem, words: Words, cited: Cited) -> dict[str, Any]:
    return {
        "title": words(item.title),
        "body": words.paragraphs(item.body),
        "refs": cited.ref(item.citations),
        "uncertain": words.optional(item.uncertain),
        # Where other sources nuance the action sheet, both are shown, each with its sources.
        "nuances": [{"text": words(n.text), "refs": cited.ref(n.citations)} for n in item.nuances],
    }


def guidance_items(dataset: Dataset, ids: Iterable[str], words: Words, cited: Cited) -> list[dict[str, Any]]:
    return [guidance_data(dataset.guidance[i], words, cited) for i in ids if i in dataset.guidance]


def common(dataset: Dataset, words: Words, title: str) -> dict[str, Any]:
    """What every sheet carries: language, title, labels, edition, date and footer.

    What the sheet says of its translation (``notes``) is added by :func:`finish`, once every text is in.
    """
    _ = words.gettext
    edition = dataset.edition
    published = edition.published
    return {
        "lang": words.language,
        "rtl": words.rtl,
        "title": title,
        "date": {"year": published.year, "month": published.month, "day": published.day},
        "edition": _("Dataset edition %(edition)s.") % {"edition": edition.edition},
        "licence": _("The data are open, under the %(name)s licence; they cite their sources so you can check them.")
        % {"name": edition.licence_name},
        "notes": [],
        "footer": f"Amparo · {title}",
        "page": _("Page %(page)s of %(total)s") % {"page": "{page}", "total": "{total}"},
        "labels": {
            "source": _("Source:"),
            "sources": _("Sources"),
            "uncertain": _("Uncertain:"),
            "cited_at": _("Cited at:"),
            "colon": words.labelled("", ""),  # what stands between a label set apart and its text
        },
    }


def finish(data: dict[str, Any], dataset: Dataset, words: Words, cited: Cited, locators: bool = True) -> dict[str, Any]:
    """The Sources section and the notes on the translation, which only a built sheet knows."""
    data["sources"] = cited.section(locators)
    data["notes"] = words.notes(dataset)
    return data
