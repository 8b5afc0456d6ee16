"""Forms of the money pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maeul.cases.models import Linkage
from maeul.funds.models import Donation, Sponsorship
from maeul.people.models import Domain
from maeul.web import DateInput

PURPOSE_KINDS = [
    (k, label)
    for k, label in Linkage.Kind.choices
    if k in (Linkage.Kind.PRIVATE_RESOURCE, Linkage.Kind.EMERGENCY_AID)
]


class PurposeForm(forms.Form):
    purpose_domain = forms.ChoiceField(
        label=_("Need domain it pays for"),
        choices=[("", "—")] + list(Domain.choices),
        required=False,
        help_text=_("A disbursement from a restricted fund must meet this need domain."),
    )
    purpose_kinds = forms.MultipleChoiceField(
        label=_("Kinds of linkage it pays for"),
        choices=PURPOSE_KINDS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class FundForm(PurposeForm):
    name = forms.CharField(label=_("Fund name"), max_length=120)
    restriction = forms.CharField(
        label=_("Purpose restriction"),
        max_length=200,
        required=False,
        help_text=_("Empty for the general fund."),
    )
    field_order = ["name", "restriction", "purpose_domain", "purpose_kinds"]


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
    dong = forms.ModelChoiceField(
        label=_("Found by the hub of"),
        queryset=None,
        help_text=_("Counted there as a resource found."),
    )
    resource = forms.ModelChoiceField(
        label=_("Resource registered before"),
        queryset=None,
        required=False,
        help_text=_("When the resource team already registered it: it is not counted twice."),
    )

    def __init__(self, *args, dongs, resources, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = dongs
        self.fields["resource"].queryset = resources


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
