"""``amparo casebook init|status``, ``amparo backup``, ``amparo restore``: passphrases, calm errors, round trips.

New casebooks use the tiny KDF (``NEW_KDF`` is swapped); the data directory is
a temporary AMPARO_DATA_DIR. Tests run as root, where chmod does not stop a
write, so unwritable places are paths that cannot exist or that even root
cannot create files in (/sys).
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pyrage
import pytest
from click.testing import CliRunner, Result
from pyrage import x25519

from amparo.casebook import HEADER_NAME, KDF, Vault, WrongPassphrase, backup
from amparo.cli import casebook as casebook_cli
from amparo.cli import main, vaults

FAST = KDF(time_cost=1, memory_kib=8, parallelism=1)
PASS = "correct horse battery staple"
CANARY = "CANARY-7f3a-Ximena-Embassy-of-Norway"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AMPARO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(casebook_cli, "NEW_KDF", FAST)
    return tmp_path / "data"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def pass_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASS + "\n")
    return path


@pytest.fixture
def created(data_dir: Path, runner: CliRunner, pass_file: Path) -> Path:
    """An initialised casebook holding one canary note; returns its directory."""
    result = runner.invoke(main, ["casebook", "init", "--passphrase-file", str(pass_file)])
    assert result.exit_code == 0, result.output
    vault = Vault(data_dir / "casebook")
    vault.unlock(PASS)
    with vault.connection() as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES (?)", (CANARY,))
    vault.lock()
    return data_dir / "casebook"


def notes(directory: Path, passphrase: str = PASS) -> list[str]:
    vault = Vault(directory)
    vault.unlock(passphrase)
    try:
        with vault.connection() as conn:
            return [row[0] for row in conn.execute("SELECT body FROM notes")]
    finally:
        vault.lock()


def calm_error(result: Result, *words: str) -> str:
    """The result failed with exit code 1 and exactly one line on stderr holding ``words``; returns that line."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert PASS not in result.output
    return lines[0]


