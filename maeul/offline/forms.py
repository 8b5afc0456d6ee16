"""The two items the phone sends, checked as a form would check them (same limits as the
volunteer's report page): a JSON body is read into these forms by the views."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maeul.discovery.models import Lead


class ItemForm(forms.Form):
    key = forms.UUIDField(
        label=_("key"), error_messages={"invalid": _("The item's key is not a valid UUID.")}
    )
    written_at = forms.DateTimeField(label=_("written at"), required=False)


class ReportForm(ItemForm):
    subject_name = forms.CharField(
        label=_("who"),
        max_length=60,
        help_text=_("Name, or how you know them (e.g. grandmother in 302)."),
    )
    dong = forms.ModelChoiceField(label=_("dong"), queryset=None, empty_label=None)
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
        self.fields["dong"].label_from_instance = lambda area: area.name


class CareVisitForm(ItemForm):
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)
