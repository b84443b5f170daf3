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
