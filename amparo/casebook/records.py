"""The casebook's records: what a defender or their NGO writes down, as plain dataclasses.

Field names are the database's column names (one table per record type), so
the repository can read and write any record type the same way. Vocabularies
that come from the guidelines dataset (threats, kinds of subject, support
types, issuers, missions) are stored as the dataset's ids; the short lists
below are the casebook's own words, marked for translation where they are shown.

The risk method is the protection manuals' equation (Protection
International's New Protection Manual, ch. 1.2, and Front Line Defenders'
workbook; sources S50a–S50d): risk grows with threats and vulnerabilities and
falls with capacities. Each factor is rated 1–5; the bands that turn the score
into a level are Amparo's own, for orientation, and are labelled so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from amparo.labels import gettext_noop

ACTOR_KINDS = {
    "state-security": gettext_noop("State security forces (police, army, intelligence)"),
    "judiciary": gettext_noop("Prosecutors or courts"),
    "state-officials": gettext_noop("Other State officials"),
    "armed-group": gettext_noop("Non-State armed group"),
    "company": gettext_noop("A company or its security staff"),
    "community": gettext_noop("People in the community"),
    "online": gettext_noop("Online accounts"),
    "unknown": gettext_noop("Not known"),
    "other": gettext_noop("Other"),
}
CHANNELS = {
    "meeting": gettext_noop("Meeting"),
    "phone": gettext_noop("Phone or video call"),
    "secure-message": gettext_noop("Secure messaging"),
    "email": gettext_noop("Email"),
    "letter": gettext_noop("Letter"),
    "event": gettext_noop("Event or reception"),
    "site-visit": gettext_noop("Visit by the mission"),
    "other": gettext_noop("Other"),
}
REQUEST_STATUSES = {
    "draft": gettext_noop("Draft"),
    "sent": gettext_noop("Sent"),
    "acknowledged": gettext_noop("Acknowledged"),
    "support-given": gettext_noop("Support given"),
    "declined": gettext_noop("Declined"),
    "no-answer": gettext_noop("No answer"),
}
OPEN_STATUSES = ("draft", "sent", "acknowledged")
RATINGS = {
    1: gettext_noop("1 — very low"),
    2: gettext_noop("2 — low"),
    3: gettext_noop("3 — medium"),
    4: gettext_noop("4 — high"),
    5: gettext_noop("5 — very high"),
}
RISK_LEVELS = {
    "low": gettext_noop("Low"),
    "medium": gettext_noop("Medium"),
    "high": gettext_noop("High"),
    "very-high": gettext_noop("Very high"),
}
RISK_SOURCES = ("S50a", "S50b", "S50c", "S50d")
# Consent the defender gave: to move a case (amparo.casebook.transfer), or recorded on its own (to share the case);
# who gave it, for what, and how.
CONSENT_RELATIONS = {
    "defender": gettext_noop("The defender themself"),
    "representative": gettext_noop("Someone acting for the defender (a lawyer, a relative)"),
    "officer": gettext_noop("An officer, with the defender's agreement"),
}
CONSENT_PURPOSES = {
    "move-to-team": gettext_noop("Move the case to a team"),
    "move-to-casebook": gettext_noop("Move the case to a local casebook"),
    "received": gettext_noop("The case was received here, from a transfer file"),
    "share-mission": gettext_noop("Share the case with an embassy or mission"),
    "share-organisation": gettext_noop("Share the case with a partner organisation"),
    "other": gettext_noop("Something else, said in the notes"),
}
RECORDED_PURPOSES = ("share-mission", "share-organisation", "other")  # a consent recorded on its own, not by a move
MOVES = ("move-to-team", "move-to-casebook")  # the purposes a transfer file must hold a consent for
CONSENT_MEANS = {
    "in-person": gettext_noop("In person"),
    "phone": gettext_noop("By phone or video call"),
    "secure-message": gettext_noop("By secure message"),
    "writing": gettext_noop("In writing"),
    "transfer-file": gettext_noop("With the transfer file"),
    "other": gettext_noop("Other"),
}
MAX_SCORE = 25.0  # threats 5 × vulnerabilities 5 / capacities 1
# Amparo's bands over the score (upper bound, exclusive; level): not from the manuals, which give no numeric scale.
RISK_BANDS = ((3.0, "low"), (8.0, "medium"), (15.0, "high"), (MAX_SCORE, "very-high"))


def risk_score(threats: int, vulnerabilities: int, capacities: int) -> float:
    """Risk = threats × vulnerabilities / capacities, each rated 1–5 (so 0.2 to 25)."""
    return threats * vulnerabilities / capacities


def risk_level(score: float) -> str:
    """The level of a score in :data:`RISK_BANDS`."""
    return next((level for top, level in RISK_BANDS if score < top), RISK_BANDS[-1][1])


@dataclass(frozen=True)
class Case:
    """A defender, group, organisation or community, known here by a pseudonym."""

    pseudonym: str
    subject: str  # dataset situations: subject (individual, group, organisation, community)
    country: str = ""  # ISO 3166-1 alpha-2 where the subject is now; decides which missions are offered
    field: str = ""  # dataset situations: field
    notes: str = ""
    closed: bool = False
    id: str = ""
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Incident:
    case_id: str
    occurred_on: dt.date
    threat: str  # dataset situations: threat
    actor_kind: str = "unknown"
    place: str = ""
    description: str = ""
    evidence: str = ""  # references only (where the photos or files are kept), never the files
    id: str = ""
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Engagement:
    """A contact with a mission: who (by role), how, what was asked, what came of it."""

    case_id: str
    occurred_on: dt.date
    issuer: str
    mission: str = ""  # a mission id from the dataset, or empty when not listed
    channel: str = "meeting"
    roles: str = ""
    discussed: str = ""
    support_types: tuple[str, ...] = ()
    outcome: str = ""
    id: str = ""
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Request:
    """Support asked of one mission; the clean input a request letter is written from."""

    case_id: str
    issuer: str
    support_types: tuple[str, ...]
    mission: str = ""
    status: str = "draft"
    drafted_on: dt.date | None = None
    sent_on: dt.date | None = None
    answered_on: dt.date | None = None
    notes: str = ""
    id: str = ""
    created_at: str = ""
    updated_at: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class FollowUp:
    case_id: str
    due_on: dt.date
    what: str
    request_id: str = ""
    done_on: dt.date | None = None
    id: str = ""
    created_at: str = ""
    updated_at: str = ""

    def overdue(self, today: dt.date) -> bool:
        return self.done_on is None and self.due_on < today


@dataclass(frozen=True)
class RiskAssessment:
    case_id: str
    assessed_on: dt.date
    threats: int
    vulnerabilities: int
    capacities: int
    notes: str = ""
    id: str = ""
    created_at: str = ""
    updated_at: str = ""

    @property
    def score(self) -> float:
        return risk_score(self.threats, self.vulnerabilities, self.capacities)

    @property
    def level(self) -> str:
        return risk_level(self.score)


@dataclass(frozen=True)
class Consent:
    """Who agreed to what (that the case may move, or be shared), how and when.

    A move records one (the trace it leaves in the case); a person records one on its own for any other
    use they agreed to (:data:`RECORDED_PURPOSES`).

    Never changed or deleted on its own (the repository and both schemas refuse it): it records what a
    person agreed to, and an edited consent would say something they did not agree to. It goes only
    with its case. ``transfer_id`` names the transfer file it belongs to (amparo.casebook.transfer).
    """

    case_id: str
    given_on: dt.date
    agreed_by: str  # free text: the defender's pseudonym, "the defender's lawyer", an officer's name
    relation: str = "defender"  # CONSENT_RELATIONS
    purpose: str = "move-to-team"  # CONSENT_PURPOSES
    recipient: str = ""  # where the case goes, in words: the team's name, "my own casebook", a mission
    means: str = "in-person"  # CONSENT_MEANS
    notes: str = ""
    transfer_id: str = ""
    id: str = ""
    created_at: str = ""
    updated_at: str = ""


Record = Case | Incident | Engagement | Request | FollowUp | RiskAssessment | Consent

# kind name (used in URLs, the audit log and exports) → (record class, table, date column for timelines)
KINDS: dict[str, tuple[type, str, str]] = {
    "case": (Case, "cases", "created_at"),
    "incident": (Incident, "incidents", "occurred_on"),
    "engagement": (Engagement, "engagements", "occurred_on"),
    "request": (Request, "requests", "drafted_on"),
    "follow-up": (FollowUp, "follow_ups", "due_on"),
    "risk": (RiskAssessment, "risk_assessments", "assessed_on"),
    "consent": (Consent, "consents", "given_on"),
}
KIND_NAMES = {  # the words for KINDS, where a page names a record's kind
    "case": gettext_noop("Case"),
    "incident": gettext_noop("Incident"),
    "engagement": gettext_noop("Engagement with a mission"),
    "request": gettext_noop("Request"),
    "follow-up": gettext_noop("Follow-up"),
    "risk": gettext_noop("Risk assessment"),
    "consent": gettext_noop("Consent"),
}
CASE_RECORD_KINDS = ("incident", "engagement", "request", "follow-up", "risk", "consent")
WRITABLE_KINDS = ("incident", "engagement", "request", "follow-up", "risk")  # a consent is only ever added
NEW_KINDS = (*WRITABLE_KINDS, "consent")  # what the case page adds


def kind_of(record: Record) -> str:
    for kind, (cls, _table, _date) in KINDS.items():
        if isinstance(record, cls):
            return kind
    raise TypeError(f"not a casebook record: {type(record).__name__}")


def case_id_of(record: Record) -> str:
    """The case a record belongs to: its own id for a case. Access is decided per case."""
    return record.id if isinstance(record, Case) else record.case_id


def columns(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


FREE_TEXT = (
    "pseudonym", "place", "description", "evidence", "roles", "discussed", "outcome", "what", "notes",
    "agreed_by", "recipient",
)  # fmt: skip


def text_of(record: Record) -> str:
    """Every free-text field joined: what full-text search indexes."""
    values = (getattr(record, name, "") for name in FREE_TEXT)
    return "\n".join(v for v in values if v)


__all__ = [
    "ACTOR_KINDS",
    "CHANNELS",
    "CONSENT_MEANS",
    "CONSENT_PURPOSES",
    "CONSENT_RELATIONS",
    "KINDS",
    "OPEN_STATUSES",
    "RATINGS",
    "REQUEST_STATUSES",
    "RISK_LEVELS",
    "Case",
    "Consent",
    "Engagement",
    "FollowUp",
    "Incident",
    "Record",
    "Request",
    "RiskAssessment",
]
