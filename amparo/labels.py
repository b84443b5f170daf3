"""Words for every code Amparo shows: one vocabulary for the site, the sheets, letters and the offline edition.

Each map turns a code from the dataset, the navigator or a form into a plain English
msgid, marked for ``makemessages`` and translated where it is shown: the site with
Django's gettext (:mod:`amparo.web.templatetags.amparo`), the PDF sheets with the
catalogue of the sheet's language, the offline edition with the catalogue of its
language. Pure Python, importing nothing: every layer may read it, and a word is
changed here once for all of them.

The casebook's own record vocabularies (actors, channels, request statuses, risk
levels) stay with the records that validate them (:mod:`amparo.casebook.records`).
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Marks a label for ``makemessages`` without translating it here."""
    return message


# --- Issuers and provisions --------------------------------------------------------------------------

POLICY_LABELS = {
    "guideline": gettext_noop("Has guidelines for its missions"),
    "policy": gettext_noop("Has a policy, no dedicated guideline found"),
    "programme_only": gettext_noop("Has programmes, no dedicated guideline found"),
    "domestic_programme": gettext_noop("Domestic protection programme (not diplomatic support)"),
    "none_found": gettext_noop("No national guideline found"),
}
# Whether an issuer's guideline foresees a support type: the words of a legend or a detail page...
STATUS_LABELS = {
    "explicit": gettext_noop("Explicit"),
    "inherited": gettext_noop("Through the EU guidelines"),
    "not_stated": gettext_noop("Not stated"),
    "unknown": gettext_noop("Not known"),
}
# ...the same four in a narrow column (the site's matrix, the sheets' rows)...
STATUS_SHORT = {
    "explicit": gettext_noop("Explicit"),
    "inherited": gettext_noop("Through the EU"),
    "not_stated": gettext_noop("Not stated"),
    "unknown": gettext_noop("Not known"),
}
# ...and as one mark in a matrix cell, explained by a legend. "Not stated" is not "no": a guideline
# that is silent on a measure does not rule it out, so no mark may read as a refusal.
STATUS_SYMBOLS = {"explicit": "●", "inherited": "◐", "not_stated": "○", "unknown": "·"}
PUBLIC_LABELS = {True: gettext_noop("Public"), False: gettext_noop("Not public"), None: gettext_noop("Not known")}

# --- Support types -----------------------------------------------------------------------------------

VISIBILITY_LABELS = {
    "discreet": gettext_noop("Discreet"),
    "formal": gettext_noop("Formal"),
    "public": gettext_noop("Public"),
}
URGENCY_LABELS = {
    "preventive": gettext_noop("Preventive"),
    "responsive": gettext_noop("Responsive"),
    "emergency": gettext_noop("Emergency"),
}
SERVES_LABELS = {
    "individual": gettext_noop("Individuals"),
    "collective": gettext_noop("Groups and communities"),
    "both": gettext_noop("Individuals and groups"),
}

# The languages a guideline is published in (ISO 639-1 codes in the data), as the sheets name them;
# a code not here is shown as it is (a test keeps every code of the data here).
LANGUAGE_NAMES = {
    "ar": gettext_noop("Arabic"),
    "da": gettext_noop("Danish"),
    "en": gettext_noop("English"),
    "es": gettext_noop("Spanish"),
    "fi": gettext_noop("Finnish"),
    "fr": gettext_noop("French"),
    "no": gettext_noop("Norwegian"),
    "ru": gettext_noop("Russian"),
    "sw": gettext_noop("Swahili"),
    "th": gettext_noop("Thai"),
    "zh": gettext_noop("Chinese"),
}

# --- Missions ----------------------------------------------------------------------------------------

MISSION_KINDS = {
    "embassy": gettext_noop("embassy"),
    "high commission": gettext_noop("high commission"),
    "de facto embassy": gettext_noop("de facto embassy"),
    "consulate general": gettext_noop("consulate general"),
    "consulate": gettext_noop("consulate"),
    "consular office": gettext_noop("consular office"),
    "consular agency": gettext_noop("consular agency"),
    "de facto consulate": gettext_noop("de facto consulate"),
    "honorary consulate": gettext_noop("honorary consulate"),
    "trade office": gettext_noop("trade office"),
    "permanent mission": gettext_noop("permanent mission"),
    "liaison office": gettext_noop("liaison office"),
    "interests section": gettext_noop("interests section"),
    "EU delegation": gettext_noop("EU Delegation"),
    "EU office": gettext_noop("EU office"),
    "EU delegation to international organisations": gettext_noop("EU Delegation to international organisations"),
}

# What a page must show about an EU Delegation (eu-delegations.yaml); a plain note has no status.
DELEGATION_STATUSES = {
    "evacuated": gettext_noop("evacuated"),
    "relocated": gettext_noop("may be working from outside the country"),
    "no-head": gettext_noop("no head of Delegation in post"),
    "reduced": gettext_noop("reduced staff"),
}

