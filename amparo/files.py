"""Writing files so that nothing half-written is ever left behind.

Every file Amparo writes (exports, letters, sheets, archives, the casebook's
header) goes through :func:`write_atomic`: a temporary file beside the target,
flushed to disk, then renamed, and the rename itself made durable.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path


def data_dir() -> Path:
    """Where local state lives (site database, secret key, casebook): AMPARO_DATA_DIR, else the XDG data dir."""
    configured = os.environ.get("AMPARO_DATA_DIR")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "amparo"


def casebook_dir() -> Path:
    """The casebook's own directory (mode 0700) inside :func:`data_dir`."""
    return data_dir() / "casebook"


def fsync_directory(directory: Path) -> None:
    """Make a rename or unlink in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process umask, so that files get the permissions the person's umask asks for.

    Linux reports it in /proc; elsewhere reading it means setting it briefly (under a lock).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _umask_lock:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def write_atomic(path: Path, content: bytes, mode: int = 0o644) -> None:
    """Write ``content`` to ``path`` atomically and durably, created with ``mode``.

    On any failure the temporary file is removed and the error re-raised; the
    previous ``path``, if any, is untouched.
    """
    # A unique temporary name: two writers of one target must not delete each other's file.
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        try:
            os.fchmod(fd, mode & ~current_umask())
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)
