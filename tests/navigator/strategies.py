"""Hypothesis strategies for situations, drawn from the dataset's own vocabulary."""

from __future__ import annotations

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
        },
    )
