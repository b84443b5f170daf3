"""Forms for consents and moving a case: a consent recorded on its own, the one a move records, the key a move
is sealed to, and the file an import reads.

What a form accepts is what the transfer file may hold (amparo.casebook.transfer's limits), so a consent
typed here always travels. The age keys are checked here with the archive's own parser.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amparo.casebook import MIN_CHARS
from amparo.casebook.archive import parse_identities, parse_recipients
from amparo.casebook.errors import InvalidAgeKey
from amparo.casebook.records import CONSENT_MEANS, CONSENT_PURPOSES, CONSENT_RELATIONS, RECORDED_PURPOSES, Consent
from amparo.web.casebook.forms import LONG, SHORT, RecordForm, _date, _own
from amparo.web.casebook.vault_forms import PassphraseField

MEANS = {code: words for code, words in CONSENT_MEANS.items() if code != "transfer-file"}  # a person's ways


class ConsentForm(RecordForm):
    """Who agreed to the move, how and when; the move itself (``purpose``) is the page's."""

    record_class = Consent
    given_on = _date(_("Agreed on"))
    agreed_by = forms.CharField(
        label=_("Who agreed"),
        max_length=SHORT,
        help_text=_("For example the defender's pseudonym, or “the defender's lawyer”. Avoid real names."),
    )
    relation = forms.ChoiceField(label=_("Who they are"))
    means = forms.ChoiceField(label=_("How they agreed"))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=LONG, widget=forms.Textarea)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["relation"].choices = _own(CONSENT_RELATIONS)
        self.fields["means"].choices = _own(MEANS)


class RecordedConsentForm(ConsentForm):
    """A consent recorded on its own, on the case page: what the person agreed to, and with whom."""

    purpose = forms.ChoiceField(label=_("What they agreed to"))
    recipient = forms.CharField(
        label=_("With whom"),
        max_length=SHORT,
        required=False,
        help_text=_("For example the embassy or the organisation the case may be shared with."),
    )
    field_order = ("purpose", "recipient", "given_on", "agreed_by", "relation", "means", "notes")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = _own({code: CONSENT_PURPOSES[code] for code in RECORDED_PURPOSES})
        self.fields["notes"].help_text = _("What exactly they agreed to, and any limit they set.")

    def clean(self):
        cleaned = super().clean()
        purpose = cleaned.get("purpose")
        if purpose == "other" and not cleaned.get("notes", "").strip():
            self.add_error("notes", gettext("Say in the notes what they agreed to."))
        elif purpose in ("share-mission", "share-organisation") and not cleaned.get("recipient", "").strip():
            self.add_error("recipient", gettext("Say with whom the case may be shared."))
        return cleaned


class MoveOutForm(ConsentForm):
    """A move out of this casebook: where to, the key to seal the file to, the consent, and the checkbox.

    Locally the file goes to a team: its public key is required. From the team it goes to a defender's
    casebook: to their age public key or to a passphrase given to them, one of the two.
    """

    recipient = forms.CharField(label=_("Where the case goes"), max_length=SHORT)
    key = forms.CharField(label=_("The team's public key (age1…)"), max_length=2000, required=False)
    field_order = ("recipient", "key", "given_on", "agreed_by", "relation", "means", "notes")

    def __init__(self, *args, team: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        if team:
            self.fields["recipient"].help_text = _("Whose casebook it goes to, for example the defender's pseudonym.")
            self.fields["key"].label = _("Their age public key (age1…)")
            self.fields["key"].help_text = _("Or leave this empty and choose a passphrase for the file below.")
            self.fields["passphrase"] = PassphraseField(
                label=_("Or a passphrase for the file"), required=False, min_length=MIN_CHARS
            )
            self.fields["confirm_passphrase"] = PassphraseField(label=_("The passphrase again"), required=False)
            what = _(
                "The person named above agreed that this case, with every record and consent in it, leaves "
                "the team's casebook for theirs. Whoever has their key or the passphrase can read the file."
            )
        else:
            self.fields["recipient"].help_text = _("The name of the team, as the defender knows it.")
            self.fields["key"].required = True
            self.fields["key"].help_text = _("The team gives it to you. It starts with age1.")
            what = _(
                "The person named above agreed that this case, with every record and consent in it, leaves "
                "this computer for the team named above. Only the team's key opens the file."
            )
        self.fields["agree"] = forms.BooleanField(label=what, required=True)

    def clean(self):
        cleaned = super().clean()
        key, passphrase = cleaned.get("key", "").strip(), cleaned.get("passphrase") or ""
        if key:
            try:
                parse_recipients([key])
            except InvalidAgeKey:
                self.add_error("key", gettext("This is not an age public key: it starts with age1."))
        if self.team:
            if bool(key) == bool(passphrase):
                self.add_error("key", gettext("Give their public key or a passphrase, one of the two."))
            elif passphrase and passphrase != cleaned.get("confirm_passphrase"):
                self.add_error("confirm_passphrase", gettext("The two passphrases are not the same."))
        return cleaned

    def sealed_to(self) -> dict:
        """The keyword of :func:`amparo.casebook.transfer.seal`: the recipients, or the passphrase."""
        key = self.cleaned_data.get("key", "").strip()
        return {"recipients": [key]} if key else {"passphrase": self.cleaned_data["passphrase"]}


class ImportForm(forms.Form):
    """A transfer file to import into this computer's casebook, and what opens it."""

    archive = forms.FileField(label=_("Case transfer file (.age)"))
    identity = forms.CharField(
        label=_("Your age secret key (AGE-SECRET-KEY-1…), if the file was made for your public key"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"autocomplete": "off", "spellcheck": "false", "rows": 3}),
    )
    passphrase = PassphraseField(
        label=_("Or the file's passphrase"), required=False, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )
    received_by = forms.CharField(
        label=_("Received by"),
        max_length=SHORT,
        help_text=_("Recorded with the case, with today's date: who took the case in."),
    )

    def clean_identity(self) -> str:
        text = self.cleaned_data["identity"].strip()
        if text:
            try:
                parse_identities(text)
            except InvalidAgeKey:
                raise forms.ValidationError(
                    _("This is not an age secret key: it starts with AGE-SECRET-KEY-1.")
                ) from None
        return text

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("identity") and not cleaned.get("passphrase") and "identity" not in self.errors:
            self.add_error("identity", gettext("Give your secret key or the file's passphrase."))
        return cleaned


class UploadForm(forms.Form):
    """Team mode's first step: the file, opened with the team's own key."""

    archive = forms.FileField(label=_("Case transfer file (.age)"))


class ReceiptForm(forms.Form):
    """Team mode's second step: how the case records who took it in."""

    received_by = forms.CharField(
        label=_("Received by"),
        max_length=SHORT,
        help_text=_("Recorded with the case, with today's date: who took the case in for the team."),
    )
