"""One label vocabulary (issue 10): every code has its words in amparo.labels, and every surface reads them there."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from amparo import labels
from amparo.guidelines import get_dataset
from amparo.guidelines.model import SERVES, STATUSES, URGENCIES, VISIBILITIES
from amparo.navigator.situation import FIELDS

PACKAGE = Path(labels.__file__).parent


def test_every_code_has_its_words() -> None:
    for vocabulary in (labels.STATUS_LABELS, labels.STATUS_SHORT, labels.STATUS_SYMBOLS):
        assert set(vocabulary) == set(STATUSES)
    assert set(labels.VISIBILITY_LABELS) == set(VISIBILITIES)
    assert set(labels.URGENCY_LABELS) == set(URGENCIES)
    assert set(labels.SERVES_LABELS) == set(SERVES)
    assert set(FIELDS) <= set(labels.FIELD_LABELS)
    assert set(get_dataset().situations["exposure"]) <= set(labels.EXPOSURE_LABELS)
    assert {"required", "invalid", "too_long"} <= set(labels.FORM_ERRORS)
    kinds = {m.kind for m in get_dataset().missions}
    assert kinds <= set(labels.MISSION_KINDS), kinds - set(labels.MISSION_KINDS)


def test_not_stated_never_reads_as_a_refusal() -> None:
    """A guideline silent on a measure does not rule it out: no status word or mark says "no"."""
    for vocabulary in (labels.STATUS_LABELS, labels.STATUS_SHORT):
        assert not re.search(r"\bno\b", vocabulary["not_stated"], re.IGNORECASE)
    assert len(set(labels.STATUS_SYMBOLS.values())) == len(STATUSES), "one distinct mark per status"


TRANSLATED = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext_lazy"}


def _label_maps(path: Path) -> list[str]:
    """Module-level dicts whose values are words marked for translation: label maps, wherever they hide."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and node.value.values:
            calls = [v for v in node.value.values if isinstance(v, ast.Call) and isinstance(v.func, ast.Name)]
            if len(calls) == len(node.value.values) and all(c.func.id in TRANSLATED for c in calls):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{ast.unparse(node.targets[0])}")
    return found


def test_no_other_module_keeps_a_label_map_of_its_own() -> None:
    others = [m for p in sorted(PACKAGE.rglob("*.py")) if p != Path(labels.__file__) for m in _label_maps(p)]
    # The casebook's record vocabularies are the codes a record may hold; they stay with the records. So do the
    # case list's filters and sorts, the codes its query may hold, validated where they are defined.
    own = ("amparo/casebook/records.py", "amparo/casebook/listing.py")
    others = [m for m in others if not m.startswith(own)]
    assert others == []


class _Cells(HTMLParser):
    """The text of each matrix cell, as a screen reader gets it."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._in_cell = False
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "td":
            self._in_cell = True
            self.cells.append("")
        elif tag == "span" and self._in_cell and ("aria-hidden", "true") in attrs:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_cell = False
        elif tag == "span" and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if self._in_cell and not self._hidden:
            self.cells[-1] += data


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_site_matrix_and_the_sheets_use_the_same_status_words(client: Client, language: str) -> None:
    from amparo.documents.sheets import matrix_data

    dataset = get_dataset()
    parser = _Cells()
    parser.feed(client.get(f"/{language}/compare/").content.decode())
    with translation.override(language):
        words = {status: translation.gettext(labels.STATUS_SHORT[status]) for status in STATUSES}
    spoken = {cell.strip() for cell in parser.cells}
    assert spoken <= set(words.values()), spoken - set(words.values())
    assert {words["explicit"], words["inherited"], words["unknown"]} <= spoken
    sheet = matrix_data(dataset, language)
    marks = {cell for row in sheet["rows"] for cell in row["cells"]}
    assert marks <= set(labels.STATUS_SYMBOLS.values())
    with translation.override(language):
        legend = {item["status"]: (item["symbol"], item["label"]) for item in sheet["legend"]}
        assert legend == {s: (labels.STATUS_SYMBOLS[s], translation.gettext(labels.STATUS_LABELS[s])) for s in STATUSES}
