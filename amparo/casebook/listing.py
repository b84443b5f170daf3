"""Which of the principal's cases the case list shows, and in what order.

A :class:`CaseQuery` holds the choice (a country, a risk level, a status, a sort key),
each value a code of the casebook's own vocabularies, never case text. :func:`choose`
applies it to the summaries the repository read, in Python rather than SQL: the names
a list is sorted by (a pseudonym, a country in the reader's language) are not
something the database can order, and in team mode they are stored encrypted.

Local and team mode share this code; nothing here knows where the summaries came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from amparo.casebook.records import RISK_LEVELS
from amparo.casebook.results import CaseSummary, Page
from amparo.labels import gettext_noop

ANY = ""
NONE = "none"  # no country recorded, or no risk assessment yet
STATUSES = {
    "open": gettext_noop("Open cases"),
    "closed": gettext_noop("Closed cases"),
    "open-requests": gettext_noop("Cases with open requests"),
    "overdue": gettext_noop("Cases with overdue follow-ups"),
}
SORTS = {
    "activity": gettext_noop("Last activity, most recent first"),
    "pseudonym": gettext_noop("Case, A to Z"),
    "country": gettext_noop("Country, A to Z"),
    "risk": gettext_noop("Latest risk, highest first"),
    "open-requests": gettext_noop("Open requests, most first"),
    "overdue": gettext_noop("Overdue follow-ups, most first"),
}
DEFAULT_SORT = "activity"
RISK_ORDER = {level: rank for rank, level in enumerate(RISK_LEVELS)}  # low first
_COUNTRY = re.compile(r"[A-Z]{2}")


class BadCaseQuery(ValueError):
    """A filter or sort value outside its vocabulary; ``field`` names which."""

    def __init__(self, field: str) -> None:
        super().__init__(f"not a value for {field}")
        self.field = field


@dataclass(frozen=True)
class CaseQuery:
    """What the case list shows: ``country`` (ISO code, :data:`NONE` or any), ``risk`` (a level of
    :data:`~amparo.casebook.records.RISK_LEVELS`, :data:`NONE` or any), ``status`` (a key of
    :data:`STATUSES` or any), and ``sort`` (a key of :data:`SORTS`)."""

    country: str = ANY
    risk: str = ANY
    status: str = ANY
    sort: str = DEFAULT_SORT

    def __post_init__(self) -> None:
        if self.country not in (ANY, NONE) and not _COUNTRY.fullmatch(self.country):
            raise BadCaseQuery("country")
        if self.risk not in (ANY, NONE) and self.risk not in RISK_LEVELS:
            raise BadCaseQuery("risk")
        if self.status != ANY and self.status not in STATUSES:
            raise BadCaseQuery("status")
        if self.sort not in SORTS:
            raise BadCaseQuery("sort")

    # What choosing reads beyond every case's country, status, last activity and counts (the case list's
    # first step, :func:`amparo.casebook.queries.case_keys`): keep in step with matches() and sort_key().
    @property
    def reads_pseudonyms(self) -> bool:
        return self.sort == "pseudonym"

    @property
    def reads_risks(self) -> bool:
        return self.risk != ANY or self.sort == "risk"

    @property
    def filtered(self) -> bool:
        return (self.country, self.risk, self.status) != (ANY, ANY, ANY)

    def matches(self, summary: CaseSummary) -> bool:
        case = summary.case
        if self.country != ANY and case.country != ("" if self.country == NONE else self.country):
            return False
        if self.risk != ANY and (summary.risk_level or NONE) != self.risk:
            return False
        return {
            ANY: True,
            "open": not case.closed,
            "closed": case.closed,
            "open-requests": summary.open_requests > 0,
            "overdue": summary.overdue > 0,
        }[self.status]


class _TurnedRound(dict[int, int]):
    """A translation table turning every character round (the last code point first, the first last)."""

    def __missing__(self, code: int) -> int:
        return 0x10FFFF - code


_TURNED = _TurnedRound()


def _by_activity(summary: CaseSummary) -> tuple[object, ...]:
    # most recent first: the ISO date's characters turned round, so one ascending sort does it all
    return (summary.last_activity.translate(_TURNED),)


def sort_key(sort: str, country_name: Callable[[str], str]) -> Callable[[CaseSummary], tuple[object, ...]]:
    """The key that orders summaries by ``sort``; ties go open cases first, then most recently active, then id.

    Cases without the value sorted by (no country, no assessment) come after those with one.
    """
    keys: dict[str, Callable[[CaseSummary], tuple[object, ...]]] = {
        "activity": lambda s: (s.case.closed,),
        "pseudonym": lambda s: (s.case.pseudonym.casefold(),),
        "country": lambda s: (not s.case.country, country_name(s.case.country).casefold() if s.case.country else ""),
        "risk": lambda s: (s.risk_level == "", -RISK_ORDER.get(s.risk_level, -1), -(s.risk_score or 0.0)),
        "open-requests": lambda s: (-s.open_requests,),
        "overdue": lambda s: (-s.overdue,),
    }
    first = keys[sort]
    return lambda s: (*first(s), s.case.closed, *_by_activity(s), s.case.id)


def choose(
    summaries: Sequence[CaseSummary],
    query: CaseQuery,
    limit: int = -1,
    offset: int = 0,
    country_name: Callable[[str], str] = str,
) -> Page[CaseSummary]:
    """The summaries ``query`` keeps, in its order: ``limit`` of them (-1 for all) from ``offset``.

    ``country_name`` gives a country code's name in the reader's language, for the sort by country.
    """
    kept = sorted((s for s in summaries if query.matches(s)), key=sort_key(query.sort, country_name))
    end = None if limit < 0 else offset + limit
    return Page(kept[offset:end], len(kept))


def countries(summaries: Sequence[CaseSummary]) -> tuple[str, ...]:
    """The country codes recorded among the cases (what a country filter can offer), sorted."""
    return tuple(sorted({s.case.country for s in summaries if s.case.country}))
