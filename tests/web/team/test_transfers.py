"""Moving a case in and out of the team's casebook (issue 13, item 7), on the real PostgreSQL store: a file made
for the team's public key is opened on the server, shown, then imported with the importer as its owner; a case
goes back to a defender's casebook with the consent recorded; the roles and the case's scope decide who may."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyrage import x25519

from amparo.casebook import transfer
from amparo.casebook.team.keys import age_identity_path, read_age_identity_file
from amparo.web.casebook import transfers
from amparo.web.team.models import Role
from amparo.web.team.permissions import principal_for
from tests.casebook.test_transfer import DEFENDER, consent_to, full_case, local_book
from tests.web.team.test_casebook_team import CASEBOOK, client_for, new_case

pytestmark = pytest.mark.django_db


def team_key() -> str:
    return read_age_identity_file(age_identity_path())[1]


def from_a_defender(tmp_path: Path, pseudonym: str = "Kingfisher") -> tuple[bytes, transfer.Transfer]:
    """A case moved out of a defender's own casebook, sealed to the team's public key."""
    source = local_book(tmp_path, "laptop")
    case = full_case(source, pseudonym=pseudonym)
    consent = dataclasses.replace(consent_to("move-to-team"), transfer_id=transfer.new_transfer_id())
    moved = source.move_out(DEFENDER, case.id, consent)
    return transfer.seal(moved, recipients=[team_key()]), moved


def test_an_officer_sees_the_case_in_the_file_then_imports_it_and_owns_it(team_casebook, make_member, tmp_path):
    officer = make_member("maria", Role.OFFICER)
    client = client_for(officer)
    sealed, moved = from_a_defender(tmp_path)
    page = client.get(CASEBOOK + "import/")
    assert page.status_code == 200 and team_key() in page.content.decode()
    assert 'href="/en/casebook/import/"' in client.get(CASEBOOK).content.decode()
    preview = client.post(CASEBOOK + "import/", {"archive": SimpleUploadedFile("case.age", sealed)})
    text = preview.content.decode()
    assert preview.status_code == 200 and "Check the case before importing it" in text
    assert "Kingfisher" in text and "The defender, by her pseudonym" in text and "Incident: 1" in text
    assert team_casebook.cases(principal_for(officer.user)).total == 0  # nothing yet: only shown
    done = client.post(CASEBOOK + "import/", {"step": "confirm", "received_by": "Maria, protection officer"})
    assert done.status_code == 200 and "Case imported" in done.content.decode()
    case_id = re.search(r"/cases/([0-9a-f]{16})/", done.content.decode()).group(1)
    me = principal_for(officer.user)
    assert team_casebook.assignees(me, case_id) == [(me, "owner")]
    consents = team_casebook.records(me, case_id, "consent")
    assert sorted(c.purpose for c in consents) == ["move-to-team", "received"]
    assert {c.agreed_by for c in consents} == {"The defender, by her pseudonym", "Maria, protection officer"}
    assert {c.transfer_id for c in consents} == {moved.id}
    assert ("import", "case") in {(e.action, e.kind) for e in team_casebook.audit(me)}
    assert "Move the case to a team" in client.get(CASEBOOK + f"cases/{case_id}/").content.decode()
    # The same file again: refused, and nothing doubled.
    client.post(CASEBOOK + "import/", {"archive": SimpleUploadedFile("case.age", sealed)})
    again = client.post(CASEBOOK + "import/", {"step": "confirm", "received_by": "Maria"})
    assert again.status_code == 400 and "imported here already" in again.content.decode()
    assert team_casebook.cases(me).total == 1
    stale = client.post(CASEBOOK + "import/", {"step": "confirm", "received_by": "Maria"})
    assert stale.status_code == 400 and "upload the file again" in stale.content.decode()


def test_the_audit_page_names_an_import(team_casebook, make_member, tmp_path):
    admin, officer = make_member("chief", Role.ADMIN), make_member("maria", Role.OFFICER)
    client = client_for(officer)
    sealed, _moved = from_a_defender(tmp_path)
    client.post(CASEBOOK + "import/", {"archive": SimpleUploadedFile("case.age", sealed)})
    client.post(CASEBOOK + "import/", {"step": "confirm", "received_by": "Maria"})
    page = client_for(admin).get("/en/team/audit/").content.decode()
    assert "Case imported from a transfer file" in page and "Kingfisher" not in page


@pytest.mark.parametrize("junk", [b"", b"not age at all", b"age-encryption.org/v1\n-> X25519 abc\n--- x\n"])
def test_a_file_the_team_cannot_read_is_a_calm_400(team_casebook, make_member, junk):
    client = client_for(make_member("maria", Role.OFFICER))
    response = client.post(CASEBOOK + "import/", {"archive": SimpleUploadedFile("case.age", junk)})
    assert response.status_code == 400


def test_a_file_for_another_key_is_refused(team_casebook, make_member, tmp_path):
    client = client_for(make_member("maria", Role.OFFICER))
    source = local_book(tmp_path, "elsewhere")
    case = full_case(source)
    moved = source.move_out(
        DEFENDER, case.id, dataclasses.replace(consent_to("move-to-team"), transfer_id=transfer.new_transfer_id())
    )
    sealed = transfer.seal(moved, recipients=[str(x25519.Identity.generate().to_public())])
    response = client.post(CASEBOOK + "import/", {"archive": SimpleUploadedFile("case.age", sealed)})
    assert response.status_code == 400 and "does not open this file" in response.content.decode()


def test_a_read_only_member_imports_nothing(team_casebook, make_member, tmp_path):
    client = client_for(make_member("reader", Role.READ_ONLY))
    sealed, _moved = from_a_defender(tmp_path)
    assert client.get(CASEBOOK + "import/").status_code == 403
    refused = client.post(CASEBOOK + "import/", {"archive": SimpleUploadedFile("case.age", sealed)})
    assert refused.status_code == 403 and "Kingfisher" not in refused.content.decode()
    assert "/casebook/import/" not in client.get(CASEBOOK).content.decode()


def test_the_team_moves_a_case_back_to_a_defender_with_the_consent_recorded(team_casebook, make_member):
    officer, stranger = make_member("maria", Role.OFFICER), make_member("ana", Role.OFFICER)
    mine = client_for(officer)
    case_id = new_case(mine, "Heron")
    url = CASEBOOK + f"cases/{case_id}/move/"
    form = {
        "recipient": "Heron's own casebook",
        "given_on": "2026-11-30",
        "agreed_by": "Heron, by phone",
        "relation": "defender",
        "means": "phone",
        "agree": "on",
    }
    for theirs in (client_for(stranger),):  # out of scope: 404 by GET and POST, and nothing recorded
        assert theirs.get(url).status_code == 404
        assert theirs.post(url, {**form, "key": "x"}).status_code == 404
    page = mine.get(url).content.decode()
    assert "Move this case to a defender" in page and "passphrase" in page
    assert mine.post(url, form).status_code == 400  # neither a key nor a passphrase
    defender = x25519.Identity.generate()
    both = {**form, "key": str(defender.to_public()), "passphrase": "a long passphrase", "confirm_passphrase": "x"}
    assert mine.post(url, both).status_code == 400
    to_key = mine.post(url, {**form, "key": str(defender.to_public())})
    assert to_key.status_code == 200 and "Heron" not in to_key["Content-Disposition"]
    moved = transfer.open_sealed(to_key.content, identity=str(defender))
    assert moved.consent is not None and moved.consent.purpose == "move-to-casebook"
    secret = "the river keeps its own counsel"
    to_passphrase = mine.post(url, {**form, "passphrase": secret, "confirm_passphrase": secret})
    assert transfer.open_sealed(to_passphrase.content, passphrase=secret).case.pseudonym == "Heron"
    consents = team_casebook.records(principal_for(officer.user), case_id, "consent")
    assert [c.agreed_by for c in consents] == ["Heron, by phone"] * 2


def test_a_read_only_member_moves_nothing_out(team_casebook, make_member):
    owner, reader = make_member("maria", Role.OFFICER), make_member("reader", Role.READ_ONLY)
    case_id = new_case(client_for(owner))
    team_casebook.grant(principal_for(owner.user), case_id, principal_for(reader.user), "reader")
    client = client_for(reader)
    assert client.get(CASEBOOK + f"cases/{case_id}/").status_code == 200
    assert client.get(CASEBOOK + f"cases/{case_id}/move/").status_code == 403


def test_every_member_sees_the_teams_public_key(team_casebook, make_member):
    page = client_for(make_member("reader", Role.READ_ONLY)).get("/en/team/account/").content.decode()
    assert team_key() in page and "AGE-SECRET-KEY" not in page


def test_without_the_teams_age_key_the_import_page_says_so_calmly(team_casebook, make_member, monkeypatch, tmp_path):
    monkeypatch.setenv("AMPARO_TEAM_AGE_IDENTITY_FILE", str(tmp_path / "missing.txt"))
    client = client_for(make_member("maria", Role.OFFICER))
    response = client.get(CASEBOOK + "import/")
    assert response.status_code == 503 and "Tell your admin" in response.content.decode()
    assert transfers.team_public_key() is None
    assert "no key for case transfers yet" in client.get("/en/team/account/").content.decode()
