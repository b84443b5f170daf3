"""A browser's part in the team benchmark: keep-alive HTTP with cookies, CSRF tokens, and the team login page."""

from __future__ import annotations

import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench.team_data import PASSWORD, Member

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One browser: its own cookies and one keep-alive connection to the site (reopened if the server closed it)."""

    def __init__(self, port: int, timeout: float = 30) -> None:
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self._conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self._conn.request(method, path, body=body, headers=headers)
                response = self._conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(morsel.key, None)
                    else:
                        self.cookies[morsel.key] = morsel.value
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def csrf(self, path: str) -> str:
        """The CSRF token of the form on ``path`` (GET), as a browser would send it back."""
        status, _headers, body = self.request("GET", path)
        found = _CSRF.search(body.decode("utf-8", "replace"))
        if status != 200 or not found:
            raise RuntimeError(f"GET {path}: {status}, no form")
        return found[1]

    def post(self, path: str, form: dict[str, str], token_from: str | None = None) -> tuple[int, dict[str, str], bytes]:
        token = self.csrf(token_from or path)
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **form})

    def log_in(self, member: Member) -> None:
        """Through the login page: username, password and the app's current code, as a person types them."""
        status, headers, _body = self.post(
            "/en/team/login/", {"username": member.username, "password": PASSWORD, "code": member.code()}
        )
        if status != 302 or "amparo_team" not in self.cookies:
            raise RuntimeError(f"login of {member.username} failed: {status} {headers.get('location', '')}")

    def timed(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[float, int, int]:
        """Milliseconds for one whole response, its status and its size."""
        start = time.perf_counter()
        status, _headers, body = self.request(method, path, form)
        return (time.perf_counter() - start) * 1000, status, len(body)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = None
