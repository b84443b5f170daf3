"""The team pages' forms. Every field is bounded; a password is never shown back (render_value off)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from amparo.web.team.accounts import password_again
from amparo.web.team.models import Role


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, strip=True)
    password = forms.CharField(label=_("Password"), max_length=1024, strip=False, widget=forms.PasswordInput)
    code = forms.CharField(
        label=_("Two-factor code"),
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        max_length=24,
        required=False,  # a passkey can be the second factor instead (amparo.web.team.passkeys)
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class NewPasswordMixin(forms.Form):
    new_password = forms.CharField(
        label=_("New password"),
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; a sentence of several words is easy to remember and hard to guess."),
    )
    confirm = forms.CharField(
        label=_("The new password again"),
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    user = None  # set by the form that uses the mixin, for the validators that compare with the username

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        password, confirm = data.get("new_password"), data.get("confirm")
        if password and confirm and password != confirm:
            self.add_error("confirm", _("The two passwords are not the same."))
        elif password:
            try:
                password_validation.validate_password(password, self.user)
            except forms.ValidationError as exc:
                self.add_error("new_password", exc)
        return data


def app_code() -> forms.CharField:
    """The code that proves a new app works, at enrolment or when the app is set up again."""
    return forms.CharField(
        label=_("Code from your app"),
        help_text=_("After adding Amparo to your app, type the six digits it shows."),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EnrolForm(NewPasswordMixin):
    code = app_code()

    def __init__(self, *args, user=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.user = user


class CurrentPasswordForm(forms.Form):
    """For a change to one's own account: the password again, so that an open session alone cannot make it."""

    current = forms.CharField(
        label=_("Current password"),
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user=None, request=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_current(self) -> str:
        current = self.cleaned_data["current"]
        if self.user is None or self.request is None or not password_again(self.request, self.user, current):
            raise forms.ValidationError(_("This is not your current password."))
        return current


class PasswordChangeForm(CurrentPasswordForm, NewPasswordMixin):
    field_order = ("current", "new_password", "confirm")


class PasskeyForm(CurrentPasswordForm):
    field_order = ("name", "current")
    name = forms.CharField(
        label=_("Name of this passkey"),
        help_text=_("So that you recognise it in your list, for example “blue security key” or “work laptop”."),
        max_length=64,
        strip=True,
    )


class AppForm(CurrentPasswordForm):
    code = app_code()


class InviteForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, strip=True)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.OFFICER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
