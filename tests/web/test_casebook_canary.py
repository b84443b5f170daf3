"""A canary in every field of every record, every view exercised: it must never be found in plaintext.

Searched afterwards: the casebook's files, a backup made from the site and one
from the CLI, everything logged (all loggers, at DEBUG), every redirect
address, and every file under the temporary directory.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.test import Client

from amparo.web.casebook import runtime
from tests.web.casebook_helpers import PASSPHRASE

pytestmark = pytest.mark.django_db


def _fields(canary: str) -> dict[str, dict]:
    return {
        "incident": {
            "occurred_on": "2026-03-01",
            "threat": "surveillance",
            "actor_kind": "unknown",
            "place": f"place {canary}",
            "description": f"description {canary}",
            "evidence": f"evidence {canary}",
        },
        "engagement": {
            "occurred_on": "2026-03-05",
            "where": "CA",
            "channel": "meeting",
            "roles": f"roles {canary}",
            "discussed": f"discussed {canary}",
            "outcome": f"outcome {canary}",
            "support_types": ["emergency-visa"],
        },
        "request": {"where": "CA", "support_types": ["emergency-visa"], "status": "draft", "notes": f"notes {canary}"},
        "follow-up": {"due_on": "2026-01-01", "what": f"what {canary}"},
        "risk": {
            "assessed_on": "2026-03-02",
            "threats": "3",
            "vulnerabilities": "3",
            "capacities": "3",
            "notes": f"notes {canary}",
        },
    }


def _files_containing(root: Path, needles: list[bytes]) -> list[str]:
    found = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if any(n in data for n in needles):
                found.append(str(path))
    return found


def _move_out_and_back_in(client: Client, case_id: str, canary: str, tmp_path: Path) -> None:
    """The case moved out to a team (the consent holds the canary too), then a team's file of it imported."""
    import dataclasses

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pyrage import x25519

    from amparo.casebook import transfer

    team, mine = x25519.Identity.generate(), x25519.Identity.generate()
    consent = {"recipient": f"team {canary}", "given_on": "2026-11-30", "agreed_by": f"agreed {canary}"}
    consent |= {"relation": "defender", "means": "phone", "notes": f"consent {canary}", "agree": "on"}
    moved = client.post(f"/en/casebook/cases/{case_id}/move/", {**consent, "key": str(team.to_public())})
    assert moved.status_code == 200 and canary not in moved["Content-Disposition"]
    (tmp_path / "moved.age").write_bytes(moved.content)
    back = transfer.open_sealed(moved.content, identity=str(team))
    other = transfer.new_transfer_id()  # the team's own file for the way back
    consents = tuple(dataclasses.replace(c, transfer_id=other) for c in back.consents)
    back = dataclasses.replace(back, id=other, records={**back.records, "consent": consents})
    sealed = transfer.seal(back, recipients=[str(mine.to_public())])
    data = {"archive": SimpleUploadedFile("back.age", sealed), "identity": str(mine), "received_by": f"by {canary}"}
    assert client.post("/en/casebook/import/", data).status_code == 200


def test_the_canary_is_nowhere_in_plaintext(
    unlocked: Client, casebook_dir: Path, tmp_path: Path, caplog, capfd, monkeypatch
) -> None:
    canary = f"CANARY{uuid.uuid4().hex}"
    needles = [canary.encode("utf-8"), canary.encode("utf-16-le"), canary[6:].encode()]
    caplog.set_level(logging.DEBUG)
    locations: list[str] = []

    def post(url: str, data: dict) -> None:
        response = unlocked.post(url, data)
        assert response.status_code in (200, 302), (url, response.status_code)
        locations.append(response.get("Location", ""))

    post(
        "/en/casebook/cases/new/",
        {"pseudonym": f"pseudonym {canary}", "subject": "group", "country": "HN", "notes": f"notes {canary}"},
    )
    case_id = locations[-1].rstrip("/").rsplit("/", 1)[-1]
    for kind, data in _fields(canary).items():
        post(f"/en/casebook/cases/{case_id}/new/{kind}/", data)
    # every page, every record's edit page, search, exports, the audit log, and an invalid submission
    ids = {"case": case_id} | {e.kind: e.record.id for e in runtime.casebook().timeline("local", case_id)}
    urls = [
        "/en/casebook/",
        "/en/casebook/missions/",
        "/en/casebook/audit/",
        f"/en/casebook/cases/{case_id}/",
        f"/en/casebook/cases/{case_id}/export.csv",
        f"/en/casebook/cases/{case_id}/export.json",
        "/en/casebook/export/engagements.csv",
        "/en/casebook/export/follow-ups.ics",
    ]
    urls += [f"/en/casebook/{kind}/{record_id}/" for kind, record_id in ids.items()]
    for url in urls:
        assert unlocked.get(url).status_code == 200, url
    post("/en/casebook/search/", {"q": canary})
    _move_out_and_back_in(unlocked, case_id, canary, tmp_path)
    unlocked.post(f"/en/casebook/cases/{case_id}/new/incident/", {"description": canary, "occurred_on": "nonsense"})
    backup = unlocked.post("/en/casebook/backup/", {"passphrase": PASSPHRASE})
    assert backup.status_code == 200
    (tmp_path / "site.age").write_bytes(backup.content)

    unlocked.post("/en/casebook/lock/")
    unlocked.post("/en/casebook/unlock/", {"passphrase": canary})  # a wrong passphrase is a canary too
    from amparo.cli import casebook as casebook_cli
    from amparo.cli import main

    passfile = tmp_path / "pass.txt"
    passfile.write_text(PASSPHRASE + "\n")
    monkeypatch.setenv("AMPARO_DATA_DIR", str(casebook_dir.parent))
    monkeypatch.setattr(casebook_cli, "NEW_KDF", runtime.vault().kdf, raising=False)
    result = CliRunner().invoke(main, ["backup", "-o", str(tmp_path / "cli.age"), "--passphrase-file", str(passfile)])
    assert result.exit_code == 0, result.output

    out, err = capfd.readouterr()
    assert canary not in out + err
    assert canary not in caplog.text
    assert not any(canary in location for location in locations)
    assert _files_containing(casebook_dir, needles) == []
    assert _files_containing(tmp_path, needles) == []
    assert _files_containing(Path(tempfile.gettempdir()), needles) == []
    assert casebook_dir.joinpath("casebook.db").stat().st_size > 0