# --- How to reach a programme: a contact route's kind ---------------------------------------------------

CONTACT_KINDS = {
    "web": gettext_noop("Website"),
    "phone": gettext_noop("Phone"),
    "email": gettext_noop("E-mail"),
    "form": gettext_noop("Secure form"),
    "messenger": gettext_noop("Messenger"),
}

# --- Search results, by kind of thing found -----------------------------------------------------------

KIND_LABELS = {
    "support_type": gettext_noop("Support types"),
    "issuer": gettext_noop("Countries and the EU"),
    "guidance": gettext_noop("Guidance"),
    "programme": gettext_noop("Programmes"),
    "ten_things": gettext_noop("Ten things to keep in mind"),
    "qa": gettext_noop("Questions and answers"),
    "holistic": gettext_noop("Holistic security"),
    "collective": gettext_noop("Collective protection"),
    "case_story": gettext_noop("Case stories"),
    "ten-things": gettext_noop("Ten things to keep in mind"),
    "questions": gettext_noop("Questions and answers"),
    "security": gettext_noop("Holistic and collective protection"),
    "stories": gettext_noop("Case stories"),
}

# --- The navigator's questions -----------------------------------------------------------------------

FIELD_LABELS = {
    "country": gettext_noop("Country"),
    "location": gettext_noop("Where you are now"),
    "subject": gettext_noop("Who needs support"),
    "fields": gettext_noop("Field of work"),
    "threats": gettext_noop("What has happened"),
    "urgency": gettext_noop("How urgent"),
    "needs": gettext_noop("What you need"),
    "exposure": gettext_noop("Public exposure"),
    "family_at_risk": gettext_noop("Family at risk"),
    "unhcr_registered": gettext_noop("UNHCR registration"),
    "uses_violence": gettext_noop("Violence"),
    "situation": gettext_noop("Your answers"),
    "authorities": gettext_noop("The authorities"),
    "company_country": gettext_noop("Where the company is based"),
    "on_behalf": gettext_noop("Filled in for someone detained"),
}
EXPOSURE_LABELS = {
    "none": gettext_noop("no public exposure"),
    "discreet": gettext_noop("discreet measures only"),
    "formal": gettext_noop("formal measures, not public"),
    "public": gettext_noop("public measures"),
    # What a defender keeps from the authorities (amparo.navigator.rules.AUTHORITIES_LIMITS), as a measure they
    # asked for that goes beyond it names it.
    "must-not-know": gettext_noop("the authorities must not learn of your request"),
    "left-country": gettext_noop("no contact with the authorities of the country you left"),
}

# A measure the defender asked for that is more visible than they accept stays in the plan with these
# words: what it would expose, by its visibility (discreet is always accepted), and that they decide.
ASKED_BEYOND_EXPOSURE = gettext_noop(
    "You asked for this, and it goes further than you accept (%(accepted)s). %(exposes)s "
    "Weigh it with people you trust before you ask for it: the choice is yours."
)
# What a measure would expose (amparo.navigator.render.exposes): a public one, one the authorities see, and a
# formal one they do not (a grant, a training).
# ...and the same for several in a row that go beyond the same limit and would expose the same: said once.
ASKED_BEYOND_EXPOSURE_MANY = gettext_noop(
    "You asked for these, and they go further than you accept (%(accepted)s). %(exposes)s "
    "Weigh them with people you trust before you ask for them: the choice is yours."
)
VISIBILITY_EXPOSES = {
    "public": gettext_noop("Your case would become visible to the authorities and the public, and may be reported."),
    "authorities": gettext_noop("The authorities would learn that a mission takes an interest in your case."),
    "formal": gettext_noop("It makes a formal link with a mission, on record, that others may come to know of."),
}

# --- The letter form's fields ------------------------------------------------------------------------

LETTER_FIELD_LABELS = {
    "recipient": gettext_noop("Mission"),
    "language": gettext_noop("Language of the letter"),
    "sender": gettext_noop("Your name or a pseudonym"),
    "organisation": gettext_noop("Organisation"),
    "contact": gettext_noop("How, and by whom, you may be contacted"),
    "confidential": gettext_noop("What must stay confidential"),
    "public_consent": gettext_noop("Public action you agree to"),
    "follow_up": gettext_noop("Follow-up you propose"),
    "support_types": gettext_noop("What to ask for"),
    "where": gettext_noop("The country to name"),
    "court": gettext_noop("The court"),
    "hearing_date": gettext_noop("The date of the next hearing"),
    "detention_place": gettext_noop("Where the defender is held"),
    "facts": gettext_noop("What happened"),
    "format": gettext_noop("Format"),
    "situation": gettext_noop("Your answers"),
}

# --- What a form says about an answer it cannot take, by the problem's code --------------------------
# The codes are those of amparo.navigator.SituationError and amparo.documents.letter's problems.

