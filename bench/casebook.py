"""Benchmark the casebook: its reads on SQLCipher against plain SQLite, and its pages through the site.

A seeded casebook (1,000 cases, 100,000 incidents and engagements, requests, follow-ups, risk assessments)
is loaded into a real vault and into plain SQLite with the vault's pragmas; the same ``Casebook`` code is
timed on both, call by call in turn, then the site serves the vault to Django's test client. Every read
writes its audit row (a fsynced commit), so that cost is in every figure. Results: docs/benchmarks.md.

Run: python -m bench.casebook [--cases 1000 --records 100000 --repeat 200] [--write]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import gzip
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlcipher3

from amparo.casebook import queries
from amparo.casebook import records as rec
from amparo.casebook.keys import KDF
from amparo.casebook.listing import CaseQuery
from amparo.casebook.permissions import LOCAL_PRINCIPAL
from amparo.casebook.repository import Casebook
from amparo.casebook.vault import Vault
from bench.casebook_data import NOW, Generator, Words
from bench.navigator import percentile, write_section
from bench.run import DOC, ROOT, machine

BEGIN, END = "<!-- bench:casebook -->", "<!-- /bench:casebook -->"
PRINCIPAL = LOCAL_PRINCIPAL  # the site's one account in local mode: the site sees the cases loaded here
PASSPHRASE = "benchmark casebook passphrase"  # noqa: S105 (a throwaway vault in a tmp dir)
FAST_KDF = KDF(time_cost=1, memory_kib=8, parallelism=1)  # key derivation is not what is measured (as in the tests)
TARGET_P95_MS, TARGET_RATIO = 50.0, 1.3
PER_PAGE = 50  # the site pages the case list, a case's timeline and the missions by 50
FILTERED = CaseQuery(country="MA", status="open", sort="pseudonym")  # MA: the seed's commonest country
SQLCIPHER, SQLITE = "SQLCipher", "SQLite"
# What open_database sets after the key and WAL; the baseline sets the same, and both are read back and compared.
VAULT_PRAGMAS = ("synchronous = FULL", "foreign_keys = ON", "temp_store = MEMORY", "cache_size = -65536")
COMPARED = ("journal_mode", "synchronous", "foreign_keys", "temp_store", "cache_size")

# -- the two stores ----------------------------------------------------------------


class Store:
    """:meth:`Vault.connection`'s contract over plain SQLite (the stdlib ``sqlite3``, no key), with the vault's
    pragmas; the Casebook code runs unchanged over it."""

    def __init__(self, path: Path) -> None:
        self.db_path, self._conn = path, None

    def open(self) -> Store:
        self._conn = sqlite3.connect(str(self.db_path), check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode = WAL")
        for pragma in VAULT_PRAGMAS:
            self._conn.execute(f"PRAGMA {pragma}")
        return self

    def lock(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = None

    @contextlib.contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn
        if conn is None:
            raise RuntimeError("closed")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def pragmas(store: Store | Vault) -> dict[str, object]:
    with store.connection() as conn:
        return {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in COMPARED}


class Batch:
    """A stand-in connection for the repository's own write helpers: their statements, replayed with executemany.

    ``_index`` first deletes the record's old search entry: a new id has none, so that statement is skipped.
    ``like``: a store's connection whose dialect, sealer and search index the helpers are to use (the team
    store's seals and indexes as it does when the repository writes; a plain connection has none).
    """

    def __init__(self, like: object = None) -> None:
        self.statements: dict[str, list[object]] = {}
        for name in ("dialect", "sealer", "search"):
            if hasattr(like, name):
                setattr(self, name, getattr(like, name))

    def execute(self, sql: str, params: object) -> None:
        if not sql.lstrip().upper().startswith("DELETE"):
            self.statements.setdefault(sql, []).append(params)


def loaded_into(store: Store | Vault, data: dict[str, list[rec.Record]], batch: int = 25_000) -> float:
    """Seconds to load ``data`` through the repository's columns, conversions and index, then close the store."""
    start = time.perf_counter()
    book = Casebook(store, now=lambda: NOW)  # type: ignore[arg-type]
    with book._db():  # creates the schema
        pass
    for kind, records in data.items():
        cls, table, _date = rec.KINDS[kind]
        for first in range(0, len(records), batch):
            rows = Batch()
            for record in records[first : first + batch]:
                case_id = record.id if isinstance(record, rec.Case) else record.case_id
                queries.insert(rows, cls, table, record)  # type: ignore[arg-type]
                if isinstance(record, rec.Case):  # as Casebook.add does for a new case
                    rows.execute(
                        "INSERT INTO access (case_id, principal, role) VALUES (?, ?, 'owner')", (case_id, PRINCIPAL)
                    )
                queries.index(rows, kind, record, case_id)  # type: ignore[arg-type]
                book._audit(rows, PRINCIPAL, "create", kind, record.id, case_id)  # type: ignore[arg-type]
            with store.connection() as conn:
                for sql, params in rows.statements.items():  # first-seen order: cases before what points at them
                    conn.executemany(sql, params)
    store.lock()  # closing checkpoints the WAL
    return time.perf_counter() - start


