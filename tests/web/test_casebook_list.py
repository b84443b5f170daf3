"""The dashboard at 30 cases: columns for what the records hold, filters and sorts kept out of every URL."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.casebook_helpers import new_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(unlocked: Client) -> dict[str, str]:
    ids = {
        "river": new_case(unlocked, "River guardian", "HN"),
        "press": new_case(unlocked, "Press collective", "CO"),
        "nowhere": new_case(unlocked, "Unplaced", ""),
    }
    unlocked.post(
        f"/en/casebook/cases/{ids['river']}/new/risk/",
        {"assessed_on": "2026-03-02", "threats": "5", "vulnerabilities": "5", "capacities": "1"},
    )
    unlocked.post(
        f"/en/casebook/cases/{ids['press']}/new/request/",
        {"where": "CA", "support_types": ["trial-observation"], "status": "sent", "sent_on": "2026-03-06"},
    )
    return ids


def _rows(client: Client) -> list[str]:
    body = client.get("/en/casebook/").content.decode()
    return re.findall(r"<tr><th scope=\"row\">.*?</tr>", body)


def test_the_case_table_shows_country_risk_and_status(unlocked: Client, three: dict[str, str]) -> None:
    body = unlocked.get("/en/casebook/").content.decode()
    for heading in ("Country", "Latest risk", "Case status", "Last activity", "Open requests"):
        assert f'<th scope="col">{heading}</th>' in body
    river = next(row for row in _rows(unlocked) if "River guardian" in row)
    assert "Honduras" in river and "Very high" in river and "open" in river
    press = next(row for row in _rows(unlocked) if "Press collective" in row)
    assert "Colombia" in press and "Not assessed yet" in press


def test_filters_and_sort_are_posted_held_in_the_session_and_never_in_a_url(
    unlocked: Client, three: dict[str, str]
) -> None:
    response = unlocked.post("/en/casebook/", {"country": "HN", "risk": "", "status": "", "sort": "pseudonym"})
    assert response.status_code == 302 and "?" not in response["Location"] and "HN" not in response["Location"]
    rows = _rows(unlocked)
    assert len(rows) == 1 and "River guardian" in rows[0]
    body = unlocked.get("/en/casebook/").content.decode()
    assert "Cases shown: 1 of 3." in body and '<option value="HN" selected>' in body
    assert "?country" not in body and "?sort" not in body
    unlocked.post("/en/casebook/", {"status": "open-requests"})
    assert [("Press collective" in row) for row in _rows(unlocked)] == [True]
    unlocked.post("/en/casebook/", {"risk": "none", "sort": "country"})
    assert ["Press collective" in r for r in _rows(unlocked)] == [True, False]  # Colombia, then no country
    unlocked.post("/en/casebook/", {"clear": "1"})
    assert len(_rows(unlocked)) == 3


def test_the_sort_puts_the_riskiest_first(unlocked: Client, three: dict[str, str]) -> None:
    unlocked.post("/en/casebook/", {"sort": "risk"})
    assert "River guardian" in _rows(unlocked)[0]
    unlocked.post("/en/casebook/", {"sort": "pseudonym"})
    assert [re.search(r'dir="auto">([^<]+)<', r).group(1) for r in _rows(unlocked)] == [
        "Press collective",
        "River guardian",
        "Unplaced",
    ]


def test_a_filter_in_the_address_is_ignored(unlocked: Client, three: dict[str, str]) -> None:
    response = unlocked.get("/en/casebook/?country=HN&sort=risk&status=closed")
    assert response.status_code == 200 and len(_rows(unlocked)) == 3


def test_no_case_matching_says_so(unlocked: Client, three: dict[str, str]) -> None:
    unlocked.post("/en/casebook/", {"status": "closed"})
    body = unlocked.get("/en/casebook/").content.decode()
    assert "No case matches these choices." in body and "Show all cases" in body


def test_a_bad_value_is_a_clear_message(unlocked: Client, three: dict[str, str]) -> None:
    response = unlocked.post("/en/casebook/", {"country": "Honduras", "sort": "pseudonym; DROP TABLE cases"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="alert"' in body and "Select a valid choice" in body and body.count('<tr><th scope="row">') == 3


def test_the_choice_ends_with_the_session(unlocked: Client, three: dict[str, str]) -> None:
    from tests.web.casebook_helpers import PASSPHRASE

    unlocked.post("/en/casebook/", {"country": "CO"})
    unlocked.post("/en/casebook/lock/")
    unlocked.post("/en/casebook/unlock/", {"passphrase": PASSPHRASE})
    assert len(_rows(unlocked)) == 3


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.sampled_from(["country", "risk", "status", "sort", "clear", "page"]),
        st.one_of(st.text(max_size=30), st.lists(st.text(max_size=10), max_size=3)),
    )
)
def test_any_choice_posted_gives_a_page_never_an_error(unlocked: Client, data: dict) -> None:
    response = unlocked.post("/en/casebook/", data)
    assert response.status_code in (302, 400)
    assert unlocked.get("/en/casebook/").status_code == 200


def test_last_activity_is_the_date_of_the_latest_record(unlocked: Client, three: dict[str, str]) -> None:
    unlocked.post(
        f"/en/casebook/cases/{three['nowhere']}/new/incident/",
        {"occurred_on": "2025-12-24", "threat": "threats", "actor_kind": "company"},
    )
    rows = {re.search(r'dir="auto">([^<]+)<', r).group(1): r for r in _rows(unlocked)}
    assert "<td>2025-12-24</td>" in rows["Unplaced"]
    assert "<td>2026-03-06</td>" in rows["Press collective"]  # the request's sending
    assert "<td>2026-03-02</td>" in rows["River guardian"]  # the risk assessment


def test_the_overdue_count_and_its_list_agree(unlocked: Client, three: dict[str, str]) -> None:
    """ "Overdue (11)" listed 10 and said nothing of the eleventh."""
    for day in range(1, 12):
        unlocked.post(
            f"/en/casebook/cases/{three['river']}/new/follow-up/",
            {"due_on": f"2026-01-{day:02}", "what": f"call {day}"},
        )
    body = unlocked.get("/en/casebook/").content.decode()
    overdue = body[body.index('id="overdue"') : body.index("Coming up")]
    assert "(11)" in overdue and overdue.count("<li>") == 10
    assert '<a href="/en/casebook/follow-ups/">10 of 11 shown here: see them all</a>' in overdue
    everything = unlocked.get("/en/casebook/follow-ups/").content.decode()
    assert all(f"call {day}<" in everything for day in range(1, 12))


def test_a_short_overdue_list_needs_no_link(unlocked: Client, three: dict[str, str]) -> None:
    unlocked.post(f"/en/casebook/cases/{three['river']}/new/follow-up/", {"due_on": "2026-01-01", "what": "call"})
    assert "shown here" not in unlocked.get("/en/casebook/").content.decode()
