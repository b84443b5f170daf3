"""The casebook vault: keys, locking, throttling, what lands on disk, wipe, crash safety.

Argon2 runs with tiny parameters here (FAST) so the suite stays quick; one test
pins the strong defaults. Time is a fake clock: nothing sleeps.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from argon2.low_level import Type, hash_secret_raw
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from amparo.casebook import (
    DB_NAME,
    HEADER_NAME,
    KDF,
    MAX_CHARS,
    AutoLock,
    CasebookDamaged,
    CasebookExists,
    CasebookLocked,
    CasebookMissing,
    Lane,
    UnlockDelayed,
    UnsupportedSQLCipher,
    Vault,
    WeakPassphrase,
    WipeNotConfirmed,
    WrongPassphrase,
    check_sqlcipher,
    retry_delay,
)

FAST = KDF(time_cost=1, memory_kib=8, parallelism=1)
PASS = "correct horse battery staple"
CANARY = "CANARY-7f3a-Ximena-Embassy-of-Norway"
REPO = Path(__file__).resolve().parents[2]


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "casebook"


@pytest.fixture
def vault(vault_dir: Path, clock: FakeClock) -> Vault:
    v = Vault(vault_dir, clock=clock, idle_seconds=900, kdf=FAST)
    v.create(PASS)
    return v


def count_rows(v: Vault) -> int:
    with v.connection() as conn:
        return conn.execute("SELECT count(*) FROM notes").fetchone()[0]


def all_bytes(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file())


# -- defaults and environment ---------------------------------------------------


def test_default_kdf_is_strong(tmp_path: Path) -> None:
    assert KDF().time_cost >= 3
    assert KDF().memory_kib >= 65536
    assert Vault(tmp_path).kdf == KDF()


def test_kdf_rejects_absurd_parameters() -> None:
    with pytest.raises(ValueError):
        KDF(memory_kib=10**9)
    with pytest.raises(ValueError):
        KDF(time_cost=0)


def test_sqlcipher_is_version_4_or_newer() -> None:
    assert int(check_sqlcipher().split(".")[0]) >= 4


def test_plain_sqlite_is_refused() -> None:
    with pytest.raises(UnsupportedSQLCipher):
        check_sqlcipher(sqlite3.connect)


def test_sqlcipher_3_is_refused() -> None:
    class Old:
        def execute(self, sql: str) -> Old:
            return self

        def fetchall(self) -> list[tuple[str]]:
            return [("3.4.2 community",)]

        def close(self) -> None:
            pass

    with pytest.raises(UnsupportedSQLCipher, match="too old"):
        check_sqlcipher(lambda _name: Old())


# -- create, lock, unlock -----------------------------------------------------------


def test_round_trip(vault: Vault, vault_dir: Path) -> None:
    assert vault.is_unlocked  # create leaves it unlocked
    with vault.connection() as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES (?)", ("hello",))
    vault.lock()
    assert not vault.is_unlocked
    with pytest.raises(CasebookLocked):
        count_rows(vault)
    again = Vault(vault_dir, kdf=FAST)
    again.unlock(PASS)
    assert count_rows(again) == 1


def test_pragmas_and_modes(vault: Vault, vault_dir: Path) -> None:
    with vault.connection() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        conn.execute("CREATE TABLE notes (body TEXT)")
    assert stat.S_IMODE(vault_dir.stat().st_mode) == 0o700
    for path in vault_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_create_refuses_existing(vault: Vault, vault_dir: Path) -> None:
    with pytest.raises(CasebookExists):
        Vault(vault_dir, kdf=FAST).create("another long passphrase")


def test_missing(tmp_path: Path) -> None:
    v = Vault(tmp_path / "nothing", kdf=FAST)
    assert not v.exists
    with pytest.raises(CasebookMissing):
        v.unlock(PASS)
    with pytest.raises(CasebookLocked):
        v.touch()


@pytest.mark.parametrize(
    "weak", ["", "short", "elevenchars", "a" * (MAX_CHARS + 1), "twelve chars\x00!", 12 * "\ud800"]
)
def test_weak_passphrase_refused(vault_dir: Path, weak: str) -> None:
    with pytest.raises(WeakPassphrase):
        Vault(vault_dir, kdf=FAST).create(weak)
    assert not (vault_dir / HEADER_NAME).exists()
    assert not (vault_dir / DB_NAME).exists()


def test_length_counts_characters_not_bytes(vault_dir: Path) -> None:
    Vault(vault_dir, kdf=FAST).create("ñ" * 12)  # 24 bytes, 12 characters
    with pytest.raises(WeakPassphrase):
        Vault(vault_dir.parent / "other", kdf=FAST).create("ñ" * 11)


def test_unicode_normalisation(vault_dir: Path) -> None:
    composed = "contraseña segura"
    decomposed = "contrasen\u0303a segura"
    Vault(vault_dir, kdf=FAST).create(composed)
    Vault(vault_dir, kdf=FAST).unlock(decomposed)


def test_truncated_database_is_damaged_not_wrong(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    (vault_dir / DB_NAME).write_bytes(b"")
    with pytest.raises(CasebookDamaged):
        Vault(vault_dir, kdf=FAST).unlock(PASS)


def test_damaged_header(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    (vault_dir / HEADER_NAME).write_text("{not json")
    with pytest.raises(CasebookDamaged):
        Vault(vault_dir, kdf=FAST).unlock(PASS)


# -- wrong passphrases and the growing delay ------------------------------------------


def test_retry_delay_schedule() -> None:
    assert [retry_delay(n) for n in range(10)] == [0, 0, 1, 2, 4, 8, 16, 32, 60, 60]
    assert retry_delay(10**6) == 60


def test_wrong_passphrase_and_growing_delay(vault: Vault, clock: FakeClock) -> None:
    vault.lock()
    with pytest.raises(WrongPassphrase) as first:
        vault.unlock("not the passphrase")
    assert first.value.retry_after == 0
    assert not vault.is_unlocked
    with pytest.raises(WrongPassphrase) as second:
        vault.unlock("still not the passphrase")
    assert second.value.retry_after == 1
    # Too soon: refused even with the right passphrase, without trying it.
    with pytest.raises(UnlockDelayed) as early:
        vault.unlock(PASS)
    assert 0 < early.value.retry_after <= 1
    clock.advance(1)
    with pytest.raises(WrongPassphrase) as third:
        vault.unlock("wrong again, third")
    assert third.value.retry_after == 2
    clock.advance(1.5)
    with pytest.raises(UnlockDelayed):
        vault.unlock(PASS)
    clock.advance(0.5)
    vault.unlock(PASS)
    assert vault.is_unlocked
    # Success resets the count.
    vault.lock()
    with pytest.raises(WrongPassphrase) as after_reset:
        vault.unlock("not the passphrase")
    assert after_reset.value.retry_after == 0


def test_an_unlock_attempt_never_closes_an_open_casebook(vault: Vault, clock: FakeClock) -> None:
    """Issue 10, hole 2: a client with no session posted a passphrase and the vault locked itself first."""
    with vault.connection() as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('kept open')")
    for wait in (0, 0, 1, 2, 4):
        clock.advance(wait)
        with pytest.raises(WrongPassphrase):
            vault.unlock("a stranger's guess")
    assert vault.is_unlocked
    assert count_rows(vault) == 1  # still the open connection: the owner's work goes on
    with vault.connection() as conn:
        before = id(conn)
    vault.unlock(PASS, Lane.OWNER)  # the right passphrase while open: checked, nothing closed or reopened
    with vault.connection() as conn:
        assert id(conn) == before


def test_a_strangers_failures_never_delay_the_owner(vault: Vault, clock: FakeClock) -> None:
    vault.lock()
    for wait in (0, 0, 1, 2, 4, 8, 16, 32):
        clock.advance(wait)
        with pytest.raises(WrongPassphrase):
            vault.unlock("a stranger's guess")
    with pytest.raises(UnlockDelayed) as delayed:
        vault.unlock(PASS)  # anyone the casebook does not recognise waits
    assert delayed.value.retry_after == 60
    vault.unlock(PASS, Lane.OWNER)  # the owner's browser does not
    assert vault.is_unlocked
    vault.lock()
    vault.unlock(PASS)  # and a success clears every lane
    assert vault.is_unlocked


def test_the_owners_typos_delay_only_the_owner_lane(vault: Vault, vault_dir: Path, clock: FakeClock) -> None:
    vault.lock()
    for _ in range(3):
        with pytest.raises((WrongPassphrase, UnlockDelayed)):
            vault.unlock("owner's typo", Lane.OWNER)
    with pytest.raises(UnlockDelayed):
        vault.unlock(PASS, Lane.OWNER)
    assert json.loads((vault_dir / HEADER_NAME).read_text())["failures"] == 0  # memory only
    vault.unlock(PASS)
    assert vault.is_unlocked


def test_failure_count_survives_restart(vault: Vault, vault_dir: Path, clock: FakeClock) -> None:
    vault.lock()
    for wait in (0, 0, 1, 2):
        clock.advance(wait)
        with pytest.raises(WrongPassphrase):
            vault.unlock("not the passphrase")
    assert json.loads((vault_dir / HEADER_NAME).read_text())["failures"] == 4
    new_clock = FakeClock(5.0)
    restarted = Vault(vault_dir, clock=new_clock, kdf=FAST)
    with pytest.raises(UnlockDelayed) as delayed:
        restarted.unlock(PASS)
    assert delayed.value.retry_after == 4
    new_clock.advance(4)
    with pytest.raises(WrongPassphrase) as fifth:
        restarted.unlock("not the passphrase")
    assert fifth.value.retry_after == 8
    new_clock.advance(8)
    restarted.unlock(PASS)
    assert json.loads((vault_dir / HEADER_NAME).read_text())["failures"] == 0


def test_control_characters_at_unlock_count_as_wrong(vault: Vault) -> None:
    vault.lock()
    with pytest.raises(WrongPassphrase):
        vault.unlock("bad\x00passphrase")


# -- locking --------------------------------------------------------------------------


def test_idle_auto_lock(vault: Vault, clock: FakeClock) -> None:
    clock.advance(899)
    vault.touch()
    clock.advance(899)
    with vault.connection():  # activity keeps it open
        pass
    clock.advance(900)
    with pytest.raises(CasebookLocked), vault.connection():
        pass
    assert not vault.is_unlocked


def test_lock_zeroes_the_key(vault: Vault) -> None:
    key = vault._key
    assert key is not None and any(key)
    vault.lock()
    assert key == bytearray(32)
    assert vault._key is None and vault._conn is None


def test_autolock_thread_locks_without_access(vault: Vault, clock: FakeClock) -> None:
    watcher = AutoLock(vault, interval=0.01).start()
    try:
        clock.advance(901)
        deadline = time.monotonic() + 5
        while vault._conn is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert vault._conn is None
    finally:
        watcher.stop()


def test_connection_rolls_back_on_error(vault: Vault) -> None:
    with vault.connection() as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(RuntimeError), vault.connection() as conn:
        conn.execute("INSERT INTO notes VALUES ('half')")
        raise RuntimeError("boom")
    assert count_rows(vault) == 0


# -- what is on disk ------------------------------------------------------------------


def test_nothing_readable_on_disk(vault: Vault, vault_dir: Path) -> None:
    with vault.connection() as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.executemany("INSERT INTO notes VALUES (?)", [(f"{CANARY} {i}",) for i in range(300)])
    wal = vault_dir / f"{DB_NAME}-wal"
    assert wal.exists() and wal.stat().st_size > 0  # the writes are in the WAL now: check it while open
    canary = CANARY.encode()
    assert canary not in wal.read_bytes()
    assert canary not in (vault_dir / DB_NAME).read_bytes()
    vault.lock()
    for path in vault_dir.iterdir():
        data = path.read_bytes()
        assert canary not in data, path.name
        assert CANARY.encode("utf-16-le") not in data, path.name
        assert PASS.encode() not in data, path.name
    assert not (vault_dir / DB_NAME).read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(vault_dir / DB_NAME).execute("SELECT * FROM sqlite_master").fetchall()


def test_header_holds_no_key_material(vault: Vault, vault_dir: Path) -> None:
    header = json.loads((vault_dir / HEADER_NAME).read_text())
    assert set(header) == {"format", "version", "kdf", "failures"}
    kdf = header["kdf"]
    assert set(kdf) == {"algorithm", "version", "time_cost", "memory_kib", "parallelism", "salt"}
    salt = bytes.fromhex(kdf["salt"])
    assert len(salt) == 16
    key = hash_secret_raw(PASS.encode(), salt, kdf["time_cost"], kdf["memory_kib"], kdf["parallelism"], 32, Type.ID)
    assert bytes(vault._key or b"") == key  # the test derives the same key independently
    vault.lock()
    everything = all_bytes(vault_dir)
    for needle in (key, key.hex().encode(), key.hex().upper().encode(), PASS.encode()):
        assert needle not in everything


# -- change of passphrase and wipe ---------------------------------------------------------


def test_change_passphrase(vault: Vault, vault_dir: Path) -> None:
    with vault.connection() as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('kept')")
    old_salt = json.loads((vault_dir / HEADER_NAME).read_text())["kdf"]["salt"]
    with pytest.raises(WeakPassphrase):
        vault.change_passphrase(PASS, "short")
    vault.change_passphrase(PASS, "a brand new passphrase")
    assert vault.is_unlocked and count_rows(vault) == 1
    header = json.loads((vault_dir / HEADER_NAME).read_text())
    assert header["kdf"]["salt"] != old_salt and "pending_kdf" not in header
    vault.lock()
    fresh = Vault(vault_dir, kdf=FAST)
    with pytest.raises(WrongPassphrase):
        fresh.unlock(PASS)
    fresh.unlock("a brand new passphrase")
    assert count_rows(fresh) == 1


def test_change_passphrase_with_wrong_old_counts_as_failure(vault: Vault) -> None:
    with pytest.raises(WrongPassphrase):
        vault.change_passphrase("not the passphrase", "a brand new passphrase")
    with pytest.raises(WrongPassphrase) as second:
        vault.change_passphrase("not the passphrase", "a brand new passphrase")
    assert second.value.retry_after == 1


def test_crash_after_rekey_before_header(vault: Vault, vault_dir: Path) -> None:
    """Simulate a crash between re-keying the database and the final header write."""
    import amparo.casebook.vault as vault_module

    real = vault_module.write_header
    calls: list[int] = []

    def crash_on_final_write(path: Path, header: object) -> None:
        calls.append(1)
        if len(calls) == 2:  # 1: pending recorded, 2: final header
            raise KeyboardInterrupt("power cut")
        real(path, header)  # type: ignore[arg-type]

    vault_module.write_header = crash_on_final_write  # type: ignore[assignment]
    try:
        with pytest.raises(KeyboardInterrupt):
            vault.change_passphrase(PASS, "a brand new passphrase")
    finally:
        vault_module.write_header = real
    vault.lock()
    assert "pending_kdf" in json.loads((vault_dir / HEADER_NAME).read_text())
    restarted = Vault(vault_dir, kdf=FAST)
    restarted.unlock("a brand new passphrase")  # the re-key had committed: the new one opens it
    assert "pending_kdf" not in json.loads((vault_dir / HEADER_NAME).read_text())


def test_wipe(vault: Vault, vault_dir: Path) -> None:
    with vault.connection() as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES (?)", (CANARY,))
    for word in ("", "wipe", "yes", " WIPE"):
        with pytest.raises(WipeNotConfirmed):
            vault.wipe(word)
    assert vault.is_unlocked
    vault.wipe("WIPE")
    assert not vault.is_unlocked
    assert list(vault_dir.iterdir()) == []
    with pytest.raises(CasebookMissing):
        vault.unlock(PASS)
    with pytest.raises(CasebookMissing):
        Vault(vault_dir, kdf=FAST).unlock(PASS)
    vault.wipe("WIPE")  # idempotent: a second panic press is harmless


# -- crash safety ------------------------------------------------------------------------


def test_kill_9_mid_write_keeps_the_database_consistent(vault: Vault, vault_dir: Path) -> None:
    with vault.connection() as conn:
        conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        conn.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
        conn.execute("INSERT INTO counter VALUES (0)")
    vault.lock()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(7)
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("_kill_writer.py")), str(vault_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(PASS + "\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        assert (vault_dir / f"{DB_NAME}-wal").exists()  # killed before any clean close: recovery is exercised
        proc.stdin.close()
        proc.stdout.close()
        checker = Vault(vault_dir, kdf=FAST)
        checker.unlock(PASS)
        with checker.connection() as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            (n,) = conn.execute("SELECT n FROM counter").fetchone()
            (rows,) = conn.execute("SELECT count(*) FROM items").fetchone()
        assert n > 0
        assert rows == n * 7
        checker.lock()


# -- property: any string either works or is refused calmly ------------------------------


PRINTABLE = st.characters(exclude_categories=("Cc", "Cs"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    passphrase=st.one_of(
        st.text(st.characters(exclude_categories=()), max_size=40),  # anything, surrogates and NUL included
        st.text(PRINTABLE, min_size=10, max_size=40),  # mostly valid: any script, combining marks, emoji
        st.text(st.sampled_from("aé€😀👩‍👩‍👧\x00\t \u0301\u200d"), min_size=8, max_size=20),
        st.text(PRINTABLE, min_size=MAX_CHARS - 2, max_size=MAX_CHARS + 2),  # around the upper bound
    )
)
def test_any_passphrase_works_or_is_refused(passphrase: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "casebook"
        try:
            Vault(directory, kdf=FAST).create(passphrase)
        except WeakPassphrase as refused:
            event(f"refused: {refused}")
            assert not (directory / HEADER_NAME).exists()
            return
        event("created")
        reopened = Vault(directory, kdf=FAST)
        reopened.unlock(passphrase)
        with reopened.connection() as conn:
            assert conn.execute("SELECT value FROM meta WHERE name = 'check'").fetchone()
        reopened.lock()
        if "\x00" in passphrase:
            pytest.fail("NUL must be refused")
