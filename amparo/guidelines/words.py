"""The site's words outside a Django request, in the language each text is written in: the site's catalogues,
read with the standard library for that one language (never Django's request language), dates and numbers as
the language writes them, and lists with its punctuation. The navigator's text plans and API, the sheets and the
letters all write through :class:`Words`. Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from amparo.guidelines.loader import DATA_DIR
from amparo.guidelines.model import DEFAULT_LANGUAGE
from amparo.guidelines.translations import REVIEWED_FLAG, catalogue_languages, is_right_to_left
from amparo.labels import list_separators

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
# The languages Amparo writes in outside the site: English and each language the data has catalogues for (a test
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
    """The site's catalogue of ``language``; English is the msgids themselves. A language Amparo is not
    written in, or whose catalogue is missing, is an error: never a page, plan or document in English that
    claims otherwise."""
    if language not in LANGUAGES:
        raise ValueError(f"Amparo is written in {', '.join(LANGUAGES)}, not {language!r}")
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


def number(language: str, value: int | float) -> str:
    """A number as ``language`` writes it (CLDR, through Babel): 7,500 · 7.500 · 7 500; Latin digits in Arabic,
    as the site's pages write them."""
    from babel.numbers import format_decimal  # here, not at the top: `amparo navigate --format json` needs none

    return format_decimal(value, locale=language.replace("-", "_"))


class Words:
    """The site's words in one language: ``words("msgid %(name)s", name=value)`` is the message translated, then
    filled in. A message is marked for ``makemessages`` where it is written, with :func:`gettext_noop`."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.catalogue = catalogue(language)
        self.rtl = is_right_to_left(language)
        self.comma, self.semicolon = list_separators(language)

    def __call__(self, message: str, **values: str) -> str:
        text = self.catalogue.gettext(message)
        return text % values if values else text

    def gettext(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def pgettext(self, context: str, message: str) -> str:
        return self.catalogue.pgettext(context, message)

    def ngettext(self, singular: str, plural: str, count: int, **values: str) -> str:
        """The form of the message for ``count`` (Arabic has six), filled in with ``values`` and ``counter``: the
        count as the language writes numbers (the name Django's ``blocktranslate count`` gives it, so a page's
        message and this one are one message)."""
        return self.catalogue.ngettext(singular, plural, count) % {"counter": self.number(count), **values}

    def label(self, labels: dict[str, str], code: str) -> str:
        """The word for a code (from :mod:`amparo.labels`), translated; a code with no word is shown as it is."""
        return self.catalogue.gettext(labels[code]) if code in labels else code

    def labelled(self, label: str, value: str) -> str:
        """``Label: value`` with the colon as the language writes it (a space before it in French)."""
        # Translators: a label, a colon and what the label introduces ("Revision 2016: first published as...").
        return self(gettext_noop("%(label)s: %(value)s"), label=label, value=value)

    def listed(self, items: Iterable[str]) -> str:
        """Items of a list with the language's comma: ``a, b, c`` (``a، b، c`` in Arabic)."""
        return self.comma.join(items)

    def join(self, items: list[str]) -> str:
        """``a, b and c`` in the language."""
        if len(items) <= 1:
            return "".join(items)
        # Translators: the last two items of a list, e.g. "b and c" in "a, b and c".
        return self(gettext_noop("%(first)s and %(last)s"), first=self.listed(items[:-1]), last=items[-1])

    @property
    def and_(self) -> str:
        """What joins the last two items of a list: `` and ``."""
        return self(gettext_noop("%(first)s and %(last)s"), first="", last="")

    def date(self, date: dt.date) -> str:
        return written_date(self.language, date)

    def number(self, value: int | float) -> str:
        return number(self.language, value)


@cache
def words_in(language: str) -> Words:
    """The :class:`Words` of ``language``, made once: they hold nothing but the language's catalogue."""
    return Words(language)


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
