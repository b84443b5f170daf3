"""A backup's scrypt runs in a child process: the server's other threads keep running meanwhile.

The hostile-testing report: pyrage keeps Python's interpreter lock for the whole scrypt, so
while a crafted restore file's derivation ran (work factor at the bound), every other thread
of the server, the public site included, stood still. The stall tests measure how often a
thread that wakes every few milliseconds for a little Python work gets to run during a
derivation, as a share of how often it runs without one: a ratio, so a loaded machine slows
both sides alike. A held lock gives 0.00; a child process about 1 (0.6 at the least on a
two-core machine with a load of 8), so the bars below leave room either way.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyrage
import pytest

from amparo.casebook import _scrypt_child, archive
from amparo.casebook.archive import MAX_SCRYPT_WORK_FACTOR, seal, unseal
from amparo.casebook.errors import BackupDamaged, BackupKeyMismatch, CasebookBusy, CasebookError
from amparo.casebook.keys import KDF, derive_key

PASSPHRASE = "correct horse battery staple"


class Ticker:
    """A thread that wakes every few milliseconds to do a little Python work, like a site thread serving pages."""

    def __init__(self) -> None:
        self.ticks = 0
        self.running = True
        self.thread = threading.Thread(target=self._tick, daemon=True)
        self.thread.start()

    def _tick(self) -> None:
        while self.running:
            time.sleep(0.002)
            sum(range(200))
            self.ticks += 1

    def rate(self, action: Callable[[], object]) -> tuple[float, float]:
        """Ticks per second while ``action()`` runs in this thread, and how long it took."""
        before, started = self.ticks, time.perf_counter()
        action()
        took = time.perf_counter() - started
        return (self.ticks - before) / took, took

    def stop(self) -> None:
        self.running = False
        self.thread.join()


def share_of_progress(action: Callable[[], object]) -> tuple[float, float]:
    """The ticker's rate during ``action`` over its rate while this thread only sleeps (before and after)."""
    ticker = Ticker()
    try:
        before = ticker.rate(lambda: time.sleep(0.5))[0]
        during, took = ticker.rate(action)
        after = ticker.rate(lambda: time.sleep(0.5))[0]
    finally:
        ticker.stop()
    return during / max((before + after) / 2, 1.0), took


def at_work_factor(sealed: bytes, factor: int) -> bytes:
    """``sealed`` with its scrypt stanza's work factor changed: the full derivation runs, then the key fails."""
    first, stanza, rest = sealed.split(b"\n", 2)
    return first + b"\n" + stanza.rsplit(b" ", 1)[0] + b" " + str(factor).encode() + b"\n" + rest


@pytest.fixture(scope="module")
def hostile() -> bytes:
    """A crafted restore file: an scrypt stanza at the highest work factor the reader accepts."""
    return at_work_factor(pyrage.passphrase.encrypt(b"anything", PASSPHRASE), MAX_SCRYPT_WORK_FACTOR)


def test_a_derivation_at_the_bound_leaves_the_other_threads_running(hostile: bytes) -> None:
    """The stall as reported. In this process the share was 0.00; with a child process it is near 1."""

    def restore() -> None:
        for _attempt in range(5):
            try:
                unseal(hostile, passphrase="a guess at the passphrase")
            except BackupKeyMismatch:
                return  # the whole derivation ran, then the key did not open the file
            except CasebookBusy:
                continue  # pyrage's own refusal (too much work for its calibration, on a busy machine): no derivation
        pytest.fail("pyrage refused the work factor every time")

    share, took = share_of_progress(restore)
    assert share >= 0.35, f"other threads got {share:.0%} of their usual work during a {took:.2f} s derivation"


def test_an_unlock_argon2id_does_not_hold_the_lock_either() -> None:
    """The vault's own key derivation (argon2-cffi) releases the lock while it hashes, so it stays in this process.

    Its four lanes compete with the ticker for the cores, hence the lower bar; a held lock gives 0.00.
    """
    share, took = share_of_progress(lambda: derive_key(b"x" * 20, b"s" * 16, KDF()))
    assert share >= 0.2, f"other threads got {share:.0%} of their usual work during a {took:.2f} s unlock"


