"""IDOR: every casebook URL that names a record, walked from the URLconf, as a member of another scope.

An officer not assigned to a case gets 404 for every address that names it or one of its records, by
GET and by POST, and never a byte of it; a read-only member assigned to the case can read it, and every
write is refused (with data that the case's owner then writes successfully, so the refusal is the role's,
not a form's). Both on the real PostgreSQL store (tests/web/test_team.py runs this file there).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from amparo.casebook.records import Case, Consent, Engagement, FollowUp, Incident, Request, RiskAssessment, kind_of
from amparo.web.casebook.forms import initial_from
from amparo.web.casebook.urls import Format, Kind
from amparo.web.team.models import Role
from amparo.web.team.permissions import principal_for
from tests.web.team.conftest import log_in

pytestmark = pytest.mark.django_db

CANARY = "Canary7f3a"
KEY = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"  # an age public key (age's own example)
# Object URLs whose record id has no <kind> beside it: the kind is the address's own.
KIND_OF_URL = {"follow-up-done": "follow-up", "request-letter": "request"}
# The casebook's pages that change something (or start a change): a read-only member gets none of them.
WRITES = {
    "case-new", "record-new", "record", "record-delete", "follow-up-done", "case-access", "from-plan", "move-out",
    "import",
}  # fmt: skip


def casebook_patterns() -> list[URLPattern]:
    found: list[URLPattern] = []

    def walk(patterns) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns)
            elif isinstance(p, URLPattern) and (p.lookup_str or "").startswith("amparo.web.casebook"):
                found.append(p)

    walk(get_resolver().url_patterns)
    return found


def choices(converter) -> list[str]:
    return converter.regex.split("|")


def urls_for(pattern: URLPattern, records: dict[str, object]) -> list[tuple[str, str, object]]:
    """Every address of ``pattern`` for the victim's records: (url, kind, record), one per kind and format."""
    converters = pattern.pattern.converters
    kinds = choices(Kind) if "kind" in converters else [KIND_OF_URL.get(pattern.name, "case")]
    formats = choices(Format) if "fmt" in converters else [None]
    urls = []
    for kind in kinds:
        for fmt in formats:
            kwargs: dict[str, str] = {}
            record = records[kind]  # the record the address names, or whose kind it makes
            if "case_id" in converters:
                kwargs["case_id"] = records["case"].id
            if "record_id" in converters:
                kwargs["record_id"] = records[kind].id
            if "kind" in converters:
                kwargs["kind"] = kind
            if fmt:
                kwargs["fmt"] = fmt
            unknown = set(converters) - {"case_id", "record_id", "kind", "fmt"}
            assert not unknown, f"{pattern.name}: teach the IDOR walk about {unknown}"
            urls.append((reverse(f"casebook:{pattern.name}", kwargs=kwargs), kind, record))
    return urls


def form_data(record) -> dict:
    """A record as the values its form posts back (dates as ISO, lists as lists, no Nones)."""
    values = {}
    for name, value in initial_from(record).items():
        if value is None or value is False:
            continue
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
    return values


def payload(name: str, kind: str, record, officer: str) -> dict:
    data = {"confirm": "yes", "action": "assign", "member": officer, "case": record.id, "support": "trial-observation"}
    if name in ("record", "record-new"):
        data.update(form_data(record))
    if name == "case-new":
        data.update({"pseudonym": "Written by a reader", "subject": "community"})
    if name == "move-out":  # a consent and a key: a move the case's owner may make
        data.update({"recipient": "A casebook", "given_on": "2026-11-30", "agreed_by": "The defender"})
        data.update({"relation": "defender", "means": "phone", "agree": "on", "key": KEY})
    return data


@pytest.fixture
def victims_case(team_casebook, make_member):
    owner = make_member("owner", Role.OFFICER)
    who = principal_for(owner.user)
    book = team_casebook
    case = book.add(who, Case(pseudonym=f"{CANARY} guardian", subject="community", country="HN", notes=CANARY))
    records = {"case": case}
    for record in (
        Incident(case.id, dt.date(2026, 3, 1), "threats", "company", CANARY, f"{CANARY} was told to stop.", "f1"),
        Engagement(case.id, dt.date(2026, 3, 5), "DE", "", "meeting", "focal point", CANARY, ("trial-observation",)),
        Request(case.id, "CA", ("trial-observation",), drafted_on=dt.date(2026, 3, 6), notes=CANARY),
        FollowUp(case.id, dt.date(2026, 4, 1), f"Ask {CANARY} about the trial date"),
        RiskAssessment(case.id, dt.date(2026, 3, 2), 4, 4, 2, CANARY),
        Consent(case.id, dt.date(2026, 3, 3), f"{CANARY} herself", "defender", "share-mission", "Embassy", "phone"),
    ):
        stored = book.add(who, record)
        records[kind_of(stored)] = stored
    return owner, records


