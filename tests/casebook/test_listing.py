"""The case list at 30 cases and more: filtered and sorted by what the records hold, and dated by them."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.casebook import listing, queries
from amparo.casebook.listing import BadCaseQuery, CaseQuery
from amparo.casebook.records import RISK_LEVELS, Case, Engagement, FollowUp, Incident, Request, RiskAssessment
from amparo.casebook.repository import Casebook
from amparo.casebook.results import CaseList
from tests.casebook.test_repository import ME, STRANGER, book, new_store  # noqa: F401 (the fixtures)

NAMES = {"HN": "Honduras", "CO": "Colombia", "NL": "Netherlands"}


@pytest.fixture
def thirty(book: Casebook) -> dict[str, Case]:  # noqa: F811
    """Thirty cases: ten in each of three countries, a few with risk assessments, requests or overdue follow-ups."""
    cases = {}
    for i in range(30):
        country = ("HN", "CO", "")[i % 3]
        cases[f"c{i:02}"] = book.add(ME, Case(pseudonym=f"case {i:02}", subject="individual", country=country))
    book.add(ME, RiskAssessment(cases["c00"].id, dt.date(2026, 1, 1), 5, 5, 1))  # very high
    book.add(ME, RiskAssessment(cases["c01"].id, dt.date(2026, 1, 1), 5, 5, 1))
    book.add(ME, RiskAssessment(cases["c01"].id, dt.date(2026, 2, 1), 1, 1, 5))  # later: low
    book.add(ME, RiskAssessment(cases["c02"].id, dt.date(2026, 1, 1), 3, 3, 1))  # high (9)
    book.add(ME, Request(cases["c03"].id, "CA", ("trial-observation",), status="sent", sent_on=dt.date(2026, 3, 1)))
    book.add(ME, FollowUp(cases["c04"].id, dt.date(2026, 1, 1), "call back"))  # overdue on 2026-11-25
    book.update(ME, Case(pseudonym="case 05", subject="individual", closed=True, id=cases["c05"].id))
    return cases


def _pseudonyms(book: Casebook, query: CaseQuery, **kwargs) -> list[str]:  # noqa: F811
    return [s.case.pseudonym for s in book.case_list(ME, query, **kwargs).items]


def test_the_list_carries_country_latest_risk_and_status(book: Casebook, thirty: dict[str, Case]) -> None:  # noqa: F811
    by_name = {s.case.pseudonym: s for s in book.case_list(ME, CaseQuery()).items}
    assert by_name["case 00"].case.country == "HN" and by_name["case 00"].risk_level == "very-high"
    assert by_name["case 01"].risk_level == "low"  # the latest assessment, not the worst
    assert by_name["case 02"].risk_level == "high" and by_name["case 02"].risk_score == 9.0
    assert by_name["case 06"].risk_level == "" and by_name["case 06"].risk_score is None
    assert by_name["case 03"].open_requests == 1 and by_name["case 04"].overdue == 1
    listed = book.case_list(ME, CaseQuery())
    assert listed.total == listed.everything == 30 and listed.countries == ("CO", "HN")


def test_filters_by_country_risk_and_status(book: Casebook, thirty: dict[str, Case]) -> None:  # noqa: F811
    honduras = book.case_list(ME, CaseQuery(country="HN"))
    assert honduras.total == 10 and {s.case.country for s in honduras.items} == {"HN"}
    assert honduras.everything == 30
    assert book.case_list(ME, CaseQuery(country="none")).total == 10
    assert book.case_list(ME, CaseQuery(country="NL")).total == 0
    assert _pseudonyms(book, CaseQuery(risk="very-high")) == ["case 00"]
    assert book.case_list(ME, CaseQuery(risk="none")).total == 27
    assert _pseudonyms(book, CaseQuery(status="open-requests")) == ["case 03"]
    assert _pseudonyms(book, CaseQuery(status="overdue")) == ["case 04"]
    assert _pseudonyms(book, CaseQuery(status="closed")) == ["case 05"]
    assert book.case_list(ME, CaseQuery(status="open")).total == 29
    assert _pseudonyms(book, CaseQuery(country="HN", risk="very-high", status="open")) == ["case 00"]


def test_sorts_by_each_column(book: Casebook, thirty: dict[str, Case]) -> None:  # noqa: F811
    assert _pseudonyms(book, CaseQuery(sort="pseudonym"))[:3] == ["case 00", "case 01", "case 02"]
    assert _pseudonyms(book, CaseQuery(sort="risk"))[:3] == ["case 00", "case 02", "case 01"]
    assert _pseudonyms(book, CaseQuery(sort="open-requests"))[0] == "case 03"
    assert _pseudonyms(book, CaseQuery(sort="overdue"))[0] == "case 04"
    by_country = book.case_list(ME, CaseQuery(sort="country"), country_name=NAMES.get).items
    assert [s.case.country for s in by_country] == ["CO"] * 10 + ["HN"] * 10 + [""] * 10  # by name, none last
    assert by_country[-1].case.pseudonym == "case 05"  # closed cases after the open ones of their country


def test_a_page_of_a_filtered_list(book: Casebook, thirty: dict[str, Case]) -> None:  # noqa: F811
    page = book.case_list(ME, CaseQuery(country="HN", sort="pseudonym"), limit=4, offset=4)
    assert page.total == 10 and [s.case.pseudonym for s in page.items] == ["case 12", "case 15", "case 18", "case 21"]


def test_a_stranger_gets_neither_cases_nor_their_countries(book: Casebook, thirty: dict[str, Case]) -> None:  # noqa: F811
    listed = book.case_list(STRANGER, CaseQuery(country="HN"))
    assert listed.items == [] and listed.total == 0 and listed.countries == () and listed.everything == 0


@pytest.mark.parametrize(
    "values",
    [{"country": "hn"}, {"country": "Honduras"}, {"risk": "extreme"}, {"status": "x"}, {"sort": "pseudonym DESC"}],
)
def test_a_value_outside_the_vocabularies_is_refused(values: dict[str, str]) -> None:
    with pytest.raises(BadCaseQuery) as raised:
        CaseQuery(**values)
    assert raised.value.field == next(iter(values))


def test_last_activity_is_the_latest_record_not_the_day_the_case_was_written(book: Casebook) -> None:  # noqa: F811
    """Thirty cases typed in on one day used to show that day for all, whatever their records said."""
    made = {name: book.add(ME, Case(pseudonym=name, subject="individual")) for name in "abcdefg"}
    book.add(ME, Incident(made["a"].id, dt.date(2026, 3, 1), "raid"))
    book.add(ME, Incident(made["a"].id, dt.date(2026, 2, 1), "raid"))
    book.add(ME, Engagement(made["b"].id, dt.date(2026, 4, 2), "CA"))
    book.add(ME, Request(made["c"].id, "CA", ("trial-observation",), drafted_on=dt.date(2026, 5, 3)))
    book.add(
        ME,
        Request(
            made["d"].id,
            "CA",
            ("trial-observation",),
            status="declined",
            drafted_on=dt.date(2026, 1, 1),
            sent_on=dt.date(2026, 1, 2),
            answered_on=dt.date(2026, 6, 4),
        ),
    )
    book.add(ME, FollowUp(made["e"].id, dt.date(2026, 7, 1), "call", done_on=dt.date(2026, 7, 5)))
    book.add(ME, FollowUp(made["e"].id, dt.date(2027, 1, 1), "call again"))  # planned: not yet activity
    book.add(ME, RiskAssessment(made["f"].id, dt.date(2026, 8, 6), 2, 2, 2))
    last = {s.case.pseudonym: s.last_activity for s in book.case_list(ME, CaseQuery()).items}
    assert last == {
        "a": "2026-03-01",
        "b": "2026-04-02",
        "c": "2026-05-03",
        "d": "2026-06-04",
        "e": "2026-07-05",
        "f": "2026-08-06",
        "g": "2026-11-25",  # nothing recorded yet: the day the case was opened
    }
    assert _pseudonyms(book, CaseQuery()) == list("gfedcba")  # most recently active first


def _in_one_step(book: Casebook, query: CaseQuery, limit: int, offset: int) -> CaseList:  # noqa: F811
    """The case list as it was read before the two steps: every case in full, then chosen from."""
    with book._db() as conn:
        summaries = queries.cases_of(*queries.select_cases(conn, ME, "2026-11-25"))
        page = listing.choose(summaries, query, limit, offset, NAMES.get)
        counts = queries.count_records(conn, [s.case.id for s in page.items])
    items = [dataclasses.replace(s, records=counts[s.case.id]) for s in page.items]
    return CaseList(items, page.total, listing.countries(summaries), len(summaries))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    country=st.sampled_from(["", "none", "HN", "CO", "NL"]),
    risk=st.sampled_from(["", "none", *RISK_LEVELS]),
    status=st.sampled_from(["", *listing.STATUSES]),
    sort=st.sampled_from(list(listing.SORTS)),
    limit=st.sampled_from([-1, 0, 1, 4, 50]),
    offset=st.integers(0, 32),
)
def test_the_two_steps_list_what_reading_every_case_in_full_listed(
    book: Casebook,  # noqa: F811
    thirty: dict[str, Case],
    country: str,
    risk: str,
    status: str,
    sort: str,
    limit: int,
    offset: int,
) -> None:
    """The list reads all cases' keys, then the page's cases in full: the same page, in the same order, as before."""
    if not book.records(ME, thirty["c07"].id, "incident"):  # the first example adds them
        for n, name in enumerate(("c07", "c08", "c08", "c09", "c10", "c10", "c10")):  # counts, and ties broken
            book.add(ME, Incident(thirty[name].id, dt.date(2026, 4, 1 + n % 3), "raid"))
    query = CaseQuery(country, risk, status, sort)
    assert book.case_list(ME, query, limit, offset, NAMES.get) == _in_one_step(book, query, limit, offset)
