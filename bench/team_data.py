"""The team benchmark's world: a throw-away PostgreSQL cluster, the team's members, and its seeded casebook.

The cluster is ``amparo team demo``'s (:func:`amparo.cli.team.local_cluster`: Debian's PostgreSQL on a
Unix socket in a folder of its own, fsync on as in production). Members are added and enrolled through
:mod:`amparo.web.team.accounts`, the code behind ``amparo team user add`` and the enrolment page
(password and authenticator app); their sessions are made later through the login page. The casebook
is the local benchmark's generated one (:mod:`bench.casebook_data`), written through the repository's
own statement helpers on a team connection, so every personal field is sealed by the store's
:class:`~amparo.casebook.team.sealing.FieldSealer` and indexed by its
:class:`~amparo.casebook.team.blind_index.BlindIndex`; the statements are replayed with ``executemany``
in transactions of a few thousand records, and the database's audit triggers record every row.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from amparo.casebook import permissions, queries
from amparo.casebook import records as rec
from amparo.casebook.repository import Casebook
from amparo.casebook.team import TeamStore
from bench.casebook import Batch

PASSWORD = "benchmark team member passphrase 2026"  # noqa: S105 (throw-away accounts in a throw-away cluster)
# 20 members, as the issue asks: the roles of a protection team.
ROLES = {"admin": 1, "coordinator": 3, "officer": 14, "read-only": 2}
READER_CASES = 150  # cases each read-only member is assigned to
SECOND_OFFICER = 0.3  # share of cases with a second officer assigned


@dataclass
class Member:
    username: str
    role: str
    principal: str
    key: bytes  # the TOTP secret, as the member's authenticator app holds it
    step: int
    t0: int
    digits: int
    tolerance: int
    used: int = -1  # the last time step whose code was typed: the server accepts each only once
    cases: list[str] = field(default_factory=list)

    def code(self) -> str:
        """The code the member's app shows now; when that one was typed already, the next one (waited for).

        Only the current step: a code from the step before or after is accepted too, but django-otp then
        records the offset as the device's drift and shifts its window, which refused a later login.
        """
        from django_otp.oath import TOTP

        while True:
            now = int(time.time() - self.t0) // self.step
            step = now
            if step > self.used:
                break
            time.sleep(self.t0 + (now + 1) * self.step - time.time() + 0.05)
        totp = TOTP(self.key, self.step, self.t0, self.digits)
        totp.time = step * self.step + self.t0 + 1
        self.used = step
        return f"{totp.token():0{self.digits}d}"


def setup_django(env: dict[str, str]) -> None:
    """Django in team mode in this process, on the bench's cluster and data directory; the site's tables."""
    os.environ.update(env)
    from amparo.cli.team import migrate, setup_team

    setup_team()
    migrate()


def add_members() -> list[Member]:
    """The team's 20 members, each enrolled as the enrolment page does it: a password and a confirmed app."""
    from amparo.web.team import accounts
    from amparo.web.team.permissions import principal_for

    members = []
    for role, count in ROLES.items():
        for n in range(1, count + 1):
            user, token = accounts.add_member(f"{role.replace('-', '')}{n:02d}", role)
            device = accounts.pending_device(user)
            if device is None:
                raise RuntimeError(f"no authenticator to enrol for {user.get_username()}")
            member = Member(
                user.get_username(), role, "", device.bin_key, device.step, device.t0, device.digits, device.tolerance
            )
            if not accounts.complete_enrolment(token, PASSWORD, member.code()):
                raise RuntimeError(f"enrolment of {member.username} refused")
            user.refresh_from_db()
            member.principal = principal_for(user)
            members.append(member)
    return members


def seed(
    store: TeamStore, url: str, data: dict[str, list[rec.Record]], members: list[Member], seed: int, batch: int = 5000
) -> float:
    """Write the casebook into the team store; seconds taken. Officers own cases; others are assigned.

    Each case's owner is an officer (or now and then a coordinator), as whoever opens a case owns it; some
    cases have a second officer assigned, each read-only member reads :data:`READER_CASES` of them,
    and admins and coordinators get the editor's row on every case that the casebook pages give them.
    """
    rng = random.Random(seed)
    officers = [m for m in members if m.role == "officer"]
    coordinators = [m for m in members if m.role == "coordinator"]
    start = time.perf_counter()
    book = Casebook(store)
    with book._db():  # the schema (prepare() migrated it already; this is the repository's own check)
        pass
    owner: dict[str, Member] = {}
    for case in data["case"]:
        owner[case.id] = rng.choice(coordinators) if rng.random() < 0.1 else rng.choice(officers)
        owner[case.id].cases.append(case.id)
    for kind, records in data.items():
        cls, table, _date = rec.KINDS[kind]
        for first in range(0, len(records), batch):
            chunk = records[first : first + batch]
            with store.connection(principal=members[0].principal) as conn:
                rows = Batch(like=conn)
                for record in chunk:
                    case_id = rec.case_id_of(record)
                    queries.insert(rows, cls, table, record)  # type: ignore[arg-type]
                    if isinstance(record, rec.Case):
                        permissions.make_owner(rows, case_id, owner[case_id].principal)  # type: ignore[arg-type]
                    queries.index(rows, kind, record, case_id, new=True)  # type: ignore[arg-type]
                for sql, params in rows.statements.items():
                    conn.executemany(sql, params)
    case_ids = [c.id for c in data["case"]]
    with store.connection(principal=members[0].principal) as conn:
        for case_id in case_ids:
            if rng.random() < SECOND_OFFICER:
                other = rng.choice(officers)
                if permissions.grant(conn, case_id, other.principal, "editor"):
                    other.cases.append(case_id)
        for reader in (m for m in members if m.role == "read-only"):
            for case_id in rng.sample(case_ids, min(READER_CASES, len(case_ids) // 2)):
                if permissions.grant(conn, case_id, reader.principal, "reader"):
                    reader.cases.append(case_id)
    for member in members:
        if member.role in ("admin", "coordinator"):
            book.grant_every_case(member.principal, member.principal)
            member.cases = list(case_ids)
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:  # as autovacuum would after a load: statistics, visibility
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - start


def database_mib(url_conn: TeamStore) -> float:
    with url_conn.connection() as conn:
        return float(conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]) / 2**20


def cluster_root(tmp: Path) -> Path:
    """Where the cluster lives inside the bench's folder (which the postgres user must be able to enter)."""
    tmp.chmod(0o755)
    return tmp / "postgres"
