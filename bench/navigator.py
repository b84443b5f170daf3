"""Benchmark the navigator: plan sizes, plan latency in-process, the plan endpoint and page against nginx.

Sizes: the plan JSON in formats 1 and 2, raw and gzipped, for the benchmark's situation
and the richest of 2,000 generated situations and the scenarios. Latency: 10,000
generated situations, each parsed, planned and rendered as the API's JSON, timed one by
one in this process (p50, p99). Throughput: `amparo serve` (Granian) answering POST
/api/v2/plan, the deprecated /api/v1/plan and the plan page with one situation, each
against nginx serving a static file of the same bytes, in the same run, loopback only,
bounded wrk runs. Cold start: `amparo navigate` from a new process.
Results replace the section between the markers in docs/benchmarks.md.

Run: python -m bench.navigator   (or make bench; --only cold renews just the cold start table)
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from amparo.guidelines import get_dataset
from amparo.navigator import get_rules, make_plan, parse_situation
from amparo.navigator.compact import plan_json_compact
from amparo.navigator.render import plan_json
from bench.run import DOC, NGINX, ROOT, _ms, free_port, machine, nginx_conf, started, versions, wait_quiet
from tests.navigator.strategies import random_situations
from tests.navigator.test_scenarios import SCENARIOS

BEGIN, END = "<!-- bench:navigator -->", "<!-- /bench:navigator -->"
COLD_BEGIN, COLD_END = "<!-- bench:navigator-cold -->", "<!-- /bench:navigator-cold -->"
NAVIGATE = "amparo navigate SITUATION --format json"
FIRST_START = "amparo navigate SITUATION --format json, first start (no prepared dataset)"
SITUATION = {
    "country": "PH",
    "subject": "community",
    "urgency": "attacked",
    "exposure": "public",
    "fields": ["indigenous-rights"],
    "needs": ["recognition"],
    "threats": ["judicial-harassment", "surveillance", "stigmatisation", "asset-freeze"],
}


def format_1(plan: Any) -> bytes:
    """Format 1 as POST /api/v1/plan sends it (Django's JsonResponse: the standard library's encoder)."""
    return json.dumps({"ok": True, "plan": plan_json(plan)}, ensure_ascii=False).encode()


def format_2(plan: Any) -> bytes:
    """Format 2 as POST /api/v2/plan sends it."""
    return orjson.dumps({"ok": True, "plan": plan_json_compact(plan)})


FORMATS: dict[str, Callable[[Any], bytes]] = {"format 2 (/api/v2/plan)": format_2, "format 1 (/api/v1/plan)": format_1}


def latencies(count: int) -> dict[str, list[float]]:
    """Per situation, microseconds: to parse and plan; and to parse, plan and write each format as the API does."""
    dataset = get_dataset()
    rules = get_rules(dataset)
    times: dict[str, list[float]] = {"parse + plan": [], **{f"parse + plan + {name}": [] for name in FORMATS}}
    for raw in random_situations(count, seed=7):
        start = time.perf_counter_ns()
        make_plan(parse_situation(raw, dataset), dataset, rules)
        times["parse + plan"].append((time.perf_counter_ns() - start) / 1000)
        for name, write in FORMATS.items():  # each timed from the situation, as a request would be
            start = time.perf_counter_ns()
            write(make_plan(parse_situation(raw, dataset), dataset, rules))
            times[f"parse + plan + {name}"].append((time.perf_counter_ns() - start) / 1000)
    return times


def sizes(count: int) -> list[tuple[str, int, int, int, int]]:
    """Bytes of the plan in formats 1 and 2, raw and gzipped: the benchmark's situation, and the largest over
    ``count`` generated situations and the scenarios (each column its own largest)."""
    dataset = get_dataset()
    rules = get_rules(dataset)
    situations = [SITUATION, *random_situations(count), *(s["situation"] for s in SCENARIOS)]
    plans = [make_plan(parse_situation(raw, dataset), dataset, rules) for raw in situations]
    measured = {name: [(len(b), len(gzip.compress(b))) for b in map(write, plans)] for name, write in FORMATS.items()}
    one, two = measured["format 1 (/api/v1/plan)"], measured["format 2 (/api/v2/plan)"]
    return [
        ("This benchmark's situation", *one[0], *two[0]),
        (
            f"The largest of {len(plans):,}",
            max(raw for raw, _ in one),
            max(gz for _, gz in one),
            max(raw for raw, _ in two),
            max(gz for _, gz in two),
        ),
    ]


def cold_starts(runs: int, folder: Path) -> dict[str, float]:
    """Median wall time (ms) of a command from a cold process: the interpreter alone (the baseline), the CLI's
    help, and `amparo navigate` of one situation, with its prepared dataset and on a first start (none yet: it
    parses the YAML files and prepares them). Same interpreter, same run, one after the other."""
    amparo = str(Path(sys.executable).with_name("amparo"))
    situation = folder / "situation.json"
    situation.write_text(json.dumps(SITUATION), encoding="utf-8")
    navigate = [amparo, "navigate", str(situation), "--format", "json"]
    state = {**os.environ, "AMPARO_CACHE_DIR": str(folder / "cache")}  # its own cache, prepared by the warm-up
    commands = {
        "python -c pass (baseline)": [sys.executable, "-c", "pass"],
        "amparo --help": [amparo, "--help"],
        NAVIGATE: navigate,
        FIRST_START: navigate,
    }
    for cmd in commands.values():
        subprocess.run(cmd, capture_output=True, check=True, env=state)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for run in range(runs):
        for name, cmd in commands.items():  # interleaved: a busy moment hits all alike
            env = {**state, "AMPARO_CACHE_DIR": str(folder / f"first-{run}")} if name == FIRST_START else state
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True, env=env)
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def slowest_imports(folder: Path, count: int = 8) -> list[tuple[str, float]]:
    """Where `amparo navigate` spends its import time (ms, one run of `python -X importtime`): each of Amparo's
    modules on its own, each other library with what it imports from the standard library (pycountry's
    importlib.metadata counts as pycountry's); the standard library imported by the interpreter itself is left out."""
    situation = folder / "situation.json"
    env = {**os.environ, "AMPARO_CACHE_DIR": str(folder / "cache")}
    code = f"from amparo.cli import main; main(['navigate', {str(situation)!r}, '--format', 'json'])"
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, env=env)
    nodes: list[tuple[str, float, list]] = []  # importtime prints a module after what it imported, indented deeper
    pending: list[tuple[int, tuple[str, float, list]]] = []
    for line in err.stderr.splitlines()[1:]:
        if not line.startswith("import time:"):
            continue
        own, _, name = line.split("|")
        depth = (len(name) - len(name.lstrip())) // 2
        children = [node for d, node in pending if d > depth]
        pending = [(d, node) for d, node in pending if d <= depth]
        node = (name.strip(), int(own.split(":")[1]) / 1000, children)
        pending.append((depth, node))
        nodes.append(node)
    totals: dict[str, float] = {}

    def add(node: tuple[str, float, list], owner: str | None) -> None:
        name, ms, children = node
        top = name.split(".")[0]
        if top == "amparo":
            owner = name
        elif top not in sys.stdlib_module_names and not top.startswith("_"):
            owner = top
        if owner is not None:
            totals[owner] = totals.get(owner, 0.0) + ms
        for child in children:
            add(child, owner)

    for _, node in pending:
        add(node, None)
    return sorted(totals.items(), key=lambda row: -row[1])[:count]


