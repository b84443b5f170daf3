"""The casebook's records: stored, read back, found, and only by whoever has access to the case.

Every test runs on both stores: the local SQLCipher vault and the team's PostgreSQL
(a throw-away cluster, see conftest.py), through the same repository.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.casebook import CasebookLocked, Vault
from amparo.casebook.dialect import Store
from amparo.casebook.permissions import ReadOnlyAccess, RecordNotFound
from amparo.casebook.records import (
    Case,
    Engagement,
    FollowUp,
    Incident,
    Request,
    RiskAssessment,
    kind_of,
    risk_level,
)
from amparo.casebook.repository import Casebook
from tests.casebook.test_vault import FAST

ME = "owner"
STRANGER = "someone-else"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(params=["local", "team"])
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Store]:
    """Makes empty stores of one kind: the local vault, or the team store on PostgreSQL."""
    if request.param == "team":
        make: Callable[[], Store] = request.getfixturevalue("team_store")
        return make
    made = []

    def vault() -> Store:
        made.append(Vault(tmp_path / f"casebook{len(made)}", kdf=FAST))
        made[-1].create("a long enough passphrase")
        return made[-1]

    return vault


@pytest.fixture
def book(new_store: Callable[[], Store]) -> Casebook:
    return Casebook(new_store(), now=lambda: dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC))


def access_actions(book: Casebook) -> tuple[str, str]:
    """How the audit names a case given and taken away: the repository's words locally; in the team store the
    access table's trigger records them, once each, as an access row created and deleted."""
    team = type(book.vault).__name__ == "TeamStore"
    return ("create", "delete") if team else ("grant", "revoke")


@pytest.fixture
def case(book: Casebook) -> Case:
    return book.add(ME, Case(pseudonym="River guardian", subject="community", country="HN"))


def test_every_record_type_round_trips(book: Casebook, case: Case) -> None:
    records = [
        Incident(case.id, dt.date(2026, 3, 1), "threats", "company", "near the dam", "They were told to stop.", "f1"),
        Engagement(case.id, dt.date(2026, 3, 5), "DE", "", "meeting", "focal point", "the dam", ("trial-observation",)),
        Request(case.id, "de", ("trial-observation", "public-statement"), drafted_on=dt.date(2026, 3, 6)),
        FollowUp(case.id, dt.date(2026, 4, 1), "Ask about the trial date"),
        RiskAssessment(case.id, dt.date(2026, 3, 2), 4, 4, 2, "before the hearing"),
    ]
    for record in records:
        stored = book.add(ME, record)
        assert stored.id and stored.created_at
        again = book.get(ME, kind_of(stored), stored.id)
        assert again == stored


def test_ids_are_random_and_say_nothing(book: Casebook) -> None:
    ids = {book.add(ME, Case(pseudonym=f"p{i}", subject="individual")).id for i in range(20)}
    assert len(ids) == 20
    assert all(len(i) == 16 for i in ids)


def test_a_stranger_sees_nothing_and_cannot_tell_whether_a_record_exists(book: Casebook, case: Case) -> None:
    incident = book.add(ME, Incident(case.id, TODAY, "threats"))
    for kind, record_id in [("case", case.id), ("incident", incident.id), ("incident", "0" * 16)]:
        with pytest.raises(RecordNotFound) as exc:
            book.get(STRANGER, kind, record_id)
        assert str(exc.value) == str(RecordNotFound())
    with pytest.raises(RecordNotFound):
        book.add(STRANGER, Incident(case.id, TODAY, "threats"))
    with pytest.raises(RecordNotFound):
        book.delete(STRANGER, "case", case.id)
    assert book.cases(STRANGER).items == [] and book.cases(STRANGER).total == 0
    assert book.search(STRANGER, "River") == []
    assert book.missions(STRANGER).total == 0
    assert book.follow_ups(STRANGER).items == []


