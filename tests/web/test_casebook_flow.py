"""The casebook on the site: set up, record, lock, unlock, wipe — as a person would."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from amparo.web.casebook import runtime
from tests.web.casebook_helpers import PASSPHRASE, new_case

pytestmark = pytest.mark.django_db

RECORDS = {
    "incident": {"occurred_on": "2026-03-01", "threat": "threats", "actor_kind": "company", "description": "x"},
    "engagement": {
        "occurred_on": "2026-03-05",
        "where": "DE/Q58643251",
        "channel": "meeting",
        "support_types": ["trial-observation"],
    },
    "request": {"where": "CA", "support_types": ["trial-observation"], "status": "sent", "sent_on": "2026-03-06"},
    "follow-up": {"due_on": "2026-01-01", "what": "Ask for the trial date"},
    "risk": {"assessed_on": "2026-03-02", "threats": "4", "vulnerabilities": "4", "capacities": "2"},
}


def test_first_visit_leads_to_setup_and_setup_unlocks(casebook_dir) -> None:
    client = Client()
    response = client.get("/en/casebook/")
    assert response.status_code == 302 and response["Location"].endswith("/casebook/setup/")
    assert client.get("/en/casebook/setup/").status_code == 200
    response = client.post("/en/casebook/setup/", {"passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    assert response.status_code == 302
    assert client.get("/en/casebook/").status_code == 200


def test_setup_refuses_short_or_mismatched_passphrases(casebook_dir) -> None:
    client = Client()
    assert client.post("/en/casebook/setup/", {"passphrase": "short", "confirm": "short"}).status_code == 400
    response = client.post("/en/casebook/setup/", {"passphrase": PASSPHRASE, "confirm": PASSPHRASE + "x"})
    assert response.status_code == 400
    assert not casebook_dir.joinpath("casebook.json").exists()


def test_a_case_with_every_kind_of_record(unlocked: Client) -> None:
    case_id = new_case(unlocked)
    for kind, data in RECORDS.items():
        response = unlocked.post(f"/en/casebook/cases/{case_id}/new/{kind}/", data)
        assert response.status_code == 302, (kind, response.content.decode()[:3000])
    page = unlocked.get(f"/en/casebook/cases/{case_id}/").content.decode()
    assert "River guardian" in page and "Threats and intimidation" in page and "<svg" in page
    assert "overdue" in page
    dashboard = unlocked.get("/en/casebook/").content.decode()
    assert "Ask for the trial date" in dashboard
    missions = unlocked.get("/en/casebook/missions/").content.decode()
    assert "Canada" in missions and "Germany" in missions


def test_invalid_records_come_back_with_field_errors(unlocked: Client) -> None:
    case_id = new_case(unlocked)
    response = unlocked.post(f"/en/casebook/cases/{case_id}/new/incident/", {"occurred_on": "31/02/2026"})
    assert response.status_code == 400
    assert 'class="alert"' in response.content.decode()


def test_lock_ends_the_session_and_unlock_restores_it(unlocked: Client) -> None:
    case_id = new_case(unlocked)
    assert unlocked.post("/en/casebook/lock/").status_code == 200
    assert not runtime.vault().is_unlocked
    response = unlocked.get(f"/en/casebook/cases/{case_id}/")
    assert response.status_code == 302 and response["Location"].endswith("/casebook/unlock/")
    assert unlocked.post("/en/casebook/unlock/", {"passphrase": "wrong passphrase!!"}).status_code == 403
    assert unlocked.post("/en/casebook/unlock/", {"passphrase": PASSPHRASE}).status_code == 302
    assert unlocked.get(f"/en/casebook/cases/{case_id}/").status_code == 200


def test_a_session_from_an_earlier_unlock_opens_nothing(unlocked: Client) -> None:
    other = Client()
    runtime.vault().lock()
    other.post("/en/casebook/unlock/", {"passphrase": PASSPHRASE})
    assert runtime.vault().is_unlocked
    response = unlocked.get("/en/casebook/")
    assert response.status_code == 302  # the first browser's session belonged to the earlier unlock


def test_repeated_wrong_passphrases_are_slowed_down_calmly(unlocked: Client) -> None:
    unlocked.post("/en/casebook/lock/")
    statuses = [
        unlocked.post("/en/casebook/unlock/", {"passphrase": f"wrong passphrase {i}"}).status_code for i in range(3)
    ]
    assert statuses[0] == 403 and 429 in statuses
    response = unlocked.post("/en/casebook/unlock/", {"passphrase": PASSPHRASE})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "Wait" in response.content.decode()


def test_lock_and_wipe_only_by_post(unlocked: Client) -> None:
    assert unlocked.get("/en/casebook/lock/").status_code == 405
    assert runtime.vault().is_unlocked
    response = unlocked.post("/en/casebook/wipe/", {"confirm": "wipe"})
    assert response.status_code == 400 and runtime.vault().exists
    response = unlocked.post("/en/casebook/wipe/", {"confirm": "WIPE"})
    assert response.status_code == 200 and not runtime.vault().exists


def test_search_words_travel_in_the_body(unlocked: Client) -> None:
    case_id = new_case(unlocked)
    unlocked.post(f"/en/casebook/cases/{case_id}/new/incident/", {**RECORDS["incident"], "description": "white pickup"})
    page = unlocked.post("/en/casebook/search/", {"q": "pickup"}).content.decode()
    assert re.search(r"/casebook/incident/[0-9a-f]{16}/", page)


def test_exports(unlocked: Client) -> None:
    case_id = new_case(unlocked)
    for kind, data in RECORDS.items():
        unlocked.post(f"/en/casebook/cases/{case_id}/new/{kind}/", data)
    assert unlocked.get(f"/en/casebook/cases/{case_id}/export.json")["Content-Type"] == "application/json"
    csv_text = unlocked.get(f"/en/casebook/cases/{case_id}/export.csv").content.decode("utf-8-sig")
    assert csv_text.count("\r\n") == 1 + 1 + len(RECORDS)
    ics = unlocked.get("/en/casebook/export/follow-ups.ics").content.decode()
    assert "BEGIN:VEVENT" in ics and "DTSTART;VALUE=DATE:20260101" in ics
    engagements = unlocked.get("/en/casebook/export/engagements.csv").content.decode("utf-8-sig").splitlines()
    assert len(engagements) == 2
    assert engagements[0].startswith("pseudonym,case_id,occurred_on,issuer,issuer_name,mission")
    assert engagements[1].startswith("River guardian,") and ",DE,Germany,Q58643251," in engagements[1]
    exported = json.loads(unlocked.get(f"/en/casebook/cases/{case_id}/export.json").content)
    assert exported["case"]["pseudonym"] == "River guardian"
    assert {kind: len(exported[kind]) for kind in RECORDS} == dict.fromkeys(RECORDS, 1)


def test_back_up_and_restore_from_the_site(unlocked: Client, casebook_dir) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    case_id = new_case(unlocked, pseudonym="Before the backup")
    wrong = unlocked.post("/en/casebook/backup/", {"passphrase": "not the passphrase at all"})
    assert wrong.status_code == 400 and runtime.vault().is_unlocked
    backup = unlocked.post("/en/casebook/backup/", {"passphrase": PASSPHRASE})
    assert backup.status_code == 200 and backup["Content-Disposition"].endswith('.age"')
    sealed = backup.content
    assert sealed.startswith(b"age-encryption.org/v1")
    new_case(unlocked, pseudonym="After the backup")

    def upload(client, **extra):
        archive = SimpleUploadedFile("casebook.age", sealed, content_type="application/octet-stream")
        return client.post("/en/casebook/restore/", {"archive": archive, "passphrase": PASSPHRASE, **extra})

    assert upload(unlocked).status_code == 400  # replacing needs the box ticked
    assert "After the backup" in unlocked.get("/en/casebook/").content.decode()
    assert upload(unlocked, replace="on").status_code == 200
    assert not runtime.vault().is_unlocked
    assert unlocked.post("/en/casebook/unlock/", {"passphrase": PASSPHRASE}).status_code == 302
    page = unlocked.get("/en/casebook/").content.decode()
    assert "Before the backup" in page and "After the backup" not in page
    assert unlocked.get(f"/en/casebook/cases/{case_id}/").status_code == 200

    # a new machine: no casebook yet, restore from the setup page's link
    unlocked.post("/en/casebook/wipe/", {"confirm": "WIPE"})
    newcomer = Client()
    damaged = SimpleUploadedFile("casebook.age", sealed[:-40], content_type="application/octet-stream")
    response = newcomer.post("/en/casebook/restore/", {"archive": damaged, "passphrase": PASSPHRASE})
    assert response.status_code == 400 and not runtime.vault().exists
    assert upload(newcomer).status_code == 200
    assert newcomer.post("/en/casebook/unlock/", {"passphrase": PASSPHRASE}).status_code == 302
    assert "Before the backup" in newcomer.get("/en/casebook/").content.decode()


def test_request_from_a_navigator_plan(unlocked: Client) -> None:
    case_id = new_case(unlocked)
    plan = {"support": ["trial-observation", "public-statement", "not-a-measure"]}
    page = unlocked.post("/en/casebook/requests/from-plan/", plan).content.decode()
    assert "River guardian" in page  # first: which case?
    page = unlocked.post("/en/casebook/requests/from-plan/", {**plan, "case": case_id}).content.decode()
    checked = set(re.findall(r'<input type="checkbox" name="support_types" value="([a-z-]+)"[^>]* checked>', page))
    assert checked == {"trial-observation", "public-statement"}


def test_the_plan_page_hands_its_measures_over_to_a_request(client: Client, unlocked: Client) -> None:
    """The plan page sends its measures in one field, to stay small on a slow connection: each is ticked."""
    case_id = new_case(unlocked)
    situation = {"country": "HN", "subject": "community", "urgency": "attacked", "exposure": "formal"}
    body = client.post("/en/navigator/plan/", situation).content.decode()
    keep = body[body.index('action="/en/casebook/requests/from-plan/"') :]
    sent = re.search(r'name="support" value="([^"]+)"', keep)[1]
    page = unlocked.post("/en/casebook/requests/from-plan/", {"support": sent, "case": case_id}).content.decode()
    checked = set(re.findall(r'<input type="checkbox" name="support_types" value="([a-z-]+)"[^>]* checked>', page))
    assert len(sent.split()) > 3 and checked == set(sent.split())


def test_a_mission_stays_editable_after_the_case_moved_country(unlocked: Client) -> None:
    case_id = new_case(unlocked, country="HN")
    unlocked.post(f"/en/casebook/cases/{case_id}/new/engagement/", RECORDS["engagement"])
    unlocked.post(
        f"/en/casebook/case/{case_id}/", {"pseudonym": "River guardian", "subject": "community", "country": "MX"}
    )
    engagement = runtime.casebook().records("local", case_id, "engagement")[0]
    page = unlocked.get(f"/en/casebook/engagement/{engagement.id}/").content.decode()
    assert 'value="DE/Q58643251" selected' in page
    response = unlocked.post(f"/en/casebook/engagement/{engagement.id}/", RECORDS["engagement"])
    assert response.status_code == 302


def test_long_lists_come_in_pages(unlocked: Client) -> None:
    import datetime as dt

    from amparo.casebook.records import Case, Engagement

    book = runtime.casebook()
    cases = [book.add("local", Case(pseudonym=f"case {i:03d}", subject="individual")) for i in range(60)]
    for i in range(55):
        book.add("local", Engagement(cases[0].id, dt.date(2026, 1, 1) + dt.timedelta(days=i), "CA", f"Q{i}"))

    def rows(url: str) -> int:
        response = unlocked.get(url)
        assert response.status_code == 200, url
        return response.content.decode().count('<th scope="row">')

    assert rows("/en/casebook/") == 50 and rows("/en/casebook/?page=2") == 10
    assert rows("/en/casebook/?page=999") == 10 and rows("/en/casebook/?page=abc") == 50
    assert rows("/en/casebook/missions/") == 50 and rows("/en/casebook/missions/?page=2") == 5
    assert rows("/en/casebook/missions/?page=7") == 5
    timeline = unlocked.get(f"/en/casebook/cases/{cases[0].id}/?page=2").content.decode()
    assert timeline.count("<li><p><strong>") == 5 and 'rel="prev"' in timeline


def test_change_the_passphrase(unlocked: Client) -> None:
    new = "a brand new passphrase here"
    page = "/en/casebook/passphrase/"
    typo = unlocked.post(page, {"current": "not it at all!", "passphrase": new, "confirm": new})
    assert typo.status_code == 400 and runtime.vault().is_unlocked  # a typo does not lock the casebook
    assert unlocked.post(page, {"current": PASSPHRASE, "passphrase": new, "confirm": new + "x"}).status_code == 400
    assert unlocked.post(page, {"current": PASSPHRASE, "passphrase": new, "confirm": new}).status_code == 200
    assert unlocked.get("/en/casebook/").status_code == 200  # still unlocked, same session
    unlocked.post("/en/casebook/lock/")
    assert unlocked.post("/en/casebook/unlock/", {"passphrase": PASSPHRASE}).status_code == 403
    assert unlocked.post("/en/casebook/unlock/", {"passphrase": new}).status_code == 302


def test_the_casebook_locks_itself_when_idle(casebook_dir, settings) -> None:
    import time

    settings.CASEBOOK_IDLE_MINUTES = 0.5 / 60  # half a second
    runtime.reset_for_tests()
    client = Client()
    client.post("/en/casebook/setup/", {"passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    assert client.get("/en/casebook/").status_code == 200
    time.sleep(0.7)
    response = client.get("/en/casebook/")
    assert response.status_code == 302 and response["Location"].endswith("/casebook/unlock/")
    assert not runtime.vault().is_unlocked


def test_several_worker_processes_switch_the_casebook_off(unlocked: Client, monkeypatch) -> None:
    monkeypatch.setenv(runtime.PROCESSES_ENV, "2")
    response = unlocked.get("/en/casebook/")
    assert response.status_code == 503 and "several processes" in response.content.decode()
    assert Client().get("/en/").status_code == 200  # the public site keeps working


def test_all_follow_ups_page_and_mark_done(unlocked: Client) -> None:
    case_id = new_case(unlocked)
    for day in ("2026-01-01", "2099-01-01"):
        unlocked.post(f"/en/casebook/cases/{case_id}/new/follow-up/", {"due_on": day, "what": f"due {day}"})
    page = unlocked.get("/en/casebook/follow-ups/").content.decode()
    assert page.index("due 2026-01-01") < page.index("due 2099-01-01") and "overdue" in page
    first = runtime.casebook().follow_ups("local").items[0][0]
    response = unlocked.post(f"/en/casebook/follow-up/{first.id}/done/", {"back": "list"})
    assert response.status_code == 302 and response["Location"].endswith("/casebook/follow-ups/")
    assert "due 2026-01-01" not in unlocked.get("/en/casebook/follow-ups/").content.decode()
    dashboard = unlocked.get("/en/casebook/").content.decode()
    assert "Overdue follow-ups (0)" in dashboard and "due 2099-01-01" in dashboard


def test_errors_speak_the_page_language(casebook_dir) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    junk = SimpleUploadedFile("casebook.age", b"not an age file at all", content_type="application/octet-stream")
    response = Client().post("/es/casebook/restore/", {"archive": junk, "passphrase": PASSPHRASE})
    assert response.status_code == 400
    assert "no es una copia de seguridad de Amparo" in response.content.decode()
    client = Client()
    client.post("/fr/casebook/setup/", {"passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    client.post("/fr/casebook/lock/")
    wrong = client.post("/fr/casebook/unlock/", {"passphrase": "pas la bonne phrase"})
    assert wrong.status_code == 403
    assert "Cette phrase de passe n&#x27;ouvre pas ce registre des cas." in wrong.content.decode()


def test_local_mode_has_no_team_sharing_and_every_action_stays_the_owners(unlocked: Client):
    """Team mode's scope and roles leave the local casebook as it was: one person, who may do everything."""
    case_id = new_case(unlocked)
    page = unlocked.get(f"/en/casebook/cases/{case_id}/").content.decode()
    assert "Who can see this case" not in page
    for offered in ("Edit", "Delete this case", "Export this case", "Passphrase", "Lock now"):
        assert offered in page, offered
    dashboard = unlocked.get("/en/casebook/").content.decode()
    assert ">Owner</th>" not in dashboard and "River guardian" in dashboard
    assert (
        unlocked.post(
            f"/en/casebook/cases/{case_id}/access/", {"action": "assign", "member": "p-" + "0" * 32}
        ).status_code
        == 404
    )
    assert runtime.casebook().assignees("local", case_id) == [("local", "owner")]
    assert unlocked.get(f"/en/casebook/cases/{case_id}/export.json").status_code == 200
    assert unlocked.post(f"/en/casebook/case/{case_id}/delete/", {"confirm": "yes"}).status_code == 302
