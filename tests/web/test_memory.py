"""What a defender asks leaves no trace in a worker's memory: the caches that make plans fast are filled for
every country, host and language when a worker starts (amparo/wsgi.py), so the plans it then makes add
nothing to them, and no function cache holds what a visitor typed.

The threat is a server seized while it runs, or its memory read: it must not tell which countries defenders
were in, which State they work in, what they searched for.
"""

from __future__ import annotations

import functools
import gc
import json
import sys
import urllib.parse
from typing import Any

from django.conf import settings
from django.test import Client

from amparo.guidelines import countries
from amparo.navigator import compact, plan, render
from tests.navigator.strategies import random_situations

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Every function cache of Amparo, and why what it keeps says nothing about a visitor: keyed by the dataset's own
# values, by a language, or by a public page's subject. A new one must be added here, with its reason.
KNOWN_CACHES = {
    "amparo.guidelines.countries.country_code": "Wikidata labels, read when the dataset loads",
    "amparo.guidelines.countries._names": "a language: every country's name in it, made at once",
    "amparo.guidelines.search.stemmer": "a language",
    "amparo.guidelines.words.catalogue": "a language",
    "amparo.guidelines.words.words_in": "a language",
    "amparo.guidelines.words.interface_state": "a language",
    "amparo.navigator.situation.whitespace": "nothing",
    "amparo.web.openapi.openapi": "nothing",
    "amparo.web.openapi.openapi_v2": "nothing",
    "amparo.web.sheets._issuer_pdf": "a public sheet: an issuer and a language",
    "amparo.web.sheets._general_pdf": "a public sheet: a language",
    "amparo.web.sheets._matrix_pdf": "a public sheet: a language",
    "amparo.web.edition.publish.editions": "the published offline editions",
    "amparo.web.edition.publish.fingerprint": "nothing: the code and data an edition is built from",
    "amparo.casebook.dialect.postgres_sql": "the casebook's own SQL statements, whose values are always bound",
    "amparo.casebook.mapping._converters": "a record class",
    "amparo.casebook.mapping.field_types": "a record class",
    "amparo.casebook.team.sealing._plan": "record classes",
    "amparo.web.team.sessions._cipher": "the team key file's path (team mode)",
}


def caches() -> dict[str, int]:
    """Each function cache of Amparo's modules and how many entries it holds."""
    found = {}
    for obj in gc.get_objects():
        # type(), not isinstance(): a lazy object (a test response's resolver match) would evaluate itself
        if type(obj) is functools._lru_cache_wrapper and obj.__module__.startswith("amparo."):
            found[f"{obj.__module__}.{obj.__qualname__}"] = obj.cache_info().currsize
    return found


def navigator_caches() -> dict[str, Any]:
    return {
        "options": set(plan._options),
        "served": set(plan._served["where"]),
        "issuers_of": set(plan._issuers_of),
        "measures": set(compact._measures),
        "presences": set(render._presences),
        "programmes": set(render._programmes),
        "names": countries._names.cache_info().currsize,
    }


def test_every_function_cache_is_keyed_by_what_is_public():
    import amparo.wsgi  # noqa: F401 (what a worker imports: every module it uses, prepared)

    unknown = sorted(set(caches()) - set(KNOWN_CACHES))
    assert not unknown, f"a cache that may hold what a visitor sent: {unknown}"


def test_a_worker_keeps_no_trace_of_the_plans_it_made():
    import amparo.wsgi  # noqa: F401 (prepares the caches, as a worker does when it starts)

    before = navigator_caches()
    client = Client()
    for index, raw in enumerate(random_situations(40, seed=7)):
        language = LANGUAGES[index % len(LANGUAGES)]
        body = json.dumps(raw)
        for path in ("/api/v2/plan", "/api/v1/plan"):
            assert client.post(f"{path}?lang={language}", body, content_type="application/json").status_code == 200
        form = urllib.parse.urlencode({k: (v if isinstance(v, list) else str(v)) for k, v in raw.items()}, doseq=True)
        page = client.post(f"/{language}/navigator/plan/", form, content_type="application/x-www-form-urlencoded")
        assert page.status_code in (200, 400)
    assert navigator_caches() == before


def test_a_search_leaves_no_function_cache_holding_the_query():
    import amparo.wsgi  # noqa: F401

    client = Client()
    for language in LANGUAGES:  # each language's index and catalogue made, as a worker's first searches make them
        assert client.get(f"/{language}/search/", {"q": "trial"}).status_code == 200
    before = caches()
    for language in LANGUAGES:  # words that find nothing: the page repeats the query, isolated in Arabic
        assert client.get(f"/{language}/search/", {"q": "qzxcanaryvw juicios"}).status_code == 200
    assert caches() == before
    assert "amparo.web.templatetags.amparo" in sys.modules
