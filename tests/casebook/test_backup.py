"""Casebook backups and restore: round trips, what a backup holds, the age tool, bad archives, crashes.

Argon2 runs with tiny parameters (FAST). Most backups are sealed to an age key,
which is instant; the few sealed to a passphrase cost age's scrypt (about two
seconds each). The standard ``age`` tool is installed in CI by
``scripts/system-packages test``; only its own test is skipped where it is missing.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pyrage
import pytest
from pyrage import x25519

from amparo.casebook import (
    DB_NAME,
    HEADER_NAME,
    KDF,
    BackupDamaged,
    BackupInvalid,
    BackupKeyMismatch,
    CasebookError,
    CasebookExists,
    CasebookLocked,
    InvalidAgeKey,
    StorageError,
    Vault,
    WrongPassphrase,
    backup,
    backup_bytes,
    recover,
    restore_backup,
    write_backup,
)
from amparo.casebook.archive import MANIFEST_NAME, pack

FAST = KDF(time_cost=1, memory_kib=8, parallelism=1)
PASS = "correct horse battery staple"
OLD_PASS = "an older casebook passphrase"
WRONG = "not the passphrase at all"
CANARY = "CANARY-7f3a-Ximena-Embassy-of-Norway"
REPO = Path(__file__).resolve().parents[2]
MEMBERS = {MANIFEST_NAME, HEADER_NAME, DB_NAME}


@pytest.fixture
def identity() -> x25519.Identity:
    return x25519.Identity.generate()


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return tmp_path / "data" / "casebook"


def make_casebook(directory: Path, passphrase: str, marker: str, rows: int = 20) -> Vault:
    """A casebook whose ``notes`` rows all carry ``marker``; left unlocked, with rows still in the WAL."""
    vault = Vault(directory, kdf=FAST)
    vault.create(passphrase)
    with vault.connection() as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        conn.executemany("INSERT INTO notes (body) VALUES (?)", [(f"{marker} {i} {'x' * 300}",) for i in range(rows)])
    return vault


def read_notes(directory: Path, passphrase: str) -> list[str]:
    vault = Vault(directory, kdf=FAST)
    vault.unlock(passphrase)
    try:
        with vault.connection() as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            return [row[0].split(" ")[0] for row in conn.execute("SELECT body FROM notes ORDER BY id")]
    finally:
        vault.lock()


def digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.parent.iterdir() if p.name.startswith(f".{directory.name}."))


@pytest.fixture
def archive(tmp_path: Path, identity: x25519.Identity) -> Path:
    """A backup of a casebook (passphrase PASS, rows marked "new"), sealed to ``identity``."""
    vault = make_casebook(tmp_path / "source", PASS, "new")
    out = tmp_path / "backup.age"
    write_backup(vault, out, recipients=[str(identity.to_public())])
    vault.lock()
    return out


@pytest.fixture
def existing(target: Path) -> dict[str, str]:
    """An existing casebook at ``target`` (OLD_PASS, rows marked "old"), locked; returns its file digests."""
    make_casebook(target, OLD_PASS, "old").lock()
    return digests(target)


def seal_tar(members: list[tuple[tarfile.TarInfo, bytes]], identity: x25519.Identity, path: Path) -> Path:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    path.write_bytes(pyrage.encrypt(buffer.getvalue(), [identity.to_public()]))
    return path


def backup_members(archive: Path, identity: x25519.Identity) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(fileobj=io.BytesIO(pyrage.decrypt(archive.read_bytes(), [identity])), mode="r:") as tar:
        return [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]


# -- round trips -------------------------------------------------------------------------------


def test_round_trip_to_an_age_key(tmp_path: Path, target: Path, identity: x25519.Identity) -> None:
    vault = make_casebook(target, PASS, CANARY, rows=30)
    assert (target / f"{DB_NAME}-wal").stat().st_size > 0  # the rows are still in the WAL: the snapshot checkpoints
    out = tmp_path / "backup.age"
    write_backup(vault, out, recipients=[str(identity.to_public())])
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    vault.wipe("WIPE")
    assert not vault.exists
    restore_backup(target, out, passphrase=PASS, identity=str(identity))
    assert read_notes(target, PASS) == [CANARY] * 30
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in target.iterdir()} == {0o600}
    assert leftovers(target) == []


def test_round_trip_to_the_passphrase(tmp_path: Path, target: Path) -> None:
    vault = make_casebook(tmp_path / "source", PASS, "new")
    out = tmp_path / "backup.age"
    write_backup(vault, out, passphrase=PASS)
    assert out.read_bytes().startswith(b"age-encryption.org/v1\n-> scrypt ")
    restore_backup(target, out, passphrase=PASS)
    assert read_notes(target, PASS) == ["new"] * 20
    with pytest.raises(BackupKeyMismatch):
        restore_backup(tmp_path / "elsewhere", out, passphrase=WRONG)
    assert not (tmp_path / "elsewhere").exists()


def test_backup_and_restore_as_bytes(tmp_path: Path, target: Path, identity: x25519.Identity) -> None:
    vault = make_casebook(tmp_path / "source", PASS, "new")
    sealed = backup_bytes(vault, recipients=[str(identity.to_public())])
    assert sealed.startswith(b"age-encryption.org/v1\n")
    assert list(tmp_path.iterdir()) == [tmp_path / "source"]  # nothing written
    restore_backup(target, sealed, passphrase=PASS, identity=str(identity))
    assert read_notes(target, PASS) == ["new"] * 20
    with pytest.raises(BackupInvalid):
        restore_backup(target, b"junk", passphrase=PASS, identity=str(identity), replace=True)


def test_identity_file_with_comments_and_several_keys(target: Path, archive: Path, identity: x25519.Identity) -> None:
    text = f"# created: today\n# public key: {identity.to_public()}\n{x25519.Identity.generate()}\n\n{identity}\n"
    restore_backup(target, archive, passphrase=PASS, identity=text)
    assert read_notes(target, PASS) == ["new"] * 20


def test_several_recipients(tmp_path: Path, target: Path) -> None:
    first, second = x25519.Identity.generate(), x25519.Identity.generate()
    vault = make_casebook(tmp_path / "source", PASS, "new")
    out = tmp_path / "backup.age"
    write_backup(vault, out, recipients=[str(first.to_public()), str(second.to_public())])
    restore_backup(target, out, passphrase=PASS, identity=str(second))
    assert read_notes(target, PASS) == ["new"] * 20


def test_backup_needs_an_unlocked_casebook(tmp_path: Path, target: Path, identity: x25519.Identity) -> None:
    vault = make_casebook(target, PASS, "x")
    vault.lock()
    with pytest.raises(CasebookLocked):
        write_backup(vault, tmp_path / "b.age", recipients=[str(identity.to_public())])
    assert not (tmp_path / "b.age").exists()


@pytest.mark.parametrize("recipients", [["age1nope"], [], ["ssh-ed25519 AAAA"], ["AGE-SECRET-KEY-1QQQQ"]])
def test_invalid_recipient(tmp_path: Path, target: Path, recipients: list[str]) -> None:
    vault = make_casebook(target, PASS, "x")
    with pytest.raises(InvalidAgeKey) as raised:
        write_backup(vault, tmp_path / "b.age", recipients=recipients)
    assert not (tmp_path / "b.age").exists()
    assert "AGE-SECRET" not in str(raised.value)


# -- what a backup holds ------------------------------------------------------------------------------


def test_backup_holds_no_plaintext_and_no_key(tmp_path: Path, target: Path, identity: x25519.Identity) -> None:
    vault = make_casebook(target, PASS, CANARY)
    key = bytes(vault._key or b"")
    assert len(key) == 32
    out = tmp_path / "backup.age"
    write_backup(vault, out, recipients=[str(identity.to_public())])
    tar_bytes = pyrage.decrypt(out.read_bytes(), [identity])
    for blob in (out.read_bytes(), tar_bytes):  # the file, and what the age layer hides
        for secret in (CANARY.encode(), PASS.encode(), key, key.hex().encode(), key.hex().upper().encode()):
            assert secret not in blob
    members = dict((m.name, (m, data)) for m, data in backup_members(out, identity))
    assert set(members) == MEMBERS
    for info, _data in members.values():
        assert (info.uname, info.gname, info.uid, info.gid, info.mode) == ("", "", 0, 0, 0o600)
    manifest = json.loads(members[MANIFEST_NAME][1])
    assert manifest["format"] == "amparo-casebook-backup" and manifest["version"] == 1
    assert manifest["created"].endswith("Z")
    for name in (HEADER_NAME, DB_NAME):
        assert manifest["files"][name]["sha256"] == hashlib.sha256(members[name][1]).hexdigest()


def test_the_age_tool_decrypts_a_recipient_backup(tmp_path: Path, archive: Path, identity: x25519.Identity) -> None:
    if shutil.which("age") is None:
        pytest.skip("the age tool is not installed (CI installs it: scripts/system-packages test)")
    key_file = tmp_path / "key.txt"
    key_file.write_text(f"{identity}\n")
    result = subprocess.run(["age", "-d", "-i", str(key_file), str(archive)], capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(result.stdout), mode="r:") as tar:
        assert {m.name for m in tar.getmembers()} == MEMBERS
        assert all(m.isreg() for m in tar.getmembers())


# -- restore refuses, and changes nothing ---------------------------------------------------------


def test_restore_refuses_to_replace_without_asking(target: Path, existing: dict, archive: Path, identity) -> None:
    with pytest.raises(CasebookExists):
        restore_backup(target, archive, passphrase=PASS, identity=str(identity))
    assert digests(target) == existing
    assert leftovers(target) == []


def test_restore_replaces_and_shreds_the_old(target: Path, existing: dict, archive: Path, identity) -> None:
    restore_backup(target, archive, passphrase=PASS, identity=str(identity), replace=True)
    assert read_notes(target, PASS) == ["new"] * 20
    with pytest.raises(WrongPassphrase):
        Vault(target).unlock(OLD_PASS)
    assert leftovers(target) == []


def test_restore_locks_the_live_vault(target: Path, archive: Path, identity: x25519.Identity) -> None:
    live = make_casebook(target, OLD_PASS, "old")
    with pytest.raises(ValueError):
        restore_backup(target.parent / "other", archive, passphrase=PASS, identity=str(identity), vault=live)
    assert live.is_unlocked
    restore_backup(target, archive, passphrase=PASS, identity=str(identity), replace=True, vault=live)
    assert not live.is_unlocked
    live.unlock(PASS)
    with live.connection() as conn:
        assert conn.execute("SELECT count(*) FROM notes WHERE body LIKE 'new %'").fetchone() == (20,)
    live.lock()


def tampered(archive: Path, position: float) -> bytes:
    data = bytearray(archive.read_bytes())
    data[int(len(data) * position)] ^= 0x01
    return bytes(data)


BAD_ARCHIVES = {
    "not age": (lambda archive, identity: b"PK\x03\x04 a zip file, or anything else", BackupInvalid),
    "empty": (lambda archive, identity: b"", BackupInvalid),
    "truncated in half": (lambda archive, identity: archive.read_bytes()[: archive.stat().st_size // 2], BackupDamaged),
    "truncated header": (lambda archive, identity: archive.read_bytes()[:40], BackupDamaged),
    "last byte cut": (lambda archive, identity: archive.read_bytes()[:-1], BackupDamaged),
    "byte flipped": (lambda archive, identity: tampered(archive, 0.6), BackupDamaged),
    "age but not a tar": (
        lambda archive, identity: pyrage.encrypt(b"just some text\n" * 100, [identity.to_public()]),
        BackupInvalid,
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_ARCHIVES))
def test_bad_archive_changes_nothing(tmp_path, target, existing, archive, identity, case) -> None:
    make, error = BAD_ARCHIVES[case]
    bad = tmp_path / "bad.age"
    bad.write_bytes(make(archive, identity))
    with pytest.raises(error) as raised:
        restore_backup(target, bad, passphrase=PASS, identity=str(identity), replace=True)
    assert type(raised.value) is error
    assert digests(target) == existing
    assert leftovers(target) == []
    assert read_notes(target, OLD_PASS) == ["old"] * 20


def test_wrong_identity_or_passphrase_changes_nothing(target, existing, archive, identity) -> None:
    other = str(x25519.Identity.generate())
    attempts = [
        ({"passphrase": PASS, "identity": other}, BackupKeyMismatch),
        ({"passphrase": PASS, "identity": None}, BackupKeyMismatch),
        ({"passphrase": WRONG, "identity": str(identity)}, BackupKeyMismatch),
        ({"passphrase": PASS, "identity": "AGE-SECRET-KEY-1NOTAKEY"}, InvalidAgeKey),
        ({"passphrase": PASS, "identity": "# only a comment\n"}, InvalidAgeKey),
    ]
    for kwargs, error in attempts:
        with pytest.raises(error) as raised:
            restore_backup(target, archive, replace=True, **kwargs)
        assert "AGE-SECRET-KEY-1" not in str(raised.value).replace("(AGE-SECRET-KEY-1…)", "")
        assert digests(target) == existing
        assert leftovers(target) == []


def crafted_archives(archive: Path, identity: x25519.Identity, tmp_path: Path) -> dict[str, tuple[Path, type]]:
    good = backup_members(archive, identity)
    by_name = {info.name: (info, data) for info, data in good}

    def renamed(name: str, new: str) -> list[tuple[tarfile.TarInfo, bytes]]:
        out = []
        for info, data in good:
            if info.name == name:
                info = tarfile.TarInfo(new)
                info.size = len(data)
            out.append((info, data))
        return out

    evil = tarfile.TarInfo("../evil")
    evil.size = 4
    link = tarfile.TarInfo(DB_NAME)
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    folder = tarfile.TarInfo("casebook.db.d")
    folder.type = tarfile.DIRTYPE
    manifest = json.loads(by_name[MANIFEST_NAME][1])
    manifest["files"][DB_NAME]["sha256"] = "0" * 64
    bad_manifest = json.dumps(manifest).encode()
    bad_info = tarfile.TarInfo(MANIFEST_NAME)
    bad_info.size = len(bad_manifest)
    newer = json.loads(by_name[MANIFEST_NAME][1]) | {"version": 2}
    newer_bytes = json.dumps(newer).encode()
    newer_info = tarfile.TarInfo(MANIFEST_NAME)
    newer_info.size = len(newer_bytes)
    others = [(i, d) for i, d in good if i.name != MANIFEST_NAME]
    cases = {
        "../evil member": ([*good, (evil, b"evil")], BackupInvalid),
        "traversal instead of the db": (renamed(DB_NAME, "../casebook.db"), BackupInvalid),
        "absolute name": (renamed(DB_NAME, "/var/casebook.db"), BackupInvalid),
        "symlink db": ([by_name[MANIFEST_NAME], by_name[HEADER_NAME], (link, b"")], BackupInvalid),
        "directory member": ([*good, (folder, b"")], BackupInvalid),
        "duplicate member": ([*good, by_name[DB_NAME]], BackupInvalid),
        "no manifest": (others, BackupInvalid),
        "hash mismatch": ([(bad_info, bad_manifest), *others], BackupDamaged),
        "newer version": ([(newer_info, newer_bytes), *others], BackupInvalid),
    }
    return {
        name: (seal_tar(members, identity, tmp_path / f"crafted-{n}.age"), error)
        for n, (name, (members, error)) in enumerate(cases.items())
    }


def test_crafted_archives_are_refused(tmp_path, target, existing, archive, identity) -> None:
    for name, (bad, error) in crafted_archives(archive, identity, tmp_path).items():
        with pytest.raises(BackupInvalid) as raised:
            restore_backup(target, bad, passphrase=PASS, identity=str(identity), replace=True)
        assert type(raised.value) is error, name
        assert digests(target) == existing, name
        assert leftovers(target) == [], name
    assert not (tmp_path / "evil").exists() and not (target.parent / "evil").exists()
    assert "newer version of Amparo" in str(raised.value)


def test_a_database_that_does_not_open_is_refused(tmp_path, target, existing, identity) -> None:
    vault = make_casebook(tmp_path / "source", PASS, "new")
    header, db = vault.snapshot()
    damaged = bytearray(db)
    damaged[len(db) // 2] ^= 0xFF  # inside a page: SQLCipher's HMAC catches it
    bad = tmp_path / "bad.age"
    bad.write_bytes(pyrage.encrypt(pack(header, bytes(damaged)), [identity.to_public()]))
    with pytest.raises(BackupInvalid):
        restore_backup(target, bad, passphrase=PASS, identity=str(identity), replace=True)
    assert digests(target) == existing
    assert leftovers(target) == []


def test_full_disk_while_staging(monkeypatch, target, existing, archive, identity) -> None:
    def full(path: Path, content: bytes, mode: int = 0o644) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "write_atomic", full)
    with pytest.raises(StorageError) as raised:
        restore_backup(target, archive, passphrase=PASS, identity=str(identity), replace=True)
    assert raised.value.errno == errno.ENOSPC
    assert "the disk is full" in str(raised.value)
    assert digests(target) == existing
    assert leftovers(target) == []


def test_full_disk_while_writing_the_backup(monkeypatch, tmp_path, target, identity) -> None:
    vault = make_casebook(target, PASS, "x")
    monkeypatch.setattr(backup, "write_atomic", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    with pytest.raises(StorageError, match="disk is full"):
        write_backup(vault, tmp_path / "b.age", recipients=[str(identity.to_public())])


def test_missing_archive(tmp_path: Path, target: Path) -> None:
    with pytest.raises(StorageError, match="no such file"):
        restore_backup(target, tmp_path / "nowhere.age", passphrase=PASS)


def test_one_restore_at_a_time(target, existing, archive, identity) -> None:
    import fcntl

    fd = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(CasebookError, match="Another restore"):
            restore_backup(target, archive, passphrase=PASS, identity=str(identity), replace=True)
        recover(target)  # does nothing while a restore runs, and does not fail
    finally:
        os.close(fd)
    assert digests(target) == existing


# -- crashes -------------------------------------------------------------------------------------------


def test_fallback_without_renameat2(monkeypatch, target, existing, archive, identity) -> None:
    monkeypatch.setattr(backup, "_renameat2", None)
    restore_backup(target, archive, passphrase=PASS, identity=str(identity), replace=True)
    assert read_notes(target, PASS) == ["new"] * 20
    assert leftovers(target) == []


def test_recover_rolls_back_a_restore_stopped_between_two_renames(target: Path, existing: dict) -> None:
    replaced = target.with_name(f".{target.name}.old-0123")
    staged = target.with_name(f".{target.name}.restore-4567")
    os.rename(target, replaced)
    staged.mkdir()
    (staged / DB_NAME).write_bytes(b"half of a new casebook")
    recover(target)
    assert digests(target) == existing
    assert leftovers(target) == []
    assert read_notes(target, OLD_PASS) == ["old"] * 20


def test_recover_removes_what_a_finished_restore_left(target: Path, existing: dict) -> None:
    for name in (f".{target.name}.old-89ab", f".{target.name}.restore-cdef"):
        (target.parent / name).mkdir()
        (target.parent / name / HEADER_NAME).write_text("{}")
        (target.parent / name / "link").symlink_to(target / DB_NAME)
    recover(target)
    assert leftovers(target) == []
    assert digests(target) == existing  # the link was removed, not followed
    recover(target.parent / "never-created" / "casebook")


@pytest.mark.parametrize("mode", ["exchange", "fallback"])
def test_kill_9_during_restore_leaves_one_whole_casebook(tmp_path, target, identity, mode) -> None:
    """Restore two backups in turn in a child, kill it at random: one whole casebook of the three is there."""
    if mode == "exchange" and backup._renameat2 is None:
        pytest.skip("renameat2 is not available here")
    make_casebook(target, OLD_PASS, "old", rows=200).lock()
    passphrases = {"old": OLD_PASS, "a": "passphrase of backup A", "b": "passphrase of backup B"}
    known = {salt_of(target): ("old", OLD_PASS)}
    archives = []
    for marker in ("a", "b"):
        vault = make_casebook(tmp_path / f"source-{marker}", passphrases[marker], marker, rows=200)
        archives.append(tmp_path / f"{marker}.age")
        write_backup(vault, archives[-1], recipients=[str(identity.to_public())])
        vault.lock()
        known[salt_of(vault.directory)] = (marker, passphrases[marker])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(11)
    seen = set()
    for _ in range(10):
        helper = str(Path(__file__).with_name("_kill_restorer.py"))
        proc = subprocess.Popen(
            [sys.executable, helper, str(target), *map(str, archives), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(f"{passphrases['a']}\n{passphrases['b']}\n{identity}\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        proc.stdin.close()
        proc.stdout.close()
        if mode == "exchange":
            seen.add(whole_casebook(target, known))  # whole even before any recovery
        recover(target)
        assert leftovers(target) == []
        seen.add(whole_casebook(target, known))
    assert seen <= {"old", "a", "b"} and seen & {"a", "b"}  # some kills came after a restore had finished


def salt_of(directory: Path) -> str:
    return json.loads((directory / HEADER_NAME).read_text())["kdf"]["salt"]


def whole_casebook(target: Path, known: dict[str, tuple[str, str]]) -> str:
    """Which casebook ``target`` is (by its header's salt); fails unless it opens and every row agrees.

    Trying passphrases in turn would record failures and impose delays, so the salt picks the one to use.
    """
    marker, passphrase = known[salt_of(target)]
    assert read_notes(target, passphrase) == [marker] * 200
    return marker
