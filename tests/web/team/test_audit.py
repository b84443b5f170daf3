"""The audit's account events (logins, failed logins, logouts, roles, disabling) and its admin-only page and export.

Run by tests/web/test_team.py in a process of its own, with team settings on a real PostgreSQL:
the events go to the casebook's append-only audit table in Django's own database.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client

from amparo.casebook.records import Case, Incident
from amparo.casebook.repository import Casebook
from amparo.casebook.team import audit as team_audit
from amparo.casebook.team import create_key_file, read_key_file
from amparo.casebook.team.store import TeamConnection
from amparo.web.team.audit import audit_connection, username_hash
from amparo.web.team.permissions import principal_for
from tests.web.team.conftest import log_in

pytestmark = pytest.mark.django_db

CANARY = "Wachtelkoenig8Rz"


def entries() -> list[team_audit.AuditRow]:
    with audit_connection() as conn:
        return list(team_audit.rows_in_order(conn))


def events(action: str) -> list[team_audit.AuditRow]:
    return [r for r in entries() if r.action == action]


def test_a_login_a_failed_login_and_a_logout_are_audited_without_what_was_typed(make_member):
    maria = make_member("maria")
    principal = principal_for(maria.user)
    client = Client()
    assert log_in(client, maria, password="not the password at all").status_code == 400
    assert log_in(client, maria, code="000000").status_code == 400  # the right password, a wrong code
    typed = f"{CANARY}-typo"
    client.post("/en/team/login/", {"username": typed, "password": "x" * 12, "code": "123456"})
    assert log_in(client, maria).status_code == 302
    client.post("/en/team/logout/")
    failed = events("login-failed")
    assert [(r.principal, r.record_id) for r in failed[:2]] == [("", principal)] * 2
    assert (failed[2].record_id, failed[2].detail) == ("", "username " + username_hash(typed))
    assert [(r.principal, r.record_id) for r in events("login")] == [(principal, principal)]
    assert [(r.principal, r.kind) for r in events("logout")] == [(principal, "account")]
    text = repr(entries())
    assert CANARY not in text and "not the password" not in text and "maria" not in text
    with audit_connection() as conn:
        assert team_audit.verify(conn).ok


def test_role_changes_and_disabling_name_the_admin_who_made_them(make_member):
    chief, maria = make_member("chief", "admin"), make_member("maria", "officer")
    admin = Client()
    log_in(admin, chief)
    target = principal_for(maria.user)
    assert admin.post(f"/en/team/members/{target}/", {"action": "role", "role": "coordinator"}).status_code == 302
    admin.post(f"/en/team/members/{target}/", {"action": "disable"})
    admin.post(f"/en/team/members/{target}/", {"action": "enable"})
    admin.post(f"/en/team/members/{target}/", {"action": "reenrol"})
    admin.post("/en/team/members/", {"username": "ana", "role": "read-only"})
    me = principal_for(chief.user)
    seen = [(r.action, r.record_id, r.detail) for r in entries() if r.principal == me]
    ana = principal_for(type(chief.user).objects.get(username="ana"))
    assert seen == [
        ("login", me, "app"),  # the second factor it used
        ("role-change", target, "officer->coordinator"),
        ("account-disabled", target, ""),
        ("account-enabled", target, ""),
        ("app-removed", target, ""),  # a new enrolment link starts from no second factor
        ("enrolment-issued", target, ""),
        ("member-added", ana, "read-only"),
        ("enrolment-issued", ana, ""),
    ]
    # the members the fixture added (as the command line does) have no member acting
    assert [(r.principal, r.action, r.detail) for r in entries()[:2]] == [
        ("", "member-added", "admin"),
        ("", "enrolment-issued", ""),
    ]


@pytest.mark.parametrize("role", ["coordinator", "officer", "read-only"])
def test_only_admins_see_and_export_the_audit(make_member, role):
    member = make_member("someone", role)
    client = Client()
    assert client.get("/en/team/audit/").status_code == 302  # not logged in: to the login page
    log_in(client, member)
    assert client.get("/en/team/audit/").status_code == 403
    assert client.post("/en/team/audit/export/", {"format": "json"}).status_code == 403
    assert client.post("/en/team/audit/", {"action": "login"}).status_code == 403
    assert "/en/team/audit/" not in client.get("/en/team/account/").content.decode()


def test_the_page_filters_by_post_names_members_and_shows_the_chain(make_member):
    chief = make_member("chief", "admin")
    client = Client()
    log_in(client, chief)
    page = client.get("/en/team/audit/")
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    text = page.content.decode()
    assert "The chain of entries is unbroken." in text and "These files are not encrypted:" in text
    assert "chief" in text and "Logged in" in text
    assert (
        client.post("/en/team/audit/", {"principal": principal_for(chief.user), "action": "login"}).status_code == 302
    )
    filtered = client.get("/en/team/audit/").content.decode()
    assert "1 entry" in filtered and "Member added" not in filtered.split("<tbody>")[1]
    client.post("/en/team/audit/", {"clear": "1"})
    assert "Member added" in client.get("/en/team/audit/").content.decode()
    assert client.get("/en/team/audit/?page=x").status_code == 200


def test_a_tampered_chain_is_shown(make_member):
    chief = make_member("chief", "admin")
    client = Client()
    log_in(client, chief)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # a superuser's way around the triggers
        cursor.execute("DELETE FROM audit WHERE seq = 1")
        cursor.execute("SET LOCAL session_replication_role = origin")
    text = client.get("/en/team/audit/").content.decode()
    assert "The audit was tampered with" in text and "just before entry 2" in text


class _InThisTransaction(TeamConnection):
    """Django's own connection as a team store's: the repository's writes join the test's transaction."""

    def commit(self) -> None:
        pass


class _DjangoStore:
    def __init__(self, keys):
        self.keys = keys

    @contextmanager
    def connection(self):
        with audit_connection():  # the casebook's tables, made on Django's test database
            pass
        yield _InThisTransaction(connection.connection, self.keys)


def test_the_export_holds_the_chain_and_no_content(make_member, tmp_path):
    """A case written through the repository, with the canary in its fields, leaves only ids in the audit."""
    key = tmp_path / "team.key"
    create_key_file(key)
    store = _DjangoStore(read_key_file(key))
    chief = make_member("chief", "admin")
    me = principal_for(chief.user)
    book = Casebook(store)
    case = book.add(me, Case(pseudonym=CANARY, subject="individual", notes=CANARY))
    book.add(me, Incident(case.id, dt.date(2026, 11, 25), "threats", description=CANARY))
    book.get(me, "case", case.id)
    with connection.cursor() as cursor:  # the triggers fire at commit, which a test's transaction never reaches
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    client = Client()
    log_in(client, chief)
    page = client.get("/en/team/audit/").content.decode()
    exported = client.post("/en/team/audit/export/", {"format": "json"})
    assert exported["Content-Disposition"] == 'attachment; filename="amparo-audit.json"'
    document = json.loads(exported.content)
    csv_file = client.post("/en/team/audit/export/", {"format": "csv"})
    assert csv_file["Content-Type"].startswith("text/csv")
    for text in (page, exported.content.decode(), csv_file.content.decode("utf-8-sig"), repr(entries())):
        assert CANARY not in text and case.id in text
    assert document["complete"] and document["chain"]["ok"]
    rows = [team_audit.AuditRow.from_mapping(e) for e in document["entries"]]
    assert team_audit.verify_rows(rows).ok  # off the server, from the file alone
    assert {(r.action, r.kind) for r in rows} >= {("create", "case"), ("create", "incident"), ("read", "case")}
    assert entries()[-1].action == "export" and entries()[-1].kind == "audit"


def test_every_account_event_has_its_words_on_the_audit_page():
    from amparo.labels import AUDIT_ACTIONS
    from amparo.web.team import audit

    events = [getattr(audit, name) for name in ("LOGIN", "LOGIN_FAILED", "LOGOUT", "MEMBER_ADDED", "MEMBER_REMOVED")]
    events += [getattr(audit, name) for name in ("ROLE_CHANGED", "ENABLED", "DISABLED", "ENROLMENT")]
    events += [getattr(audit, name) for name in ("PASSKEY_ADDED", "PASSKEY_REMOVED", "APP_ADDED", "APP_REMOVED")]
    events += [audit.RECOVERY_CODES]
    assert set(events) <= set(AUDIT_ACTIONS), set(events) - set(AUDIT_ACTIONS)