FORM_ERRORS = {
    "required": gettext_noop("Please answer this question."),
    "invalid": gettext_noop("Please choose from the options given."),
    "too_long": gettext_noop("Please shorten this text."),
    "date": gettext_noop("Please write a real date, for example 2027-03-14."),
    "situation": gettext_noop("Your answers to the navigator did not arrive with this request."),
}


# --- Letters ---------------------------------------------------------------------------------------------

LETTER_MISSION_NAMES = {
    # Translators: a mission, then its country with "of", in the language's form: "of Canada", "of the United
    # States", "de los Estados Unidos", "du Canada" or "de France", "do Canadá"; in Arabic the name alone.
    "embassy": gettext_noop("Embassy %(of_issuer)s"),
    "high commission": gettext_noop("High commission %(of_issuer)s"),
    "de facto embassy": gettext_noop("De facto embassy %(of_issuer)s"),
    "consulate general": gettext_noop("Consulate general %(of_issuer)s"),
    "consulate": gettext_noop("Consulate %(of_issuer)s"),
    "consular office": gettext_noop("Consular office %(of_issuer)s"),
    "consular agency": gettext_noop("Consular agency %(of_issuer)s"),
    "de facto consulate": gettext_noop("De facto consulate %(of_issuer)s"),
    "honorary consulate": gettext_noop("Honorary consulate %(of_issuer)s"),
    "trade office": gettext_noop("Trade office %(of_issuer)s"),
    "permanent mission": gettext_noop("Permanent mission %(of_issuer)s"),
    "liaison office": gettext_noop("Liaison office %(of_issuer)s"),
    "interests section": gettext_noop("Interests section %(of_issuer)s"),
}
LETTER_CONSENT_TEXT = {
    "none": gettext_noop(
        "I do not consent to any public action. No public statement or visible action may be taken "
        "without my prior agreement."
    ),
    "discreet": gettext_noop(
        "I ask for discreet support only. No public statement or visible action may be taken "
        "without my prior agreement."
    ),
    "formal": gettext_noop(
        "I agree to formal steps that are not public, such as contacts with the authorities. No public "
        "statement or public action may be taken without my prior agreement."
    ),
    "public": gettext_noop(
        "I consent to public action in support of this case. Please agree the content and timing of any "
        "public statement with me beforehand."
    ),
}


# --- What the team's audit records: each action by the code the database or Amparo writes -------------
# (the account events' codes are amparo.web.team.audit's constants; a test holds them equal)

AUDIT_ACTIONS = {
    "create": gettext_noop("Created"),
    "update": gettext_noop("Changed"),
    "delete": gettext_noop("Deleted"),
    "truncate": gettext_noop("Emptied the whole table"),
    "read": gettext_noop("Read"),
    "search": gettext_noop("Searched"),
    "export": gettext_noop("Exported"),
    "move-out": gettext_noop("Case moved out (a transfer file was made, with the consent recorded)"),
    "import": gettext_noop("Case imported from a transfer file"),
    "grant": gettext_noop("Access to a case given"),
    "revoke": gettext_noop("Access to a case taken away"),
    "login": gettext_noop("Logged in"),
    "login-failed": gettext_noop("Failed login"),
    "logout": gettext_noop("Logged out"),
    "member-added": gettext_noop("Member added"),
    "member-removed": gettext_noop("Member removed"),
    "role-change": gettext_noop("Role changed"),
    "account-enabled": gettext_noop("Account enabled"),
    "account-disabled": gettext_noop("Account disabled"),
    "enrolment-issued": gettext_noop("Enrolment link issued"),
    "passkey-added": gettext_noop("Passkey added"),
    "passkey-removed": gettext_noop("Passkey removed"),
    "app-added": gettext_noop("Authenticator app added"),
    "app-removed": gettext_noop("Authenticator app removed"),
    "recovery-codes-issued": gettext_noop("New recovery codes made"),
}
# Who wrote an entry: the database's trigger or Amparo itself.
AUDIT_SOURCES = {"database": gettext_noop("The database"), "app": gettext_noop("Amparo")}
# What the hash chain's check found wrong with an entry.
AUDIT_PROBLEMS = {
    "altered": gettext_noop("Entry %(seq)s was changed after it was written."),
    "missing": gettext_noop("An entry was removed just before entry %(seq)s, or the entries were reordered."),
    "anchor": gettext_noop("Entry %(seq)s no longer matches the hash you kept."),
}


# --- Punctuation between the items of a list a template writes out ------------------------------------
# Not words to translate but a language's own marks: Arabic separates with its comma and semicolon («،» «؛»).

LIST_SEPARATORS = {"ar": ("، ", "؛ ")}
DEFAULT_SEPARATORS = (", ", "; ")


def list_separators(language: str) -> tuple[str, str]:
    """The comma and the semicolon (each with its space) that separate the items of a list in ``language``."""
    return LIST_SEPARATORS.get(language.split("-")[0], DEFAULT_SEPARATORS)
