"""Hypothesis strategies for situations, drawn from the dataset's own vocabulary."""

from __future__ import annotations

import random

from hypothesis import strategies as st

from amparo.guidelines import get_dataset
from amparo.guidelines.countries import all_country_codes

VOCABULARY = get_dataset().situations


def situations() -> st.SearchStrategy[dict]:
    """Valid raw situations, as a form or the API would send them."""
    countries = st.sampled_from(all_country_codes())
    return st.fixed_dictionaries(
        {
            "country": countries,
            "subject": st.sampled_from(list(VOCABULARY["subject"])),
            "urgency": st.sampled_from(list(VOCABULARY["urgency"])),
            "exposure": st.sampled_from(list(VOCABULARY["exposure"])),
        },
        optional={
            "location": countries,
            "fields": st.lists(st.sampled_from(list(VOCABULARY["field"])), unique=True),
            "threats": st.lists(st.sampled_from(list(VOCABULARY["threat"])), unique=True),
            "needs": st.lists(st.sampled_from(list(VOCABULARY["need"])), unique=True),
            "family_at_risk": st.booleans(),
            "unhcr_registered": st.booleans(),
            "uses_violence": st.booleans(),
            "authorities": st.sampled_from(list(VOCABULARY["authorities"])),
            "company_country": st.sampled_from(["GB", "CA", "CH", *all_country_codes()[:20]]),
            "on_behalf": st.booleans(),
        },
    ).map(_registered_somewhere)


def _registered_somewhere(raw: dict) -> dict:
    """A defender registered with UNHCR says where they are now (the navigator asks for it)."""
    if raw.get("unhcr_registered") and not raw.get("location"):
        return {**raw, "unhcr_registered": False}
    return raw


def random_situations(count: int, seed: int = 20241125) -> list[dict]:
    """Valid raw situations drawn from the dataset's vocabulary (as tests/navigator/strategies.py draws them),
    with the spellings a form or the API may send: lower case, spaces, one value instead of a list."""
    rng = random.Random(seed)
    codes = list(all_country_codes())
    issuer_countries = [i for i in get_dataset().issuers if i in set(codes)]
    situations = []
    for _ in range(count):
        country = rng.choice(issuer_countries if rng.random() < 0.25 else codes)
        situation: dict = {
            "country": country if rng.random() < 0.9 else f" {country.lower()} ",
            "subject": rng.choice(list(VOCABULARY["subject"])),
            "urgency": rng.choice(list(VOCABULARY["urgency"])),
            "exposure": rng.choice(list(VOCABULARY["exposure"])),
        }
        if rng.random() < 0.4:
            situation["location"] = rng.choice([country, *issuer_countries, *codes])
        for name, kind in (("fields", "field"), ("threats", "threat"), ("needs", "need")):
            if rng.random() < 0.75:
                most = 4 if rng.random() < 0.8 else len(VOCABULARY[kind])
                values = rng.sample(list(VOCABULARY[kind]), rng.randint(0, most))
                situation[name] = values[0] if len(values) == 1 and rng.random() < 0.3 else values
        if rng.random() < 0.4:
            situation["authorities"] = rng.choice([*VOCABULARY["authorities"], ""])
        if rng.random() < 0.3:
            situation["company_country"] = rng.choice(["GB", "CA", "CH", "", *issuer_countries, *codes[:10]])
        for name in ("family_at_risk", "unhcr_registered", "uses_violence", "on_behalf"):
            if rng.random() < 0.5:
                situation[name] = rng.choice([True, False, True, "yes", "off", " TRUE ", ""])
        if "location" not in situation and situation.get("unhcr_registered") not in (None, False, "off", ""):
            situation["unhcr_registered"] = False  # registered with UNHCR: says where they are (the navigator asks)
        situations.append(dict(rng.sample(list(situation.items()), len(situation))))  # any key order
    return situations
