"""Country names in every language of the site: never another country's name, never a name left in English."""

from __future__ import annotations

import pytest
from django.conf import settings

from amparo.guidelines.countries import all_country_codes, localized_country_name


def test_moldova_is_not_the_maldives_in_arabic():
    assert localized_country_name("MD", "ar") == "مولدوفا"
    assert localized_country_name("MV", "ar") != localized_country_name("MD", "ar")


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_no_two_countries_share_a_name(language):
    names = {}
    for code in all_country_codes():
        names.setdefault(localized_country_name(code, language), []).append(code)
    assert not {name: codes for name, codes in names.items() if len(codes) > 1}, language


def test_spanish_names_carry_their_accents():
    assert localized_country_name("NE", "es") == "Níger" and localized_country_name("DZ", "es") == "Argelia"
