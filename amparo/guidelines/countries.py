"""Map the Wikidata labels of the missions data to ISO 3166-1 alpha-2 codes.

pycountry knows the ISO names; Wikidata's English labels differ for some
countries, and a mission's jurisdictions are sometimes a region rather than a
country. Every label in the data must resolve here or be a deliberate exception
(a test checks it), so a new label fails loudly instead of vanishing.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

# Wikidata labels that are countries under another name.
COUNTRY_LABELS = {
    "Brunei": "BN",
    "Cape Verde": "CV",
    "Democratic Republic of the Congo": "CD",
    "East Timor": "TL",
    "Ivory Coast": "CI",
    "Macau": "MO",
    "Palestine": "PS",
    "State of Palestine": "PS",
    "Republic of Ireland": "IE",
    "Russia": "RU",
    "São Tomé and Príncipe": "ST",
    "The Bahamas": "BS",
    "The Gambia": "GM",
    "Turkey": "TR",
    "Vatican": "VA",
    "Vatican City": "VA",
    # Not in ISO 3166-1; XK is the code in common use (EU, IMF, Unicode CLDR).
    "Kosovo": "XK",
}

# Names of territories that pycountry does not carry.
EXTRA_NAMES = {"XK": "Kosovo"}
# Names pycountry's ISO 3166 catalogues (iso-codes) lack in a language of the site, or leave in English: Kosovo
# is not in ISO 3166, Türkiye's new short name is not yet translated into Arabic, and the Spanish catalogue
# "translates" Algeria as Algeria (its long name there is "República Democrática Popular de Argelia") and
# leaves Niger without its accent; its Arabic names Moldova as the Maldives (المالديف), a country a defender
# must never be shown in the place of their own.
LOCAL_NAMES = {
    "ar": {"TR": "تركيا", "XK": "كوسوفو", "MD": "مولدوفا"},  # pycountry's Arabic for Moldova is the Maldives'
    "es": {"DZ": "Argelia", "NE": "Níger"},
}

# Regions named as a consulate's jurisdiction: the mission serves the country they belong to.
REGION_LABELS = {
    "Aceh": "ID",
    "Bali": "ID",
    "East Java": "ID",
    "East Kalimantan": "ID",
    "East Nusa Tenggara": "ID",
    "Jambi": "ID",
    "North Kalimantan": "ID",
    "North Sumatra": "ID",
    "Riau": "ID",
    "Riau Islands": "ID",
    "South Kalimantan": "ID",
    "West Nusa Tenggara": "ID",
    "West Sumatra": "ID",
    "Alagoas": "BR",
    "Ceará": "BR",
    "Espírito Santo": "BR",
    "Maranhão": "BR",
    "Mato Grosso": "BR",
    "Mato Grosso do Sul": "BR",
    "Minas Gerais": "BR",
    "Paraíba": "BR",
    "Pernambuco": "BR",
    "Piauí": "BR",
    "Rio Grande do Norte": "BR",
    "Rio de Janeiro": "BR",
    "São Paulo": "BR",
    "Sergipe": "BR",
    "Anhui": "CN",
    "Beijing": "CN",
    "Chongqing": "CN",
    "Fujian": "CN",
    "Gansu": "CN",
    "Guangdong": "CN",
    "Guangxi": "CN",
    "Guizhou": "CN",
    "Hainan": "CN",
    "Hebei": "CN",
    "Heilongjiang": "CN",
    "Henan": "CN",
    "Hubei": "CN",
    "Hunan": "CN",
    "Inner Mongolia": "CN",
    "Jiangsu": "CN",
    "Jiangxi": "CN",
    "Jilin": "CN",
    "Liaoning": "CN",
    "Ningxia": "CN",
    "Qinghai": "CN",
    "Shaanxi": "CN",
    "Shandong": "CN",
    "Shanghai": "CN",
    "Shanxi": "CN",
    "Sichuan": "CN",
    "Tianjin": "CN",
    "Tibet": "CN",
    "Xinjiang": "CN",
    "Yunnan": "CN",
    "Zhejiang": "CN",
    "Aragon": "ES",
    "Balearic Islands": "ES",
    "Catalonia": "ES",
    "Land of Valencia": "ES",
    "Region of Murcia": "ES",
    "Arkansas": "US",
    "Hawaii": "US",
    "Oklahoma": "US",
    "Texas": "US",
    "Baden-Württemberg": "DE",
    "Bavaria": "DE",
    "Hesse": "DE",
    "North Rhine-Westphalia": "DE",
    "Rhineland-Palatinate": "DE",
    "Saarland": "DE",
    "Kamchatka Krai": "RU",
    "Magadan Oblast": "RU",
    "Primorsky Krai": "RU",
    "Salvador": "BR",  # the city of Salvador (Bahia), named as a consulate's district
    "Scotland": "GB",
}

# Labels that are not a country or region at all: skipped, on purpose.
NOT_COUNTRIES = frozenset(
    {
        "African Union",  # an organisation, not a place
        "Sovereign Military Order of Malta",  # accredited to, not located in
        "Portuguese colonization of the Americas",  # a Wikidata error
    }
)


class UnknownCountry(LookupError):
    pass


@cache
def country_code(label: str) -> str | None:
    """ISO code for a Wikidata label; None for a deliberate non-country; UnknownCountry otherwise."""
    if label in NOT_COUNTRIES:
        return None
    if label in COUNTRY_LABELS:
        return COUNTRY_LABELS[label]
    if label in REGION_LABELS:
        return REGION_LABELS[label]
    try:
        return pycountry.countries.lookup(label).alpha_2
    except LookupError:
        raise UnknownCountry(label) from None


def country_name(code: str) -> str:
    """A short English name for an ISO code (common name where ISO's is long)."""
    return _names("en").get(code) or _english_name(code)


def _english_name(code: str) -> str:
    if code in EXTRA_NAMES:
        return EXTRA_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def all_country_codes() -> tuple[str, ...]:
    return tuple(sorted({c.alpha_2 for c in pycountry.countries} | set(EXTRA_NAMES)))


def is_country_code(code: str) -> bool:
    return code in EXTRA_NAMES or pycountry.countries.get(alpha_2=code) is not None


def localized_country_name(code: str, language: str) -> str:
    """The name in ``language`` from pycountry's ISO 3166 catalogues; English when there is none."""
    return _names(language).get(code) or _localized_name(code, language)


@cache
def _names(language: str) -> dict[str, str]:
    """Every country's name in ``language``, made at once: a cache filled name by name would keep, in a server's
    memory, which countries defenders asked plans for (the navigator's caches are filled whole for that reason)."""
    return {code: _localized_name(code, language) for code in all_country_codes()}


def _localized_name(code: str, language: str) -> str:
    english = _english_name(code)
    if language == "en":
        return english
    if code in LOCAL_NAMES.get(language, {}):
        return LOCAL_NAMES[language][code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return english
    catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
    for key in (getattr(country, "common_name", None), country.name):
        if key and (translated := catalogue.gettext(key)) != key:
            return translated
    return english
