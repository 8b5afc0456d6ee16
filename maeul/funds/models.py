"""The private welfare fund: donations (cash and in kind), a ledger whose balance is always the
sum of its entries (no stored balance), disbursements to households tied to a linkage, and
one-to-one sponsorships with their monthly payments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maeul.people.models import Domain


class Fund(models.Model):
    """A fund of the gu's private welfare money. A donation restricted to a purpose goes to a
    restricted fund, whose money is spent on that purpose only."""

    gu = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="funds")
    name = models.CharField(_("name"), max_length=120)
    restriction = models.CharField(
        _("purpose restriction"),
        max_length=200,
        blank=True,
        help_text=_("Empty for the general fund."),
    )
    #: What a restricted fund may pay for, checked against the linkage of each disbursement:
    #: the need domain the linkage meets (empty: any) and the kinds of linkage (empty: any).
    purpose_domain = models.CharField(
        _("need domain it pays for"), max_length=16, choices=Domain.choices, blank=True
    )
    purpose_kinds = models.JSONField(_("kinds of linkage it pays for"), default=list, blank=True)

    class Meta:
        ordering = ["restriction", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_restricted(self) -> bool:
        return bool(self.restriction or self.purpose_domain or self.purpose_kinds)


class Donation(models.Model):
    class Kind(models.TextChoices):
        CASH = "cash", _("cash")
        IN_KIND = "in_kind", _("in kind")

    class DonorKind(models.TextChoices):
        PERSON = "person", _("person")
        BUSINESS = "business", _("business")
        ORGANISATION = "organisation", _("organisation")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="donations")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    donor_name = models.CharField(_("donor"), max_length=120)
    donor_kind = models.CharField(
        _("donor is a"), max_length=12, choices=DonorKind.choices, default=DonorKind.PERSON
    )
    donor_number = models.CharField(
        _("business registration no."),
        max_length=20,
        blank=True,
        help_text=_("For a business's receipt; never a resident registration number."),
    )
    donor_address = models.CharField(_("donor address"), max_length=200, blank=True)
    amount = models.BigIntegerField(_("amount or value (KRW)"))
    goods = models.CharField(_("goods"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    #: The dong whose hub found the donation: it counts there as a resource found.
    dong = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: The resource found that this donation is (registered with it, or before it): the
    #: `resource_discovered` event is that resource's, written once.
    resource = models.ForeignKey(
        "resources.Resource",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    receipt_no = models.CharField(_("receipt no."), max_length=20, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-id"]


class LedgerEntry(models.Model):
    """One movement of a fund's money; the balance is the sum of the entries."""

    class Kind(models.TextChoices):
        DONATION = "donation", _("donation")
        DISBURSEMENT = "disbursement", _("disbursement")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = models.BigIntegerField(_("amount (KRW)"))
    on = models.DateField(_("date"))
    donation = models.OneToOneField(
        Donation, null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )
    linkage = models.ForeignKey(
        "cases.Linkage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="donation", amount__gt=0, donation__isnull=False))
                | (models.Q(kind="disbursement", amount__lt=0, linkage__isnull=False)),
                name="ledger_entry_sign_and_source",
            )
        ]


class Sponsorship(models.Model):
    """A supporter paying a household a monthly amount until an end condition (Seodaemun's
    "Embrace 100 more households")."""

    class EndCondition(models.TextChoices):
        SELF_RELIANCE = "self_reliance", _("until self-reliance")
        END_DATE = "end_date", _("until the end date")
        REVIEW = "review", _("decided at review")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, related_name="sponsorships"
    )
    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    supporter_name = models.CharField(_("supporter"), max_length=120)
    supporter_contact = models.CharField(_("supporter contact"), max_length=60, blank=True)
    monthly_amount = models.PositiveIntegerField(_("monthly amount (KRW)"))
    started_on = models.DateField(_("start"))
    review_on = models.DateField(_("review date"))
    end_condition = models.CharField(
        _("end condition"), max_length=14, choices=EndCondition.choices
    )
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    supporter_agrees_to_be_named = models.BooleanField(
        _("the supporter agrees to be named to the household"), default=False
    )
    household_agrees_to_know = models.BooleanField(
        _("the household wishes to know the supporter"), default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]

    @property
    def supporter_for_household(self) -> str:
        """How the household may know the supporter: by name only when both agree."""
        if self.supporter_agrees_to_be_named and self.household_agrees_to_know:
            return self.supporter_name
        return str(_("a supporter of the neighbourhood"))


class SponsorshipPayment(models.Model):
    sponsorship = models.ForeignKey(Sponsorship, on_delete=models.CASCADE, related_name="payments")
    month = models.DateField(_("month"), help_text=_("The first day of the month paid for."))
    amount = models.PositiveIntegerField(_("amount (KRW)"))
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["sponsorship", "month"], name="one_payment_per_month")
        ]