@pytest.mark.parametrize("args", [["casebook"], ["casebook", "init"], ["casebook", "status"], ["backup"], ["restore"]])
def test_help_with_an_example(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(main, [*args, "--help"])
    assert result.exit_code == 0
    assert "Example:\n      amparo" in result.output


# -- passphrases: prompt or file, never an option or the environment ------------------------------


def test_init_from_the_prompt(data_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["casebook", "init"], input=f"{PASS}\n{PASS}\n")
    assert result.exit_code == 0, result.output
    assert PASS not in result.output
    vault = Vault(data_dir / "casebook")
    vault.unlock(PASS)
    vault.lock()


def test_init_prompt_confirms(data_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["casebook", "init"], input=f"{PASS}\n{PASS}x\n")
    assert result.exit_code != 0
    assert "do not match" in result.output
    assert not (data_dir / "casebook" / HEADER_NAME).exists()


@pytest.mark.parametrize("content", [PASS + "\n", PASS, PASS + "\r\n", f"{PASS}\nsecond line\n", f"\ufeff{PASS}\n"])
def test_init_from_a_file_takes_the_first_line(data_dir, runner, tmp_path: Path, content: str) -> None:
    path = tmp_path / "p.txt"
    path.write_text(content, encoding="utf-8", newline="")
    result = runner.invoke(main, ["casebook", "init", "--passphrase-file", str(path)])
    assert result.exit_code == 0, result.output
    vault = Vault(data_dir / "casebook")
    vault.unlock(PASS)
    vault.lock()


def test_passphrase_file_keeps_spaces(data_dir, runner, tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text(f" {PASS} \n")
    assert runner.invoke(main, ["casebook", "init", "--passphrase-file", str(path)]).exit_code == 0
    with pytest.raises(WrongPassphrase):
        Vault(data_dir / "casebook").unlock(PASS)


def test_empty_or_unreadable_passphrase_file(data_dir, runner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\nsecond\n")
    calm_error(runner.invoke(main, ["casebook", "init", "--passphrase-file", str(empty)]), "empty")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00")
    calm_error(runner.invoke(main, ["casebook", "init", "--passphrase-file", str(binary)]), "not UTF-8")
    missing = runner.invoke(main, ["casebook", "init", "--passphrase-file", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "does not exist" in missing.output


@pytest.mark.parametrize(
    "args",
    [
        ["casebook", "init", "--passphrase", PASS],
        ["backup", "-o", "x.age", "--passphrase", PASS],
        ["restore", "x.age", "--passphrase", PASS],
    ],
)
def test_no_passphrase_option(data_dir, runner, args: list[str]) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_no_passphrase_from_the_environment(data_dir: Path, runner: CliRunner) -> None:
    names = ("AMPARO_PASSPHRASE", "AMPARO_CASEBOOK_PASSPHRASE", "AMPARO_CASEBOOK_INIT_PASSPHRASE")
    env = {name: PASS for name in names}
    result = runner.invoke(main, ["casebook", "init"], env=env, input="")
    assert result.exit_code != 0  # it prompted, and got nothing
    assert not (data_dir / "casebook" / HEADER_NAME).exists()
    assert "envvar" not in Path(casebook_cli.__file__).read_text() + Path(vaults.__file__).read_text()


def test_weak_passphrase(data_dir: Path, runner: CliRunner) -> None:
    calm_error(runner.invoke(main, ["casebook", "init"], input="short\nshort\n"), "at least 12")


def test_init_twice(created: Path, runner: CliRunner, pass_file: Path) -> None:
    calm_error(runner.invoke(main, ["casebook", "init", "--passphrase-file", str(pass_file)]), "already exists")
    assert notes(created) == [CANARY]


# -- status -----------------------------------------------------------------------------------------


def test_status(data_dir: Path, runner: CliRunner, pass_file: Path) -> None:
    result = runner.invoke(main, ["casebook", "status"])
    assert result.exit_code == 0
    assert "state: missing" in result.output and "SQLCipher: 4." in result.output
    runner.invoke(main, ["casebook", "init", "--passphrase-file", str(pass_file)])
    result = runner.invoke(main, ["casebook", "status"])
    assert result.exit_code == 0
    assert "state: locked" in result.output
    assert PASS not in result.output and "salt" not in result.output
    header = json.loads((data_dir / "casebook" / HEADER_NAME).read_text())
    assert header["kdf"]["salt"] not in result.output
    (data_dir / "casebook" / HEADER_NAME).write_text("{")
    assert "state: damaged" in runner.invoke(main, ["casebook", "status"]).output


# -- backup and restore ---------------------------------------------------------------------------


def test_backup_and_restore_with_an_age_key(created: Path, runner, tmp_path: Path, pass_file: Path) -> None:
    identity = x25519.Identity.generate()
    key_file = tmp_path / "key.txt"
    key_file.write_text(f"# public key: {identity.to_public()}\n{identity}\n")
    out = tmp_path / "casebook.age"
    result = runner.invoke(
        main, ["backup", "-o", str(out), "--recipient", str(identity.to_public()), "--passphrase-file", str(pass_file)]
    )
    assert result.exit_code == 0, result.output
    assert not Vault(created).is_unlocked and out.exists()
    assert CANARY.encode() not in out.read_bytes()
    args = ["restore", str(out), "--identity", str(key_file), "--passphrase-file", str(pass_file)]
    calm_error(runner.invoke(main, args), "already exists", "--replace")
    result = runner.invoke(main, [*args, "--replace"])
    assert result.exit_code == 0, result.output
    assert "it is locked" in result.output
    assert notes(created) == [CANARY]
    calm_error(runner.invoke(main, [*args[:2], "--passphrase-file", str(pass_file), "--replace"]), "identity file")
    other = tmp_path / "other.txt"
    other.write_text(f"{x25519.Identity.generate()}\n")
    calm_error(runner.invoke(main, [*args, "--replace", "--identity", str(other)]), "Wrong passphrase or identity")
    assert notes(created) == [CANARY]


def test_backup_and_restore_with_the_passphrase_from_the_prompt(created: Path, runner, tmp_path: Path) -> None:
    out = tmp_path / "casebook.age"
    result = runner.invoke(main, ["backup", "-o", str(out)], input=f"{PASS}\n")
    assert result.exit_code == 0, result.output
    assert PASS not in result.output
    Vault(created).wipe("WIPE")
    result = runner.invoke(main, ["restore", str(out)], input=f"{PASS}\n")
    assert result.exit_code == 0, result.output
    assert notes(created) == [CANARY]


def test_backup_errors(created: Path, runner: CliRunner, tmp_path: Path, pass_file: Path) -> None:
    wrong = runner.invoke(main, ["backup", "-o", str(tmp_path / "b.age")], input="a wrong passphrase\n")
    calm_error(wrong, "does not open")
    bad = runner.invoke(main, ["backup", "-o", str(tmp_path / "b.age"), "--recipient", "age1nope"], input=f"{PASS}\n")
    calm_error(bad, "not an age public key")
    assert "Casebook passphrase" not in bad.output  # refused before asking
    assert not (tmp_path / "b.age").exists()


def test_backup_without_a_casebook(data_dir: Path, runner: CliRunner, tmp_path: Path, pass_file: Path) -> None:
    result = runner.invoke(main, ["backup", "-o", str(tmp_path / "b.age"), "--passphrase-file", str(pass_file)])
    calm_error(result, "no casebook", "amparo casebook init")


@pytest.mark.parametrize(
    ("place", "cause"),
    [("/nonexistent-folder/casebook.age", "no such folder"), ("/sys/amparo-casebook.age", "")],
)
def test_backup_to_an_unwritable_place(created, runner, pass_file: Path, place: str, cause: str) -> None:
    recipient = str(x25519.Identity.generate().to_public())
    args = ["backup", "-o", place, "--recipient", recipient, "--passphrase-file", str(pass_file)]
    line = calm_error(runner.invoke(main, args))
    assert line.startswith(f"Error: cannot write the backup {place}: {cause}")


def test_backup_to_a_full_disk(created, runner, tmp_path: Path, pass_file: Path, monkeypatch) -> None:
    def full(path: Path, content: bytes, mode: int = 0o644) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "write_atomic", full)
    recipient = str(x25519.Identity.generate().to_public())
    args = ["backup", "-o", str(tmp_path / "b.age"), "--recipient", recipient, "--passphrase-file", str(pass_file)]
    calm_error(runner.invoke(main, args), "the disk is full")


def test_init_in_an_unwritable_data_dir(runner: CliRunner, monkeypatch, pass_file: Path) -> None:
    monkeypatch.setenv("AMPARO_DATA_DIR", "/sys/amparo-data")
    monkeypatch.setattr(casebook_cli, "NEW_KDF", FAST)
    calm_error(runner.invoke(main, ["casebook", "init", "--passphrase-file", str(pass_file)]), "cannot create")


def test_restore_errors(data_dir: Path, runner: CliRunner, tmp_path: Path, pass_file: Path) -> None:
    junk = tmp_path / "junk.age"
    junk.write_bytes(b"not a backup at all")
    calm_error(runner.invoke(main, ["restore", str(junk), "--passphrase-file", str(pass_file)]), "not an Amparo backup")
    missing = runner.invoke(main, ["restore", str(tmp_path / "nope.age"), "--passphrase-file", str(pass_file)])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    bad_key = tmp_path / "key.txt"
    bad_key.write_text("AGE-SECRET-KEY-1THISISNOTAKEY\n")
    sealed = tmp_path / "sealed.age"
    sealed.write_bytes(pyrage.encrypt(b"x", [x25519.Identity.generate().to_public()]))
    args = ["restore", str(sealed), "--identity", str(bad_key), "--passphrase-file", str(pass_file)]
    line = calm_error(runner.invoke(main, args), "not an age secret key")
    assert "THISISNOTAKEY" not in line
    assert not (data_dir / "casebook").exists()


def test_export_a_case_engagements_and_follow_ups(created: Path, runner: CliRunner, tmp_path: Path, pass_file) -> None:
    import datetime as dt

    from amparo.casebook.permissions import LOCAL_PRINCIPAL
    from amparo.casebook.records import Case, Engagement, FollowUp
    from amparo.casebook.repository import Casebook

    vault = Vault(created)
    vault.unlock(PASS)
    book = Casebook(vault)
    case = book.add(LOCAL_PRINCIPAL, Case(pseudonym="=HYPERLINK(evil)", subject="individual"))
    book.add(LOCAL_PRINCIPAL, Engagement(case.id, dt.date(2026, 2, 1), "CA", roles="focal point"))
    book.add(LOCAL_PRINCIPAL, FollowUp(case.id, dt.date(2026, 3, 1), "call, back; soon"))
    vault.lock()
    base = ["casebook", "export", "--passphrase-file", str(pass_file)]
    result = runner.invoke(main, [*base, "--case", case.id, "--format", "json", "-o", str(tmp_path / "case.json")])
    assert result.exit_code == 0, result.output
    exported = json.loads((tmp_path / "case.json").read_text())
    assert exported["case"]["pseudonym"] == "=HYPERLINK(evil)" and len(exported["engagement"]) == 1
    result = runner.invoke(main, [*base, "--engagements"])
    assert result.exit_code == 0 and "'=HYPERLINK(evil)" in result.output  # no formula reaches a spreadsheet
    result = runner.invoke(main, [*base, "--follow-ups"])
    assert "SUMMARY:'=HYPERLINK(evil): call\\, back\\; soon" not in result.output
    assert "DTSTART;VALUE=DATE:20260301" in result.output and "call\\, back\\; soon" in result.output
    assert runner.invoke(main, [*base]).exit_code == 2  # one of the three is required
    missing = runner.invoke(main, [*base, "--case", "0" * 16])
    assert missing.exit_code == 1 and "does not exist" in missing.output
    assert not Vault(created).is_unlocked