def snapshot(book, who: str, case_id: str) -> list:
    return [book.get(who, "case", case_id), *(dataclasses.astuple(e.record) for e in book.timeline(who, case_id))]


def test_the_walk_covers_every_object_url(team_casebook):
    names = {p.name for p in casebook_patterns() if {"case_id", "record_id"} & set(p.pattern.converters)}
    assert names == {
        "case",
        "record-new",
        "case-access",
        "export-case",
        "record",
        "record-delete",
        "follow-up-done",
        "request-letter",
        "move-out",
    }


def test_an_officer_of_another_scope_gets_404_for_every_object_url(victims_case, make_member, team_casebook):
    owner, records = victims_case
    stranger = make_member("stranger", Role.OFFICER)
    client = Client()
    assert log_in(client, stranger).status_code == 302
    before = snapshot(team_casebook, principal_for(owner.user), records["case"].id)
    walked = 0
    for pattern in casebook_patterns():
        if not {"case_id", "record_id"} & set(pattern.pattern.converters):
            continue
        for url, kind, record in urls_for(pattern, records):
            for method in ("get", "post"):
                data = payload(pattern.name, kind, record, principal_for(stranger.user)) if method == "post" else {}
                response = getattr(client, method)(url, data)
                walked += 1
                body = b"".join(response) if response.streaming else response.content
                assert response.status_code in (404, 405), (method, url, response.status_code)
                assert CANARY.encode() not in body, (method, url)
    assert walked == 2 * 28  # 9 object URL patterns, 28 addresses with their kinds and formats, GET and POST
    assert snapshot(team_casebook, principal_for(owner.user), records["case"].id) == before
    assert principal_for(stranger.user) not in {
        p for p, _r in team_casebook.assignees(principal_for(owner.user), records["case"].id)
    }


def test_a_read_only_member_assigned_to_the_case_reads_it_and_every_write_is_refused(
    victims_case, make_member, team_casebook
):
    owner, records = victims_case
    case_id, owner_p = records["case"].id, principal_for(owner.user)
    reader, colleague = make_member("reader", Role.READ_ONLY), make_member("colleague", Role.OFFICER)
    team_casebook.grant(owner_p, case_id, principal_for(reader.user), "reader")
    client = Client()
    assert log_in(client, reader).status_code == 302
    page = client.get(reverse("casebook:case", kwargs={"case_id": case_id}))
    assert page.status_code == 200 and CANARY in page.content.decode()
    before = snapshot(team_casebook, owner_p, case_id)
    writes: list[tuple[str, dict]] = []
    walked = 0
    for pattern in casebook_patterns():
        addresses = (
            urls_for(pattern, records)
            if {"case_id", "record_id"} & set(pattern.pattern.converters)
            else [
                (
                    reverse(
                        f"casebook:{pattern.name}",
                        kwargs={"fmt": "json"} if "fmt" in pattern.pattern.converters else {},
                    ),
                    "case",
                    records["case"],
                )
            ]
        )
        for url, kind, record in addresses:
            for method in ("get", "post"):
                data = payload(pattern.name, kind, record, principal_for(colleague.user)) if method == "post" else {}
                response = getattr(client, method)(url, data)
                walked += 1
                if pattern.name in WRITES:
                    assert response.status_code in (403, 404, 405), (method, url, response.status_code)
                    if method == "post" and response.status_code == 403:
                        writes.append((url, data))
                assert response.status_code < 500, (method, url)
        if pattern.name == "lock":  # the walk logged itself out: in again, for the patterns still to come
            assert log_in(client, reader).status_code == 302
    assert walked == 2 * 45  # every casebook URL pattern (28 object addresses, 17 others), GET and POST
    assert snapshot(team_casebook, owner_p, case_id) == before
    assert (principal_for(colleague.user), "editor") not in team_casebook.assignees(owner_p, case_id)
    refused = {re.sub(r"[0-9a-f]{16}", "ID", url) for url, _data in writes}
    assert len(refused) == 24, sorted(refused)  # every write address: new, edit, delete per kind, done, assign, moves
    # The same posts from the case's owner (with a coordinator's for the assignment) do write: the data was valid.
    mine = Client()
    assert log_in(mine, owner).status_code == 302
    for url, data in sorted(writes, key=lambda write: write[0].endswith("/delete/")):  # deletions last
        if "/access/" in url or (url.endswith("/delete/") and "/case/" in url):
            continue  # the owner, an officer, neither assigns nor deletes cases: a coordinator's alone
        if url.endswith("/import/"):
            continue  # an import needs a file (tests/web/team/test_transfers.py)
        response = mine.post(url, data)
        assert response.status_code in (200, 302), (url, response.status_code, response.content[:300])
    assert snapshot(team_casebook, owner_p, case_id) != before
