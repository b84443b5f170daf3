"""Printable action sheets: one per issuer, a general one, and the comparison matrix.

A defender often needs paper: to take into a meeting at an embassy, to share with a
community that has no safe internet. One module per sheet (:mod:`.issuer`, :mod:`.general`,
:mod:`.matrix`) builds its data; :mod:`.common` holds what they share. Text reaches Typst
only as JSON data, never as markup, so nothing in the dataset can run Typst code.
No Django here: the CLI and the site call the same functions.
"""

from amparo.documents.sheets.common import (
    APPROACH_ITEMS,
    CAUTION_ITEMS,
    UnknownIssuerError,
    Words,
    filename,
    find_issuer,
    translator,
)
from amparo.documents.sheets.general import general_sheet_data, general_sheet_pdf
from amparo.documents.sheets.issuer import issuer_sheet_data, issuer_sheet_pdf
from amparo.documents.sheets.matrix import matrix_data, matrix_pdf
from amparo.guidelines.model import DEFAULT_LANGUAGE
from amparo.guidelines.translations import RIGHT_TO_LEFT
from amparo.guidelines.words import LANGUAGES

__all__ = [
    "APPROACH_ITEMS",
    "CAUTION_ITEMS",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "RIGHT_TO_LEFT",
    "UnknownIssuerError",
    "Words",
    "filename",
    "find_issuer",
    "general_sheet_data",
    "general_sheet_pdf",
    "issuer_sheet_data",
    "issuer_sheet_pdf",
    "matrix_data",
    "matrix_pdf",
    "translator",
]
