"""A small shared cache in front of Django for pages that are the same for everyone.

Public pages depend only on the dataset and the language, and say so with
``Cache-Control: public``. This WSGI layer keeps the first such response for a
path (with a gzip copy) and serves it again without entering Django: the work a
reverse proxy would do, built in so that the embedded default is fast too.
Anything with a query string, a cookie, a body or a non-GET method passes
through untouched.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable, Iterable

MAX_ENTRIES = 4096
MAX_BODY = 512 * 1024


class _Entry:
    __slots__ = ("gzip_body", "gzip_headers", "headers", "identity_body", "status")

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes):
        self.status = status
        base = [(k, v) for k, v in headers if k.lower() not in ("content-length", "content-encoding", "vary")]
        self.identity_body = body
        self.headers = [*base, ("Vary", "Accept-Encoding"), ("Content-Length", str(len(body)))]
        self.gzip_body = gzip.compress(body, compresslevel=9, mtime=0)
        self.gzip_headers = [
            *base,
            ("Vary", "Accept-Encoding"),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(self.gzip_body))),
        ]


def _cacheable(status: str, headers: list[tuple[str, str]]) -> bool:
    if not status.startswith("200"):
        return False
    names = {k.lower(): v for k, v in headers}
    return "public" in names.get("cache-control", "") and "set-cookie" not in names and "content-encoding" not in names


class PageCache:
    def __init__(self, app: Callable):
        self.app = app
        self.entries: dict[str, _Entry] = {}
        self.lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD") or environ.get("QUERY_STRING") or environ.get("HTTP_COOKIE"):
            return self.app(environ, start_response)
        key = f"{environ.get('HTTP_HOST', '')}{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"
        entry = self.entries.get(key) or self._fill(key, environ)
        if isinstance(entry, tuple):  # not cacheable: Django's own answer, as it was
            status, headers, body = entry
            start_response(status, headers)
            return [body]
        use_gzip = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
        start_response(entry.status, entry.gzip_headers if use_gzip else entry.headers)
        if method == "HEAD":
            return [b""]
        return [entry.gzip_body if use_gzip else entry.identity_body]

    def _fill(self, key: str, environ: dict) -> _Entry | tuple[str, list[tuple[str, str]], bytes]:
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None  # Django never uses write(); the body comes back as an iterable

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = captured["status"], captured["headers"]
        if environ.get("REQUEST_METHOD") != "GET" or not _cacheable(status, headers) or len(body) > MAX_BODY:
            return status, headers, body
        entry = _Entry(status, headers, body)
        with self.lock:
            if len(self.entries) < MAX_ENTRIES:
                self.entries[key] = entry
        return entry
