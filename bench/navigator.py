"""Benchmark the navigator: plan latency in-process, and the plan endpoint's throughput against nginx.

Latency: 10,000 generated situations, each parsed, planned and rendered as the API's
JSON, timed one by one in this process (p50, p99). Throughput: `amparo serve`
(Granian) answering POST /api/v1/plan with one situation, against nginx serving a
static file of the same size, in the same run, loopback only, bounded wrk runs.
Results replace the section between the markers in docs/benchmarks.md.

Run: python -m bench.navigator   (or make bench)
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from amparo.guidelines import get_dataset
from amparo.navigator import get_rules, make_plan, parse_situation
from amparo.navigator.render import plan_json
from bench.run import DOC, NGINX, ROOT, _ms, free_port, machine, nginx_conf, started, versions, wait_quiet
from tests.navigator.strategies import random_situations

BEGIN, END = "<!-- bench:navigator -->", "<!-- /bench:navigator -->"
SITUATION = {
    "country": "PH",
    "subject": "community",
    "urgency": "attacked",
    "exposure": "public",
    "fields": ["indigenous-rights"],
    "needs": ["recognition"],
    "threats": ["judicial-harassment", "surveillance", "stigmatisation", "asset-freeze"],
}


def latencies(count: int) -> tuple[list[float], list[float]]:
    """Per situation: microseconds to parse and plan, and to parse, plan and render JSON."""
    dataset = get_dataset()
    rules = get_rules(dataset)
    plan_only, with_json = [], []
    for raw in random_situations(count, seed=7):
        start = time.perf_counter_ns()
        plan = make_plan(parse_situation(raw, dataset), dataset, rules)
        middle = time.perf_counter_ns()
        json.dumps(plan_json(plan), ensure_ascii=False)
        end = time.perf_counter_ns()
        plan_only.append((middle - start) / 1000)
        with_json.append((end - start) / 1000)
    return plan_only, with_json


def cold_starts(runs: int, folder: Path) -> dict[str, float]:
    """Median wall time (ms) of a command from a cold process: the interpreter alone (the baseline), the CLI's
    help, and `amparo navigate` of one situation. Same interpreter, same run, one after the other."""
    amparo = str(Path(sys.executable).with_name("amparo"))
    situation = folder / "situation.json"
    situation.write_text(json.dumps(SITUATION), encoding="utf-8")
    commands = {
        "python -c pass (baseline)": [sys.executable, "-c", "pass"],
        "amparo --help": [amparo, "--help"],
        "amparo navigate SITUATION --format json": [amparo, "navigate", str(situation), "--format", "json"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():  # interleaved: a busy moment hits all three alike
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="situations for the latency run")
    parser.add_argument("--duration", type=int, default=5, help="seconds per throughput run")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not (Path(NGINX).exists() and shutil.which("wrk")):
        print("needs nginx and wrk: apt-get install nginx-light wrk", file=sys.stderr)
        return 1
    when = datetime.datetime.now(datetime.UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
    get_rules(get_dataset())  # load once, outside the timings
    plan_only, with_json = latencies(args.count)
    print(f"latency p50 {percentile(with_json, 0.5):.0f} µs, p99 {percentile(with_json, 0.99):.0f} µs", flush=True)

    with tempfile.TemporaryDirectory(prefix="amparo-bench-cold-") as name:
        wait_quiet(30)
        cold = cold_starts(10, Path(name))
    print("cold start: " + ", ".join(f"{name} {ms:,.0f} ms" for name, ms in cold.items()), flush=True)

    rows = []
    amparo = str(Path(sys.executable).with_name("amparo"))
    body = json.dumps(SITUATION)
    with tempfile.TemporaryDirectory(prefix="amparo-bench-nav-") as name:
        tmp = Path(name)
        tmp.chmod(0o755)
        script = tmp / "post.lua"
        script.write_text(
            f'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = {json.dumps(body)}\n',
            encoding="utf-8",
        )
        env = {**os.environ, "AMPARO_DATA_DIR": str(tmp / "data")}
        for workers in (1, 2):
            port, nginx_port = free_port(), free_port()
            cmd = [amparo, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
            with started(f"amparo serve --workers {workers}", cmd, port, tmp / f"amparo-{workers}.log", env):
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1/plan",
                    data=body.encode(),
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=10) as response:
                    answer = response.read()
                www = tmp / "www"
                (www / "en").mkdir(parents=True, exist_ok=True)
                (www / "plan.json").write_bytes(answer)
                (www / "en" / "index.html").write_bytes(b"ok")  # `started` polls /en/
                for entry in (www, *www.rglob("*")):
                    entry.chmod(0o755 if entry.is_dir() else 0o644)
                conf = nginx_conf(tmp, www, nginx_port, workers, {})
                nginx_cmd = [NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")]
                with started("nginx", nginx_cmd, nginx_port, tmp / "nginx.log"):
                    wrk_rps(f"http://127.0.0.1:{port}/api/v1/plan", 1, script)  # warm-up
                    amparo_runs, nginx_runs = [], []
                    for _ in range(args.rounds):
                        wait_quiet(30)
                        amparo_runs.append(wrk_rps(f"http://127.0.0.1:{port}/api/v1/plan", args.duration, script))
                        nginx_runs.append(wrk_rps(f"http://127.0.0.1:{nginx_port}/plan.json", args.duration, None))
                    a = sorted(amparo_runs)[len(amparo_runs) // 2]
                    n = sorted(nginx_runs)[len(nginx_runs) // 2]
                    rows.append((workers, a, n, len(answer)))
                    print(f"{workers} worker(s): plan {a[0]:,.0f}/s, nginx {n[0]:,.0f}/s, ratio {a[0] / n[0]:.3f}")

    lines = [
        BEGIN,
        "## Navigator: plan latency and the plan endpoint vs nginx",
        "",
        f"Measured {when} by `python -m bench.navigator`.",
        "",
        f"- Machine: {machine()}.",
        f"- Versions: {versions()}.",
        "",
        f"**Latency in-process** over {args.count:,} generated situations (parse, plan, and the API's JSON):",
        "",
        "| Work | p50 | p99 | mean |",
        "|---|--:|--:|--:|",
        f"| parse + plan | {percentile(plan_only, 0.5):,.0f} µs | {percentile(plan_only, 0.99):,.0f} µs | "
        f"{statistics.mean(plan_only):,.0f} µs |",
        f"| parse + plan + JSON | {percentile(with_json, 0.5):,.0f} µs | {percentile(with_json, 0.99):,.0f} µs | "
        f"{statistics.mean(with_json):,.0f} µs |",
        "",
        f"**Throughput**: wrk, 2 threads, 16 connections, {args.duration} s per run, median of {args.rounds} rounds, "
        "no compression on either side. Amparo answers `POST /api/v1/plan` with one situation (the Philippines case "
        "story: a community facing judicial harassment, surveillance, smears and frozen accounts); nginx serves a "
        "static file with the same bytes as that answer. The 2 cores are shared with wrk.",
        "",
        "| Workers | Plan endpoint (req/s) | nginx, same size (req/s) | Ratio | Mean latency (Amparo / nginx) "
        "| Body | Errors |",
        "|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for workers, a, n, size in rows:
        lines.append(
            f"| {workers} | {a[0]:,.0f} | {n[0]:,.0f} | {a[0] / n[0]:.3f} | {a[1]:.2f} ms / {n[1]:.2f} ms | "
            f"{size:,} B | {a[2] + n[2]} |"
        )
    lines += [
        "",
        "The plan is computed for every request (nothing about a defender may be cached), so the endpoint does "
        "Python work that a static file does not; the latency figures show where the time goes.",
        "",
        "**Cold start** of the command line: wall time from a new process, median of 10 runs interleaved with the "
        "bare interpreter's start in the same run (target: `amparo navigate` ≤ 300 ms).",
        "",
        "| Command | Median | Ratio to the bare interpreter |",
        "|---|--:|--:|",
        *(f"| `{name}` | {ms:,.0f} ms | {ms / cold['python -c pass (baseline)']:.1f} |" for name, ms in cold.items()),
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
