"""Forms of the gu's planning: a sphere link, the caseload standard, a staff posting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import DONG_STAFF_ROLES, GU_ROLES, Role
from maeul.areas.models import Area
from maeul.evaluation.models import StaffPosting
from maeul.web import DateInput


def _dong_choices(gu: Area) -> list[tuple[int, str]]:
    return [
        (d.pk, d.display_name)
        for d in Area.objects.filter(parent=gu, level=Area.Level.DONG).order_by("code")
    ]


class SphereLinkForm(forms.Form):
    central = forms.TypedChoiceField(label=_("Central dong"), coerce=int)
    linked = forms.TypedMultipleChoiceField(
        label=_("Linked dongs"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput)

    def __init__(self, *args, gu: Area, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _dong_choices(gu)
        self.fields["central"].choices = choices
        self.fields["linked"].choices = choices


class StandardForm(forms.Form):
    open_cases = forms.IntegerField(label=_("Open cases per worker"), min_value=1, max_value=1000)
    follow_ups = forms.IntegerField(
        label=_("Follow-ups per worker per month"), min_value=1, max_value=1000
    )
    visits = forms.IntegerField(label=_("Visits per worker per month"), min_value=1, max_value=1000)
    note = forms.CharField(label=_("Basis or note"), max_length=200, required=False)


STAFF_ROLE_CHOICES = [(v, label) for v, label in Role.choices if v in DONG_STAFF_ROLES | GU_ROLES]


class PostingForm(forms.Form):
    area = forms.TypedChoiceField(label=_("Posted to"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=60)
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES)
    qualification = forms.ChoiceField(
        label=_("Qualification"), choices=StaffPosting.Qualification.choices
    )
    employment = forms.ChoiceField(label=_("Employment"), choices=StaffPosting.Employment.choices)
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until"), widget=DateInput, required=False)

    def __init__(self, *args, gu: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(gu.pk, _("gu team")), *_dong_choices(gu)]