def cold_section(runs: int) -> str:
    """The cold start table between its own markers: `python -m bench.navigator --only cold` renews just it."""
    when = datetime.datetime.now(datetime.UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
    with tempfile.TemporaryDirectory(prefix="amparo-bench-cold-") as name:
        share = wait_quiet(30)
        cold = cold_starts(runs, Path(name))
        imports = slowest_imports(Path(name))
    print("cold start: " + ", ".join(f"{name} {ms:,.0f} ms" for name, ms in cold.items()), flush=True)
    with open("/proc/loadavg", encoding="ascii") as file:
        load = file.read().split()[0]
    base = cold["python -c pass (baseline)"]
    return "\n".join(
        [
            COLD_BEGIN,
            f"**Cold start** of the command line, measured {when}: wall time from a new process, median of {runs} "
            "runs interleaved with the bare interpreter's start in the same run (target: `amparo navigate` ≤ 300 ms; "
            f"the CPUs were {share:.0%} busy with other programs as it began, load average {load} at the end). "
            "A start reads the prepared dataset (docs/data-format.md); the first start after a change of the data "
            "parses the YAML files and prepares them again.",
            "",
            "| Command | Median | Ratio to the bare interpreter |",
            "|---|--:|--:|",
            *(f"| `{name}` | {ms:,.0f} ms | {ms / base:.1f} |" for name, ms in cold.items()),
            "",
            "Where a prepared start still spends its import time (one run of `python -X importtime`; each module or "
            "library with what it imports from the standard library): "
            + ", ".join(f"`{name}` {ms:.0f} ms" for name, ms in imports)
            + ".",
            COLD_END,
        ]
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def wrk_rps(url: str, seconds: int, script: Path | None) -> tuple[float, float, int]:
    """Requests/s, mean latency (ms) and errors for one bounded wrk run (no compression on either side)."""
    cmd = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", *(["-s", str(script)] if script else []), url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    mean = _ms(re.search(r"Latency\s+(\S+)", out)[1])
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    return rps, mean, errors


# What the throughput runs ask Amparo for, each against nginx serving the same bytes: (name, path, content type).
TARGETS = (
    ("POST /api/v2/plan", "/api/v2/plan", "application/json"),
    ("POST /api/v1/plan (deprecated)", "/api/v1/plan", "application/json"),
    ("POST /en/navigator/plan/ (the page)", "/en/navigator/plan/", "application/x-www-form-urlencoded"),
)


def request_body(content_type: str) -> str:
    if content_type == "application/json":
        return json.dumps(SITUATION)
    return urllib.parse.urlencode(SITUATION, doseq=True)  # the form's fields, lists as repeated names


def throughput(args: argparse.Namespace, amparo: str) -> list[tuple[str, int, tuple, tuple, int]]:
    """Per worker count and target: Amparo's and nginx's (requests/s, mean ms, errors), and the body's bytes."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="amparo-bench-nav-") as name:
        tmp = Path(name)
        tmp.chmod(0o755)
        env = {**os.environ, "AMPARO_DATA_DIR": str(tmp / "data")}
        for workers in (1, 2):
            port, nginx_port = free_port(), free_port()
            cmd = [amparo, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
            with started(f"amparo serve --workers {workers}", cmd, port, tmp / f"amparo-{workers}.log", env):
                www = tmp / "www"
                (www / "en").mkdir(parents=True, exist_ok=True)
                (www / "en" / "index.html").write_bytes(b"ok")  # `started` polls /en/
                answers, scripts = {}, {}
                for index, (label, path, content_type) in enumerate(TARGETS):
                    body = request_body(content_type)
                    request = urllib.request.Request(
                        f"http://127.0.0.1:{port}{path}", data=body.encode(), headers={"Content-Type": content_type}
                    )
                    with urllib.request.urlopen(request, timeout=10) as response:
                        answers[label] = response.read()
                    (www / f"answer-{index}").write_bytes(answers[label])
                    scripts[label] = tmp / f"post-{index}.lua"
                    scripts[label].write_text(
                        f'wrk.method = "POST"\nwrk.headers["Content-Type"] = "{content_type}"\n'
                        f"wrk.body = {json.dumps(body)}\n",
                        encoding="utf-8",
                    )
                for entry in (www, *www.rglob("*")):
                    entry.chmod(0o755 if entry.is_dir() else 0o644)
                conf = nginx_conf(tmp, www, nginx_port, workers, {})
                nginx_cmd = [NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")]
                with started("nginx", nginx_cmd, nginx_port, tmp / "nginx.log"):
                    for index, (label, path, _) in enumerate(TARGETS):
                        url, static = f"http://127.0.0.1:{port}{path}", f"http://127.0.0.1:{nginx_port}/answer-{index}"
                        wrk_rps(url, 1, scripts[label])  # warm-up
                        amparo_runs, nginx_runs = [], []
                        for _ in range(args.rounds):
                            wait_quiet(20)
                            amparo_runs.append(wrk_rps(url, args.duration, scripts[label]))
                            nginx_runs.append(wrk_rps(static, args.duration, None))
                        a = sorted(amparo_runs)[len(amparo_runs) // 2]
                        n = sorted(nginx_runs)[len(nginx_runs) // 2]
                        rows.append((label, workers, a, n, len(answers[label])))
                        print(
                            f"{workers} worker(s), {label}: {a[0]:,.0f}/s, nginx {n[0]:,.0f}/s, ratio {a[0] / n[0]:.3f}"
                        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="situations for the latency run")
    parser.add_argument("--sizes", type=int, default=2_000, help="generated situations for the size table")
    parser.add_argument("--duration", type=int, default=5, help="seconds per throughput run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=10, help="runs of each command for the cold start")
    parser.add_argument("--only", choices=["cold"], help="run only this part and renew only its table")
    args = parser.parse_args()
    if args.only == "cold":
        write_section(cold_section(args.cold_runs), COLD_BEGIN, COLD_END)
        print(f"wrote {DOC.relative_to(ROOT)}")
        return 0
    if not (Path(NGINX).exists() and shutil.which("wrk")):
        print("needs nginx and wrk: apt-get install nginx-light wrk", file=sys.stderr)
        return 1
    when = datetime.datetime.now(datetime.UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
    get_rules(get_dataset())  # load once, outside the timings
    size_rows = sizes(args.sizes)
    print("sizes: " + "; ".join(f"{row[0]}: {row[1]:,} B → {row[3]:,} B" for row in size_rows), flush=True)
    share = wait_quiet(30)
    times = latencies(args.count)
    for name, values in times.items():
        print(f"{name}: p50 {percentile(values, 0.5):.0f} µs, p99 {percentile(values, 0.99):.0f} µs", flush=True)

    cold = cold_section(args.cold_runs)

    amparo = str(Path(sys.executable).with_name("amparo"))
    rows = throughput(args, amparo)
    with open("/proc/loadavg", encoding="ascii") as file:
        load = file.read().split()[0]

    lines = [
        BEGIN,
        "## Navigator: plan size, plan latency, and the plan endpoint and page vs nginx",
        "",
        f"Measured {when} by `python -m bench.navigator`.",
        "",
        f"- Machine: {machine()}.",
        f"- Versions: {versions()}.",
        f"- Other load: the CPUs were {share:.0%} busy with other programs as the latency run began; load average "
        f"{load} at the end (`bench.run.wait_quiet` waits up to 20–30 s for a quiet moment before each run).",
        "",
        "**Plan size** (bytes of the API's answer; gzip as the API sends it to a client that accepts it):",
        "",
        "| Plan | Format 1 | gzipped | Format 2 | gzipped |",
        "|---|--:|--:|--:|--:|",
        *(f"| {n} | {a:,} B | {b:,} B | {c:,} B | {d:,} B |" for n, a, b, c, d in size_rows),
        "",
        f"**Latency in-process** over {args.count:,} generated situations (parse, plan, and the API's JSON, "
        "written as each endpoint writes it: format 2 with orjson, format 1 with Django's JsonResponse):",
        "",
        "| Work | p50 | p99 | mean |",
        "|---|--:|--:|--:|",
        *(
            f"| {name} | {percentile(v, 0.5):,.0f} µs | {percentile(v, 0.99):,.0f} µs | {statistics.mean(v):,.0f} µs |"
            for name, v in times.items()
        ),
        "",
        f"**Throughput**: wrk, 2 threads, 16 connections, {args.duration} s per run, median of {args.rounds} rounds, "
        "no compression on either side. Amparo answers each POST with one situation (the Philippines case story: a "
        "community facing judicial harassment, surveillance, smears and frozen accounts); nginx serves a static file "
        "with the same bytes as that answer. The 2 cores are shared with wrk.",
        "",
        "| Amparo answers | Workers | Amparo (req/s) | nginx, same bytes (req/s) | Ratio | Mean latency "
        "(Amparo / nginx) | Body | Errors |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for label, workers, a, n, size in rows:
        lines.append(
            f"| {label} | {workers} | {a[0]:,.0f} | {n[0]:,.0f} | {a[0] / n[0]:.3f} | {a[1]:.2f} ms / {n[1]:.2f} ms | "
            f"{size:,} B | {a[2] + n[2]} |"
        )
    lines += [
        "",
        "The plan is computed for every request (nothing about a defender may be cached), so the endpoint does "
        "Python work that a static file does not; the latency figures show where the time goes.",
        "",
        cold,
        END,
    ]
    write_section("\n".join(lines), BEGIN, END)
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


def write_section(text: str, begin: str, end: str) -> None:
    """Replace the text between ``begin`` and ``end`` in docs/benchmarks.md (or append it)."""
    old = DOC.read_text(encoding="utf-8")
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        new = head + text + rest.split(end, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    DOC.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
