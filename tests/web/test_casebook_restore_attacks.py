"""Restore uploads from anyone (a fresh install needs no session): hostile archives get a calm 4xx."""

from __future__ import annotations

import time

import pyrage
import pytest
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


def test_an_upload_larger_than_the_bound_is_refused_before_it_is_read(casebook_dir, settings) -> None:
    settings.AMPARO_RESTORE_MAX_BYTES = 64 * 1024
    upload = SimpleUploadedFile("backup.age", b"age-encryption.org/v1\n" + b"x" * 100_000)
    response = Client().post("/en/casebook/restore/", {"archive": upload, "passphrase": PASSPHRASE})
    assert response.status_code == 413
    assert "amparo restore" in response.content.decode()
    assert not (casebook_dir / "casebook.json").exists()


def test_a_streamed_upload_stops_at_the_bound(settings) -> None:
    """A body without Content-Length (chunked) is stopped by the upload handler itself."""
    from django.core.files.uploadhandler import StopFutureHandlers, StopUpload

    from amparo.web.casebook.uploads import BoundedMemoryUploadHandler

    settings.AMPARO_RESTORE_MAX_BYTES = 1000
    handler = BoundedMemoryUploadHandler()
    handler.handle_raw_input(None, {}, None, b"x")
    with pytest.raises(StopFutureHandlers):  # Django's way of saying "this handler takes the file"
        handler.new_file("archive", "backup.age", "application/octet-stream", None)
    handler.receive_data_chunk(b"x" * 600, 0)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 600, 600)