# -- the workload ------------------------------------------------------------------------

OPERATIONS = {
    "cases": "Case list `cases()`",
    "filtered": f"Case list filtered and sorted `case_list()` (the commonest country, open cases, by pseudonym; "
    f"`limit={PER_PAGE}`)",
    "timeline": "One case's timeline `timeline()`",
    "missions": f"Per-mission view `missions()`, first page (`limit={PER_PAGE}, offset=0`)",
    "search": "Full-text search `search()`",
    "audit": "For reference: one audit row alone (a commit)",
    "add": "For reference: add one incident `add()`",
}
MEASURED = ("cases", "filtered", "timeline", "missions", "search")  # the operations the targets apply to
REFERENCE_REPEAT = 50  # calls for the reference rows (adding is slow where it is slow)
PAGES = {
    "dashboard": "Dashboard `/en/casebook/` (follow-ups; case list, first page)",
    "case": "A random case `/en/casebook/cases/<id>/` (timeline, first page)",
    "missions": "Missions `/en/casebook/missions/` (first page)",
    "search": "Search, POST `/en/casebook/search/`",
}
Timings = dict[str, dict[str, list[float]]]  # operation → store → milliseconds per call


def plan(case_ids: list[str], args: argparse.Namespace, words: Words) -> tuple[list[str], list[str], list]:
    """The workload's seeded arguments: cases whose timeline is read, search queries, incidents to add."""
    rng = random.Random(args.seed + 1)
    timeline_cases = [rng.choice(case_ids) for _ in range(args.repeat)]
    queries = [  # one or two common words (a random word among the 10th to 300th commonest)
        " ".join(words.words[rng.randrange(10, 300)] for _ in range(rng.choice((1, 1, 2)))) for _ in range(args.repeat)
    ]
    new = [rec.Incident(rng.choice(case_ids), NOW.date(), "threats", "unknown", "", words.text(2, 4)) for _ in queries]
    return timeline_cases, queries, new


def timed(calls: dict[str, dict[str, Callable[[int], object]]], labels: dict[str, str], repeat: int) -> Timings:
    """Per operation and store, the latency (ms) of each call; the stores take turns call by call."""
    results: Timings = {}
    for op, by_store in calls.items():
        stores = list(by_store)
        count = min(repeat, REFERENCE_REPEAT) if op in ("audit", "add") else repeat
        for i in range(min(5, count) if op != "add" else 0):  # warm-up, not counted
            for call in by_store.values():
                call(i)
        times: dict[str, list[float]] = {store: [] for store in stores}
        gc.collect()
        for i in range(count):
            for store in stores[i % len(stores) :] + stores[: i % len(stores)]:  # each store goes first in turn
                start = time.perf_counter()
                by_store[store](i)
                times[store].append((time.perf_counter() - start) * 1000)
        results[op] = times
        line = "; ".join(f"{s} {percentile(t, 0.5):.2f} / {percentile(t, 0.95):.2f} ms" for s, t in times.items())
        print(f"  {labels[op]} (p50 / p95): {line}", flush=True)
    return results


def repository_calls(book: Casebook, timeline_cases: list[str], queries: list[str], new: list) -> dict:
    def audit_only(i: int) -> None:
        with book._db() as conn:
            book._audit(conn, PRINCIPAL, "read", "case")

    return {
        "cases": lambda i: book.cases(PRINCIPAL, limit=PER_PAGE, offset=0),
        "filtered": lambda i: book.case_list(PRINCIPAL, FILTERED, limit=PER_PAGE, offset=0),
        "timeline": lambda i: book.timeline(PRINCIPAL, timeline_cases[i]),
        "missions": lambda i: book.missions(PRINCIPAL, limit=PER_PAGE, offset=0),
        "search": lambda i: book.search(PRINCIPAL, queries[i]),
        "audit": audit_only,
        "add": lambda i: book.add(PRINCIPAL, new[i]),
    }


