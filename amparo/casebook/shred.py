"""Destroying a casebook file: overwrite its start with random bytes, then delete it.

Shared by the panic wipe (:meth:`amparo.casebook.vault.Vault.wipe`), a restore (the
casebook it replaces is destroyed the same way) and the removal of a legacy site database.
"""

from __future__ import annotations

import os
from pathlib import Path

_SHRED_BYTES = 1024 * 1024  # the header whole, and the first MiB of each database file


def shred(path: Path) -> None:
    """Overwrite up to the first MiB of ``path`` with random bytes, fsync, delete. Missing files are fine.

    Public because a restore destroys the casebook it replaces the same way a wipe does.
    """
    try:
        fd = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        return
    try:
        size = min(os.fstat(fd).st_size, _SHRED_BYTES)
        written = 0
        while written < size:
            written += os.write(fd, os.urandom(min(65536, size - written)))
        os.fsync(fd)
    finally:
        os.close(fd)
    path.unlink(missing_ok=True)
