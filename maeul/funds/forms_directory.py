"""Forms of the directory pages: a service of the directory and a found resource."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maeul.people.models import Domain
from maeul.resources.models import WEEKDAYS_KO, Resource, Service
from maeul.web import DateInput


class ServiceForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    area = forms.ModelChoiceField(label=_("Serves"), queryset=None)
    name = forms.CharField(label=_("Name (Korean)"), max_length=160)
    name_en = forms.CharField(label=_("Name (English)"), max_length=160, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Service.Kind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Service.Status.choices)
    domains = forms.MultipleChoiceField(
        label=_("Need domains it meets"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    eligibility_description = forms.CharField(
        label=_("Who it is for"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    minimum_age = forms.IntegerField(label=_("Minimum age"), min_value=0, required=False)
    maximum_age = forms.IntegerField(label=_("Maximum age"), min_value=0, required=False)
    application_process = forms.CharField(
        label=_("How to apply"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    documents = forms.CharField(
        label=_("Required documents"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line."),
    )
    places_per_month = forms.IntegerField(label=_("Places per month"), min_value=0, required=False)
    budget_left = forms.IntegerField(label=_("Budget left (KRW)"), min_value=0, required=False)
    locations = forms.ModelMultipleChoiceField(
        label=_("Locations"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, partners, areas, locations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = partners
        self.fields["area"].queryset = areas
        self.fields["locations"].queryset = locations

    def service_args(self) -> dict:
        data = dict(self.cleaned_data)
        data["documents"] = data["documents"].splitlines()
        data["locations"] = list(data["locations"])
        return data


class ResourceForm(forms.Form):
    dong = forms.ModelChoiceField(label=_("Dong"), queryset=None)
    name = forms.CharField(label=_("Resource"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    amount = forms.IntegerField(label=_("Value (KRW)"), min_value=0, initial=0)
    discovered_on = forms.DateField(label=_("Found on"), widget=DateInput)
    provider_name = forms.CharField(label=_("Provider"), max_length=120, required=False)
    partner = forms.ModelChoiceField(label=_("Partner institution"), queryset=None, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, dongs, partners, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = dongs
        self.fields["partner"].queryset = partners


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%H:%M")


class RosterShiftForm(forms.Form):
    """Who gives the service when: a safety-net member of the user's dongs, or a named
    volunteer (or group) outside the safety net."""

    member = forms.ModelChoiceField(
        label=_("Safety-net member"), queryset=None, required=False, empty_label="—"
    )
    volunteer_name = forms.CharField(
        label=_("or a volunteer / group"), max_length=120, required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=[(i, day) for i, day in enumerate(WEEKDAYS_KO)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None: on call, by arrangement."),
    )
    starts_at = forms.TimeField(label=_("From (time)"), widget=TimeInput, required=False)
    ends_at = forms.TimeField(label=_("Until (time)"), widget=TimeInput, required=False)
    from_on = forms.DateField(label=_("From"), widget=DateInput, required=False)
    until_on = forms.DateField(label=_("Until"), widget=DateInput, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.name} · {m.get_team_display()}"
