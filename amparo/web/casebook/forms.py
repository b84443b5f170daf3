"""Forms for the casebook: the boundary where typed text becomes a record.

Choices come from the guidelines dataset (threats, kinds of subject, fields,
issuers, missions, support types) and from the casebook's own vocabularies,
so a stored id always means something the site can show. Every text has a
length limit; dates are ISO (the browser's date picker) and bounded to a
sensible range, so no input can make a record the pages cannot render.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from amparo.casebook import listing
from amparo.casebook.records import (
    ACTOR_KINDS,
    CHANNELS,
    RATINGS,
    REQUEST_STATUSES,
    RISK_LEVELS,
    Case,
    Engagement,
    FollowUp,
    Incident,
    Request,
    RiskAssessment,
)
from amparo.guidelines import get_dataset
from amparo.guidelines.countries import all_country_codes, localized_country_name
from amparo.web.casebook.widgets import QuickSelect
from amparo.web.templatetags.casebook import mission_words

SHORT = 200
LONG = 10_000
EARLIEST = dt.date(1950, 1, 1)
LATEST = dt.date(2100, 12, 31)


def _language() -> str:
    return get_language() or "en"


def _vocabulary(kind: str) -> list[tuple[str, str]]:
    return [(key, text.resolve(_language())[0]) for key, text in get_dataset().situations[kind].items()]


def _own(words: dict) -> list[tuple[object, str]]:
    return [(key, gettext(label)) for key, label in words.items()]


def _countries() -> list[tuple[str, str]]:
    language = _language()
    named = [(code, localized_country_name(code, language)) for code in all_country_codes()]
    return [("", gettext("Not recorded")), *sorted(named, key=lambda pair: pair[1])]


def _support_types() -> list[tuple[str, list[tuple[str, str]]]]:
    """The support types grouped by the dataset's categories, in the taxonomy's order (40 in one list is a wall)."""
    dataset, language = get_dataset(), _language()
    grouped: list[tuple[str, list[tuple[str, str]]]] = []
    placed: set[str] = set()
    for category in dataset.categories:
        members = [st for st in dataset.support_types_in(category.id) if st.id not in placed]
        placed.update(st.id for st in members)
        grouped.append((category.name.resolve(language)[0], [(st.id, st.name.resolve(language)[0]) for st in members]))
    rest = [(key, st.name.resolve(language)[0]) for key, st in dataset.support_types.items() if key not in placed]
    if rest:  # a support type outside the taxonomy still offered, never dropped
        grouped.append((gettext("Other"), rest))
    return [(name, options) for name, options in grouped if options]


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in one fieldset per group of the choices, its legend the group's name; no JavaScript."""

    template_name = "casebook/widgets/grouped_checkboxes.html"


def where_choices(country: str, keep: str = "") -> list[tuple[str, object]]:
    """Issuer, or issuer and one of its missions serving ``country``, as one grouped select.

    Values are ``issuer`` or ``issuer/mission``: one field, no JavaScript needed
    to keep the mission list in step with the issuer. ``keep`` (a stored
    value) stays offered even if the case's country changed since.
    """
    dataset = get_dataset()
    language = _language()
    serving: dict[str, list] = {}
    if country:
        for mission in dataset.missions_serving(country):
            if not mission.honorary:
                serving.setdefault(mission.issuer_id, []).append(mission)
    kept_issuer, kept_mission = split_where(keep)
    if kept_mission and kept_mission not in {m.id for m in serving.get(kept_issuer, [])}:
        kept = dataset.mission(kept_mission)
        if kept is not None and kept.issuer_id == kept_issuer:
            serving.setdefault(kept_issuer, []).append(kept)
    groups: list[tuple[str, object]] = [("", gettext("Choose"))]
    for issuer in sorted(dataset.issuers.values(), key=lambda i: i.name.resolve(language)[0]):
        name = issuer.name.resolve(language)[0]
        options = [(issuer.id, gettext("%(issuer)s — no particular mission") % {"issuer": name})]
        options += [(f"{issuer.id}/{m.id}", f"{name} — {mission_words(m)}") for m in serving.get(issuer.id, [])]
        groups.append((name, options))
    return groups


def split_where(value: str) -> tuple[str, str]:
    issuer, _sep, mission = value.partition("/")
    return issuer, mission


def join_where(issuer: str, mission: str) -> str:
    return f"{issuer}/{mission}" if mission else issuer


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _date(label, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date as year-month-day, for example 2026-03-31.")},
    )


class RecordForm(forms.Form):
    """Builds a record from the cleaned data; dates out of range are refused here, not by the database."""

    record_class: type

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):  # add_error() removes the field from cleaned_data
            if isinstance(value, dt.date) and not EARLIEST <= value <= LATEST:
                self.add_error(name, _("Enter a date between 1950 and 2100."))
        return cleaned

    def record(self, **extra):
        names = [name for name in self.fields if name in self.record_class.__dataclass_fields__]
        values = {name: self.cleaned_data[name] for name in names}
        values = {name: tuple(v) if isinstance(v, list) else v for name, v in values.items()}
        return self.record_class(**values, **extra)