def test_a_reader_may_read_but_not_write(book: Casebook, case: Case) -> None:
    with book.vault.connection() as conn:
        conn.execute("INSERT INTO access (case_id, principal, role) VALUES (?, ?, 'reader')", (case.id, STRANGER))
    assert book.get(STRANGER, "case", case.id) == case
    with pytest.raises(ReadOnlyAccess):
        book.add(STRANGER, Incident(case.id, TODAY, "threats"))


def test_grant_and_revoke_share_a_case_and_each_change_is_audited(book: Casebook, case: Case) -> None:
    incident = book.add(ME, Incident(case.id, TODAY, "threats"))
    assert book.grant(ME, case.id, STRANGER, "editor") is True
    assert book.grant(ME, case.id, STRANGER, "reader") is False  # an assignment never changes an existing role
    assert book.get(STRANGER, "incident", incident.id) == incident
    book.add(STRANGER, Incident(case.id, TODAY, "detention"))  # an editor writes
    assert book.assignees(ME, case.id) == [(ME, "owner"), (STRANGER, "editor")]
    assert book.owners(STRANGER, [case.id, "0" * 16]) == {case.id: ME}
    assert book.revoke(ME, case.id, STRANGER) is True
    assert book.revoke(ME, case.id, STRANGER) is False
    with pytest.raises(RecordNotFound):
        book.get(STRANGER, "incident", incident.id)
    assert book.owners(STRANGER, [case.id]) == {}
    changes = [(e.action, e.record_id, e.case_id) for e in book.audit(ME) if e.kind == "access" and e.action != "read"]
    given, taken = access_actions(book)
    assert changes == [(taken, STRANGER, case.id), (given, STRANGER, case.id)]


def test_only_who_may_write_a_case_shares_it_and_the_owner_stays(book: Casebook, case: Case) -> None:
    for attempt in (
        lambda: book.grant(STRANGER, case.id, STRANGER, "editor"),
        lambda: book.assignees(STRANGER, case.id),
    ):
        with pytest.raises(RecordNotFound):
            attempt()
    book.grant(ME, case.id, STRANGER, "reader")
    with pytest.raises(ReadOnlyAccess):
        book.grant(STRANGER, case.id, "third", "editor")
    with pytest.raises(ReadOnlyAccess):
        book.revoke(STRANGER, case.id, ME)
    assert book.revoke(ME, case.id, ME) is False  # the owner's row is not an assignment
    assert book.get(ME, "case", case.id) == case
    with pytest.raises(ValueError, match="not a role one can grant"):
        book.grant(ME, case.id, "third", "owner")


def test_every_case_can_be_granted_to_and_taken_from_one_principal(book: Casebook, case: Case) -> None:
    other = book.add(STRANGER, Case(pseudonym="Someone else's", subject="individual"))
    mine = book.add("coordinator", Case(pseudonym="Own case", subject="individual"))
    assert book.grant_every_case("coordinator", "coordinator") == 2
    assert book.grant_every_case("coordinator", "coordinator") == 0
    assert {s.case.id for s in book.cases("coordinator").items} == {case.id, other.id, mine.id}
    assert book.revoke_every_case("admin", "coordinator") == 2
    assert [s.case.id for s in book.cases("coordinator").items] == [mine.id]  # what one owns stays
    grants = [(e.action, e.principal) for e in book.audit("admin") if e.kind == "access"]
    assert grants == [(access_actions(book)[1], "admin")] * 2


def test_a_follow_up_cannot_point_at_another_cases_request(book: Casebook, case: Case) -> None:
    other = book.add(ME, Case(pseudonym="Other", subject="individual"))
    request = book.add(ME, Request(other.id, "ca", ("emergency-visa",)))
    with pytest.raises(RecordNotFound):
        book.add(ME, FollowUp(case.id, TODAY, "chase", request_id=request.id))


