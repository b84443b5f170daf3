"""Team mode while its PostgreSQL cannot be reached: a clear 503 in the member's language, never a 500.

Issue 13: "PostgreSQL restarted during a burst of writes: ... a clear error page while it is down".
The session, the login and the accounts are Django's queries, made before any casebook view runs;
the casebook's are the team store's. Both are cut here as a stopped server cuts them: every query
raises the error Django and the store raise then (bench/team_restart.py does it with a real restart).
"""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends import utils
from django.test import Client

from amparo.casebook.errors import TeamStoreUnavailable
from amparo.casebook.records import Case
from amparo.web.casebook import runtime
from amparo.web.team.models import Role
from tests.web.team.conftest import log_in

pytestmark = pytest.mark.django_db

SENTENCE = {
    "en": "The team&#x27;s database cannot be reached right now: nothing was changed.",
    "es": "No se puede acceder a la base de datos del equipo en este momento: no se cambió nada.",
}
DETAILS = ("Traceback", "OperationalError", "psycopg", "server closed", "host=", "Something went wrong")


@contextmanager
def database_down(team_casebook):
    """Every query of Django's and of the team store's fails as when the server is stopped."""
    lost = OperationalError("server closed the connection unexpectedly")

    @contextmanager
    def no_connection(*args, **kwargs):
        raise TeamStoreUnavailable()
        yield  # pragma: no cover

    with (
        mock.patch.object(utils.CursorWrapper, "execute", side_effect=lost),
        mock.patch.object(utils.CursorWrapper, "executemany", side_effect=lost),
        mock.patch.object(team_casebook.vault, "connection", no_connection),
    ):
        yield


def member_client(make_member, role=Role.OFFICER) -> Client:
    client = Client(raise_request_exception=False)  # what a browser gets: the site's own error handling
    assert log_in(client, make_member("maria", role)).status_code == 302
    return client


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("page", ["casebook/", "casebook/missions/", "team/account/", "team/login/"])
def test_pages_say_the_database_cannot_be_reached_and_nothing_was_saved(team_casebook, make_member, language, page):
    client = member_client(make_member)
    with database_down(team_casebook):
        response = client.get(f"/{language}/{page}")
    text = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] and "no-store" in response["Cache-Control"]
    assert SENTENCE[language] in text
    assert not [detail for detail in DETAILS if detail in text]


def test_a_form_sent_while_it_is_down_saves_nothing_and_the_site_recovers_by_itself(team_casebook, make_member):
    client = member_client(make_member)
    with database_down(team_casebook):
        response = client.post("/en/casebook/cases/new/", {"pseudonym": "River guardian", "subject": "community"})
    assert response.status_code == 503 and SENTENCE["en"] in response.content.decode()
    page = client.get("/en/casebook/")  # the server is back: the same session, no new login
    assert page.status_code == 200 and "River guardian" not in page.content.decode()
    runtime.reset_for_tests()


def test_an_error_that_is_not_the_database_is_still_the_plain_500(team_casebook, make_member):
    client = member_client(make_member)
    with mock.patch("amparo.web.casebook.views.render", side_effect=RuntimeError("a bug")):
        response = client.get("/en/casebook/")
    assert response.status_code == 500 and "cannot be reached" not in response.content.decode()


@contextmanager
def session_save_fails():
    """The database goes away between reading the session and saving it at the end of the request (the
    restart benchmark's one 400): every UPDATE of a session row fails as a stopped server fails it."""
    real = utils.CursorWrapper.execute

    def execute(self, sql, params=None):
        if sql.startswith('UPDATE "team_session"'):
            raise OperationalError("server closed the connection unexpectedly")
        return real(self, sql, params)

    with mock.patch.object(utils.CursorWrapper, "execute", execute):
        yield


def test_a_write_saved_before_the_session_could_be_renewed_is_answered_as_saved(team_casebook, make_member):
    maria = make_member("maria")
    client = Client(raise_request_exception=False)
    assert log_in(client, maria).status_code == 302
    case = team_casebook.add(maria.user.member.principal, Case("Heron", "individual"))
    form = {"occurred_on": "2026-11-20", "threat": "threats", "actor_kind": "unknown", "description": "Saved"}
    with session_save_fails():
        response = client.post(f"/en/casebook/cases/{case.id}/new/incident/", form)
    # Only the idle timer's renewal was lost: the incident is saved, and the answer says so (not a 400).
    assert response.status_code == 302 and f"/cases/{case.id}/" in response["Location"]
    assert "Saved" in client.get(f"/en/casebook/cases/{case.id}/").content.decode()


def test_a_change_to_the_session_it_cannot_save_is_the_outage_page_not_a_400(team_casebook, make_member):
    client = member_client(make_member)
    with session_save_fails():
        response = client.post("/en/casebook/", {"sort": "activity", "country": "", "risk": "", "status": ""})
    assert response.status_code == 503 and response["Retry-After"] and SENTENCE["en"] in response.content.decode()
    assert not [detail for detail in DETAILS if detail in response.content.decode()]
