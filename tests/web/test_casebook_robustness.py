"""Bad input and a failing disk: a form with field errors or a calm page, never a 500, nothing saved lost.

Hypothesis sends every casebook form arbitrary values for its fields (and
fields it does not have). A full disk and a read-only casebook are produced
inside SQLite (``max_page_count``, ``query_only``): the tests run as root, for
whom file permissions do not stop a write, and SQLite reports both exactly as
it does for a real disk.
"""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.web.casebook import runtime
from tests.web.casebook_helpers import new_case
from tests.web.test_casebook_flow import RECORDS

pytestmark = pytest.mark.django_db

FIELDS = {
    "case": ["pseudonym", "subject", "country", "field", "notes", "closed"],
    "incident": ["occurred_on", "threat", "actor_kind", "place", "description", "evidence"],
    "engagement": ["occurred_on", "where", "channel", "roles", "discussed", "support_types", "outcome"],
    "request": ["where", "support_types", "status", "drafted_on", "sent_on", "answered_on", "notes"],
    "follow-up": ["due_on", "what", "request_id", "done_on"],
    "risk": ["assessed_on", "threats", "vulnerabilities", "capacities", "notes"],
}
values = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            "2026-02-30",
            "0000-01-01",
            "9999-12-31",
            "2026-01-01",
            "1",
            "0",
            "6",
            "-1",
            "CA",
            "CA/Q1",
            "DE/Q58643251",
            "emergency-visa",
            "sent",
            "support-given",
            "on",
            "x" * 20_001,
        ]
    ),
    st.dates().map(str),
    st.integers().map(str),
)
form_data = st.dictionaries(
    st.sampled_from(sorted({f for fs in FIELDS.values() for f in fs} | {"junk"})),
    st.one_of(values, st.lists(values, max_size=4)),
    max_size=12,
)

SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _clean(data: dict) -> dict:
    # The test client cannot send NUL bytes in a form body any more than a browser does.
    def strip(v):
        return [strip(x) for x in v] if isinstance(v, list) else v.replace("\x00", "")

    return {k: strip(v) for k, v in data.items()}


@SLOW
@given(kind=st.sampled_from(list(FIELDS)), data=form_data)
def test_any_form_input_gives_a_record_or_field_errors(unlocked: Client, kind: str, data: dict) -> None:
    case_id = getattr(unlocked, "_fuzz_case", None) or new_case(unlocked)
    unlocked._fuzz_case = case_id
    url = "/en/casebook/cases/new/" if kind == "case" else f"/en/casebook/cases/{case_id}/new/{kind}/"
    response = unlocked.post(url, _clean(data))
    assert response.status_code in (302, 400), (kind, response.status_code)
    if response.status_code == 400:
        assert 'class="alert"' in response.content.decode()


@SLOW
@given(data=form_data)
def test_any_edit_input_is_handled(unlocked: Client, data: dict) -> None:
    case_id = getattr(unlocked, "_fuzz_case", None) or new_case(unlocked)
    unlocked._fuzz_case = case_id
    response = unlocked.post(f"/en/casebook/case/{case_id}/", _clean(data))
    assert response.status_code in (302, 400)


@SLOW
@given(
    data=st.dictionaries(
        st.sampled_from(["passphrase", "confirm", "q", "archive", "replace", "support", "case"]), values, max_size=5
    )
)
def test_lifecycle_forms_never_fail(unlocked: Client, data: dict) -> None:
    for url in [
        "/en/casebook/search/",
        "/en/casebook/wipe/",
        "/en/casebook/backup/",
        "/en/casebook/requests/from-plan/",
    ]:
        data = {k: v for k, v in _clean(data).items() if not (url.endswith("wipe/") and v == "WIPE")}
        if url.endswith("backup/"):
            data.pop("passphrase", None)  # a wrong one would impose a delay; that path has its own test
        assert unlocked.post(url, data).status_code in (200, 302, 400), url
    assert runtime.vault().exists


def _saved_incidents(case_id: str) -> int:
    return len(runtime.casebook().records("local", case_id, "incident"))


@pytest.mark.parametrize(
    ("pragma", "words"),
    [("max_page_count = {pages}", "disk is full"), ("query_only = ON", "cannot be written to")],
)
def test_a_full_or_read_only_disk_is_a_calm_error_and_loses_nothing(unlocked: Client, pragma: str, words: str) -> None:
    case_id = new_case(unlocked)
    for _ in range(3):
        assert unlocked.post(f"/en/casebook/cases/{case_id}/new/incident/", RECORDS["incident"]).status_code == 302
    with runtime.vault().connection() as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute("PRAGMA " + pragma.format(pages=pages))
    big = {**RECORDS["incident"], "description": "y" * 9000}
    for _ in range(3):
        response = unlocked.post(f"/en/casebook/cases/{case_id}/new/incident/", big)
        if response.status_code == 503:
            break
    assert response.status_code == 503
    assert words in response.content.decode()
    assert _saved_incidents(case_id) >= 3
    assert unlocked.get(f"/en/casebook/cases/{case_id}/").status_code in (200, 503)
