"""Form widgets written in Python where Django's templates cost too much for what they write.

The dashboard's filter offers every country of the team's cases: Django writes each option of a
``<select>`` through a template include of its own, a hundred and more per page (about a tenth of
the team's case list). :class:`QuickSelect` writes the same bytes as Django's ``select.html``,
``select_option.html`` and ``attrs.html`` (tests/web/test_casebook_widgets.py compares them).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _e(value: Any) -> str:
    return str(conditional_escape(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """What ``django/forms/widgets/attrs.html`` writes."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(f" {_e(name)}" if value is True else f' {_e(name)}="{_e(f"{value}")}"')
    return "".join(out)


class QuickSelect(forms.Select):
    """A :class:`django.forms.Select` that writes its options without a template per option."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{_e(widget["name"])}"', _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_e(group_name)}">')
            for option in options:
                out += ['\n  <option value="', _e(f"{option['value']}"), '"', _attrs(option["attrs"]), ">"]
                out += [_e(option["label"]), "</option>\n"]
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")  # the renderer strips the template's closing line break
        return mark_safe("".join(out))  # noqa: S308 - every value is escaped
