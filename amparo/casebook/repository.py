"""Reading and writing casebook records, with an access check and an audit entry for each.

Every method takes the ``principal`` acting (in local mode, the one person who
unlocked the casebook) and refuses a case that principal has no access to
(:mod:`amparo.casebook.permissions`), with the same :class:`RecordNotFound` as a
record that does not exist, so an id reveals nothing.

Each method is one :meth:`Vault.connection` block, so one transaction: the
record, its search entry and its audit entry (:mod:`amparo.casebook.audit`) are
written together or not at all. The statements themselves are in
:mod:`amparo.casebook.queries`, the conversions between rows and records in
:mod:`amparo.casebook.mapping`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from amparo.casebook import listing, mission_view, permissions, queries
from amparo.casebook.audit import AuditEntry, recent_entries, write_entry
from amparo.casebook.database import Connection
from amparo.casebook.dialect import Store
from amparo.casebook.errors import CasebookError, ConsentInvalid, ConsentPermanent, TransferAlreadyImported
from amparo.casebook.listing import CaseQuery
from amparo.casebook.mapping import new_id
from amparo.casebook.permissions import (
    LOCAL_PRINCIPAL,
    ReadOnlyAccess,
    RecordNotFound,
    check_links,
    make_owner,
    may_write,
    role,
)
from amparo.casebook.records import (
    CASE_RECORD_KINDS,
    KINDS,
    MOVES,
    RECORDED_PURPOSES,
    Case,
    Consent,
    Engagement,
    FollowUp,
    Record,
    RiskAssessment,
    case_id_of,
    kind_of,
)
from amparo.casebook.results import CaseList, CaseSummary, MissionSummary, Page, SearchHit, TimelineEntry
from amparo.casebook.schema import migrate
from amparo.casebook.transfer import Transfer, check_consent, utc_stamp

# Re-exported: callers outside the repository imported these from here before the split.
__all__ = [
    "LOCAL_PRINCIPAL",
    "AuditEntry",
    "CaseSummary",
    "Casebook",
    "MissionSummary",
    "Page",
    "ReadOnlyAccess",
    "RecordNotFound",
    "SearchHit",
    "TimelineEntry",
    "new_id",
]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Casebook:
    """The records of one store: the local :class:`~amparo.casebook.vault.Vault` or the team's PostgreSQL.

    Thread-safe: through the vault's lock locally, through PostgreSQL's transactions in team
    mode (:mod:`amparo.casebook.team`).
    """

    def __init__(self, vault: Store, now: Callable[[], dt.datetime] = _utcnow) -> None:
        self.vault = vault
        self._now = now
        self._migrated: int | None = None
        self.unaudited_reads = 0

    @contextmanager
    def _db(self) -> Iterator[Connection]:
        with self.vault.connection() as conn:
            if self._migrated != id(conn):
                migrate(conn)
                conn.commit()  # on its own: an error later in this block must not roll the schema back
                self._migrated = id(conn)
            yield conn

    def _stamp(self) -> str:
        return self._now().isoformat(timespec="seconds")

    # -- audit ------------------------------------------------------------------

    def _audit(
        self, conn: Connection, principal: str, action: str, kind: str, record_id: str = "", case_id: str = ""
    ) -> None:
        """Record a read or write. A write and its entry commit together or not at all.

        A *read* whose entry cannot be written (a full disk, a read-only copy)
        still answers: refusing to show a defender their own records because
        the disk is full would fail them when they most need it. The gap is
        counted in :attr:`unaudited_reads`.
        """
        if not write_entry(conn, self._stamp(), principal, action, kind, record_id, case_id):
            self.unaudited_reads += 1

    def _audit_change(self, conn: Connection, principal: str, action: str, subject: str, case_id: str) -> None:
        """A change of who may see a case: its entry is written with it, or neither is (unlike a read's)."""
        if not write_entry(conn, self._stamp(), principal, action, "access", subject, case_id):
            raise CasebookError("The change of access could not be recorded in the audit log; it was not made.")

    # -- who may see a case (team mode) ---------------------------------------------

    def grant(self, principal: str, case_id: str, member: str, access_role: str) -> bool:
        """Give ``member`` the role ``editor`` or ``reader`` in a case ``principal`` may write; audited.

        ``False`` (and nothing written) when the member had a role in the case already.
        Whether ``principal``'s team role allows assigning is for the caller to decide
        (amparo.web.team.permissions); this checks the case is theirs to change.
        """
        with self._db() as conn:
            may_write(conn, principal, case_id)
            granted = permissions.grant(conn, case_id, member, access_role)
            if granted:
                self._audit_change(conn, principal, "grant", member, case_id)
        return granted

    def revoke(self, principal: str, case_id: str, member: str) -> bool:
        """Take ``member``'s access to a case ``principal`` may write away (never the owner's); audited."""
        with self._db() as conn:
            may_write(conn, principal, case_id)
            revoked = permissions.revoke(conn, case_id, member)
            if revoked:
                self._audit_change(conn, principal, "revoke", member, case_id)
        return revoked

    def assignees(self, principal: str, case_id: str) -> list[tuple[str, str]]:
        """Who has access to a case ``principal`` may see, as (principal, role), the owner first."""
        with self._db() as conn:
            role(conn, principal, case_id)
            found = permissions.assignees(conn, case_id)
            self._audit(conn, principal, "read", "access", "", case_id)
        return found

    def owners(self, principal: str, case_ids: list[str]) -> dict[str, str]:
        """The owner of each of ``case_ids`` that ``principal`` may see (the case list's column)."""
        with self._db() as conn:
            found = permissions.owners(conn, principal, case_ids)
            self._audit(conn, principal, "read", "access")
        return found

    def grant_every_case(self, principal: str, member: str) -> int:
        """An ``editor``'s row for ``member`` in every case it has no role in yet; one audit entry each.

        For the team roles that see every case (the caller decides who they are); how many were granted.
        """
        with self._db() as conn:
            granted = 0
            for case_id in permissions.cases_without(conn, member):
                if permissions.grant(conn, case_id, member, "editor"):
                    self._audit_change(conn, principal, "grant", member, case_id)
                    granted += 1
        return granted

    def revoke_every_case(self, principal: str, member: str) -> int:
        """Every role ``member`` holds except the owner's, taken away; one audit entry each; how many."""
        with self._db() as conn:
            revoked = 0
            for case_id in permissions.granted_cases(conn, member):
                if permissions.revoke(conn, case_id, member):
                    self._audit_change(conn, principal, "revoke", member, case_id)
                    revoked += 1
        return revoked

    # -- writing ----------------------------------------------------------------

    def add(self, principal: str, record: Record) -> Record:
        """Store a new record (a case, or a record of a case the principal may write); return it with its id.

        A consent added here is one recorded on its own (:data:`RECORDED_PURPOSES`); a move's and an import's
        are recorded by :meth:`move_out` and :meth:`import_case`, with the transfer they belong to.
        """
        if isinstance(record, Consent):
            if record.purpose not in RECORDED_PURPOSES or record.transfer_id:
                raise ConsentInvalid("A move's or an import's consent is recorded by the move or the import.")
            check_consent(record)
        record = self._fresh(record)
        with self._db() as conn:
            if not isinstance(record, Case):
                may_write(conn, principal, record.case_id)
                check_links(conn, record)
            self._store(conn, principal, record)
        return record

    def _fresh(self, record: Record, **changes: typing.Any) -> Record:
        """``record`` as a new one: a new id, created and changed now."""
        stamp = self._stamp()
        return dataclasses.replace(record, **changes, id=new_id(), created_at=stamp, updated_at=stamp)

    def _store(self, conn: Connection, principal: str, record: Record) -> None:
        """Insert a record with its id already set (and a case's owner), index and audit it."""
        kind = kind_of(record)
        cls, table, _date = KINDS[kind]
        case_id = case_id_of(record)
        queries.insert(conn, cls, table, record)
        if isinstance(record, Case):
            make_owner(conn, record.id, principal)
        queries.index(conn, kind, record, case_id, new=True)
        self._audit(conn, principal, "create", kind, record.id, case_id)

    def update(self, principal: str, record: Record) -> Record:
        """Replace a stored record's fields (its id, case and creation time stay). Never a consent's."""
        kind = kind_of(record)
        if kind == "consent":
            raise ConsentPermanent()
        cls, table, _date = KINDS[kind]
        with self._db() as conn:
            stored = self._get(conn, principal, kind, record.id)
            case_id = case_id_of(stored)
            may_write(conn, principal, case_id)
            keep: dict[str, typing.Any] = {"case_id": case_id} if not isinstance(stored, Case) else {}
            record = dataclasses.replace(record, **keep, created_at=stored.created_at, updated_at=self._stamp())
            check_links(conn, record)
            queries.update(conn, cls, table, record)
            queries.index(conn, kind, record, case_id)
            self._audit(conn, principal, "update", kind, record.id, case_id)
        return record

    def delete(self, principal: str, kind: str, record_id: str) -> None:
        """Delete a record; deleting a case deletes everything recorded under it (a consent goes only so)."""
        if kind == "consent":
            raise ConsentPermanent()
        with self._db() as conn:
            stored = self._get(conn, principal, kind, record_id)
            case_id = case_id_of(stored)
            may_write(conn, principal, case_id)
            queries.delete(conn, kind, record_id, case_id)
            self._audit(conn, principal, "delete", kind, record_id, case_id)

    # -- reading ----------------------------------------------------------------

    def get(self, principal: str, kind: str, record_id: str) -> Record:
        with self._db() as conn:
            record = self._get(conn, principal, kind, record_id)
            case_id = case_id_of(record)
            self._audit(conn, principal, "read", kind, record_id, case_id)
            return record

    def _get(self, conn: Connection, principal: str, kind: str, record_id: str) -> Record:
        if kind not in KINDS:
            raise RecordNotFound()
        record = queries.get(conn, kind, record_id)
        if record is None:
            raise RecordNotFound()
        role(conn, principal, case_id_of(record))
        return record

    def records(self, principal: str, case_id: str, kind: str) -> list[Record]:
        """One kind of record of one case, newest first."""
        if kind not in CASE_RECORD_KINDS:
            raise RecordNotFound()
        with self._db() as conn:
            role(conn, principal, case_id)
            rows = queries.select_records(conn, kind, case_id)
            self._audit(conn, principal, "read", kind, "", case_id)
        return queries.records_of(kind, rows)

    def cases(self, principal: str, limit: int = -1, offset: int = 0) -> Page[CaseSummary]:
        """The principal's cases, open ones first, most recently active first; one page of them."""
        return self.case_list(principal, CaseQuery(), limit, offset)

    def case_list(
        self,
        principal: str,
        query: CaseQuery,
        limit: int = -1,
        offset: int = 0,
        country_name: Callable[[str], str] = str,
    ) -> CaseList:
        """The principal's cases that ``query`` keeps, in its order; one page of them.

        ``country_name`` names a country code in the reader's language (for the sort by country).

        In two steps: every case with just what choosing needs (:func:`queries.case_keys`), then the
        chosen page's cases in full. A list of a thousand cases shows fifty: the other fields of the
        others, decrypted one by one in the team store, would only be thrown away.
        """
        today = self._now().date().isoformat()
        with self._db() as conn:
            keys = queries.case_keys(conn, principal, today, query.reads_pseudonyms, query.reads_risks)
            page = listing.choose(keys, query, limit, offset, country_name)
            ids = [s.case.id for s in page.items]
            rows = queries.select_cases(conn, principal, today, ids) if ids else ([], [])
            counts = queries.count_records(conn, ids)
            self._audit(conn, principal, "read", "case")
        full = {s.case.id: s for s in queries.cases_of(*rows)}
        # A case deleted between the two steps (another member, in team mode) is left out of the page.
        items = [dataclasses.replace(full[i], records=counts[i]) for i in ids if i in full]
        return CaseList(items, page.total, listing.countries(keys), len(keys))

    def timeline(self, principal: str, case_id: str) -> list[TimelineEntry]:
        """Everything recorded for a case in one list, newest first."""
        return self.timeline_page(principal, case_id).items

    def timeline_page(self, principal: str, case_id: str, limit: int = -1, offset: int = 0) -> Page[TimelineEntry]:
        """One page of :meth:`timeline` (``limit`` entries from ``offset``; -1 for all), and how many there are.

        Every record's date orders the page, and only the page's records are read in full: the team
        store decrypts fifty records, not the two thousand a long case holds.
        """
        with self._db() as conn:
            role(conn, principal, case_id)
            keys = queries.timeline_keys(conn, case_id)
            end = None if limit < 0 else offset + limit
            entries = queries.timeline_entries(conn, keys[offset:end])
            self._audit(conn, principal, "read", "timeline", "", case_id)
        return Page(entries, len(keys))

    def missions(self, principal: str, limit: int = -1, offset: int = 0) -> Page[MissionSummary]:
        """Per issuer and mission, latest activity first: the last engagement and the open requests.

        Over the principal's cases; one page (``limit`` pairs from ``offset``; -1 for all).
        """
        with self._db() as conn:
            summaries, total = mission_view.missions(conn, principal, limit, offset)
            self._audit(conn, principal, "read", "missions")
        return Page(summaries, total)

    def follow_ups(
        self,
        principal: str,
        *,
        include_done: bool = False,
        due_before: dt.date | None = None,
        due_from: dt.date | None = None,
        limit: int = -1,
        offset: int = 0,
    ) -> Page[tuple[FollowUp, Case]]:
        """Follow-ups across the principal's cases, open ones first, soonest due first: one page of them.

        ``due_before`` today gives the overdue ones, ``due_from`` today the ones still to come.
        """
        which = queries.follow_up_filter(include_done, due_before, due_from)
        with self._db() as conn:
            rows, total = queries.select_follow_ups(conn, principal, which, limit, offset)
            self._audit(conn, principal, "read", "follow-up")
        return Page(queries.follow_ups_of(rows), total)

    def search(self, principal: str, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over every free-text field; the query is matched as plain words, never as syntax."""
        words = queries.query_words(query)
        if not words:
            return []
        with self._db() as conn:
            rows = queries.select_hits(conn, principal, words, limit)
            self._audit(conn, principal, "search", "case")  # the words themselves are not recorded
        return queries.hits_of(rows)

    def audit(self, principal: str, limit: int = 200) -> list[AuditEntry]:
        """The principal's recent reads and writes, newest first."""
        with self._db() as conn:
            return recent_entries(conn, principal, limit)

    def export_case(self, principal: str, case_id: str) -> dict[str, object]:
        """A case and all its records as plain data (for JSON and CSV exports)."""
        with self._db() as conn:
            case = self._get(conn, principal, "case", case_id)
            out: dict[str, object] = {"case": dataclasses.asdict(case), **queries.export(conn, case_id)}
            self._audit(conn, principal, "export", "case", case_id, case_id)
        return out

    def engagements(self, principal: str) -> list[tuple[Engagement, Case]]:
        """All engagements over the principal's cases, oldest first (the export)."""
        with self._db() as conn:
            rows = queries.select_engagements(conn, principal)
            self._audit(conn, principal, "export", "engagement")
        return queries.engagements_of(rows)

    def risk_history(self, principal: str, case_id: str) -> list[RiskAssessment]:
        """A case's risk assessments, oldest first (the order a chart is drawn in)."""
        return list(reversed(typing.cast(list[RiskAssessment], self.records(principal, case_id, "risk"))))

    # -- moving a case (amparo.casebook.transfer) -------------------------------------------------

    def move_out(self, principal: str, case_id: str, consent: Consent) -> Transfer:
        """Record ``consent`` (to a move, naming its transfer id) in a case ``principal`` may write, and return
        the case with all its records, that consent included, as one transfer: one transaction, audited."""
        if consent.purpose not in MOVES or not consent.transfer_id:
            raise ValueError("a move's consent names the move and its transfer id")
        check_consent(consent)
        with self._db() as conn:
            case = self._get(conn, principal, "case", case_id)
            may_write(conn, principal, case_id)
            self._store(conn, principal, self._fresh(consent, case_id=case_id))
            records = queries.case_records(conn, case_id)
            self._audit(conn, principal, "move-out", "case", case_id, case_id)
        return Transfer(consent.transfer_id, utc_stamp(self._now()), typing.cast(Case, case), records)

    def import_case(self, principal: str, moved: Transfer, receipt: Consent) -> Case:
        """Store a transfer's case as a new case owned by ``principal``, with ``receipt`` recorded in it.

        Every record gets a new id (the file's are untrusted and may collide), a follow-up's request
        link follows its request. One transaction: the whole case or nothing. Refused with
        :class:`TransferAlreadyImported` when a consent here names the transfer already.
        """
        check_consent(dataclasses.replace(receipt, purpose="received"))
        ids = {old.id: new_id() for old in (moved.case, *(r for kind in moved.records.values() for r in kind))}
        case = dataclasses.replace(moved.case, id=ids[moved.case.id])
        with self._db() as conn:
            if queries.transfer_known(conn, moved.id):
                raise TransferAlreadyImported()
            self._store(conn, principal, case)
            for kind in CASE_RECORD_KINDS:
                for record in moved.records.get(kind, ()):
                    link = getattr(record, "request_id", "")
                    changes: dict[str, typing.Any] = {"id": ids[record.id], "case_id": case.id}
                    if link:
                        changes["request_id"] = ids[link]
                    self._store(conn, principal, dataclasses.replace(record, **changes))
            self._store(
                conn, principal, self._fresh(receipt, case_id=case.id, purpose="received", transfer_id=moved.id)
            )
            self._audit(conn, principal, "import", "case", case.id, case.id)
        return case