class CaseForm(RecordForm):
    record_class = Case
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=SHORT,
        help_text=_("A name only you understand. Avoid real names: this is what a screen shows."),
    )
    subject = forms.ChoiceField(label=_("Who is this case about?"))
    country = forms.ChoiceField(
        label=_("Country where they are now"), required=False, help_text=_("Decides which missions are offered.")
    )
    field = forms.ChoiceField(label=_("Field of work"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=LONG, widget=forms.Textarea)
    closed = forms.BooleanField(label=_("Case closed"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = _vocabulary("subject")
        self.fields["country"].choices = _countries()
        self.fields["field"].choices = [("", gettext("Not recorded")), *_vocabulary("field")]


class IncidentForm(RecordForm):
    record_class = Incident
    occurred_on = _date(_("Date"))
    threat = forms.ChoiceField(label=_("What kind of attack or threat?"))
    actor_kind = forms.ChoiceField(label=_("Who was responsible?"))
    place = forms.CharField(label=_("Place"), required=False, max_length=SHORT)
    description = forms.CharField(label=_("What happened"), required=False, max_length=LONG, widget=forms.Textarea)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=LONG,
        widget=forms.Textarea,
        help_text=_("Where the evidence is kept (not the files themselves)."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["threat"].choices = _vocabulary("threat")
        self.fields["actor_kind"].choices = _own(ACTOR_KINDS)


class WhereMixin(forms.Form):
    """The issuer and mission, chosen in one select (see :func:`where_choices`)."""

    where = forms.ChoiceField(label=_("Which mission?"))

    def setup_where(self, country: str, keep: str) -> None:
        self.fields["where"].choices = where_choices(country, keep)

    def where_values(self) -> dict[str, str]:
        issuer, mission = split_where(self.cleaned_data["where"])
        return {"issuer": issuer, "mission": mission}


class EngagementForm(WhereMixin, RecordForm):
    record_class = Engagement
    occurred_on = _date(_("Date"))
    channel = forms.ChoiceField(label=_("How?"))
    roles = forms.CharField(
        label=_("Who took part"),
        required=False,
        max_length=SHORT,
        help_text=_("Roles are enough, for example “HRD focal point, deputy head of mission”."),
    )
    discussed = forms.CharField(label=_("What was discussed"), required=False, max_length=LONG, widget=forms.Textarea)
    support_types = forms.MultipleChoiceField(label=_("Support asked for"), required=False, widget=GroupedCheckboxes)
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=LONG, widget=forms.Textarea)

    def __init__(self, *args, country: str = "", keep: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setup_where(country, keep)
        self.fields["channel"].choices = _own(CHANNELS)
        self.fields["support_types"].choices = _support_types()

    def record(self, **extra):
        return super().record(**self.where_values(), **extra)


class RequestForm(WhereMixin, RecordForm):
    record_class = Request
    support_types = forms.MultipleChoiceField(label=_("Support asked for"), widget=GroupedCheckboxes)
    status = forms.ChoiceField(label=_("Status"))
    drafted_on = _date(_("Drafted on"), required=False)
    sent_on = _date(_("Sent on"), required=False)
    answered_on = _date(_("Answered on"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=LONG, widget=forms.Textarea)

    def __init__(self, *args, country: str = "", keep: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setup_where(country, keep)
        self.fields["support_types"].choices = _support_types()
        self.fields["status"].choices = _own(REQUEST_STATUSES)

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and status != "draft" and not cleaned.get("sent_on"):
            self.add_error("sent_on", _("Give the date the request was sent."))
        if status in ("support-given", "declined") and not cleaned.get("answered_on"):
            self.add_error("answered_on", _("Give the date of the answer."))
        sent, answered = cleaned.get("sent_on"), cleaned.get("answered_on")
        if sent and answered and answered < sent:
            self.add_error("answered_on", _("The answer cannot come before the request was sent."))
        return cleaned

    def record(self, **extra):
        return super().record(**self.where_values(), **extra)


class FollowUpForm(RecordForm):
    record_class = FollowUp
    due_on = _date(_("Due on"))
    what = forms.CharField(label=_("What to follow up"), max_length=SHORT * 5)
    request_id = forms.ChoiceField(label=_("About the request"), required=False)
    done_on = _date(_("Done on"), required=False)

    def __init__(self, *args, requests: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request_id"].choices = [("", gettext("None")), *requests]


class RiskForm(RecordForm):
    record_class = RiskAssessment
    assessed_on = _date(_("Assessed on"))
    threats = forms.TypedChoiceField(
        label=_("Threats"), coerce=int, help_text=_("How serious and likely are the threats?")
    )
    vulnerabilities = forms.TypedChoiceField(
        label=_("Vulnerabilities"), coerce=int, help_text=_("How exposed are they to these threats?")
    )
    capacities = forms.TypedChoiceField(
        label=_("Capacities"), coerce=int, help_text=_("What protects them: networks, skills, resources?")
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=LONG, widget=forms.Textarea)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("threats", "vulnerabilities", "capacities"):
            self.fields[name].choices = _own(RATINGS)


FORMS: dict[str, type[RecordForm]] = {
    "case": CaseForm,
    "incident": IncidentForm,
    "engagement": EngagementForm,
    "request": RequestForm,
    "follow-up": FollowUpForm,
    "risk": RiskForm,
}


def initial_from(record) -> dict:
    """A stored record as a form's initial values."""
    values = {name: getattr(record, name) for name in record.__dataclass_fields__}
    if "issuer" in values:
        values["where"] = join_where(values["issuer"], values.get("mission", ""))
    if "support_types" in values:
        values["support_types"] = list(values["support_types"])
    return values


class CaseListForm(forms.Form):
    """Which cases the dashboard lists, and in what order: codes only, held in the session, never in a URL."""

    country = forms.ChoiceField(label=_("Country"), required=False, widget=QuickSelect)
    risk = forms.ChoiceField(label=_("Latest risk"), required=False, widget=QuickSelect)
    status = forms.ChoiceField(label=_("Case status"), required=False, widget=QuickSelect)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, widget=QuickSelect)

    def __init__(self, *args, countries: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        language = _language()
        named = sorted(((code, localized_country_name(code, language)) for code in countries), key=lambda p: p[1])
        self.fields["country"].choices = [
            (listing.ANY, gettext("All countries")),
            *named,
            (listing.NONE, gettext("Not recorded")),
        ]
        self.fields["risk"].choices = [
            (listing.ANY, gettext("Any")),
            *reversed(_own(RISK_LEVELS)),
            (listing.NONE, gettext("Not assessed yet")),
        ]
        self.fields["status"].choices = [(listing.ANY, gettext("All cases")), *_own(listing.STATUSES)]
        self.fields["sort"].choices = _own(listing.SORTS)

    def query(self) -> listing.CaseQuery:
        values = {name: self.cleaned_data.get(name, "") for name in ("country", "risk", "status")}
        return listing.CaseQuery(**values, sort=self.cleaned_data.get("sort") or listing.DEFAULT_SORT)


class LetterForm(forms.Form):
    """A letter from a saved request: its mission and measures come from the request, the rest is asked here.

    The labels are the public letter page's, so they read the same. Nothing typed here is stored.
    """

    language = forms.ChoiceField(label=_("Language of the letter (guideline titles stay in their official language)"))
    support_types = forms.MultipleChoiceField(
        label=_("What to ask for"), widget=GroupedCheckboxes, help_text=_("At most 8 measures in one letter.")
    )
    sender = forms.CharField(label=_("Your name or a pseudonym (optional)"), required=False, max_length=SHORT)
    organisation = forms.CharField(label=_("Organisation (optional)"), required=False, max_length=SHORT)
    country = forms.ChoiceField(label=_("The country to name"), required=False)
    court = forms.CharField(label=_("The court, for trial observation"), required=False, max_length=SHORT)
    hearing_date = _date(_("The date of the next hearing"), required=False)
    detention_place = forms.CharField(
        label=_("Where the defender is held, for a detention visit"), required=False, max_length=SHORT
    )
    facts = forms.CharField(
        label=_("What happened, in a few lines"), required=False, max_length=2000, widget=forms.Textarea
    )
    contact = forms.CharField(
        label=_("How, and by whom, you may be contacted"), required=False, max_length=2000, widget=forms.Textarea
    )
    confidential = forms.CharField(
        label=_("What must stay confidential"), required=False, max_length=2000, widget=forms.Textarea
    )
    public_consent = forms.ChoiceField(label=_("Public action you agree to"))
    follow_up = forms.CharField(
        label=_("Follow-up you propose, e.g. a call within two weeks"), required=False, max_length=2000
    )
    format = forms.ChoiceField(label=_("Format"))

    def __init__(self, *args, country: str = "", languages=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        language = _language()
        self.fields["language"].choices = list(languages)
        self.fields["support_types"].choices = _support_types()
        named = [(country, localized_country_name(country, language))] if country else []
        self.fields["country"].choices = [("", gettext("Do not name a country")), *named]
        exposure = get_dataset().situations["exposure"]
        self.fields["public_consent"].choices = [(key, text.resolve(language)[0]) for key, text in exposure.items()]
        self.fields["format"].choices = [
            ("pdf", "PDF"),
            ("docx", gettext("Word (DOCX)")),
            ("html", gettext("Web page (HTML)")),
            ("md", "Markdown"),
        ]

    def letter_fields(self) -> dict:
        """The cleaned answers as the letter request's fields (the issuer and mission are the caller's)."""
        data = dict(self.cleaned_data)
        data.pop("format")
        data["hearing_date"] = data["hearing_date"].isoformat() if data.get("hearing_date") else None
        data["country"] = data.get("country") or None
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words to find"), max_length=SHORT)
