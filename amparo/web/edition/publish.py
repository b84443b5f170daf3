"""Offline editions built ahead of time and served as files: a request never waits for a build.

Building one language's edition renders every page through the real views (seconds of
CPU). Done inside a request, cold requests for four languages took every server thread.
So editions are built in the background when the server starts
(:func:`start_edition_builds`, a child process) or by ``amparo export-site --publish``
(:func:`build_editions`), into ``DATA_DIR/editions/``; the download view only sends a
file that is already there, or says calmly that it is being prepared.

A file's name carries a fingerprint of everything that shapes the edition (the dataset,
templates, styles, scripts, catalogues and Amparo's version), so after an upgrade or a
data change the stale file is simply not found, and the next build replaces it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings

from amparo.files import write_atomic

PACKAGE = Path(__file__).resolve().parents[2]
SHAPING = ("guidelines/data", "web/templates", "web/static", "locale")
_build_lock = threading.Lock()


@cache
def fingerprint() -> str:
    """A digest of every file that shapes an edition, and of Amparo's version (once per process)."""
    digest = hashlib.sha256()
    try:
        digest.update(version("amparo").encode())
    except PackageNotFoundError:
        digest.update(b"unknown")
    for folder in SHAPING:
        for path in sorted((PACKAGE / folder).rglob("*")):
            if path.is_file() and path.suffix not in {".pyc", ".po"}:
                digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def editions_dir() -> Path:
    return Path(settings.DATA_DIR) / "editions"


def edition_file(language: str) -> Path:
    return editions_dir() / f"amparo-offline-{language}-{fingerprint()}.zip"


def build_edition(language: str) -> Path:
    """Build one language's edition unless the current one exists; remove its stale files."""
    from amparo.web.edition.export import zip_bytes

    target = edition_file(language)
    with _build_lock:  # one build at a time: the other threads keep serving the site
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, zip_bytes(language))
        for stale in target.parent.glob(f"amparo-offline-{language}-*.zip"):
            if stale != target:
                stale.unlink(missing_ok=True)
    return target


def build_editions(languages: list[str] | None = None) -> list[Path]:
    codes = languages or [code for code, _name in settings.LANGUAGES]
    return [build_edition(code) for code in codes]


def start_edition_builds() -> subprocess.Popen:
    """At server start: build every language's edition in a child process, at low priority.

    Why a process and not a thread: rendering holds the interpreter lock for seconds, and
    in a thread it slowed the server's own start and every request meanwhile.
    """
    return subprocess.Popen(
        [sys.executable, "-m", "amparo", "publish-editions"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: os.nice(10),
    )
