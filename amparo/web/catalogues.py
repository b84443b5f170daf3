"""The state of the site's own words in each language (Django's catalogues, amparo/locale): what a page in that
language says of its translation, and what ``amparo data check`` reports beside the dataset's catalogues."""

from __future__ import annotations

import functools
from pathlib import Path

INTERFACE = Path(__file__).resolve().parent.parent / "locale"
REVIEWED_FLAG = "reviewed"  # as in the dataset's catalogues (amparo.guidelines.translations)


@functools.cache
def interface_state(language: str) -> tuple[int, int, int, int] | None:
    """``(messages, translated, stale, drafts)`` of the interface catalogue of ``language``; None without one.

    Read once per process: the catalogues change only with a new release.
    """
    import polib

    path = INTERFACE / language / "LC_MESSAGES" / "django.po"
    if not path.is_file():
        return None
    entries = [e for e in polib.pofile(str(path), encoding="utf-8") if not e.obsolete]
    translated = [e for e in entries if e.translated()]
    stale = sum(1 for e in entries if e.fuzzy)
    drafts = sum(1 for e in translated if REVIEWED_FLAG not in e.flags)
    return len(entries), len(translated), stale, drafts
