"""Helpers for casebook web tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import re

from django.test import Client

PASSPHRASE = "correct horse battery staple"


def new_case(client: Client, pseudonym: str = "River guardian", country: str = "HN") -> str:
    response = client.post(
        "/en/casebook/cases/new/", {"pseudonym": pseudonym, "subject": "community", "country": country}
    )
    assert response.status_code == 302, response.content[:2000]
    return re.search(r"/cases/([0-9a-f]{16})/", response["Location"]).group(1)
