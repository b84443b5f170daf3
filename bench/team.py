"""Benchmark team mode through the site: 20 members, 1,000 cases, 100,000 incidents and engagements on PostgreSQL.

A throw-away PostgreSQL cluster (``amparo team demo``'s), the team's members enrolled, the casebook of the
local benchmark sealed and indexed by the team store; ``amparo serve`` in team mode (Granian) serves it.
Members log in through the login page (password and authenticator code). Then, page by page, an officer
(the cases they own or are assigned) and an admin (every case) ask for the case list, a big and an average
case, the per-mission view and three searches; then 50 sessions load the site together with wrk; then
PostgreSQL is restarted under a burst of writes (:mod:`bench.team_restart`). Results: docs/benchmarks.md.

Run: python -m bench.team [--cases 1000 --records 100000 --repeat 100 --duration 60 --workers 2] [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from amparo.casebook import records as rec
from bench.casebook import describe
from bench.casebook_data import Generator
from bench.navigator import percentile, write_section
from bench.run import DOC, NGINX, ROOT, free_port, machine, nginx_conf, started, wait_quiet
from bench.team_client import Browser
from bench.team_data import ROLES, Member, add_members, cluster_root, database_mib, seed, setup_django
from bench.team_load import load
from bench.team_restart import DOWN_SECONDS, restart_scenario

BEGIN, END = "<!-- bench:team -->", "<!-- /bench:team -->"
TARGET_P95_MS = 50.0
SESSIONS = 50  # concurrent logged-in users in the load run
NO_HIT = "zqxwvk"  # a word no generated text holds (the syllables never make it)


@dataclass
class Page:
    name: str
    method: str
    path: str
    form: dict[str, str] | None = None


def pages_for(member: Member, data: dict[str, list[rec.Record]], words: list[str]) -> list[Page]:
    """What the member asks for: the case list, a big and an average case of theirs, missions, three searches."""
    size = Counter(r.case_id for kind in ("incident", "engagement") for r in data[kind])  # type: ignore[attr-defined]
    mine = sorted(member.cases, key=lambda c: (size[c], c))
    big, average = mine[-1], mine[len(mine) // 2]
    return [
        Page("Case list (dashboard)", "GET", "/en/casebook/"),
        Page(
            f"Case page, their biggest case ({size[big]:,} incidents and engagements)",
            "GET",
            f"/en/casebook/cases/{big}/",
        ),
        Page(f"Case page, a median case ({size[average]:,})", "GET", f"/en/casebook/cases/{average}/"),
        Page("Per-mission view", "GET", "/en/casebook/missions/"),
        Page(f"Search, a common word ('{words[20]}')", "POST", "/en/casebook/search/", {"q": words[20]}),
        Page(f"Search, a rare word ('{words[-1]}')", "POST", "/en/casebook/search/", {"q": words[-1]}),
        Page("Search, no hit", "POST", "/en/casebook/search/", {"q": NO_HIT}),
    ]


def filtered(member: Member, data: dict[str, list[rec.Record]]) -> dict[str, str]:
    """A filter and sort as the dashboard's form sends them: the member's commonest country, open cases, A to Z."""
    country = {c.id: c.country for c in data["case"]}  # type: ignore[attr-defined]
    common = Counter(country[c] for c in member.cases).most_common(1)[0][0]
    return {"country": common, "risk": "", "status": "open", "sort": "pseudonym"}


def measure(browser: Browser, pages: list[Page], repeat: int) -> dict[str, list[float]]:
    """Milliseconds per whole response, the pages taking turns request by request, after 3 rounds of warm-up."""
    token = browser.csrf("/en/casebook/search/")
    times: dict[str, list[float]] = {p.name: [] for p in pages}
    for i in range(repeat + 3):
        for page in pages:
            form = None if page.form is None else {"csrfmiddlewaretoken": token, **page.form}
            ms, status, _size = browser.timed(page.method, page.path, form)
            if status != 200:
                raise RuntimeError(f"{page.name}: {status}")
            if i >= 3:
                times[page.name].append(ms)
    return times


def baseline(tmp: Path, browser: Browser, pages: list[Page]) -> dict[str, list[float]]:
    """The same pages' HTML as static files from nginx, asked for by the same client: the transfer's own cost."""
    www = tmp / "www"
    www.mkdir(exist_ok=True)
    token = browser.csrf("/en/casebook/search/")
    for n, page in enumerate(pages):
        form = None if page.form is None else {"csrfmiddlewaretoken": token, **page.form}
        _status, _headers, body = browser.request(page.method, page.path, form)
        (www / f"{n}.html").write_bytes(body)
    for entry in (www, *www.rglob("*")):
        entry.chmod(0o755 if entry.is_dir() else 0o644)
    port = free_port()
    conf = nginx_conf(tmp, www, port, 1, {})
    with started(
        "nginx",
        [NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")],
        port,
        tmp / "nginx.log",
        probe="/0.html",
    ):
        static = Browser(port)
        out: dict[str, list[float]] = {p.name: [] for p in pages}
        for _ in range(100):
            for n, page in enumerate(pages):
                out[page.name].append(static.timed("GET", f"/{n}.html")[0])
        static.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000)
    parser.add_argument("--records", type=int, default=100_000, help="incidents and engagements, about half each")
    parser.add_argument("--repeat", type=int, default=100, help="requests per page and member")
    parser.add_argument("--duration", type=int, default=60, help="seconds of the concurrent load")
    parser.add_argument("--workers", type=int, default=2, help="Granian worker processes")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-restart", action="store_true", help="leave out the PostgreSQL restart scenario")
    parser.add_argument("--write", action="store_true", help="update the team section of docs/benchmarks.md")
    args = parser.parse_args()
    from amparo.cli.team import local_cluster

    when = dt.datetime.now(dt.UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
    start = time.perf_counter()
    scale = args.records / 100_000  # requests, follow-ups and risk assessments in the local benchmark's proportions
    generator = Generator(args.seed)
    data = generator.casebook(args.cases, args.records, round(5000 * scale), round(3000 * scale), round(2000 * scale))
    facts: dict = describe(data) | {"generated": time.perf_counter() - start}
    print(f"generated {sum(map(len, data.values())):,} records in {facts['generated']:.1f} s", flush=True)
    with tempfile.TemporaryDirectory(prefix="amparo-bench-team-") as name:
        tmp = Path(name).resolve()
        root = cluster_root(tmp)
        with local_cluster(root) as url:
            from amparo.casebook.team import create_key_file, open_team_store

            key = tmp / "team.key"
            create_key_file(key)
            env = {
                "AMPARO_MODE": "team",
                "DJANGO_SETTINGS_MODULE": "amparo.settings.team",
                "DATABASE_URL": url,
                "AMPARO_TEAM_KEY_FILE": str(key),
                "AMPARO_DATA_DIR": str(tmp / "data"),
                "AMPARO_TEAM_TLS": "0",  # plain HTTP on loopback, as `amparo team demo` serves
                "AMPARO_ALLOWED_HOSTS": "127.0.0.1",
                "AMPARO_TEAM_URL": "http://127.0.0.1",
            }
            setup_django(env)
            members = add_members()
            store = open_team_store()
            facts["seeded"] = seed(store, url, data, members, args.seed)
            facts["mib"] = database_mib(store)
            with store.connection() as conn:
                facts["pg"] = str(conn.execute("SHOW server_version").fetchone()[0])
                facts["terms"] = int(conn.execute("SELECT count(*) FROM search_terms").fetchone()[0])
            store.close()
            print(f"seeded in {facts['seeded']:.0f} s, {facts['mib']:,.0f} MiB", flush=True)
            officer = max((m for m in members if m.role == "officer"), key=lambda m: len(m.cases))
            admin = members[0]
            picks = {"officer": officer, "admin": admin}
            facts["scope"] = {who: len(m.cases) for who, m in picks.items()}
            facts["scope_all"] = {m.username: len(m.cases) for m in members}
            words = generator.words.words
            every = {m.username: pages_for(m, data, words) for m in members}
            queries = {who: every[m.username] for who, m in picks.items()}
            filters = {who: filtered(m, data) for who, m in picks.items()}
            del data
            gc.collect()
            port = free_port()
            # `python -m amparo` with this checkout first on the path: the `amparo` script of a shared
            # virtual environment may belong to another checkout's code.
            serve = [sys.executable, "-m", "amparo", "serve", "--host", "127.0.0.1", "--port", str(port)]
            serve += ["--workers", str(args.workers)]
            server_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
            with started("amparo serve (team)", serve, port, tmp / "amparo.log", server_env):
                facts["busy"] = wait_quiet(60)
                results: dict[str, dict[str, list[float]]] = {}
                for who, member in picks.items():
                    browser = Browser(port)
                    browser.log_in(member)
                    sorted_browser = Browser(port)
                    sorted_browser.log_in(member)
                    sorted_browser.post("/en/casebook/", filters[who])
                    print(f"{who} ({len(member.cases):,} cases):", flush=True)
                    times = measure(browser, queries[who], args.repeat)
                    times |= {
                        f"Case list, {_filter_words(filters[who])}": measure(
                            sorted_browser, [queries[who][0]], args.repeat
                        )[queries[who][0].name]
                    }
                    for page, ms in times.items():
                        print(f"  {page}: p50 {percentile(ms, 0.5):.1f} p95 {percentile(ms, 0.95):.1f} ms", flush=True)
                    results[who] = times
                    if who == "admin":
                        facts["baseline"] = baseline(tmp, browser, queries[who])
                    browser.close()
                    sorted_browser.close()
                facts["load"] = load(port, members, every, SESSIONS, args.duration, tmp)
                print(f"load: {facts['load']}", flush=True)
                if not args.no_restart:
                    facts["restart"] = restart_scenario(port, members, root)
                    print(f"restart: {facts['restart']}", flush=True)
    text = section(when, args, facts, results)
    print(text)
    if args.write:
        write_section(text, BEGIN, END)
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


def _filter_words(form: dict[str, str]) -> str:
    return f"filtered (country {form['country']}, open cases) and sorted by pseudonym"


def versions(pg: str) -> str:
    import importlib.metadata
    import platform

    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    return (
        f"Python {platform.python_version()}, Django {importlib.metadata.version('django')}, Granian "
        f"{importlib.metadata.version('granian')}, PostgreSQL {pg}, psycopg {importlib.metadata.version('psycopg')}, "
        f"wrk {wrk[1] if len(wrk) > 1 else '?'}"
    )


def _ms(value: float | None) -> str:
    return "–" if value is None else (f"{value:,.1f} ms" if value >= 10 else f"{value:,.2f} ms")


def section(when: str, args: argparse.Namespace, facts: dict, results: dict) -> str:
    n, (median, p95, largest) = facts["n"], facts["sizes"]
    roles = ", ".join(f"{count} {role} member{'s' if count > 1 else ''}" for role, count in ROLES.items())
    lines = [
        BEGIN,
        "## Team mode: the casebook on PostgreSQL, through the site",
        "",
        f"Measured {when} by `python -m bench.team`.",
        "",
        f"- Machine: {machine()}; shared with other work while it ran (CPU busy before the page timings: "
        f"{facts['busy']:.0%}).",
        f"- Versions: {versions(facts['pg'])}.",
        f"- Team: {len(facts['scope_all'])} members ({roles}). Casebook: {n['case']:,} cases, {n['incident']:,} "
        f"incidents, {n['engagement']:,} engagements, {n['request']:,} requests, {n['follow-up']:,} follow-ups, "
        f"{n['risk']:,} risk assessments (generated in {facts['generated']:.0f} s); incidents and engagements "
        f"per case: median {median:,}, 95th percentile {p95:,}, largest {largest:,}. Seeded in "
        f"{facts['seeded']:.0f} s; {facts['terms']:,} rows in the blind index; the database "
        f"{facts['mib']:,.0f} MiB.",
        f"- Server: `amparo serve --workers {args.workers}` in team mode (Granian, WSGI, {args.workers} worker "
        "processes) on 127.0.0.1, plain HTTP as `amparo team demo` serves it (`AMPARO_TEAM_TLS=0`); PostgreSQL "
        "on a Unix socket, as `amparo team demo` creates it (fsync on).",
        "",
        "Method: the cluster, the schema and the team key are made fresh for the run. The members are added and "
        "enrolled through `amparo.web.team.accounts`, the code behind `amparo team user add` and the enrolment "
        "page (a password and an authenticator app). The casebook is the local benchmark's generated one "
        "(`bench/casebook_data.py`: multilingual text, Zipf-like word frequencies, five years of dates, "
        "a few cases holding much more than most), written through the repository's own statement helpers on "
        "a team connection, so each personal field is sealed by the store's `FieldSealer` and each text "
        "indexed by its `BlindIndex`, replayed with `executemany` in transactions of 5,000 records; the "
        "database's triggers write an audit row for every one. Officers own the cases (a coordinator now and "
        "then), 30% of cases have a second officer assigned, each read-only member reads 150 cases, and "
        "admins and coordinators hold the editor's row on every case that the casebook pages give them. "
        "Every session is made through the login page: username, password and the code the member's app "
        "shows (TOTP, computed from the enrolled secret). Each figure is a whole response over a keep-alive "
        f"connection from one client in this process: {args.repeat} requests per page after 3 rounds of "
        "warm-up, the pages taking turns request by request; every read writes its audit row, and every "
        "request saves the session row (`SESSION_SAVE_EVERY_REQUEST`). The filtered case list is a second "
        "session of the same member whose dashboard form chose a country, open cases and the sort by "
        "pseudonym (held in the session, as the site does). For reference, *nginx, same bytes* is nginx "
        "serving the admin's pages saved as static files to the same client: what the transfer alone costs.",
    ]
    baseline = facts["baseline"]
    worst = 0.0
    for who, times in results.items():
        lines += [
            "",
            f"### {'An officer' if who == 'officer' else 'An admin'} ({facts['scope'][who]:,} cases in scope)",
            "",
            "| Page | p50 | p95 | p99 | nginx, same bytes, p95 | p95 ≤ 50 ms |",
            "|---|--:|--:|--:|--:|:-:|",
        ]
        for page, ms in times.items():
            p95v = percentile(ms, 0.95)
            worst = max(worst, p95v)
            ref = _ms(percentile(baseline[page], 0.95)) if who == "admin" and page in baseline else "–"
            cells = [page, _ms(percentile(ms, 0.5)), _ms(p95v), _ms(percentile(ms, 0.99)), ref]
            lines.append(f"| {' | '.join(cells)} | {'yes' if p95v <= TARGET_P95_MS else '**no**'} |")
    load_ = facts["load"]
    errors = load_["not_ok"] + load_["socket_errors"]
    lines += [
        "",
        f"### {load_['sessions']} logged-in sessions at once for {load_['seconds']} s",
        "",
        f"wrk (2 threads, {load_['sessions']} keep-alive connections, all on 127.0.0.1) with a Lua script: the "
        f"{load_['sessions']} sessions belong to the {load_['members']} members in turn (each logged in through "
        "the login page), each request goes out with the next session's cookie, and cycles through that "
        "member's pages above (searches posted with the session's CSRF token). An error is any answer but a "
        "200 (a redirect to the login page would be a lost session) and any socket error.",
        "",
        "| Requests | Requests/s | p50 | p95 | p99 | Errors | Sessions still logged in after |",
        "|--:|--:|--:|--:|--:|--:|--:|",
        f"| {load_['requests']:,} | {load_['rps']:,.0f} | {_ms(load_['p50'])} | {_ms(load_['p95'])} "
        f"| {_ms(load_['p99'])} | {errors} | {load_['still_logged_in']} of {load_['sessions']} |",
    ]
    restart = facts.get("restart")
    if restart:
        lines += restart_lines(restart)
    met = worst <= TARGET_P95_MS
    lines += [
        "",
        f"Targets: every page p95 ≤ {TARGET_P95_MS:.0f} ms — highest {_ms(worst)}, {'met' if met else 'missed'}; "
        f"{load_['sessions']} concurrent sessions for {load_['seconds']} s with 0 errors — {errors} errors, "
        f"{'met' if errors == 0 else 'missed'}"
        + (
            f"; no acknowledged write lost across the restarts — {restart['lost_repository'] + restart['lost_site']} "
            f"lost, {'met' if restart['lost_repository'] + restart['lost_site'] == 0 else 'missed'}."
            if restart
            else "."
        ),
        END,
    ]
    return "\n".join(lines)


def restart_lines(r: dict) -> list[str]:
    events = "; ".join(f"`pg_ctl {what}` {seconds:.1f} s" if what.startswith("restart") else f"{what} {seconds:.1f} s"
                       for what, seconds in r["events"])  # fmt: skip
    down = ", ".join(f"{count} {kind}" for kind, count in sorted(r["while_down"].items())) or "none"
    refused = ", ".join(f"{count} {kind}" for kind, count in sorted(r["refused"].items())) or "none"
    back = "never" if r["back_after"] is None else f"{r['back_after']:.1f} s"
    return [
        "",
        "### PostgreSQL restarted under a burst of writes",
        "",
        "`python -m bench.team_restart`'s scenario, on the same server and data: four threads add incidents "
        "through the repository without pause (one `TeamStore`, as a worker holds it) and two logged-in "
        "browsers post the new-incident form, while a third asks for the case list every 50 ms. PostgreSQL is "
        f"restarted with `pg_ctl restart -m fast`, then `-m immediate` (no checkpoint: crash recovery), then "
        f"stopped for {DOWN_SECONDS:.0f} s and started. A write is acknowledged when `add()` returns, or the site "
        "answers the form with its redirect to the case; afterwards each is looked for in the database (by id, "
        "or by the unique word in its text through the search).",
        "",
        f"- Interruptions: {events}.",
        f"- Acknowledged: {r['acknowledged_repository']:,} through the repository, {r['acknowledged_site']:,} "
        f"through the site; lost: {r['lost_repository']} and {r['lost_site']}. Refused while the database was "
        f"away (the writer was told, nothing half-written): {refused}.",
        f"- The case list while the server was stopped: {down} (a *clear 503* is the page saying the team's "
        "database cannot be reached and nothing was changed; never a 500, a traceback or an error's detail).",
        f"- After it started again, the first page came {back} later, with no new login; "
        f"{r['after_not_page']} answers after that were not the page.",
    ]


if __name__ == "__main__":
    sys.exit(main())