def test_timeline_is_everything_newest_first(book: Casebook, case: Case) -> None:
    book.add(ME, Incident(case.id, dt.date(2026, 1, 10), "raid"))
    book.add(ME, Engagement(case.id, dt.date(2026, 2, 1), "nl"))
    book.add(ME, FollowUp(case.id, dt.date(2026, 3, 1), "call back"))
    entries = book.timeline(ME, case.id)
    assert [e.kind for e in entries] == ["follow-up", "engagement", "incident"]
    assert [e.on for e in entries] == ["2026-03-01", "2026-02-01", "2026-01-10"]


def test_per_mission_view_shows_last_engagement_and_open_requests(book: Casebook, case: Case) -> None:
    book.add(ME, Engagement(case.id, dt.date(2026, 1, 1), "ca", "Q1"))
    last = book.add(ME, Engagement(case.id, dt.date(2026, 2, 1), "ca", "Q1", roles="HRD focal point"))
    pending = book.add(ME, Request(case.id, "ca", ("emergency-visa",), mission="Q1", status="sent"))
    book.add(ME, Request(case.id, "ca", ("trial-observation",), mission="Q1", status="declined"))
    book.add(ME, Request(case.id, "no", ("emergency-visa",), status="draft"))
    page = book.missions(ME)
    summaries = {(s.issuer, s.mission): s for s in page.items}
    assert page.total == 2 and [(s.issuer, s.mission) for s in page.items] == [("ca", "Q1"), ("no", "")]
    assert summaries[("ca", "Q1")].last_engagement == last
    assert summaries[("ca", "Q1")].open_requests == (pending,)
    assert summaries[("no", "")].last_engagement is None
    assert len(summaries[("no", "")].open_requests) == 1
    second = book.missions(ME, limit=1, offset=1)
    assert second.total == 2 and [(s.issuer, s.mission) for s in second.items] == [("no", "")]
    assert book.missions(ME, limit=1, offset=5).items == [] and book.missions(ME, limit=1, offset=5).total == 2


def test_overdue_follow_ups_lead_and_done_ones_drop_out(book: Casebook, case: Case) -> None:
    late = book.add(ME, FollowUp(case.id, dt.date(2026, 11, 1), "late"))
    soon = book.add(ME, FollowUp(case.id, dt.date(2026, 12, 1), "soon"))
    book.add(ME, FollowUp(case.id, dt.date(2026, 10, 1), "done", done_on=dt.date(2026, 10, 2)))
    due = book.follow_ups(ME).items
    assert [f.id for f, _case in due] == [late.id, soon.id]
    assert due[0][0].overdue(TODAY) and not due[1][0].overdue(TODAY)
    assert book.cases(ME).items[0].overdue == 1
    assert [f.id for f, _ in book.follow_ups(ME, due_before=TODAY).items] == [late.id]
    assert [f.id for f, _ in book.follow_ups(ME, due_from=TODAY).items] == [soon.id]
    assert book.follow_ups(ME, include_done=True).total == 3
    assert book.follow_ups(ME, limit=1, offset=9).total == 2


def test_search_finds_words_in_any_text_field_and_treats_syntax_as_words(book: Casebook, case: Case) -> None:
    book.add(ME, Incident(case.id, TODAY, "threats", description="Men in a white pickup, no plates"))
    hits = book.search(ME, "pickup")
    assert [h.kind for h in hits] == ["incident"]
    assert book.search(ME, "Río") == book.search(ME, "rio")  # accents do not matter
    for hostile in ['"', "NEAR(a b)", "a OR", "*", "-x", "col:val", "(", "\x00"]:
        book.search(ME, hostile)  # no FTS syntax error reaches the person
    assert book.search(ME, "   ") == []


def test_updates_reindex_and_deleting_a_case_removes_everything(book: Casebook, case: Case) -> None:
    incident = book.add(ME, Incident(case.id, TODAY, "threats", description="first words"))
    book.update(ME, Incident(case.id, TODAY, "threats", description="second words", id=incident.id))
    assert book.search(ME, "first") == []
    assert len(book.search(ME, "second")) == 1
    book.delete(ME, "case", case.id)
    assert book.search(ME, "second") == []
    with pytest.raises(RecordNotFound):
        book.get(ME, "incident", incident.id)


