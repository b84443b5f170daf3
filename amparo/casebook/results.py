"""What the repository answers besides single records: pages of a list, summaries, timeline entries, search hits.

Plain frozen dataclasses, shared by the queries that fill them and the web and CLI
layers that show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from amparo.casebook.records import Case, Engagement, Record, Request

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """Some of a list (``limit`` items from ``offset``) and how many there are in all."""

    items: list[T]
    total: int


@dataclass(frozen=True)
class CaseSummary:
    case: Case
    records: int
    last_activity: str
    open_requests: int
    overdue: int
    risk_level: str = ""  # of the latest risk assessment (a key of RISK_LEVELS); "" when there is none
    risk_score: float | None = None


@dataclass(frozen=True)
class CaseList(Page[CaseSummary]):
    """A page of the case list as a query chose it, with what the choice is made among."""

    countries: tuple[str, ...] = ()  # the country codes recorded in any of the principal's cases
    everything: int = 0  # how many cases the principal has, before the query's filters


@dataclass(frozen=True)
class MissionSummary:
    """What the case list cannot show: who we last saw at each mission, and what is pending there."""

    issuer: str
    mission: str
    last_engagement: Engagement | None
    open_requests: tuple[Request, ...]


@dataclass(frozen=True)
class TimelineEntry:
    on: str  # ISO date
    kind: str
    record: Record


@dataclass(frozen=True)
class SearchHit:
    kind: str
    record_id: str
    case_id: str
    snippet: str
