"""The comparison matrix: issuers × support types on one landscape page, each mark with its sources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from amparo.documents.sheets.common import (
    Cited,
    Words,
    common,
    finish,
)
from amparo.documents.typst import compile_pdf
from amparo.guidelines.model import DEFAULT_LANGUAGE, Dataset, Issuer
from amparo.labels import STATUS_LABELS, STATUS_SYMBOLS


def _verified(issuers: Iterable[Issuer], words: Words) -> str:
    _ = words.gettext
    dates = sorted({i.last_verified for i in issuers})
    if len(dates) == 1:
        return _("Last verified against its sources on %(date)s.") % {"date": words.date(dates[0])}
    return _("Last verified against their sources between %(first)s and %(last)s.") % {
        "first": words.date(dates[0]),
        "last": words.date(dates[-1]),
    }


def matrix_data(dataset: Dataset, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """Issuers × support types, numbered columns with a legend, and the sources behind each row."""
    words = Words(language)
    _ = words.gettext
    cited = Cited(words)
    data = common(dataset, words, _("Which support the guidelines of each country and of the EU foresee"))
    groups: list[dict[str, Any]] = []
    columns: list[dict[str, Any]] = []
    for category in dataset.categories:
        ids = [s for g in category.groups for s in g.support_type_ids]
        groups.append({"name": words(category.name), "span": len(ids), "first": len(columns) + 1})
        columns += [
            {"number": len(columns) + n, "name": words(dataset.support_types[s].name), "id": s}
            for n, s in enumerate(ids, start=1)
        ]
    rows = []
    for issuer in dataset.issuers_sorted():
        name = words(issuer.name)
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
            "verified": _verified(dataset.issuers.values(), words),
            "explain": _(
                "Through the EU guidelines: an EU member State whose missions are expected to act on the EU "
                "guidelines; its sources are the EU's. Not known: no source we hold speaks of it, which does not mean "
                "the mission will not help. Each country's action sheet gives the source of every mark."
            ),
        }
    )
    data["labels"].update(
        {
            "issuer": _("Country or organisation"),
            "columns": _("Columns"),
            "legend": _("Legend"),
            "row_sources": _("Sources of each row"),
            "none": _("none"),
        }
    )
    # Every locator of every provision would fill pages; the issuer sheets give them.
    return finish(data, dataset, words, cited, locators=False)


def matrix_pdf(dataset: Dataset, language: str = DEFAULT_LANGUAGE) -> bytes:
    """The matrix as an A4 landscape PDF."""
    return compile_pdf("matrix", matrix_data(dataset, language))
