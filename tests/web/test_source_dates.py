"""The list of sources says when each was read, where that is known, and never guesses a date."""

from __future__ import annotations

from django.test import Client


def test_the_source_list_shows_the_day_each_source_was_read():
    body = Client().get("/en/sources/").content.decode("utf-8")
    entry = body[body.index('id="S29g"') :]
    assert "(read 2026-12-02)" in entry[: entry.index("</dd>")], "as contact routes give the day they were checked"
    entry = body[body.index('id="S1"') :]
    assert "read" not in entry[: entry.index("</dd>")], "no date where none is known"
