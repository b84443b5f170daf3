"""The list of sources says when each was read, and says so when that is not known."""

from __future__ import annotations

from django.test import Client


def test_the_source_list_shows_the_day_each_source_was_read():
    body = Client().get("/en/sources/").content.decode("utf-8")
    entry = body[body.index('id="S29g"') :]
    assert "(read Dec. 2, 2026)" in entry[: entry.index("</dd>")], "in the format the site uses for dates"
    entry = body[body.index('id="S1"') :]
    assert "date read not known" in entry[: entry.index("</dd>")]
