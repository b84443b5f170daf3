"""Moving a case from the local casebook's pages: out to a team with the consent recorded, and in from a file.

The team's side (the preview, the team's key, who may import) is in tests/web/team/test_transfers.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pyrage import x25519

from amparo.casebook import transfer
from amparo.casebook.records import Consent
from amparo.web.casebook import runtime
from tests.casebook.test_transfer import DEFENDER, consent_to, full_case, local_book
from tests.web.casebook_helpers import new_case

pytestmark = pytest.mark.django_db

TEAM = x25519.Identity.generate()


def consent_form(key: str = str(TEAM.to_public()), **extra: str) -> dict:
    return {
        "recipient": "Protection team of the NGO",
        "key": key,
        "given_on": "2026-11-30",
        "agreed_by": "Heron, the defender",
        "relation": "defender",
        "means": "in-person",
        "notes": "",
        "agree": "on",
        **extra,
    }


def test_moving_out_records_the_consent_then_downloads_a_file_only_the_team_opens(unlocked: Client) -> None:
    case_id = new_case(unlocked, pseudonym="Heron")
    url = f"/en/casebook/cases/{case_id}/move/"
    page = unlocked.get(url)
    assert page.status_code == 200 and "Only the team&#x27;s key opens the file" in page.content.decode()
    assert f'href="{url}"' in unlocked.get(f"/en/casebook/cases/{case_id}/").content.decode()
    for refused in (
        consent_form(agree=""),
        consent_form(key=""),
        consent_form(key="age1notakey"),
        consent_form(agreed_by=""),
        consent_form(given_on="1900-01-01"),
    ):
        if not refused.get("agree"):
            refused.pop("agree")
        assert unlocked.post(url, refused).status_code == 400
    assert runtime.casebook().records(DEFENDER, case_id, "consent") == []  # nothing recorded for a refused form

    response = unlocked.post(url, consent_form())
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="case-') and "Heron" not in disposition
    assert "no-store" in response["Cache-Control"] and response.content.startswith(b"age-encryption.org/v1\n")
    assert b"Heron" not in response.content
    moved = transfer.open_sealed(response.content, identity=str(TEAM))
    assert moved.case.pseudonym == "Heron" and moved.consent is not None
    assert (moved.consent.agreed_by, moved.consent.purpose, moved.consent.given_on) == (
        "Heron, the defender",
        "move-to-team",
        dt.date(2026, 11, 30),
    )
    assert disposition == f'attachment; filename="case-{moved.id[:12]}.age"'
    case_page = unlocked.get(f"/en/casebook/cases/{case_id}/").content.decode()
    assert "Consent" in case_page and "Heron, the defender" in case_page
    assert "Move the case to a team" in case_page and "/casebook/consent/" not in case_page  # no edit link
    assert runtime.casebook().get(DEFENDER, "case", case_id)  # the case stays: deleting it is a separate step
    delete = f"/en/casebook/case/{case_id}/delete/"
    assert f'action="{delete}"' in unlocked.get(url).content.decode()
    asked = unlocked.post(delete)  # the button only asks: the case goes with the confirmation, never by itself
    assert asked.status_code == 200 and runtime.casebook().get(DEFENDER, "case", case_id)
    assert ("move-out", "case") in {(e.action, e.kind) for e in runtime.casebook().audit(DEFENDER)}


def sealed_case(tmp_path: Path, key: x25519.Identity) -> tuple[bytes, transfer.Transfer]:
    source = local_book(tmp_path, "the-team")
    case = full_case(source, pseudonym="Kingfisher")
    consent = dataclasses.replace(consent_to("move-to-casebook", "her own"), transfer_id=transfer.new_transfer_id())
    moved = source.move_out(DEFENDER, case.id, consent)
    return transfer.seal(moved, recipients=[str(key.to_public())]), moved


def upload(sealed: bytes, **fields: str) -> dict:
    return {"archive": SimpleUploadedFile("case.age", sealed), "received_by": "Me", **fields}


def test_importing_a_file_adds_the_case_with_its_receipt_once(unlocked: Client, tmp_path: Path) -> None:
    mine = x25519.Identity.generate()
    sealed, moved = sealed_case(tmp_path, mine)
    assert unlocked.get("/en/casebook/import/").status_code == 200
    assert 'href="/en/casebook/import/"' in unlocked.get("/en/casebook/").content.decode()
    response = unlocked.post("/en/casebook/import/", upload(sealed, identity=str(mine)))
    assert response.status_code == 200, response.content[:3000]
    assert "Case imported" in response.content.decode() and "Kingfisher" in response.content.decode()
    cases = runtime.casebook().cases(DEFENDER).items
    assert [s.case.pseudonym for s in cases] == ["Kingfisher"]
    consents = runtime.casebook().records(DEFENDER, cases[0].case.id, "consent")
    received = [c for c in consents if c.purpose == "received"]
    assert len(consents) == 2 and isinstance(received[0], Consent) and received[0].agreed_by == "Me"
    assert received[0].transfer_id == moved.id
    again = unlocked.post("/en/casebook/import/", upload(sealed, identity=str(mine)))
    assert again.status_code == 400 and "imported here already" in again.content.decode()
    assert runtime.casebook().cases(DEFENDER).total == 1


@pytest.mark.parametrize(
    ("what", "message"),
    [
        ("wrong key", "does not open this file"),
        ("no key", "Give your secret key or the file"),
        ("not a key", "This is not an age secret key"),
        ("not age", "not a case transfer"),
        ("cut short", "damaged"),
        ("too large", "larger than the site accepts"),
    ],
)
def test_a_file_that_cannot_be_imported_is_a_calm_error_and_imports_nothing(
    unlocked: Client, tmp_path: Path, what: str, message: str
) -> None:
    mine = x25519.Identity.generate()
    sealed, _moved = sealed_case(tmp_path, mine)
    fields = {"identity": str(mine)}
    if what == "wrong key":
        fields = {"identity": str(x25519.Identity.generate())}
    elif what == "no key":
        fields = {}
    elif what == "not a key":
        fields = {"identity": "AGE-SECRET-KEY-1 not really"}
    elif what == "not age":
        sealed = b"PK\x03\x04 a zip, not a transfer"
    elif what == "cut short":
        sealed = sealed[: len(sealed) // 2]
    elif what == "too large":
        sealed = b"x" * (transfer.MAX_SEALED_BYTES + 128 * 1024)
    response = unlocked.post("/en/casebook/import/", upload(sealed, **fields))
    assert response.status_code in (400, 413) and message in response.content.decode(), response.content[:2000]
    assert runtime.casebook().cases(DEFENDER).total == 0
