"""The letter as data: paragraphs of plain text with numbered references, sections, sources.

Composing a letter (:mod:`.compose`) and rendering it (:mod:`.render`) meet here: the
composer fills these frozen dataclasses, every renderer reads them. Nothing in them is
markup; what a person typed is a plain ``Part.text``, escaped by each renderer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from amparo.documents.letter.language import Words
from amparo.guidelines.words import MONTH_NAMES

MONTHS = MONTH_NAMES  # in English; a letter names them in its own language (language.py)


def date_text(date: dt.date, language: str = "en") -> str:
    """A date as a letter in ``language`` writes it: 25 November 2026, 25 de noviembre de 2026."""
    return Words(language).date(date)


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
        return date_text(self.date, self.language)

    @property
    def rtl(self) -> bool:
        """Whether the letter's language is written right to left (Arabic)."""
        return Words(self.language).rtl

    @property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(m for section in self.sections for m in section.measures)

    def filename(self, extension: str) -> str:
        """A file name with nothing a person typed in it."""
        return f"letter-{self.issuer_id.lower()}-{self.date.isoformat()}.{extension}"
