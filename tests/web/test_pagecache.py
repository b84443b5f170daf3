"""The page cache serves public pages whole, and never what depends on the person asking."""

from __future__ import annotations

import gzip

import pytest

from amparo.web.pagecache import PageCache


class App:
    def __init__(self, status="200 OK", headers=None):
        self.calls = 0
        self.status = status
        self.headers = headers or [("Content-Type", "text/html"), ("Cache-Control", "public, max-age=3600")]

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response(self.status, self.headers)
        return [f"page {environ['PATH_INFO']}".encode()]


def call(app, path="/en/", method="GET", **extra):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_HOST": "localhost", **extra}
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


def test_second_request_does_not_enter_django():
    app = App()
    cache = PageCache(app)
    first = call(cache)
    second = call(cache)
    assert app.calls == 1
    assert first[2] == second[2] == b"page /en/"


def test_gzip_copy_for_clients_that_accept_it():
    cache = PageCache(App())
    call(cache)
    _status, headers, body = call(cache, HTTP_ACCEPT_ENCODING="gzip, br")
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == b"page /en/"
    assert headers["Vary"] == "Accept-Encoding" and int(headers["Content-Length"]) == len(body)


def test_head_has_no_body():
    cache = PageCache(App())
    call(cache)
    assert call(cache, method="HEAD")[2] == b""


@pytest.mark.parametrize(
    "extra", [{"QUERY_STRING": "q=visa"}, {"HTTP_COOKIE": "sessionid=x"}, {"REQUEST_METHOD": "POST"}]
)
def test_personal_requests_pass_through(extra):
    app = App()
    cache = PageCache(app)
    call(cache, **extra)
    call(cache, **extra)
    assert app.calls == 2


@pytest.mark.parametrize(
    "app",
    [
        App(status="404 Not Found"),
        App(headers=[("Cache-Control", "no-store")]),
        App(headers=[("Cache-Control", "public"), ("Set-Cookie", "a=b")]),
    ],
)
def test_only_public_successes_are_kept(app):
    cache = PageCache(app)
    call(cache)
    call(cache)
    assert app.calls == 2
