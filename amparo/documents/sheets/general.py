"""The general sheet: what diplomatic support is, who is a defender, the ten things, questions and answers."""

from __future__ import annotations

from typing import Any

from amparo.documents.sheets.common import (
    DEFENDER_ITEM,
    Cited,
    Words,
    common,
    finish,
    guidance_data,
    guidance_items,
)
from amparo.documents.typst import compile_pdf
from amparo.guidelines.model import DEFAULT_LANGUAGE, Dataset


def general_sheet_data(dataset: Dataset, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """What diplomatic support is, who is a defender, the ten things and the questions, with sources."""
    words = Words(language)
    _ = words.gettext
    cited = Cited(words)
    data = common(dataset, words, _("Diplomatic support for human rights defenders"))
    categories = []
    for category in dataset.categories:
        support_types = dataset.support_types_in(category.id)
        categories.append(
            {
                "name": words(category.name),
                "description": words(category.description),
                "groups": [
                    {
                        "name": words(group.name),
                        "support_types": words.join(
                            words(dataset.support_types[s].name) for s in group.support_type_ids
                        ),
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
            "defender": guidance_items(dataset, (DEFENDER_ITEM,), words, cited),
            "ten_things": [guidance_data(g, words, cited) for g in dataset.guidance_of_kind("ten_things")],
            "questions": [
                guidance_data(g, words, cited) for g in dataset.guidance_of_kind("qa") if g.id != DEFENDER_ITEM
            ],
            "verified": _("Last verified against its sources on %(date)s.") % {"date": words.date(verified)},
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
    return finish(data, dataset, words, cited)


def general_sheet_pdf(dataset: Dataset, language: str = DEFAULT_LANGUAGE) -> bytes:
    return compile_pdf("general", general_sheet_data(dataset, language))
