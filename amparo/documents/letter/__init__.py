"""Request letters: a defender asks one mission for support, citing that mission's own guideline.

A mission is more likely to act when a request names the guideline it works under and the
measures that guideline foresees. This package writes such a letter from the dataset, in
steps that each have a module: :mod:`.request` validates what the writer asked,
:mod:`.compose` turns it into the paragraphs of a :mod:`.model` letter (:mod:`.from_plan`
when the request starts from a navigator plan), and :mod:`.render` writes that letter as
Markdown, HTML, PDF, DOCX or JSON data. :mod:`.language` gives it the words, dates and names
of the language the writer chose (any of the site's, right to left in Arabic).

Pure Python over the dataset, no Django: the site, the API and the CLI write the same
letter. What a person types stays plain data (renderers escape it) and is never stored.

The names below are re-exported for callers of the former single module; the renderers
are not (importing the letter does not load Typst or python-docx).
"""

from __future__ import annotations

from amparo.documents.letter.compose import (
    GUIDANCE_NOT_LISTED,
    MEMBERS_LOCATOR,
    build_letter,
)
from amparo.documents.letter.from_plan import FROM_PLAN, letter_from_plan, plan_support_types, request_from_plan
from amparo.documents.letter.language import ARTICLE
from amparo.documents.letter.model import (
    MONTHS,
    CitedGuideline,
    Letter,
    Measure,
    Paragraph,
    Part,
    Reference,
    Section,
    ref_label,
)
from amparo.documents.letter.request import (
    CONSENT,
    FIELDS,
    LANGUAGES,
    MAX_NAME,
    MAX_SUPPORT_TYPES,
    MAX_TEXT,
    MULTI_LINE,
    SINGLE_LINE,
    LetterError,
    LetterRequest,
    clean_text,
    parse_letter_request,
)

__all__ = [
    "ARTICLE",
    "CONSENT",
    "FIELDS",
    "FROM_PLAN",
    "GUIDANCE_NOT_LISTED",
    "LANGUAGES",
    "MAX_NAME",
    "MAX_SUPPORT_TYPES",
    "MAX_TEXT",
    "MEMBERS_LOCATOR",
    "MONTHS",
    "MULTI_LINE",
    "SINGLE_LINE",
    "CitedGuideline",
    "Letter",
    "LetterError",
    "LetterRequest",
    "Measure",
    "Paragraph",
    "Part",
    "Reference",
    "Section",
    "build_letter",
    "clean_text",
    "letter_from_plan",
    "parse_letter_request",
    "plan_support_types",
    "ref_label",
    "request_from_plan",
]
