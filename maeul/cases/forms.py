"""Forms of the case-work pages: they parse input; the rules live in cases.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maeul.cases.models import Assessment, Case, Conference, Domain, Goal, Linkage
from maeul.people.models import Consent, Programme
from maeul.web import DateInput

NEED_LEVELS = [
    ("0", _("0 none")),
    ("1", _("1 mild")),
    ("2", _("2 moderate")),
    ("3", _("3 severe")),
]


class AssessmentForm(forms.Form):
    """Eleven need domains (0–3), overall risk, consent (PIPA) and the decision."""

    # No default: a decision about a person is chosen, never submitted by accident.
    overall_risk = forms.ChoiceField(
        label=_("Overall risk"), choices=[("", "—")] + list(Assessment.Risk.choices)
    )
    consent_given = forms.BooleanField(
        label=_("The household consents to the collection and use of personal information"),
        required=False,
    )
    consent_date = forms.DateField(label=_("Consent given on"), widget=DateInput, required=False)
    consent_scopes = forms.MultipleChoiceField(
        label=_("Consent scope"),
        choices=Consent.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("", "—")] + list(Assessment.Decision.choices)
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Domain.choices:
            self.fields[f"need_{value}"] = forms.ChoiceField(
                label=label, choices=NEED_LEVELS, initial="0", widget=forms.RadioSelect
            )

    def need_fields(self):
        return [self[f"need_{value}"] for value in Domain.values]

    def needs(self) -> dict[str, int]:
        return {value: int(self.cleaned_data[f"need_{value}"]) for value in Domain.values}


class CaseOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Case.Kind.choices)
    manager = forms.ModelChoiceField(label=_("Case manager"), queryset=None)
    follow_up_every_days = forms.IntegerField(
        label=_("Follow-up every (days)"), initial=30, min_value=1, max_value=365
    )

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = staff


class GoalForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    description = forms.CharField(label=_("Goal"), max_length=300)
    target_on = forms.DateField(label=_("Target date"), widget=DateInput, required=False)


class GoalStatusForm(forms.Form):
    goal = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Goal.Status.choices)


class ConferenceForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    level = forms.ChoiceField(label=_("Level"), choices=Conference.Level.choices)
    participants = forms.CharField(label=_("Participants"), max_length=300)
    notes = forms.CharField(label=_("Discussion"), widget=forms.Textarea, required=False)
    decisions = forms.CharField(label=_("Decisions"), widget=forms.Textarea, required=False)


class CaseCloseForm(forms.Form):
    """Asking the team lead to approve a closure (the case closes when approved)."""

    reason = forms.ChoiceField(label=_("Reason"), choices=Case.CloseReason.choices)
    note = forms.CharField(label=_("Note for the team lead"), max_length=500, required=False)


class LinkageForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Linkage.Kind.choices)
    programme = forms.ChoiceField(
        label=_("Programme"),
        choices=[("", "—")] + list(Programme.choices),
        required=False,
        help_text=_("For a public benefit."),
    )
    domain = forms.ChoiceField(
        label=_("Need domain it meets"),
        choices=[("", "—")] + list(Domain.choices),
        required=False,
        help_text=_("A restricted fund pays only for linkages that meet its need domain."),
    )
    resource = forms.ModelChoiceField(label=_("Resource"), queryset=None, required=False)
    partner = forms.ModelChoiceField(
        label=_("Partner institution"),
        queryset=None,
        required=False,
        help_text=_("For a referral."),
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    amount = forms.IntegerField(label=_("Amount (KRW)"), min_value=0, required=False)
    due_on = forms.DateField(
        label=_("Answer due by"),
        widget=DateInput,
        required=False,
        help_text=_("For a referral: the partner has three days unless you say otherwise."),
    )

    def __init__(self, *args, resources, partners, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources
        self.fields["partner"].queryset = partners


class LinkageStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Linkage.Status.choices)
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "—")] + list(Linkage.DeclineReason.choices),
        required=False,
    )
    note = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    served_on = forms.DateField(label=_("Served on"), widget=DateInput, required=False)
