"""A case's timeline read a page at a time: the same entries, in the same order, as the whole of it."""

from __future__ import annotations

import datetime as dt

import pytest

from amparo.casebook.permissions import RecordNotFound
from amparo.casebook.records import Case, Engagement, FollowUp, Incident, Request, RiskAssessment
from amparo.casebook.repository import Casebook
from tests.casebook.test_repository import ME, STRANGER, book, new_store  # noqa: F401 (the fixtures)


def test_pages_of_the_timeline_make_the_whole_of_it(book: Casebook) -> None:  # noqa: F811
    case = book.add(ME, Case(pseudonym="River guardian", subject="community"))
    for day in (3, 1, 3, 2):  # two on one day: the order within a day is the time they were written, then the id
        book.add(ME, Incident(case.id, dt.date(2026, 5, day), "raid", description=f"day {day}"))
    book.add(ME, Engagement(case.id, dt.date(2026, 5, 2), "CA"))
    book.add(ME, Request(case.id, "CA", ("trial-observation",), drafted_on=dt.date(2026, 4, 30)))
    book.add(ME, FollowUp(case.id, dt.date(2026, 6, 1), "call back"))
    book.add(ME, RiskAssessment(case.id, dt.date(2026, 5, 4), 3, 3, 2))
    whole = book.timeline(ME, case.id)
    assert len(whole) == 8 and [e.on for e in whole] == sorted((e.on for e in whole), reverse=True)
    pages = [book.timeline_page(ME, case.id, 3, offset) for offset in (0, 3, 6, 9)]
    assert {p.total for p in pages} == {8} and [len(p.items) for p in pages] == [3, 3, 2, 0]
    assert [e for p in pages for e in p.items] == whole
    with pytest.raises(RecordNotFound):
        book.timeline_page(STRANGER, case.id, 3, 0)
