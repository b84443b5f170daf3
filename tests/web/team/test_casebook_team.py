"""The casebook's pages in team mode: the same views on the team's PostgreSQL store, behind the team login,
with cases shared by scope (owner, assigned members; coordinators and admins see all) and roles deciding
what each member may do there."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client

from amparo.casebook.records import Case
from amparo.web.casebook import runtime
from amparo.web.team.models import Role
from amparo.web.team.permissions import principal_for
from tests.web.team.conftest import log_in

pytestmark = pytest.mark.django_db

CASEBOOK = "/en/casebook/"


def client_for(member) -> Client:
    client = Client()
    assert log_in(client, member).status_code == 302
    return client


def new_case(client: Client, pseudonym: str = "River guardian") -> str:
    response = client.post(CASEBOOK + "cases/new/", {"pseudonym": pseudonym, "subject": "community", "country": "HN"})
    assert response.status_code == 302, response.content[:2000]
    return re.search(r"/cases/([0-9a-f]{16})/", response["Location"]).group(1)


def test_the_casebook_is_behind_the_team_login(team_casebook, make_member):
    anonymous = Client()
    for path in (CASEBOOK, CASEBOOK + "cases/new/", CASEBOOK + "cases/" + "0" * 16 + "/"):
        response = anonymous.get(path)
        assert response.status_code == 302 and response.url.startswith("/en/team/login/?next=/en/casebook/"), path
    assert anonymous.post(CASEBOOK + "search/", {"q": "River"}).status_code == 302
    officer = client_for(make_member("officer", Role.OFFICER))
    page = officer.get(CASEBOOK)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Passphrase" not in page.content.decode() and "Log out" in page.content.decode()


def test_a_half_login_without_the_second_factor_opens_nothing(team_casebook, make_member):
    member = make_member("officer", Role.OFFICER)
    client = Client()
    client.force_login(member.user)  # a password login whose session never passed the second factor
    response = client.get(CASEBOOK)
    assert response.status_code == 302 and response.url.startswith("/en/team/login/")


@pytest.mark.parametrize("page", ["setup/", "unlock/", "passphrase/", "wipe/", "backup/", "restore/"])
def test_the_vaults_own_pages_are_not_found_in_team_mode(team_casebook, make_member, page):
    client = client_for(make_member("admin", Role.ADMIN))
    for method in ("get", "post"):
        assert getattr(client, method)(CASEBOOK + page).status_code == 404, (method, page)
        assert getattr(Client(), method)(CASEBOOK + page).status_code == 404, (method, page)


def test_lock_means_log_out(team_casebook, make_member):
    client = client_for(make_member("officer", Role.OFFICER))
    response = client.post(CASEBOOK + "lock/")
    assert response.status_code == 302 and response.url == "/en/team/login/"
    assert client.get(CASEBOOK).status_code == 302
    assert client.get("/en/team/account/").status_code == 302


def test_an_officer_owns_what_they_record_and_nobody_else_unassigned_sees_it(team_casebook, make_member):
    maria, ana = make_member("maria", Role.OFFICER), make_member("ana", Role.OFFICER)
    mine, theirs = client_for(maria), client_for(ana)
    case_id = new_case(mine)
    assert team_casebook.assignees(principal_for(maria.user), case_id) == [(principal_for(maria.user), "owner")]
    dashboard = mine.get(CASEBOOK).content.decode()
    assert "River guardian" in dashboard and '<th scope="col">Owner</th>' in dashboard
    assert "<bdi>maria</bdi>" in dashboard
    assert "River guardian" not in theirs.get(CASEBOOK).content.decode()
    refused = theirs.get(CASEBOOK + f"cases/{case_id}/")
    assert refused.status_code == 404 and "River guardian" not in refused.content.decode()
    found = theirs.post(CASEBOOK + "search/", {"q": "River"}).content.decode()
    assert "Nothing found." in found and "River guardian" not in found


def test_the_case_table_names_owners_only_in_team_mode_and_the_casebook_stores_no_name(team_casebook, make_member):
    coordinator = make_member("coord", Role.COORDINATOR)
    officer = make_member("maria", Role.OFFICER)
    new_case(client_for(officer), "Maria's case")
    page = client_for(coordinator).get(CASEBOOK).content.decode()
    row = re.search(r"<tr><th scope=\"row\">.*?Maria&#x27;s case.*?</tr>", page).group(0)
    assert "<bdi>maria</bdi>" in row
    with team_casebook.vault.connection() as conn:
        stored = [str(v) for row in conn.execute("SELECT principal FROM access").fetchall() for v in row]
        audit = [str(v) for row in conn.execute("SELECT principal, record_id FROM audit").fetchall() for v in row]
    assert all(p.startswith("p-") for p in stored)
    assert not any("maria" in value or "coord" in value for value in stored + audit)


def test_coordinators_see_every_case_and_assign_officers(team_casebook, make_member):
    coordinator, maria, ana = (
        make_member("coord", Role.COORDINATOR),
        make_member("maria", Role.OFFICER),
        make_member("ana", Role.OFFICER),
    )
    lead, mine, theirs = client_for(coordinator), client_for(maria), client_for(ana)
    case_id = new_case(mine)
    page = lead.get(CASEBOOK + f"cases/{case_id}/").content.decode()
    assert "Who can see this case" in page and "Owner: <bdi>maria</bdi>" in page
    assert f'<option value="{principal_for(ana.user)}">ana (Officer)</option>' in page
    assert "coord (" not in page  # coordinators see every case: they are not among those one assigns
    assert theirs.get(CASEBOOK + f"cases/{case_id}/").status_code == 404

    access = CASEBOOK + f"cases/{case_id}/access/"
    response = lead.post(access, {"action": "assign", "member": principal_for(ana.user)})
    assert response.status_code == 302 and response.url.endswith(f"/cases/{case_id}/#access")
    assert theirs.get(CASEBOOK + f"cases/{case_id}/").status_code == 200
    assert (
        theirs.post(CASEBOOK + f"cases/{case_id}/new/follow-up/", {"due_on": "2030-01-01", "what": "Call"}).status_code
        == 302
    )
    assert "River guardian" in theirs.get(CASEBOOK).content.decode()

    response = lead.post(access, {"action": "remove", "member": principal_for(ana.user)})
    assert response.status_code == 302
    assert theirs.get(CASEBOOK + f"cases/{case_id}/").status_code == 404
    changes = [
        (e.action, e.record_id) for e in team_casebook.audit(principal_for(coordinator.user)) if e.kind == "access"
    ]
    # the access table's trigger records both, as an access row created and deleted (the application adds none)
    assert ("create", principal_for(ana.user)) in changes and ("delete", principal_for(ana.user)) in changes
    # The owner is no assignment to remove; junk is a calm 400; an officer cannot assign at all.
    for data in (
        {"action": "remove", "member": principal_for(maria.user)},
        {"action": "assign", "member": principal_for(coordinator.user)},
        {"action": "assign", "member": "p-" + "0" * 32},
        {"action": "assign", "member": "<script>"},
        {"action": "explode"},
        {},
    ):
        assert lead.post(access, data).status_code == 400, data
    assert mine.get(CASEBOOK + f"cases/{case_id}/").status_code == 200
    refused = mine.post(access, {"action": "assign", "member": principal_for(ana.user)})
    assert refused.status_code == 403
    assert theirs.get(CASEBOOK + f"cases/{case_id}/").status_code == 404
    assert lead.get(access).status_code == 405


def test_a_read_only_member_reads_assigned_cases_and_writes_nothing(team_casebook, make_member):
    admin, reader = make_member("chief", Role.ADMIN), make_member("reader", Role.READ_ONLY)
    boss, them = client_for(admin), client_for(reader)
    case_id = new_case(boss)
    assert (
        boss.post(
            CASEBOOK + f"cases/{case_id}/access/", {"action": "assign", "member": principal_for(reader.user)}
        ).status_code
        == 302
    )
    assert (principal_for(reader.user), "reader") in team_casebook.assignees(principal_for(admin.user), case_id)
    page = them.get(CASEBOOK + f"cases/{case_id}/")
    assert page.status_code == 200 and "River guardian" in page.content.decode()
    assert "Delete this case" not in page.content.decode() and "Export this case" not in page.content.decode()
    assert them.get(CASEBOOK + "cases/new/").status_code == 403
    assert (
        them.post(CASEBOOK + f"cases/{case_id}/new/follow-up/", {"due_on": "2030-01-01", "what": "x"}).status_code
        == 403
    )
    assert them.get(CASEBOOK + f"cases/{case_id}/export.json").status_code == 403
    assert team_casebook.timeline(principal_for(admin.user), case_id) == []


def test_demoting_a_coordinator_leaves_them_only_their_own_cases(team_casebook, make_member):
    admin, coordinator, officer = (
        make_member("chief", Role.ADMIN),
        make_member("coord", Role.COORDINATOR),
        make_member("maria", Role.OFFICER),
    )
    boss, lead = client_for(admin), client_for(coordinator)
    others = new_case(client_for(officer), "Maria's case")
    own = new_case(lead, "Coordinator's own case")
    assert lead.get(CASEBOOK + f"cases/{others}/").status_code == 200
    member_url = f"/en/team/members/{principal_for(coordinator.user)}/"
    assert boss.post(member_url, {"action": "role", "role": "officer"}).status_code == 302
    assert lead.get(CASEBOOK + f"cases/{others}/").status_code == 404
    assert lead.get(CASEBOOK + f"cases/{own}/").status_code == 200
    revoked = [e for e in team_casebook.audit(principal_for(admin.user)) if e.kind == "access" and e.action == "delete"]
    assert [(e.record_id, e.case_id) for e in revoked] == [(principal_for(coordinator.user), others)]


def test_a_new_case_reaches_every_coordinator_on_their_next_page(team_casebook, make_member):
    coordinator, officer = make_member("coord", Role.COORDINATOR), make_member("maria", Role.OFFICER)
    lead = client_for(coordinator)
    assert "No cases yet" in lead.get(CASEBOOK).content.decode()
    team_casebook.add(principal_for(officer.user), Case(pseudonym="Recorded elsewhere", subject="individual"))
    assert "Recorded elsewhere" in lead.get(CASEBOOK).content.decode()


def test_an_unreachable_database_is_a_calm_page_and_one_clear_log_line(make_member, monkeypatch, caplog):
    client = client_for(make_member("officer", Role.OFFICER))
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@/nowhere?host=/nonexistent-amparo-socket")
    runtime.reset_for_tests()
    with caplog.at_level(logging.ERROR, logger="amparo.casebook"):
        for _ in range(2):
            response = client.get(CASEBOOK)
            assert response.status_code == 503 and response["Retry-After"]
            assert "cannot be reached right now" in response.content.decode()
    lines = [r.getMessage() for r in caplog.records if "team casebook" in r.getMessage()]
    assert len(lines) == 1 and "TeamStoreUnavailable" in lines[0] and "nonexistent" not in lines[0]
    runtime.reset_for_tests()


def test_a_wrong_key_file_keeps_the_casebook_closed_with_a_clear_reason(
    team_casebook, make_member, monkeypatch, tmp_path
):
    member = make_member("officer", Role.OFFICER)
    from amparo.casebook.team import create_key_file

    other = tmp_path / "other.key"
    create_key_file(other)
    monkeypatch.setenv("AMPARO_TEAM_KEY_FILE", str(other))
    runtime.reset_for_tests()
    client = client_for(member)  # sessions are sealed with the key file too: the login is a new one
    response = client.get(CASEBOOK)
    assert response.status_code == 503 and "key file" in response.content.decode()
    runtime.reset_for_tests()
