"""Forms of the money pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maeul.funds.models import Donation, Sponsorship
from maeul.web import DateInput


class FundForm(forms.Form):
    name = forms.CharField(label=_("Fund name"), max_length=120)
    restriction = forms.CharField(
        label=_("Purpose restriction"),
        max_length=200,
        required=False,
        help_text=_("Empty for the general fund."),
    )


class DonationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Donation.Kind.choices)
    donor_name = forms.CharField(label=_("Donor"), max_length=120)
    donor_kind = forms.ChoiceField(label=_("Donor is a"), choices=Donation.DonorKind.choices)
    donor_number = forms.CharField(
        label=_("Business registration no."), max_length=20, required=False
    )
    donor_address = forms.CharField(label=_("Donor address"), max_length=200, required=False)
    amount = forms.IntegerField(label=_("Amount or value (KRW)"), min_value=1)
    goods = forms.CharField(label=_("Goods (in kind)"), max_length=200, required=False)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)


class DisbursementForm(forms.Form):
    linkage = forms.IntegerField(
        label=_("Linkage no."),
        min_value=1,
        help_text=_("The private resource or emergency aid this pays for."),
    )
    amount = forms.IntegerField(label=_("Amount (KRW)"), min_value=1)
    on = forms.DateField(label=_("Paid on"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class SponsorshipForm(forms.Form):
    household = forms.IntegerField(label=_("Household no."), min_value=1)
    supporter_name = forms.CharField(label=_("Supporter"), max_length=120)
    supporter_contact = forms.CharField(label=_("Supporter contact"), max_length=60, required=False)
    monthly_amount = forms.IntegerField(label=_("Monthly amount (KRW)"), min_value=1)
    started_on = forms.DateField(label=_("Start"), widget=DateInput)
    review_on = forms.DateField(label=_("Review date"), widget=DateInput)
    end_condition = forms.ChoiceField(
        label=_("End condition"), choices=Sponsorship.EndCondition.choices
    )
    ends_on = forms.DateField(label=_("End date"), widget=DateInput, required=False)
    supporter_agrees_to_be_named = forms.BooleanField(
        label=_("The supporter agrees to be named to the household"), required=False
    )
    household_agrees_to_know = forms.BooleanField(
        label=_("The household wishes to know the supporter"), required=False
    )


class PaymentForm(forms.Form):
    month = forms.DateField(label=_("Month"), widget=DateInput)
    amount = forms.IntegerField(label=_("Amount (KRW)"), min_value=1)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
