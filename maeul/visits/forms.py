"""Forms of the visit pages: they parse input; the rules live in visits.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maeul.people.models import Domain
from maeul.visits.models import Visit
from maeul.web import DateInput


class StaffChoiceField(forms.ModelMultipleChoiceField):
    """Staff by name and role, as colleagues know each other (not by login name)."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.label} · {obj.get_role_display()}"


class VisitPlanForm(forms.Form):
    planned_on = forms.DateField(label=_("Date"), widget=DateInput)
    members = StaffChoiceField(
        label=_("Visiting staff"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Several members make a joint visit."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Visit.Kind.choices)
    merge = forms.BooleanField(
        label=_("Join a visit of this household already planned within 3 days (joint visit)"),
        required=False,
        initial=True,
        help_text=_("Unticked, the visit is planned apart and the other team's visit is flagged."),
    )

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = staff


class VisitRecordForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Visit.Outcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)
    observed_needs = forms.MultipleChoiceField(
        label=_("Needs observed"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
