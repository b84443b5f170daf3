"""Restore uploads from anyone (a fresh install needs no session): hostile archives get a calm 4xx."""

from __future__ import annotations

import time

import pyrage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amparo.casebook.archive import MANIFEST_NAME
from amparo.casebook.keys import derivation_slot
from amparo.casebook.vault import DB_NAME, HEADER_NAME
from tests.casebook.test_archive_fuzz import DB, HEADER, tar_of
from tests.web.casebook_helpers import PASSPHRASE


def test_a_deeply_nested_manifest_is_a_calm_400(casebook_dir) -> None:
    """Issue 10, hole 4: this upload raised RecursionError in the manifest check, a 500."""
    nested = b"[" * 10_000 + b"]" * 10_000
    sealed = pyrage.passphrase.encrypt(
        tar_of({MANIFEST_NAME: nested[:60_000], HEADER_NAME: HEADER, DB_NAME: DB}), PASSPHRASE
    )
    upload = SimpleUploadedFile("backup.age", sealed)
    response = Client().post("/en/casebook/restore/", {"archive": upload, "passphrase": PASSPHRASE})
    assert response.status_code == 400
    assert "not an Amparo backup" in response.content.decode()
    assert not (casebook_dir / "casebook.json").exists()


def test_while_a_key_derivation_runs_other_attempts_are_refused_at_once(casebook_dir) -> None:
    """Issue 10, hole 3: parallel uploads each held a server thread; now a second derivation never waits."""
    client = Client()
    client.post("/en/casebook/setup/", {"passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    client.post("/en/casebook/lock/")
    with derivation_slot():  # a restore's scrypt or another unlock, running in another thread
        started = time.monotonic()
        response = Client().post("/en/casebook/unlock/", {"passphrase": PASSPHRASE})
        assert time.monotonic() - started < 1.0
        assert response.status_code == 503 and response["Retry-After"]
        assert "being checked right now" in response.content.decode()
    assert Client().post("/en/casebook/unlock/", {"passphrase": PASSPHRASE}).status_code == 302
