"""The team benchmark's concurrent load: logged-in sessions asking for their pages together, driven by wrk.

Each session logs in through the login page; wrk's Lua script then sends each request with the next
session's cookie in turn (so every session is in use all the time), cycling through that member's pages
(the case list, two cases, the per-mission view, three searches posted with the session's CSRF token).
The script counts every answer that is not a 200 (a redirect to the login page would be a lost session)
and wrk counts socket errors; both are errors here.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlencode

from bench.run import _ms
from bench.team_client import Browser
from bench.team_data import Member

_SCRIPT = """
local sessions = %(sessions)s
local threads = {}
counter, bad = 0, 0  -- globals: done() reads each thread's with thread:get
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  counter = id * 7919
end
function request()
  counter = counter + 1
  local s = sessions[(counter %% #sessions) + 1]
  local p = s.pages[(math.floor(counter / #sessions) %% #s.pages) + 1]
  local headers = {Cookie = s.cookie}
  if p[1] == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Origin"] = "%(origin)s"
  end
  return wrk.format(p[1], p[2], headers, p[3])
end
function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("bad")
  end
  io.write(string.format("NOT200 %%d\\n", total))
  io.write(string.format("P95 %%dus\\n", latency:percentile(95)))
  io.write(string.format("P50 %%dus\\n", latency:percentile(50)))
end
"""


def _lua(value: object) -> str:
    """A Lua literal for nested lists and dicts of ASCII strings (json's string escapes are Lua's too)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_lua(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    return json.dumps(str(value), ensure_ascii=True)


def sessions_for(port: int, members: list[Member], pages: dict[str, list], count: int) -> list[dict[str, object]]:
    """``count`` sessions over the members in turn, each logged in through the login page, with its pages."""
    out = []
    for n in range(count):
        member = members[n % len(members)]
        browser = Browser(port)
        browser.log_in(member)
        token = browser.csrf("/en/casebook/search/")
        browser.close()
        cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        mine = [
            (p.method, p.path, urlencode({"csrfmiddlewaretoken": token, **p.form}) if p.form else "")
            for p in pages[member.username]
        ]
        out.append({"cookie": cookie, "pages": mine, "browser": browser})
    return out


def load(port: int, members: list[Member], pages: dict[str, list], count: int, seconds: int, tmp: Path) -> dict:
    """Requests/s, latency percentiles and errors of ``count`` sessions for ``seconds`` with wrk."""
    sessions = sessions_for(port, members, pages, count)
    script = tmp / "team.lua"
    table = [{"cookie": s["cookie"], "pages": s["pages"]} for s in sessions]
    script.write_text(_SCRIPT % {"sessions": _lua(table), "origin": f"http://127.0.0.1:{port}"}, encoding="ascii")
    cmd = ["wrk", "-t2", f"-c{count}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", str(script)]
    out = subprocess.run([*cmd, f"http://127.0.0.1:{port}/en/casebook/"], capture_output=True, text=True, check=True)
    text = out.stdout
    requests = int(re.search(r"(\d+) requests in", text)[1])  # type: ignore[index]
    socket_errors = re.search(r"Socket errors:(.*)", text)
    sockets = sum(int(n) for n in re.findall(r"\d+", socket_errors[1])) if socket_errors else 0
    not_ok = int(re.search(r"NOT200 (\d+)", text)[1])  # type: ignore[index]
    p99 = re.search(r"^\s*99%\s+(\S+)", text, re.M)
    still = 0  # after the load, every session must still be logged in
    for session in sessions:
        browser: Browser = session["browser"]  # type: ignore[assignment]
        still += browser.request("GET", "/en/casebook/")[0] == 200
        browser.close()
    return {
        "sessions": count,
        "members": len({m.username for m in members[:count]}),
        "seconds": seconds,
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text)[1]),  # type: ignore[index]
        "p50": int(re.search(r"P50 (\d+)us", text)[1]) / 1000,  # type: ignore[index]
        "p95": int(re.search(r"P95 (\d+)us", text)[1]) / 1000,  # type: ignore[index]
        "p99": _ms(p99[1]) if p99 else None,
        "not_ok": not_ok,
        "socket_errors": sockets,
        "still_logged_in": still,
    }
