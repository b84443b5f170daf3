"""Printable action sheets on the site: each issuer's sheet, the general sheet and the matrix, as PDF.

They depend only on the dataset (immutable for the life of the process) and the
language, so each PDF is made on its first request and then kept in memory: at
most (issuers + 2) × languages entries, about 15 MB in all.
"""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import get_language

from amparo.documents import sheets
from amparo.guidelines import get_dataset
from amparo.web.views import _issuer_or_404, public


@cache
def _issuer_pdf(issuer_id: str, language: str) -> bytes:
    return sheets.issuer_sheet_pdf(get_dataset(), issuer_id, language)


@cache
def _general_pdf(language: str) -> bytes:
    return sheets.general_sheet_pdf(get_dataset(), language)


@cache
def _matrix_pdf(language: str) -> bytes:
    return sheets.matrix_pdf(get_dataset(), language)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public
def issuer_sheet_pdf(request: HttpRequest, issuer_id: str) -> HttpResponse:
    issuer = _issuer_or_404(issuer_id)  # before the cache, so unknown ids never take a slot
    language = get_language()
    return _pdf(_issuer_pdf(issuer.id, language), sheets.filename("issuer", language, issuer.id))


@public
def general_sheet_pdf(request: HttpRequest) -> HttpResponse:
    language = get_language()
    return _pdf(_general_pdf(language), sheets.filename("general", language))


@public
def matrix_pdf(request: HttpRequest) -> HttpResponse:
    language = get_language()
    return _pdf(_matrix_pdf(language), sheets.filename("matrix", language))


urlpatterns = [
    path("issuers/<str:issuer_id>/sheet.pdf", issuer_sheet_pdf, name="issuer-sheet-pdf"),
    path("sheets/general.pdf", general_sheet_pdf, name="general-sheet-pdf"),
    path("sheets/matrix.pdf", matrix_pdf, name="matrix-pdf"),
]
