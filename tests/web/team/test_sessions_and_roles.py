"""Sessions a member can see and end; password change ends the others; every page needs a login; roles."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from amparo.web.team.models import Member, Role, Session
from amparo.web.team.permissions import can, principal_for
from amparo.web.team.sessions import STARTED_KEY
from tests.web.team.conftest import PASSWORD, log_in

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"


def logged_in(client: Client) -> bool:
    return client.get("/en/team/account/").status_code == 200


def test_the_session_list_shows_each_session_and_ends_one_or_all(make_member):
    member = make_member()
    laptop, phone, tablet = Client(HTTP_USER_AGENT=FIREFOX), Client(HTTP_USER_AGENT=PHONE), Client()
    for client in (laptop, phone, tablet):
        assert log_in(client, member).status_code == 302
    page = laptop.get("/en/team/account/").content.decode()
    assert "Firefox · Linux" in page and "Chrome · Android" in page
    handles = re.findall(r'name="session" value="([0-9a-f]{32})"', page)
    assert len(handles) == 3
    for client in (laptop, phone, tablet):  # the session key (the cookie) is never in the page
        assert client.cookies["amparo_team"].value not in page
    phone_handle = Session.objects.get(device="Chrome · Android").handle
    assert laptop.post("/en/team/account/sessions/end/", {"session": phone_handle}).status_code == 302
    assert not logged_in(phone) and logged_in(laptop) and logged_in(tablet)
    laptop.post("/en/team/account/sessions/end/", {"session": "others"})
    assert not logged_in(tablet) and logged_in(laptop)
    assert Session.objects.filter(user=member.user).count() == 1


def test_one_cannot_end_another_members_session(make_member):
    maria, ana = make_member("maria"), make_member("ana")
    mine, theirs = Client(), Client()
    log_in(mine, maria)
    log_in(theirs, ana)
    their_handle = Session.objects.get(user=ana.user).handle
    mine.post("/en/team/account/sessions/end/", {"session": their_handle})
    assert logged_in(theirs)


def test_a_password_change_ends_every_other_session(make_member):
    member = make_member()
    here, elsewhere = Client(), Client()
    log_in(here, member)
    log_in(elsewhere, member)
    new = "another quiet walk by the sea 77"
    refused = here.post("/en/team/account/password/", {"current": "wrong", "new_password": new, "confirm": new})
    assert refused.status_code == 400
    response = here.post("/en/team/account/password/", {"current": PASSWORD, "new_password": new, "confirm": new})
    assert response.status_code == 200
    assert logged_in(here) and not logged_in(elsewhere)
    assert Session.objects.filter(user=member.user).count() == 1


def test_sessions_end_after_the_absolute_lifetime(make_member, settings):
    member = make_member()
    client = Client()
    log_in(client, member)
    session = client.session
    session[STARTED_KEY] = time.time() - settings.AMPARO_TEAM_SESSION_HOURS * 3600 - 1
    session.save()
    assert not logged_in(client)


def test_sessions_expire_when_idle(make_member, settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 24 * 3600
    member = make_member()
    client = Client()
    log_in(client, member)
    row = Session.objects.get(user=member.user)
    assert 0 < (row.expire_date - row.last_seen).total_seconds() <= settings.SESSION_COOKIE_AGE + 5


def team_paths() -> list[str]:
    """Every team URL, with made-up arguments."""
    resolver = get_resolver()
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and (p.lookup_str or "").startswith("amparo.web.team"):
                route = prefix + str(p.pattern)
                route = re.sub(r"<str:principal>", "p-" + "0" * 32, route)
                route = re.sub(r"<str:token>", "t" * 43, route)
                found.append("/" + route.replace("^", "").lstrip("/"))

    walk(resolver.url_patterns, "")
    return found


def test_every_team_page_sends_an_anonymous_visitor_to_login():
    paths = team_paths()
    assert len(paths) >= 8
    public = {"/en/team/login/", "/en/team/logout/", "/en/team/enrol/" + "t" * 43 + "/"}
    for path in paths:
        if path in public:
            continue
        for method in ("get", "post"):
            response = getattr(Client(), method)(path)
            assert response.status_code in (302, 405), (method, path, response.status_code)
            if response.status_code == 302:
                assert response.url.startswith("/en/team/login/?next="), (path, response.url)


def test_roles_are_rules_checked_in_one_place(make_member):
    admin, coordinator, officer, reader = (
        make_member("admin", Role.ADMIN),
        make_member("coord", Role.COORDINATOR),
        make_member("officer", Role.OFFICER),
        make_member("reader", Role.READ_ONLY),
    )
    for member, allowed in [(admin, True), (coordinator, True), (officer, False), (reader, False)]:
        client = Client()
        log_in(client, member)
        assert (client.get("/en/team/members/").status_code == 200) is allowed
    assert can(officer.user, "case.change") is False  # without a verified session, no role counts
    with pytest.raises(KeyError):
        can(admin.user, "no.such.permission")


def test_admin_pages_invite_change_roles_and_disable(make_member):
    admin, officer = make_member("admin", Role.ADMIN), make_member("officer", Role.OFFICER)
    client = Client()
    log_in(client, admin)
    page = client.post("/en/team/members/", {"username": "newcomer", "role": "read-only"}).content.decode()
    assert re.search(r"http://[^<]+/en/team/enrol/[A-Za-z0-9_-]{40,}/", page)
    assert Member.objects.get(user__username="newcomer").role == "read-only"
    target = f"/en/team/members/{officer.user.member.principal}/"
    assert client.post(target, {"action": "role", "role": "coordinator"}).status_code == 302
    assert Member.objects.get(user=officer.user).role == "coordinator"
    theirs = Client()
    log_in(theirs, officer)
    assert client.post(target, {"action": "disable"}).status_code == 302
    assert not logged_in(theirs)
    assert log_in(Client(), officer).status_code == 400
    # The last admin stays an admin.
    me = f"/en/team/members/{admin.user.member.principal}/"
    assert client.post(me, {"action": "role", "role": "officer"}).status_code == 400
    assert client.post(me, {"action": "disable"}).status_code == 400
    # Junk and unknown members: calm 4xx, never a 500.
    assert client.post(target, {"action": "role", "role": "emperor"}).status_code == 400
    assert client.post(target, {"action": "explode"}).status_code == 400
    assert client.post("/en/team/members/p-" + "f" * 32 + "/", {"action": "disable"}).status_code == 404
    assert client.post("/en/team/members/nope/", {"action": "disable"}).status_code == 404


def test_a_coordinator_sees_the_members_but_changes_nothing(make_member):
    coordinator, officer = make_member("coord", Role.COORDINATOR), make_member("officer", Role.OFFICER)
    client = Client()
    log_in(client, coordinator)
    assert client.post("/en/team/members/", {"username": "x", "role": "admin"}).status_code == 403
    target = f"/en/team/members/{officer.user.member.principal}/"
    assert client.post(target, {"action": "role", "role": "admin"}).status_code == 403
    assert Member.objects.get(user=officer.user).role == "officer"


def test_principal_is_stable_and_not_the_username(make_member):
    member = make_member("maria")
    principal = principal_for(member.user)
    assert re.fullmatch(r"p-[0-9a-f]{32}", principal) and "maria" not in principal
    member.user.username = "maria2"
    member.user.save()
    member.user.refresh_from_db()
    assert principal_for(member.user) == principal
    assert principal_for(make_member("ana").user) != principal


def test_a_session_row_shows_nothing_of_what_the_member_did(team_casebook, make_member):
    """A database dump must not tell which account a session is, or which country a member filtered by."""
    member = make_member("maria", Role.COORDINATOR)
    client = Client()
    log_in(client, member)
    client.post("/en/casebook/cases/new/", {"pseudonym": "River guardian", "subject": "community", "country": "HN"})
    choice = {"country": "HN", "risk": "", "status": "", "sort": "pseudonym"}
    response = client.post("/en/casebook/", choice, follow=True)
    assert response.status_code == 200 and "River guardian" in response.content.decode()
    assert "Honduras" in response.content.decode()  # the filter held in the session
    row = Session.objects.get(user=member.user)
    stored = row.session_data
    assert DjangoSessionStore().decode(stored) == {}  # not in Django's signed (readable) form
    for hidden in ("pseudonym", "_auth_user_id", "otp_device_id"):
        assert hidden not in stored
    raw = base64.b64decode(stored)
    for hidden in (b'"HN"', b"_auth_user_id", b"otp_device_id", b"pseudonym"):
        assert hidden not in raw


def test_session_data_copied_from_another_members_row_does_not_open(make_member):
    """Whoever can write to the database cannot lend themselves an admin's login by copying its row's data."""
    admin, officer = make_member("ada", Role.ADMIN), make_member("otto", Role.OFFICER)
    theirs, mine = Client(), Client()
    log_in(theirs, admin)
    log_in(mine, officer)
    admin_row = Session.objects.get(user=admin.user)
    Session.objects.filter(user=officer.user).update(session_data=admin_row.session_data)
    assert mine.get("/en/team/members/").status_code == 302  # asked to log in, not the admin's page
    assert not logged_in(mine) and logged_in(theirs)


def test_a_session_sealed_with_another_team_key_is_no_session(make_member, monkeypatch, tmp_path):
    from amparo.casebook.team import create_key_file

    member = make_member()
    client = Client()
    log_in(client, member)
    assert logged_in(client)
    other = tmp_path / "other.key"
    create_key_file(other)
    monkeypatch.setenv("AMPARO_TEAM_KEY_FILE", str(other))
    assert not logged_in(client)