def test_every_read_and_write_is_audited_without_content(book: Casebook, case: Case) -> None:
    incident = book.add(ME, Incident(case.id, TODAY, "threats", description="secret words"))
    book.get(ME, "incident", incident.id)
    book.search(ME, "secret")
    actions = [(e.action, e.kind) for e in book.audit(ME)]
    assert actions[:4] == [("search", "case"), ("read", "incident"), ("create", "incident"), ("create", "case")]
    assert all("secret" not in str(e) for e in book.audit(ME))


def test_nothing_is_readable_once_locked(book: Casebook, case: Case) -> None:
    book.vault.lock()
    with pytest.raises(CasebookLocked):
        book.cases(ME)


@pytest.mark.parametrize(
    ("threats", "vulnerabilities", "capacities", "level"),
    [(1, 1, 5, "low"), (3, 3, 3, "medium"), (4, 4, 2, "high"), (5, 5, 1, "very-high"), (5, 5, 5, "medium")],
)
def test_risk_grows_with_threats_and_vulnerabilities_and_falls_with_capacities(
    threats: int, vulnerabilities: int, capacities: int, level: str
) -> None:
    assessment = RiskAssessment("c", TODAY, threats, vulnerabilities, capacities)
    assert assessment.level == level == risk_level(assessment.score)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=200))
def test_any_search_text_gives_hits_or_nothing_never_an_error(book: Casebook, query: str) -> None:
    assert isinstance(book.search(ME, query), list)


def test_a_failed_first_read_does_not_undo_the_schema(new_store: Callable[[], Store]) -> None:
    fresh = Casebook(new_store())
    with pytest.raises(RecordNotFound):
        fresh.get(ME, "case", "0" * 16)
    with pytest.raises(RecordNotFound):
        fresh.get(ME, "incident", "0" * 16)


def test_the_case_list_comes_in_pages_most_recently_active_first(book: Casebook) -> None:
    cases = [book.add(ME, Case(pseudonym=f"case {i}", subject="individual")) for i in range(5)]
    book.add(ME, Incident(cases[2].id, dt.date(2030, 1, 1), "raid"))  # the most recent activity
    book.update(ME, Case(pseudonym="closed", subject="individual", closed=True, id=cases[3].id))
    page = book.cases(ME, limit=2)
    assert page.total == 5 and page.items[0].case.id == cases[2].id and page.items[0].records == 1
    everything = book.cases(ME).items
    assert everything[-1].case.closed  # closed cases come last
    assert [s.case.id for s in book.cases(ME, limit=2, offset=2).items] == [s.case.id for s in everything[2:4]]
    assert book.cases(ME, limit=2, offset=10).items == [] and book.cases(ME, limit=2, offset=10).total == 5


def test_the_mission_view_shows_only_what_the_principal_may_see(book: Casebook, case: Case) -> None:
    other = book.add(ME, Case(pseudonym="Not shared", subject="individual"))
    book.add(ME, Engagement(case.id, dt.date(2026, 1, 1), "CA", "Q1"))
    book.add(ME, Engagement(other.id, dt.date(2026, 5, 1), "CA", "Q1"))
    book.add(ME, Engagement(other.id, dt.date(2026, 5, 1), "NO", "Q2"))
    with book.vault.connection() as conn:
        conn.execute("INSERT INTO access (case_id, principal, role) VALUES (?, ?, 'reader')", (case.id, STRANGER))
    seen = book.missions(STRANGER)
    assert seen.total == 1 and seen.items[0].last_engagement.occurred_on == dt.date(2026, 1, 1)
    assert book.missions(ME).total == 2 and book.missions(ME).items[0].last_engagement.occurred_on.month == 5
