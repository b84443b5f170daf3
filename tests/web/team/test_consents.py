"""A consent recorded on its own on a team case page: an officer records it in their case, another officer's
scope gets 404 for it, a read-only member 403, and the consent's words are sealed in the database."""

from __future__ import annotations

import pytest
from django.test import Client

from amparo.casebook.records import Case
from amparo.web.team.models import Role
from amparo.web.team.permissions import principal_for
from tests.web.team.conftest import log_in
from tests.web.test_casebook_consents import consent

pytestmark = pytest.mark.django_db


def client_of(member) -> Client:
    client = Client()
    assert log_in(client, member).status_code == 302
    return client


def test_an_officer_records_a_consent_and_another_scope_gets_404(team_casebook, make_member):
    maria, stranger = make_member("maria", Role.OFFICER), make_member("stranger", Role.OFFICER)
    me = principal_for(maria.user)
    case = team_casebook.add(me, Case("Heron", "individual"))
    url = f"/en/casebook/cases/{case.id}/new/consent/"
    other = client_of(stranger)
    assert other.get(url).status_code == 404
    assert other.post(url, consent()).status_code == 404
    assert team_casebook.records(me, case.id, "consent") == []

    mine = client_of(maria)
    assert mine.post(url, consent()).status_code == 302
    (stored,) = team_casebook.records(me, case.id, "consent")
    assert stored.purpose == "share-organisation" and stored.recipient == "Partner NGO in Tegucigalpa"
    assert "Partner NGO in Tegucigalpa" in mine.get(f"/en/casebook/cases/{case.id}/").content.decode()
    assert other.get(f"/en/casebook/cases/{case.id}/").status_code == 404
    with team_casebook.vault.connection() as conn:  # the words are sealed like every personal field
        row = conn.execute("SELECT agreed_by, recipient, notes FROM consents").fetchone()
    assert not [value for value in row if b"Tegucigalpa" in bytes(value) or b"Heron" in bytes(value)]


def test_a_reader_of_the_case_may_not_record_a_consent(team_casebook, make_member):
    maria, reader = make_member("maria", Role.OFFICER), make_member("reader", Role.READ_ONLY)
    me = principal_for(maria.user)
    case = team_casebook.add(me, Case("Heron", "individual"))
    team_casebook.grant(me, case.id, principal_for(reader.user), "reader")
    client = client_of(reader)
    page = client.get(f"/en/casebook/cases/{case.id}/").content.decode()
    assert "/new/consent/" not in page
    assert client.post(f"/en/casebook/cases/{case.id}/new/consent/", consent()).status_code == 403
    assert team_casebook.records(me, case.id, "consent") == []
