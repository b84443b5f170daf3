"""The site's secret key file, created once and atomically by the command that needs it (never at import).

Pure: no Django import, so commands can call it before Django reads its settings.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

FILENAME = "secret_key"


def read_secret_key(data_dir: Path) -> str | None:
    """The key kept in ``data_dir``, or None when there is none (or it is empty)."""
    try:
        key = (data_dir / FILENAME).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return key or None


def ensure_secret_key(data_dir: Path) -> None:
    """Create ``data_dir/secret_key`` (0600) unless it exists; safe when many processes start at once.

    The key is written in full to a unique temporary file, then hard-linked to the final
    name: the link fails if another process won the race, and that key is kept. Readers
    therefore never see an empty or partial key.
    """
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = data_dir / FILENAME
    if final.exists():
        return
    tmp = data_dir / f".{FILENAME}.{secrets.token_hex(8)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            os.write(fd, secrets.token_urlsafe(50).encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):  # another process created it first: keep theirs
            os.link(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


def ensure_configured_key() -> None:
    """For entry points, before Django reads the settings: a key from the environment, else the file."""
    if not os.environ.get("AMPARO_SECRET_KEY"):
        from amparo.files import data_dir

        ensure_secret_key(data_dir())
