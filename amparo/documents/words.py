"""The words documents share, in the language each is written in: the site's catalogues, read with the
standard library for that one language (never Django's request language), and dates as the language writes
them. Sheets and letters both read them from here. Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
import gettext
from functools import cache
from pathlib import Path

from amparo.guidelines import DATA_DIR
from amparo.guidelines.model import DEFAULT_LANGUAGE
from amparo.guidelines.translations import REVIEWED_FLAG, catalogue_languages

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
# The languages documents are written in: English and each language the data has catalogues for (a test
# keeps them equal to the site's settings.LANGUAGES).
LANGUAGES: tuple[str, ...] = catalogue_languages(DATA_DIR)


def gettext_noop(message: str) -> str:
    """Marks a message for ``makemessages``; it is translated where a document uses it."""
    return message


def pgettext(context: str, message: str) -> str:
    """Marks a message with its context for ``makemessages``; translated with :func:`catalogue`'s pgettext."""
    return message


# Month names have a context: a bare "May" would also translate other words of the site.
MONTH_NAMES = (
    pgettext("month in a date", "January"),
    pgettext("month in a date", "February"),
    pgettext("month in a date", "March"),
    pgettext("month in a date", "April"),
    pgettext("month in a date", "May"),
    pgettext("month in a date", "June"),
    pgettext("month in a date", "July"),
    pgettext("month in a date", "August"),
    pgettext("month in a date", "September"),
    pgettext("month in a date", "October"),
    pgettext("month in a date", "November"),
    pgettext("month in a date", "December"),
)


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The site's catalogue of ``language``; English is the msgids themselves. A language documents are not
    written in, or whose catalogue is missing, is an error: never a document in English that claims otherwise."""
    if language not in LANGUAGES:
        raise ValueError(f"documents are written in {', '.join(LANGUAGES)}, not {language!r}")
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation("django", LOCALE_DIR, languages=[language])


def written_date(language: str, date: dt.date) -> str:
    """A date as ``language`` writes it: 3 December 2026, 3 de diciembre de 2026, 1er décembre 2026."""
    words = catalogue(language)
    # Translators: the first day of a month in a date ("1 December 2026"): "1er" in French, "1º" in Portuguese.
    day = words.pgettext("day of the month", "1") if date.day == 1 else str(date.day)
    month = words.pgettext("month in a date", MONTH_NAMES[date.month - 1])
    # Translators: a date, e.g. "3 December 2026"; in Spanish "%(day)s de %(month)s de %(year)s".
    return words.gettext(gettext_noop("%(day)s %(month)s %(year)s")) % {
        "day": day,
        "month": month,
        "year": str(date.year),
    }


@cache
def interface_state(language: str) -> tuple[int, int, int, int] | None:
    """``(messages, translated, stale, drafts)`` of the site's catalogue of ``language``; None without one.

    What a page's footer, a sheet and ``amparo data check`` say of the site's own words in that language.
    Read once per process: the catalogues change only with a release.
    """
    import polib

    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    if not path.is_file():
        return None
    entries = [e for e in polib.pofile(str(path), encoding="utf-8") if not e.obsolete]
    translated = [e for e in entries if e.translated()]
    stale = sum(1 for e in entries if e.fuzzy)
    drafts = sum(1 for e in translated if REVIEWED_FLAG not in e.flags)
    return len(entries), len(translated), stale, drafts
