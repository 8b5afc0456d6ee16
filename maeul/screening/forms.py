from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.web import DateInput


class RunForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"), widget=DateInput, required=False, initial=timezone.localdate
    )
    visits_per_staff = forms.IntegerField(
        label=_("Visits per staff member"), min_value=1, max_value=200, initial=4
    )
