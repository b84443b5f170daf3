"""Forms for the casebook's vault itself: its passphrase (set up, change, unlock), wiping it, backing it up
and restoring it. What they take is a secret or a file, never a record: amparo.web.casebook.forms has those.
"""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amparo.casebook import MAX_CHARS, MIN_CHARS
from amparo.web.casebook import runtime


class PassphraseField(forms.CharField):
    widget = forms.PasswordInput(render_value=False)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", MAX_CHARS)
        kwargs.setdefault("strip", False)  # spaces are part of a passphrase
        super().__init__(**kwargs)


class SetupTokenMixin(forms.Form):
    """The console's one-time token, asked only when the casebook is served on a network (see runtime)."""

    def __init__(self, *args, setup_token: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if setup_token:
            self.fields["setup_token"] = forms.CharField(
                label=_("Setup token"),
                help_text=_("Printed in the console where Amparo was started. It works once."),
                max_length=100,
                widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
            )
            self.order_fields(["setup_token"])

    def clean_setup_token(self) -> str:
        value = self.cleaned_data["setup_token"]
        if not runtime.setup_token_matches(value):
            raise forms.ValidationError(_("This is not the setup token printed in the console."))
        return value


def _passphrase_help() -> str:
    return gettext("At least %(count)d characters. Several unrelated words are easy to remember and hard to guess.") % {
        "count": MIN_CHARS
    }


class SetupForm(SetupTokenMixin, forms.Form):
    passphrase = PassphraseField(
        label=_("Passphrase"),
        min_length=MIN_CHARS,
        # Filled in when a page shows it: a lazy text's % is done at once, in English, when the class is made.
        help_text=lazy(_passphrase_help, str)(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm = PassphraseField(
        label=_("Passphrase again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("passphrase") and cleaned.get("passphrase") != cleaned.get("confirm"):
            self.add_error("confirm", _("The two passphrases are not the same."))
        return cleaned


class ChangePassphraseForm(SetupForm):
    """The new passphrase twice (as at set-up), after the current one."""

    current = PassphraseField(
        label=_("Current passphrase"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    field_order = ("current", "passphrase", "confirm")


class UnlockForm(forms.Form):
    passphrase = PassphraseField(
        label=_("Passphrase"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class WipeForm(forms.Form):
    confirm = forms.CharField(label=_("Type WIPE to destroy the casebook"), max_length=20)

    def clean_confirm(self):
        value = self.cleaned_data["confirm"]
        if value != "WIPE":
            raise forms.ValidationError(_("Type WIPE in capital letters, or leave this page."))
        return value


class BackupForm(forms.Form):
    passphrase = PassphraseField(
        label=_("Casebook passphrase"),
        help_text=_("The backup is encrypted to this passphrase; you will need it to restore."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RestoreForm(SetupTokenMixin, forms.Form):
    archive = forms.FileField(label=_("Backup file (.age)"))
    passphrase = PassphraseField(
        label=_("Passphrase of the backed-up casebook"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    replace = forms.BooleanField(
        label=_("Replace the casebook on this computer with the backup"),
        required=False,
    )
