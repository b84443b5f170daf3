"""Writing files so that nothing half-written is ever left behind.

Every file Amparo writes for a person (exports, letters, sheets, archives) goes
through :func:`write_atomic`: a temporary file beside the target, then a rename.
"""

from __future__ import annotations

import os
from pathlib import Path

import click


def write_atomic(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` atomically; on failure remove the temporary file and re-raise."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(content)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def write_or_fail(path: Path, content: bytes) -> None:
    """For commands: :func:`write_atomic`, with a one-line error instead of a traceback."""
    try:
        write_atomic(path, content)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
