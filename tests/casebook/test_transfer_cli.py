"""``amparo casebook move-out`` and ``move-in``: the consent recorded, the file written atomically and private,
read back whole or refused with one calm line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import stat
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from pyrage import x25519

from amparo.casebook import Vault, transfer
from amparo.casebook.permissions import LOCAL_PRINCIPAL
from amparo.casebook.repository import Casebook
from amparo.cli import main
from tests.casebook.test_cli import PASS, calm_error, created, data_dir, pass_file, runner  # noqa: F401
from tests.casebook.test_transfer import full_case


def a_case(directory: Path) -> str:
    vault = Vault(directory)
    vault.unlock(PASS)
    try:
        return full_case(Casebook(vault), LOCAL_PRINCIPAL, "Heron").id
    finally:
        vault.lock()


def book_of(directory: Path) -> tuple[Casebook, Vault]:
    vault = Vault(directory)
    vault.unlock(PASS)
    return Casebook(vault), vault


def move_out(cli: CliRunner, case_id: str, key: str, out: Path, passphrase_file: Path, *extra: str):
    return cli.invoke(
        main,
        [
            "casebook", "move-out", "--case", case_id, "--to", key, "--team", "Protection team",
            "--agreed-by", "Heron, in person", "--how", "in-person", "--on", "2026-11-30", "-o", str(out),
            "--passphrase-file", str(passphrase_file), *extra,
        ],
    )  # fmt: skip


def test_move_out_then_in_from_the_command_line(created: Path, runner: CliRunner, tmp_path: Path, pass_file) -> None:  # noqa: F811
    case_id = a_case(created)
    team = x25519.Identity.generate()
    out = tmp_path / "heron.age"
    result = move_out(runner, case_id, str(team.to_public()), out, pass_file)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and b"Heron" not in out.read_bytes()
    moved = transfer.open_sealed(out.read_bytes(), identity=str(team))
    assert moved.consent is not None and moved.consent.recipient == "Protection team"
    assert str(moved.consent.given_on) == "2026-11-30" and moved.consent.agreed_by == "Heron, in person"
    book, vault = book_of(created)
    try:
        assert len(book.records(LOCAL_PRINCIPAL, case_id, "consent")) == 1  # recorded, and the case stays
    finally:
        vault.lock()

    # Back again, as a team would send it: to this defender's own key.
    mine = x25519.Identity.generate()
    back = tmp_path / "back.age"
    back.write_bytes(transfer.seal(moved, recipients=[str(mine.to_public())]))
    identity = tmp_path / "key.txt"
    identity.write_text(str(mine) + "\n")
    args = ["casebook", "move-in", str(back), "--identity", str(identity), "--received-by", "Heron"]
    refused = runner.invoke(main, [*args, "--passphrase-file", str(pass_file)])
    calm_error(refused, "imported here already")  # this casebook made that file: its consent names it
    other = transfer.new_transfer_id()  # the team's own file for the way back
    consents = tuple(dataclasses.replace(c, transfer_id=other) for c in moved.consents)
    fresh = dataclasses.replace(moved, id=other, records={**moved.records, "consent": consents})
    back.write_bytes(transfer.seal(fresh, recipients=[str(mine.to_public())]))
    result = runner.invoke(main, [*args, "--passphrase-file", str(pass_file)])
    assert result.exit_code == 0, result.output
    assert "imported the case as" in result.output and "incident 1" in result.output
    book, vault = book_of(created)
    try:
        assert sorted(s.case.pseudonym for s in book.cases(LOCAL_PRINCIPAL).items) == ["Heron", "Heron"]
    finally:
        vault.lock()


def test_move_commands_refuse_calmly(created: Path, runner: CliRunner, tmp_path: Path, pass_file) -> None:  # noqa: F811
    case_id = a_case(created)
    out = tmp_path / "x.age"
    calm_error(move_out(runner, case_id, "age1notakey", out, pass_file), "age public key")
    calm_error(move_out(runner, "0" * 16, str(x25519.Identity.generate().to_public()), out, pass_file), "not yours")
    calm_error(move_out(runner, case_id, str(x25519.Identity.generate().to_public()), Path("/nope/x.age"), pass_file))
    key = str(x25519.Identity.generate().to_public())
    calm_error(move_out(runner, case_id, key, out, pass_file, "--on", "1900-01-01"), "between 1950 and 2100")
    calm_error(move_out(runner, case_id, key, out, pass_file, "--agreed-by", " "), "agreed_by is empty")
    calm_error(move_out(runner, case_id, key, out, pass_file, "--team", "x" * 201), "recipient is longer than 200")
    assert not out.exists()
    book, vault = book_of(created)
    try:
        assert book.records(LOCAL_PRINCIPAL, case_id, "consent") == []  # nothing recorded for a refused consent
    finally:
        vault.lock()
    junk = tmp_path / "junk.age"
    junk.write_bytes(b"not a transfer")
    identity = tmp_path / "key.txt"
    identity.write_text(str(x25519.Identity.generate()) + "\n")
    base = ["casebook", "move-in", str(junk), "--received-by", "me", "--passphrase-file", str(pass_file)]
    calm_error(runner.invoke(main, [*base, "--identity", str(identity)]), "not an Amparo case transfer")
    assert runner.invoke(main, base).exit_code == 2  # neither --identity nor --file-passphrase
    big = tmp_path / "big.age"
    big.write_bytes(b"x" * (transfer.MAX_SEALED_BYTES + 1))
    calm_error(runner.invoke(main, [*base[:2], str(big), *base[3:], "--identity", str(identity)]), "too large")


def test_the_demo_and_init_make_the_team_keys_once(tmp_path: Path, monkeypatch, capsys) -> None:
    from amparo.casebook.team.keys import read_age_identity_file
    from amparo.cli import team as team_cli

    monkeypatch.delenv("AMPARO_TEAM_KEY_FILE", raising=False)
    monkeypatch.delenv("AMPARO_TEAM_AGE_IDENTITY_FILE", raising=False)
    cluster = tmp_path / "amparo" / "team-postgres"
    team_cli.demo_key_file(cluster)
    key = tmp_path / "amparo" / "team-demo.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    team_cli.demo_key_file(cluster)  # the next run keeps it (the env var names it now)
    monkeypatch.delenv("AMPARO_TEAM_KEY_FILE")
    team_cli.demo_key_file(cluster)  # and so does a new process
    assert key.read_bytes() == before
    team_cli.ensure_age_identity()
    identity = tmp_path / "amparo" / "team-age-identity.txt"
    text, public = read_age_identity_file(identity)
    assert stat.S_IMODE(identity.stat().st_mode) == 0o600 and public in capsys.readouterr().out
    team_cli.ensure_age_identity()  # never replaced
    assert read_age_identity_file(identity) == (text, public)
    identity.chmod(0o644)
    with pytest.raises(click.ClickException, match="chmod 600"):
        team_cli.ensure_age_identity()


@pytest.fixture
def far_from_utc(monkeypatch):
    """A local time zone whose date is not UTC's right now (at any moment one of UTC+14 and UTC-12 is a day off)."""
    utc_now = dt.datetime.now(dt.UTC)
    zone = "Etc/GMT-14" if utc_now.hour >= 10 else "Etc/GMT+12"  # POSIX names: GMT-14 is UTC+14
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    assert dt.date.today() != dt.datetime.now(dt.UTC).date()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("far_from_utc")
def test_undated_consents_fall_on_utc_days(created: Path, runner: CliRunner, tmp_path: Path, pass_file) -> None:  # noqa: F811
    """As every date and time the casebook keeps (created_at, the pages' "today"): never the computer's local day."""
    case_id = a_case(created)
    team = x25519.Identity.generate()
    out = tmp_path / "heron.age"
    args = ["casebook", "move-out", "--case", case_id, "--to", str(team.to_public()), "--team", "Protection team",
            "--agreed-by", "Heron", "--how", "in-person", "-o", str(out),
            "--passphrase-file", str(pass_file)]  # fmt: skip
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    moved = transfer.open_sealed(out.read_bytes(), identity=str(team))
    assert moved.consent is not None and moved.consent.given_on == dt.datetime.now(dt.UTC).date()

    mine = x25519.Identity.generate()
    other = transfer.new_transfer_id()
    consents = tuple(dataclasses.replace(c, transfer_id=other) for c in moved.consents)
    back = tmp_path / "back.age"
    back.write_bytes(
        transfer.seal(dataclasses.replace(moved, id=other, records={**moved.records, "consent": consents}),
                      recipients=[str(mine.to_public())])
    )  # fmt: skip
    identity = tmp_path / "key.txt"
    identity.write_text(str(mine) + "\n")
    args = ["casebook", "move-in", str(back), "--identity", str(identity), "--received-by", "Heron"]
    result = runner.invoke(main, [*args, "--passphrase-file", str(pass_file)])
    assert result.exit_code == 0, result.output
    book, vault = book_of(created)
    try:
        receipts = [
            c
            for s in book.cases(LOCAL_PRINCIPAL).items
            for c in book.records(LOCAL_PRINCIPAL, s.case.id, "consent")
            if c.purpose == "received"
        ]
    finally:
        vault.lock()
    assert [c.given_on for c in receipts] == [dt.datetime.now(dt.UTC).date()]
