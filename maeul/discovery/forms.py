"""Forms of the discovery pages: they parse input; the rules live in services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maeul.discovery.models import CrisisSignal, Lead

#: Service error fields → form fields.
FIELD_MAP = {
    "subject_name": "subject_name",
    "name": "subject_name",
    "subject_rrn": "subject_rrn",
    "rrn": "subject_rrn",
    "address": "address",
    "dong": "dong",
    "urgency": "urgency",
    "source": "source",
    "crisis_signals": "crisis_signals",
    "assignee": "assignee",
    "reason": "reason",
    "reporter_relation": "reporter_relation",
    "file": "file",
}


class DongChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.label} · {obj.get_role_display()}"


class LeadFilterForm(forms.Form):
    """The queue filters (GET). Unknown values are ignored rather than refused."""

    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("all")), ("open", _("open"))] + list(Lead.Status.choices),
    )
    urgency = forms.ChoiceField(
        label=_("urgency"), required=False, choices=[("", _("all"))] + list(Lead.Urgency.choices)
    )
    source = forms.ChoiceField(
        label=_("source"), required=False, choices=[("", _("all"))] + list(Lead.Source.choices)
    )
    assignee = forms.ChoiceField(
        label=_("assignee"),
        required=False,
        choices=[("", _("anyone")), ("me", _("me")), ("none", _("unassigned"))],
    )
    dong = forms.ChoiceField(label=_("dong"), required=False)
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    q = forms.CharField(label=_("search"), required=False, max_length=100)

    def __init__(self, *args, dongs=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        dongs = list(dongs or [])
        if len(dongs) > 1:
            self.fields["dong"].choices = [("", _("all"))] + [
                (d.code, d.display_name) for d in dongs
            ]
        else:
            del self.fields["dong"]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data.get("status") or None,
            "urgency": data.get("urgency") or None,
            "source": data.get("source") or None,
            "assignee": data.get("assignee") or None,
            "overdue": bool(data.get("overdue")),
            "dong_code": data.get("dong") or None,
            "q": data.get("q") or "",
        }


class LeadForm(forms.Form):
    """A lead registered by hub staff (phone call, walk-in, own discovery)."""

    dong = DongChoiceField(label=_("dong"), queryset=None)
    source = forms.ChoiceField(
        label=_("source"),
        choices=[c for c in Lead.Source.choices if c[0] != Lead.Source.HIGH_RISK_LIST],
        initial=Lead.Source.STAFF,
    )
    subject_name = forms.CharField(label=_("name of the person"), max_length=60)
    subject_birth_date = forms.DateField(
        label=_("birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    subject_rrn = forms.CharField(
        label=_("registration number"),
        required=False,
        max_length=14,
        help_text=_("Optional. Stored encrypted; used only to find a known household."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "900101-1234567"}),
    )
    address = forms.CharField(label=_("address"), max_length=200)
    description = forms.CharField(label=_("what was seen"), required=False, widget=forms.Textarea)
    urgency = forms.ChoiceField(
        label=_("urgency"), choices=Lead.Urgency.choices, initial=Lead.Urgency.NORMAL
    )
    crisis_signals = forms.MultipleChoiceField(
        label=_("crisis signals"),
        required=False,
        choices=CrisisSignal.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    reporter_name = forms.CharField(label=_("reporter name"), max_length=60, required=False)
    reporter_phone = forms.CharField(label=_("reporter phone"), max_length=20, required=False)
    assignee = UserChoiceField(label=_("assign to"), queryset=None, required=False)

    def __init__(self, *args, dongs, assignees, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = dongs
        if dongs.count() == 1:
            self.fields["dong"].initial = dongs.first()
        self.fields["assignee"].queryset = assignees


class AssignForm(forms.Form):
    assignee = UserChoiceField(label=_("assign to"), queryset=None)

    def __init__(self, *args, assignees, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for closing"),
        max_length=200,
        help_text=_("e.g. already served, not in need, moved away"),
    )


class VolunteerReportForm(forms.Form):
    """The short report of a safety-net volunteer or partner contact, made on a phone."""

    subject_name = forms.CharField(
        label=_("who"),
        max_length=60,
        help_text=_("Name, or how you know them (e.g. grandmother in 302)."),
    )
    dong = DongChoiceField(label=_("dong"), queryset=None)
    address = forms.CharField(label=_("where"), max_length=200, help_text=_("Address or landmark."))
    description = forms.CharField(
        label=_("what you saw"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    urgency = forms.ChoiceField(
        label=_("how urgent"),
        choices=Lead.Urgency.choices,
        initial=Lead.Urgency.NORMAL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, dongs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = dongs


class ResidentRequestForm(forms.Form):
    """A resident asks for help for themselves or a neighbour, without an account."""

    reporter_name = forms.CharField(label=_("your name"), max_length=60)
    reporter_phone = forms.CharField(
        label=_("your phone number"),
        max_length=20,
        help_text=_("The welfare hub will call you back."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    reporter_relation = forms.ChoiceField(
        label=_("the person in need is"), choices=Lead.Relation.choices, widget=forms.RadioSelect
    )
    subject_name = forms.CharField(label=_("their name"), max_length=60)
    dong = DongChoiceField(label=_("dong"), queryset=None)
    address = forms.CharField(label=_("their address"), max_length=200)
    description = forms.CharField(
        label=_("what is wrong"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    #: Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(
        label=_("leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, dongs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = dongs


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("high-risk list (CSV or XLSX)"),
        help_text=_(
            "Columns: dong code or dong, name, birth date, address; optional registration number, crisis signals, urgency."
        ),
    )
