""":class:`QuickSelect` writes, byte for byte, what Django's ``Select`` writes through its templates."""

from __future__ import annotations

import pytest
from django import forms

from amparo.web.casebook.forms import CaseListForm
from amparo.web.casebook.widgets import QuickSelect

CHOICES = [
    ("", "All countries"),
    ("HN", 'Honduras <b>"&"</b>'),
    (3, "A number"),
    ("Group", [("a", "First"), ("b", "Second & more")]),
]


@pytest.mark.parametrize("value", ["", "HN", "b", None, "not-offered"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "required": True, "disabled": False, "data-x": 'say "hi"'}])
def test_it_writes_what_django_writes(value: object, attrs: dict | None) -> None:
    assert QuickSelect(choices=CHOICES).render("x<y", value, attrs) == forms.Select(choices=CHOICES).render(
        "x<y", value, attrs
    )


def test_the_dashboard_form_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    quick = CaseListForm(initial={"country": "HN", "sort": "risk"}, countries=("HN", "SV", "MX"))
    html = "".join(str(field.as_field_group()) for field in quick)
    for field in quick.fields.values():
        field.widget.__class__ = forms.Select  # the same choices, written by Django's templates
    assert "".join(str(field.as_field_group()) for field in quick) == html
    assert html.count("<option") == 5 + 6 + 5 + 6
