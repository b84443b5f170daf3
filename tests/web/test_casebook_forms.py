"""The casebook's record forms: forty support types grouped by the dataset's categories, each under its legend."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from amparo.guidelines import get_dataset
from tests.web.casebook_helpers import new_case

pytestmark = pytest.mark.django_db


def _groups(body: str) -> dict[str, list[str]]:
    """Each inner fieldset's legend and the support type ids of its checkboxes."""
    found = re.findall(r'<fieldset class="group"><legend>([^<]+)</legend>(.*?)</fieldset>', body, re.S)
    return {legend: re.findall(r'name="support_types" value="([^"]+)"', inner) for legend, inner in found}


@pytest.mark.parametrize("kind", ["engagement", "request"])
def test_support_types_come_in_one_fieldset_per_category(unlocked: Client, kind: str) -> None:
    case_id = new_case(unlocked)
    body = unlocked.get(f"/en/casebook/cases/{case_id}/new/{kind}/").content.decode()
    groups = _groups(body)
    dataset = get_dataset()
    assert list(groups) == [c.name.resolve("en")[0] for c in dataset.categories]
    for category in dataset.categories:
        assert groups[category.name.resolve("en")[0]] == [s.id for s in dataset.support_types_in(category.id)]
    every = [s for ids in groups.values() for s in ids]
    assert sorted(every) == sorted(dataset.support_types) and len(every) == len(set(every))
    assert body.count('name="support_types"') == len(dataset.support_types)  # none outside a group


def test_a_saved_choice_is_checked_again_in_its_group(unlocked: Client) -> None:
    case_id = new_case(unlocked)
    unlocked.post(
        f"/en/casebook/cases/{case_id}/new/request/",
        {"where": "CA", "support_types": ["trial-observation", "public-statement"], "status": "draft"},
    )
    from amparo.web.casebook import runtime

    request = runtime.casebook().records("local", case_id, "request")[0]
    body = unlocked.get(f"/en/casebook/request/{request.id}/").content.decode()
    checked = re.findall(r'name="support_types" value="([^"]+)"[^>]*checked', body)
    assert sorted(checked) == ["public-statement", "trial-observation"]


def _buttons(body: str) -> dict[str, str]:
    """Each button's words and its class attribute ("" when none)."""
    found = re.findall(r'<button type="submit"(?: class="([^"]*)")?[^>]*>([^<]+)</button>', body)
    return {words: classes for classes, words in found}


def test_destructive_actions_do_not_look_like_mark_done(unlocked: Client) -> None:
    """ "Delete this case" had the very look of "Mark done"; now it is outlined in the warning colour, set apart."""
    case_id = new_case(unlocked)
    unlocked.post(f"/en/casebook/cases/{case_id}/new/follow-up/", {"due_on": "2026-01-01", "what": "call"})
    case_page = unlocked.get(f"/en/casebook/cases/{case_id}/").content.decode()
    buttons = _buttons(case_page)
    assert "danger" not in buttons["Mark done"].split() and "danger" in buttons["Delete this case"].split()
    assert 'class="danger-zone"' in case_page
    from amparo.web.casebook import runtime

    follow_up = runtime.casebook().records("local", case_id, "follow-up")[0]
    assert "danger" in _buttons(unlocked.get(f"/en/casebook/follow-up/{follow_up.id}/").content.decode())["Delete"]
    assert "danger" in _buttons(unlocked.get("/en/casebook/wipe/").content.decode())["Wipe now"]
    css = (Path(__file__).parents[2] / "amparo/web/static/amparo/casebook.css").read_text()
    rule = re.search(r"button\.danger\{([^}]*)\}", css).group(1)
    assert "var(--warn)" in rule and "border" in rule


def test_deleting_still_asks_first(unlocked: Client) -> None:
    case_id = new_case(unlocked)
    response = unlocked.post(f"/en/casebook/case/{case_id}/delete/")
    body = response.content.decode()
    assert response.status_code == 200 and "danger-confirm" in _buttons(body)["Delete for good"]
    assert f'href="/en/casebook/cases/{case_id}/">Keep it and go back</a>' in body
    assert unlocked.get(f"/en/casebook/cases/{case_id}/").status_code == 200  # nothing deleted yet
    assert unlocked.post(f"/en/casebook/case/{case_id}/delete/", {"confirm": "yes"}).status_code == 302
    assert unlocked.get(f"/en/casebook/cases/{case_id}/").status_code == 404
