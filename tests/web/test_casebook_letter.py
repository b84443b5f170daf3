"""A letter from a saved request: one link from the request to a letter page filled with its mission and
measures, behind the unlock, with nothing but the request's random id in the address."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from amparo.web.casebook import runtime
from tests.web.casebook_helpers import new_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved(unlocked: Client) -> tuple[str, str]:
    case_id = new_case(unlocked, "River guardian", "HN")
    response = unlocked.post(
        f"/en/casebook/cases/{case_id}/new/request/",
        {"where": "DE/Q58643251", "support_types": ["trial-observation"], "status": "draft", "notes": "CANARY-NOTE"},
    )
    assert response.status_code == 302
    request_id = runtime.casebook().records("local", case_id, "request")[0].id
    return case_id, request_id


def test_a_saved_request_links_to_its_letter_by_id_only(unlocked: Client, saved: tuple[str, str]) -> None:
    case_id, request_id = saved
    for page in (f"/en/casebook/cases/{case_id}/", f"/en/casebook/request/{request_id}/"):
        links = re.findall(r'href="([^"]*letter[^"]*)"', unlocked.get(page).content.decode())
        assert links == [f"/en/casebook/request/{request_id}/letter/"], page


def test_the_letter_page_is_filled_from_the_request(unlocked: Client, saved: tuple[str, str]) -> None:
    _case_id, request_id = saved
    body = unlocked.get(f"/en/casebook/request/{request_id}/letter/").content.decode()
    assert "Germany" in body and "(embassy)" in body and "River guardian" in body
    checked = re.findall(r'name="support_types" value="([^"]+)"[^>]*checked', body)
    assert checked == ["trial-observation"]
    assert '<option value="HN">Honduras</option>' in body  # the case's country, offered, not chosen
    assert "CANARY-NOTE" not in body  # the request's notes are not put in a letter


def test_the_letter_downloads_to_the_request_s_mission(unlocked: Client, saved: tuple[str, str]) -> None:
    _case_id, request_id = saved
    response = unlocked.post(
        f"/en/casebook/request/{request_id}/letter/",
        {
            "language": "en",
            "support_types": ["trial-observation"],
            "public_consent": "none",
            "format": "md",
            "court": "CANARY-COURT",
        },
    )
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    letter = response.content.decode()
    assert "Germany" in letter and "CANARY-COURT" in letter and "CANARY-NOTE" not in letter


def test_a_letter_without_measures_or_with_odd_values_is_a_clear_message(
    unlocked: Client, saved: tuple[str, str]
) -> None:
    _case_id, request_id = saved
    url = f"/en/casebook/request/{request_id}/letter/"
    for data in (
        {"language": "en", "public_consent": "none", "format": "md"},
        {"language": "xx", "support_types": ["nothing"], "public_consent": "all", "format": "exe"},
        {
            "language": "en",
            "support_types": ["trial-observation"],
            "public_consent": "none",
            "format": "md",
            "country": "FR",
            "hearing_date": "soon",
        },
    ):
        response = unlocked.post(url, data)
        assert response.status_code == 400 and 'class="alert"' in response.content.decode(), data


def test_the_letter_of_another_record_kind_or_unknown_id_is_404(unlocked: Client, saved: tuple[str, str]) -> None:
    case_id, _request_id = saved
    assert unlocked.get(f"/en/casebook/request/{case_id}/letter/").status_code == 404
    assert unlocked.get("/en/casebook/request/ffffffffffffffff/letter/").status_code == 404
