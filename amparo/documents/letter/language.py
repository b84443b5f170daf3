"""The letter's own language: its words, its dates, and the names of issuers as its sentences need them.

A letter is written in the language the writer chooses, which need not be the language of
the page they use (a defender may read the site in Arabic and write to a mission in French).
So its sentences are translated here with the site's gettext catalogues (``amparo/locale``),
read with the standard library for that one language, never with Django's request language.

Guideline titles and quotations stay in their official language; in a right-to-left letter
each is wrapped in a Unicode isolate (:func:`Words.foreign`) so that its punctuation and
year stay where they belong. Pure Python, no Django.
"""

from __future__ import annotations

from amparo.guidelines import words
from amparo.guidelines.countries import country_name, localized_country_name
from amparo.guidelines.model import Issuer
from amparo.guidelines.words import gettext_noop

# First strong isolate and pop directional isolate: text in another direction, kept whole inside a paragraph.
ISOLATE = ("\u2068", "\u2069")


class Words(words.Words):
    """The words of one letter: the site's words in its language, and titles kept in their own."""

    def foreign(self, text: str) -> str:
        """Text kept in its official language (a title): isolated in a right-to-left letter, as it is otherwise."""
        return ISOLATE[0] + text + ISOLATE[1] if self.rtl and text else text

    def quoted(self, title: str, year: int | None = None) -> str:
        """A title in the quotation marks of the letter's language, with its year when known."""
        # Translators: quotation marks around a document's title, which stays in its own language.
        text = self(gettext_noop("“%(title)s”"), title=self.foreign(title))
        return text + (f" ({year})" if year is not None else "")


# Issuer names in running text --------------------------------------------------------------------------------
# Issuer names that take "the" in English ("the Embassy of the United States").
ARTICLE = frozenset({"CZ", "EU", "GB", "NL", "US"})
# The article each issuer's name (as the dataset gives it in that language) takes; a name not listed takes none.
ARTICLES: dict[str, dict[str, str]] = {
    # Spanish: most country names take no article; these do ("del Reino Unido", "de los Países Bajos").
    "es": {"CZ": "la", "EU": "la", "GB": "el", "NL": "los", "US": "los"},
    # French: nearly every name does ("du Canada", "de la Suisse", "des Pays-Bas"); Chypre and Malte do not.
    "fr": {
        **dict.fromkeys(("CA", "DK", "GB", "LU", "PT"), "le"),
        **dict.fromkeys(("NL", "US"), "les"),
        **dict.fromkeys(("AT", "DE", "EE", "ES", "EU", "IE", "IT"), "l’"),
        **dict.fromkeys(
            ("BE", "BG", "CH", "CZ", "FI", "FR", "GR", "HR", "HU", "LT", "LV", "NO", "PL", "RO", "SE", "SI", "SK"), "la"
        ),
    },
    # Portuguese: most names do ("do Canadá", "da Alemanha", "dos Estados Unidos"); Portugal, Malta and Chipre do not.
    "pt": {
        **dict.fromkeys(("CA", "GB", "LU"), "o"),
        **dict.fromkeys(("NL", "US"), "os"),
        **dict.fromkeys(("AT", "BE", "BG", "CH", "CZ", "DE", "DK", "EE", "ES", "EU", "FI", "FR", "GR"), "a"),
        **dict.fromkeys(("HR", "HU", "IE", "IT", "LT", "LV", "NO", "PL", "RO", "SE", "SI", "SK"), "a"),
    },
}
# "of" with each article, as the language contracts it.
_OF = {
    "es": {"": "de ", "el": "del ", "la": "de la ", "los": "de los ", "las": "de las "},
    "fr": {"": "de ", "le": "du ", "la": "de la ", "l’": "de l’", "les": "des "},
    "pt": {"": "de ", "o": "do ", "a": "da ", "os": "dos ", "as": "das "},
}
# A French mission is "Ambassade de France", "Ambassade d’Allemagne": a feminine name loses its article there,
# though "les lignes directrices de la France" keep it. Longer names keep theirs ("de la République tchèque").
_FRENCH_MISSION_KEEPS = frozenset({"CZ", "EU"})


def issuer_forms(issuer: Issuer, language: str) -> dict[str, str]:
    """The issuer's name in the three forms a letter's sentences take, for ``words(..., **forms)``.

    ``issuer``: the name as a noun ("the United States", "los Estados Unidos", "les États-Unis").
    ``of_issuer``: after the name of a mission ("Embassy of the United States", "Ambassade de France").
    ``issuer_s``: whose guidance it is ("Canada's", "de Canadá", "de la France"; in Arabic the name itself,
    which follows the noun it qualifies).
    """
    name = issuer.name.get(language)
    if language == "en":
        the = "the " + name if issuer.id in ARTICLE else name
        return {"issuer": the, "of_issuer": "of " + the, "issuer_s": the + ("'" if the.endswith("s") else "'s")}
    if language not in ARTICLES:  # Arabic: a name follows the noun it qualifies, and carries its own article
        return {"issuer": name, "of_issuer": name, "issuer_s": name}
    article = ARTICLES[language].get(issuer.id, "")
    noun = (article + ("" if article.endswith("’") else " ") + name) if article else name
    genitive = _OF[language][article] + name
    of_mission = genitive
    if language == "fr" and article in ("la", "l’") and issuer.id not in _FRENCH_MISSION_KEEPS:
        of_mission = ("d’" if article == "l’" else "de ") + name
    return {"issuer": noun, "of_issuer": of_mission, "issuer_s": genitive}


def country_in_text(code: str, language: str) -> str:
    """A country's name where a sentence names it; in English as it reads after "in" ("the Philippines")."""
    if language == "en":
        name = COUNTRY_IN_TEXT.get(code) or country_name(code)
        return f"the {name}" if code in COUNTRY_ARTICLE else name
    return localized_country_name(code, language)


# Countries whose English name takes "the" in running text ("a defender in the Philippines"), and names that read
# better in a sentence than the ISO list's ("Congo, The Democratic Republic of the").
COUNTRY_ARTICLE = frozenset(
    {"AE", "AX", "BS", "CC", "CD", "CF", "CK", "DO", "FK", "FO", "GB", "GM", "KM", "KY", "MH", "MP", "MV", "NL"}
    | {"PH", "SB", "SC", "TC", "TF", "UM", "US", "VG", "VI"}
)
COUNTRY_IN_TEXT = {
    "CD": "Democratic Republic of the Congo",
    "FM": "Federated States of Micronesia",
    "PS": "State of Palestine",
    "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands",
}
