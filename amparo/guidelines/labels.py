"""Words for the dataset's codes (policy, provision status), shared by the site and the PDFs.

Plain English msgids, marked for ``makemessages`` but translated where they are
shown: the site with Django's gettext, the sheets with the catalogue of the
sheet's language. Pure Python: no Django import.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Marks a label for ``makemessages`` without translating it here."""
    return message


POLICY_LABELS = {
    "guideline": gettext_noop("Has guidelines for its missions"),
    "policy": gettext_noop("Has a policy, no dedicated guideline found"),
    "programme_only": gettext_noop("Has programmes, no dedicated guideline found"),
    "domestic_programme": gettext_noop("Domestic protection programme (not diplomatic support)"),
    "none_found": gettext_noop("No national guideline found"),
}
STATUS_LABELS = {
    "explicit": gettext_noop("Explicit"),
    "inherited": gettext_noop("Inherited from the EU guidelines"),
    "not_stated": gettext_noop("Not stated"),
    "unknown": gettext_noop("Not known"),
}
