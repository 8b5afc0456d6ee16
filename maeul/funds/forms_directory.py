"""Forms of the directory pages: a service of the directory and a found resource."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maeul.people.models import Domain
from maeul.resources.models import Resource, Service
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
    roster = forms.CharField(
        label=_("Roster"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Who gives the service when (volunteers, talent)."),
    )
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
