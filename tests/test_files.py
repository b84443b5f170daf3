"""amparo.files.write_atomic: what any writer of exports, letters, sheets and the casebook header relies on."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from amparo.files import write_atomic


def test_concurrent_writers_of_one_target_never_fail_and_leave_one_whole_content(tmp_path: Path) -> None:
    """Issue 10: with a fixed temporary name, two writers deleted each other's temporary file."""
    target = tmp_path / "export.json"
    contents = [bytes([65 + n]) * 200_000 for n in range(4)]
    errors: list[BaseException] = []

    def writer(content: bytes) -> None:
        for _ in range(40):
            try:
                write_atomic(target, content)
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(c,)) for c in contents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert target.read_bytes() in contents
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"], "no temporary file is left behind"


def test_mode_and_umask_are_respected(tmp_path: Path) -> None:
    write_atomic(tmp_path / "header", b"x", mode=0o600)
    assert stat.S_IMODE((tmp_path / "header").stat().st_mode) == 0o600
    old = os.umask(0o077)
    try:
        write_atomic(tmp_path / "private-export", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "private-export").stat().st_mode) == 0o600