def test_pyrage_errors_come_back_as_they_were() -> None:
    sealed = seal(b"a backup", passphrase=PASSPHRASE)
    assert unseal(sealed, passphrase=PASSPHRASE) == b"a backup"
    with pytest.raises(BackupKeyMismatch):
        unseal(sealed, passphrase="another passphrase entirely")
    with pytest.raises(BackupDamaged):
        unseal(sealed[:-5], passphrase=PASSPHRASE)
    with pytest.raises(pyrage.DecryptError):
        archive.passphrase_in_child("decrypt", PASSPHRASE, sealed[:-5])


def test_the_passphrase_and_data_go_through_the_pipe_only(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[list[str], dict[str, object]]] = []
    real_popen = subprocess.Popen

    def recording_popen(args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        started.append((args, kwargs))
        return real_popen(args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(archive.subprocess, "Popen", recording_popen)
    secret, data = "a passphrase nobody may see 🔑", "the casebook's records"
    sealed = archive.passphrase_in_child("encrypt", secret, data.encode())
    assert archive.passphrase_in_child("decrypt", secret, sealed) == data.encode()
    assert len(started) == 2
    for args, kwargs in started:
        assert not any(secret in arg or data in arg for arg in args)
        assert "env" not in kwargs and secret not in "".join(os.environ.values())
        assert kwargs["stdin"] == kwargs["stdout"] == subprocess.PIPE


@pytest.mark.parametrize(
    ("script", "how"),
    [
        ("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", "was stopped by signal 9"),
        ("raise SystemExit(3)", "ended with code 3"),
        ("pass", "gave no answer"),
    ],
)
def test_a_child_that_dies_is_a_clear_error(
    script: str, how: str, hostile: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    child = tmp_path / "child.py"
    child.write_text(script)
    monkeypatch.setattr(archive, "_CHILD", child)
    with pytest.raises(CasebookError, match=f"The backup could not be opened: its helper process {how}"):
        unseal(hostile, passphrase=PASSPHRASE)
    with pytest.raises(CasebookError, match=f"could not be encrypted: its helper process {how}"):
        seal(b"x", passphrase=PASSPHRASE)


def test_a_child_that_cannot_start_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive.sys, "executable", "/nonexistent/python")
    with pytest.raises(CasebookError, match="helper process did not start"):
        seal(b"x", passphrase=PASSPHRASE)


def test_a_decryption_child_lowers_its_priority_and_an_encryption_child_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Anyone's upload may start a decryption; an encryption's work factor is calibrated on the child's speed."""
    niced: list[int] = []
    monkeypatch.setattr(_scrypt_child.os, "nice", niced.append)
    secret = PASSPHRASE.encode()
    for operation, data, status in (("encrypt", b"plain", b"0"), ("decrypt", b"not an age file", b"D")):
        out = io.BytesIO()
        stdin = io.BytesIO(len(secret).to_bytes(4, "big") + secret + data)
        assert _scrypt_child.main(["child", operation], stdin, out) == 0
        assert out.getvalue()[:1] == status
        assert niced == ([] if operation == "encrypt" else [10])


def test_the_child_runs_as_a_script_that_imports_nothing_of_amparo() -> None:
    """Started with -P by path, it needs only pyrage: a few milliseconds, whatever the package imports."""
    probe = "import runpy, sys; runpy.run_path(sys.argv[1]); print([m for m in sys.modules if m.startswith('amparo')])"
    result = subprocess.run(
        [sys.executable, "-P", "-c", probe, str(archive._CHILD)], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_sound_backup_refused_by_a_busy_machine_is_not_called_damaged(monkeypatch: pytest.MonkeyPatch) -> None:
    """rage refuses a work factor its (load-dependent) calibration finds too slow: say so, and that nothing changed."""
    sealed = pyrage.passphrase.encrypt(b"casebook", PASSPHRASE)

    def refuse(operation: str, passphrase: str, data: bytes) -> bytes:
        raise pyrage.DecryptError("Excessive work parameter for passphrase.")

    monkeypatch.setattr(archive, "passphrase_in_child", refuse)
    with pytest.raises(CasebookBusy, match="too busy") as refused:
        unseal(sealed, passphrase=PASSPHRASE)
    assert "damaged" not in str(refused.value) and refused.value.retry_after > 0
