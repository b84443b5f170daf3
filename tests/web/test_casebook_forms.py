"""The casebook's record forms: forty support types grouped by the dataset's categories, each under its legend."""

from __future__ import annotations

import re

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