def site(data_dir: Path, vault: Vault, timeline_cases: list[str], queries: list[str], repeat: int) -> tuple:
    """The vault through the site: Django in this process, a test client logged in by unlocking; whole responses."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "amparo.settings.local"
    os.environ["AMPARO_DATA_DIR"] = str(data_dir)  # before Django reads its settings: nothing outside the tmp dir
    import django
    from django.conf import settings

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from amparo.web.casebook import runtime

    if Path(settings.DATA_DIR) != data_dir:
        raise RuntimeError(f"Django's data directory is {settings.DATA_DIR}, not the bench's")
    settings.CASEBOOK_DIR = vault.directory
    call_command("migrate", verbosity=0)  # the auth tables, in the site database in the tmp dir
    runtime.reset_for_tests()  # the site opens its own Vault on the casebook directory, locked until the POST
    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post("/en/casebook/unlock/", {"passphrase": PASSPHRASE})
    if response.status_code != 302 or not runtime.vault().is_unlocked:
        raise RuntimeError(f"unlocking through the site failed: {response.status_code}")
    requests = {
        "dashboard": lambda i: client.get("/en/casebook/"),
        "case": lambda i: client.get(f"/en/casebook/cases/{timeline_cases[i]}/"),
        "missions": lambda i: client.get("/en/casebook/missions/"),
        "search": lambda i: client.post("/en/casebook/search/", {"q": queries[i]}),
    }
    pages: dict[str, list[bytes]] = {page: [] for page in PAGES}

    def fetch(page: str) -> Callable[[int], None]:
        def call(i: int) -> None:
            response = requests[page](i)
            if response.status_code != 200:
                raise RuntimeError(f"{page}: {response.status_code}")
            pages[page].append(response.content)

        return call

    try:
        results = timed({page: {SQLCIPHER: fetch(page)} for page in PAGES}, PAGES, repeat)
    finally:
        runtime.reset_for_tests()  # locks the site's vault and stops its auto-lock thread
    sizes = {page: ([len(c) for c in got], [len(gzip.compress(c, 6)) for c in got]) for page, got in pages.items()}
    return results, sizes


# -- the run and the report ----------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000)
    parser.add_argument("--records", type=int, default=100_000, help="incidents and engagements, about half each")
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--follow-ups", type=int, default=3_000)
    parser.add_argument("--risk", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=200, help="calls per operation and store, requests per page")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--dir", type=Path, default=None, help="where to build the databases (default: a tmp dir)")
    parser.add_argument("--write", action="store_true", help="update the casebook section of docs/benchmarks.md")
    args = parser.parse_args()

    when = dt.datetime.now(dt.UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
    start = time.perf_counter()
    generator = Generator(args.seed)
    data = generator.casebook(args.cases, args.records, args.requests, args.follow_ups, args.risk)
    facts = describe(data) | {"generated": time.perf_counter() - start}
    case_ids = [c.id for c in data["case"]]
    gc.collect()
    gc.freeze()  # the generated records live on until both stores are loaded: keep them out of every collection
    print(f"generated {sum(map(len, data.values())):,} records in {facts['generated']:.1f} s", flush=True)

    with tempfile.TemporaryDirectory(prefix="amparo-bench-casebook-", dir=args.dir) as name:
        tmp = Path(name).resolve()
        plain = Store(tmp / "plain.db")
        vault = Vault(tmp / "casebook", idle_seconds=86_400, kdf=FAST_KDF)  # the site's casebook directory too
        vault.create(PASSPHRASE)
        facts["loaded"] = {SQLCIPHER: loaded_into(vault, data), SQLITE: loaded_into(plain.open(), data)}
        facts["mib"] = {s: db_mib(store.db_path) for s, store in ((SQLCIPHER, vault), (SQLITE, plain))}
        del data
        gc.unfreeze()
        gc.collect()
        vault.unlock(PASSPHRASE)
        plain.open()
        if pragmas(vault) != pragmas(plain):
            raise RuntimeError(f"the baseline's pragmas {pragmas(plain)} are not the vault's {pragmas(vault)}")
        print("the vault against plain SQLite:", flush=True)
        timeline_cases, queries, new = plan(case_ids, args, generator.words)
        books = {SQLCIPHER: Casebook(vault, now=lambda: NOW), SQLITE: Casebook(plain, now=lambda: NOW)}  # type: ignore[arg-type]
        by_book = {label: repository_calls(book, timeline_cases, queries, new) for label, book in books.items()}
        results = timed({op: {s: by_book[s][op] for s in books} for op in OPERATIONS}, OPERATIONS, args.repeat)
        facts["missions_total"] = books[SQLCIPHER].missions(PRINCIPAL, limit=PER_PAGE).total
        with plain.connection() as conn:  # records each query matches (quoted word by word, as search() does)
            match = [" ".join('"' + w.replace('"', '""') + '"' for w in q.split()) for q in queries]
            facts["matches"] = [
                conn.execute("SELECT count(*) FROM search WHERE search MATCH ?", (m,)).fetchone()[0] for m in match
            ]
        vault.lock()
        plain.lock()
        print("the vault through the site:", flush=True)
        pages, page_sizes = site(tmp, vault, timeline_cases, queries, args.repeat)
        fs = subprocess.run(["findmnt", "-no", "FSTYPE", "-T", str(tmp)], capture_output=True, text=True, check=False)
        facts["fs"] = fs.stdout.strip() or "unknown"

    text = section(when, args, facts, results, pages, page_sizes)
    print(text)
    if args.write:
        write_section(text, BEGIN, END)
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


def db_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file()) / 2**20


def describe(data: dict[str, list]) -> dict[str, object]:
    """What the report says about the generated casebook (so the records themselves can be dropped)."""
    per_case: dict[str, int] = {}
    for record in data["incident"] + data["engagement"]:
        per_case[record.case_id] = per_case.get(record.case_id, 0) + 1
    sizes = sorted(per_case.get(c.id, 0) for c in data["case"])
    return {
        "n": {kind: len(records) for kind, records in data.items()},
        "open": sum(r.status in rec.OPEN_STATUSES for r in data["request"]),
        "overdue": sum(f.done_on is None and f.due_on < NOW.date() for f in data["follow-up"]),
        "pairs": len({(r.issuer, r.mission) for r in data["engagement"]}),
        "sizes": (sizes[len(sizes) // 2], percentile(sizes, 0.95), sizes[-1]),
    }


def versions() -> str:
    probe = sqlcipher3.connect(":memory:")
    cipher, inner = (
        probe.execute("PRAGMA cipher_version").fetchone()[0],
        probe.execute("SELECT sqlite_version()").fetchone()[0],
    )
    probe.close()
    stdlib = sqlite3.sqlite_version
    return f"Python {platform.python_version()}, SQLCipher {cipher} (SQLite {inner}), stdlib sqlite3 (SQLite {stdlib})"


def _ms(value: float) -> str:
    return f"{value:,.1f} ms" if value >= 10 else f"{value:,.2f} ms"


def _bytes(values: list[int]) -> str:
    return f"{values[0]:,}" if min(values) == max(values) else f"{percentile(values, 0.5):,} (largest {max(values):,})"


def _target(name: str, value: str, met: bool) -> str:
    name = f"p95 ≤ {TARGET_P95_MS:.0f} ms" if name == "p95" else name
    return f"{name} — highest {value}, {'met' if met else 'missed'}"


def section(when: str, args: argparse.Namespace, facts: dict, results: Timings, pages: Timings, sizes: dict) -> str:
    n, matches, (median, p95, largest) = facts["n"], facts["matches"], facts["sizes"]
    lines = [
        BEGIN,
        "## Casebook: case list, timeline, missions and search, SQLCipher vs plain SQLite, and through the site",
        "",
        f"Measured {when} by `python -m bench.casebook`, in one process.",
        "",
        f"- Machine: {machine()}; databases on {facts['fs']}.",
        f"- Versions: {versions()}.",
        f"- Casebook (seeded, generated in {facts['generated']:.0f} s): {n['case']:,} cases, {n['incident']:,} "
        f"incidents, {n['engagement']:,} engagements, {n['request']:,} requests ({facts['open']:,} open), "
        f"{n['follow-up']:,} follow-ups ({facts['overdue']:,} overdue), {n['risk']:,} risk assessments; "
        f"{facts['pairs']:,} issuer–mission pairs engaged, {facts['missions_total']:,} in the per-mission view "
        f"(with those that only have open requests). Incidents and engagements per case: median {median:,}, "
        f"95th percentile {p95:,}, largest {largest:,}.",
        f"- Loaded in {facts['loaded'][SQLCIPHER]:.0f} s into the SQLCipher vault and {facts['loaded'][SQLITE]:.0f} s "
        "into SQLite (records, search index and audit rows, in transactions of 25,000 records); on disk "
        f"{facts['mib'][SQLCIPHER]:,.0f} MiB and {facts['mib'][SQLITE]:,.0f} MiB.",
        "",
        "Method: the text is a few sentences per record from a vocabulary of 3,000 English, Spanish and French "
        "words (accents included) with Zipf-like frequencies; dates span five years; issuers, missions, threats "
        "and support types come from the guidelines dataset, missions from those serving each case's country. "
        "The casebook is loaded through the repository's own column lists, conversions and search-index "
        "helpers into a real SQLCipher vault (created with tiny Argon2id parameters: key derivation is not "
        "what is measured) and into plain SQLite (the stdlib `sqlite3`) behind a stand-in with the vault's "
        "`connection()` contract and exactly the vault's pragmas: WAL, `synchronous=FULL`, foreign keys, "
        "`temp_store=MEMORY` and the same 64 MiB page cache (`cache_size = -65536`), read back from both "
        "connections and compared before anything is timed, so the ratio compares like with like. "
        f"The same `Casebook` code then runs {args.repeat} calls per operation on each, the two taking turns "
        "call by call after 5 warm-up calls: the case list, the timeline of a random case, the per-mission "
        f"view as the site asks for it (its first page of {PER_PAGE} pairs, and the total), and a search for "
        "one or two common words (a random word among the 10th to 300th commonest; a query matched "
        f"{percentile(matches, 0.5):,} records at the median, up to {max(matches):,}). One principal sees "
        "every case, as in local mode. Each figure is the wall time of the whole call, including building the "
        "result objects and the audit row every read writes: a committed write, fsynced under "
        "`synchronous=FULL`, as the casebook always does. The reference rows "
        f"({min(args.repeat, REFERENCE_REPEAT)} calls each) give that audit commit alone and adding one incident. "
        "The two libraries embed different SQLite versions (above), so a ratio also holds what one version "
        "does better than the other; that is how a ratio can fall below 1.",
        "",
        "| Operation | SQLCipher p50 | SQLCipher p95 | SQLite p50 | SQLite p95 | Ratio p50 | Ratio p95 |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    worst_p95, worst_ratio = 0.0, 0.0
    for op, times in results.items():
        a50, a95, b50, b95 = (percentile(times[s], q) for s in (SQLCIPHER, SQLITE) for q in (0.5, 0.95))
        if op in MEASURED:
            worst_p95, worst_ratio = max(worst_p95, a95), max(worst_ratio, a50 / b50, a95 / b95)
        cells = [OPERATIONS[op], _ms(a50), _ms(a95), _ms(b50), _ms(b95), f"{a50 / b50:.2f}", f"{a95 / b95:.2f}"]
        lines.append(f"| {' | '.join(cells)} |")
    pages_p95 = max(percentile(times[SQLCIPHER], 0.95) for times in pages.values())
    lines += [
        "",
        f"Targets, over the four reads on the vault: {_target('p95', _ms(worst_p95), worst_p95 <= TARGET_P95_MS)}; "
        f"{_target(f'overhead ≤ {TARGET_RATIO}×', f'ratio {worst_ratio:.2f}', worst_ratio <= TARGET_RATIO)}.",
        "",
        "An earlier run of this benchmark, when the vault turned on SQLCipher's `cipher_memory_security` (every "
        "allocation SQLite makes locked in memory and wiped when freed), measured reads 10–20× slower than plain "
        "SQLite (search p95 378 ms, `add()` 540 ms). That is why the vault leaves it off, as SQLCipher does by "
        "default since 4.5, and keeps a 64 MiB page cache, so the pages a session reads are decrypted once "
        "rather than once per view.",
        "",
        "**Through the site.** The same vault served by the site, in the same process: Django set up with "
        "`amparo.settings.local` (its data directory the bench's temporary one, the site database migrated there), "
        "the casebook unlocked by POSTing the passphrase to `/en/casebook/unlock/` with Django's test client, "
        f"which then asks for each page {args.repeat} times after 5 warm-up requests (the same cases and words "
        "as above). Each figure is the whole response: middleware, session check, view, every casebook call "
        "with its audit row, and template rendering; no HTTP server, no network. Sizes are of the HTML and, for "
        "information, gzipped (level 6); where they vary, the median and the largest.",
        "",
        "| Page | p50 | p95 | HTML bytes | Gzipped bytes |",
        "|---|--:|--:|--:|--:|",
    ]
    for page, times in pages.items():
        t, (html, zipped) = times[SQLCIPHER], sizes[page]
        cells = [PAGES[page], _ms(percentile(t, 0.5)), _ms(percentile(t, 0.95)), _bytes(html), _bytes(zipped)]
        lines.append(f"| {' | '.join(cells)} |")
    target = _target("p95", _ms(pages_p95), pages_p95 <= TARGET_P95_MS)
    return "\n".join([*lines, "", f"Target for the pages, on the vault: {target}.", END])


if __name__ == "__main__":
    sys.exit(main())
