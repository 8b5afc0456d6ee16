"""Writes on the private welfare fund: donations, disbursements (under a row lock on the fund,
so two at once never overdraw it), sponsorships and their payments."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.accounts.permissions import require_hub_staff
from maeul.areas.models import Area
from maeul.cases.models import Linkage
from maeul.cases.selectors import linkages_visible_to
from maeul.errors import DomainError, NotFound
from maeul.funds.models import Donation, Fund, LedgerEntry, Sponsorship, SponsorshipPayment
from maeul.funds.selectors import funds_visible_to, gus_of
from maeul.people.models import Domain, Household
from maeul.people.selectors import dong_ids_of, household_require_visible
from maeul.resources.models import Resource
from maeul.resources.selectors import resources_in_reach
from maeul.resources.services import resource_register

#: Linkages a disbursement may pay for.
PAYABLE_KINDS = (Linkage.Kind.PRIVATE_RESOURCE, Linkage.Kind.EMERGENCY_AID)
UNPAYABLE_STATUSES = (Linkage.Status.DECLINED, Linkage.Status.WITHDRAWN, Linkage.Status.RETURNED)


def _require_fund(actor: User, fund: Fund) -> None:
    require_hub_staff(actor)
    if not funds_visible_to(actor).filter(pk=fund.pk).exists():
        raise NotFound()


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError("future_date", _("The date cannot be in the future."), field=field)


def _check_purpose(purpose_domain: str, purpose_kinds: list[str]) -> list[str]:
    if purpose_domain and purpose_domain not in Domain.values:
        raise DomainError("invalid_domain", _("Unknown need domain."), field="purpose_domain")
    kinds = list(dict.fromkeys(purpose_kinds))
    if any(k not in PAYABLE_KINDS for k in kinds):
        raise DomainError(
            "invalid_kinds",
            _("A fund pays only for private resources and emergency aid."),
            field="purpose_kinds",
        )
    return kinds


@transaction.atomic
def fund_create(
    *,
    actor: User,
    name: str,
    restriction: str = "",
    purpose_domain: str = "",
    purpose_kinds: list[str] | None = None,
) -> Fund:
    """A fund of the actor's gu: the general fund, or one restricted to a purpose. A
    restricted fund says what it pays for in terms a disbursement is checked against: the
    need domain its linkages meet and/or the kinds of linkage."""
    require_hub_staff(actor)
    gus = list(gus_of(actor))
    if len(gus) != 1:
        raise NotFound()
    if not name.strip():
        raise DomainError("name_required", _("Name the fund."), field="name")
    kinds = _check_purpose(purpose_domain, purpose_kinds or [])
    if restriction.strip() and not (purpose_domain or kinds):
        raise DomainError(
            "purpose_required",
            _("Say which need domain or kind of linkage the restricted fund pays for."),
            field="purpose_domain",
        )
    return Fund.objects.create(
        gu=gus[0],
        name=name.strip()[:120],
        restriction=restriction.strip(),
        purpose_domain=purpose_domain,
        purpose_kinds=kinds,
    )


@transaction.atomic
def fund_purpose_set(
    *, actor: User, fund: Fund, purpose_domain: str = "", purpose_kinds: list[str] | None = None
) -> Fund:
    """Say what a restricted fund pays for (a fund created before purposes were checked has
    only its text: it pays for nothing until this is set)."""
    _require_fund(actor, fund)
    kinds = _check_purpose(purpose_domain, purpose_kinds or [])
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    if fund.restriction and not (purpose_domain or kinds):
        raise DomainError(
            "purpose_required",
            _("Say which need domain or kind of linkage the restricted fund pays for."),
            field="purpose_domain",
        )
    fund.purpose_domain, fund.purpose_kinds = purpose_domain, kinds
    fund.save(update_fields=["purpose_domain", "purpose_kinds"])
    return fund


def purpose_refusal(fund: Fund, linkage: Linkage) -> DomainError | None:
    """Why a restricted fund may not pay for this linkage, or None when it may."""
    if not fund.is_restricted:
        return None
    if not (fund.purpose_domain or fund.purpose_kinds):
        return DomainError(
            "purpose_unchecked",
            _(
                "The restricted fund “%(fund)s” does not say which need domain or kind of "
                "linkage it pays for; set its purpose before paying from it."
            )
            % {"fund": fund.name},
            field="fund",
        )
    if fund.purpose_kinds and linkage.kind not in fund.purpose_kinds:
        return DomainError(
            "purpose_mismatch",
            _("The fund “%(fund)s” is restricted to %(purpose)s; it cannot pay for %(kind)s.")
            % {
                "fund": fund.name,
                "purpose": ", ".join(str(Linkage.Kind(k).label) for k in fund.purpose_kinds),
                "kind": linkage.get_kind_display(),
            },
            field="linkage",
        )
    if fund.purpose_domain and linkage.domain != fund.purpose_domain:
        return DomainError(
            "purpose_mismatch",
            _(
                "The fund “%(fund)s” is restricted to the need domain “%(purpose)s”; this "
                "linkage meets “%(domain)s”."
            )
            % {
                "fund": fund.name,
                "purpose": Domain(fund.purpose_domain).label,
                "domain": linkage.get_domain_display() if linkage.domain else _("no domain"),
            },
            field="linkage",
        )
    return None


def fund_balance(fund: Fund) -> int:
    """The sum of the fund's entries: the one definition of its balance."""
    return int(LedgerEntry.objects.filter(fund=fund).aggregate(s=Sum("amount"))["s"] or 0)


@transaction.atomic
def donation_record(
    *,
    actor: User,
    fund: Fund,
    kind: str,
    donor_name: str,
    amount: int,
    received_on: dt.date,
    dong: Area,
    resource: Resource | None = None,
    goods: str = "",
    donor_kind: str = Donation.DonorKind.PERSON,
    donor_number: str = "",
    donor_address: str = "",
) -> Donation:
    """Record a donation with its receipt number (year-sequence). Cash enters the fund's
    ledger; goods are recorded at their value, outside the cash ledger.

    A donation is a resource found by the hub of `dong`, counted by the Ministry's
    indicator once: a resource registered before it (`resource`, e.g. the pledge the
    resource team found) was counted then and is only linked; otherwise the donation is
    registered as a resource (`resources.services.resource_register`, which writes the
    `resource_discovered` event with its value)."""
    _require_fund(actor, fund)
    if dong is None or dong.level != Area.Level.DONG or dong.parent_id != fund.gu_id:
        raise DomainError("dong_required", _("Choose the dong that found it."), field="dong")
    if dong.pk not in set(dong_ids_of(actor)):
        raise NotFound(_("Unknown dong."))
    if resource is not None and not resources_in_reach(actor).filter(pk=resource.pk).exists():
        raise NotFound(_("Unknown resource."))
    if kind not in Donation.Kind.values:
        raise DomainError("invalid_kind", _("Cash or in kind?"), field="kind")
    if donor_kind not in Donation.DonorKind.values:
        raise DomainError("invalid_donor_kind", _("Unknown kind of donor."), field="donor_kind")
    if not donor_name.strip():
        raise DomainError("donor_required", _("Name the donor."), field="donor_name")
    if amount is None or amount <= 0:
        raise DomainError("invalid_amount", _("The amount must be above zero."), field="amount")
    if kind == Donation.Kind.IN_KIND and not goods.strip():
        raise DomainError("goods_required", _("Say what was given."), field="goods")
    _not_future(received_on, "received_on")
    Fund.objects.select_for_update().get(pk=fund.pk)  # one receipt sequence at a time
    prefix = f"{received_on.year}-"
    last = (
        Donation.objects.filter(receipt_no__startswith=prefix, fund__gu_id=fund.gu_id)
        .order_by("-receipt_no")
        .values_list("receipt_no", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    donation = Donation.objects.create(
        fund=fund,
        kind=kind,
        donor_name=donor_name.strip()[:120],
        donor_kind=donor_kind,
        donor_number=donor_number.strip()[:20],
        donor_address=donor_address.strip()[:200],
        amount=amount,
        goods=goods.strip()[:200],
        received_on=received_on,
        receipt_no=f"{prefix}{fund.gu.code[:5]}-{number:05d}",
        recorded_by=actor,
        dong=dong,
    )
    if resource is None:
        resource = resource_register(
            actor=actor,
            dong=dong,
            name=(donation.goods or str(_("cash donation")))[:160],
            kind=Resource.Kind.CASH if kind == Donation.Kind.CASH else Resource.Kind.GOODS,
            amount=amount,
            discovered_on=received_on,
            provider_name=donation.donor_name,
            note=str(_("Donation, receipt %(no)s")) % {"no": donation.receipt_no},
        )
    donation.resource = resource
    donation.save(update_fields=["resource"])
    if kind == Donation.Kind.CASH:
        LedgerEntry.objects.create(
            fund=fund,
            kind=LedgerEntry.Kind.DONATION,
            amount=amount,
            on=received_on,
            donation=donation,
            note=donation.donor_name,
            recorded_by=actor,
        )
    return donation


@transaction.atomic
def disbursement_record(
    *,
    actor: User,
    fund: Fund,
    linkage: Linkage,
    amount: int,
    on: dt.date | None = None,
    note: str = "",
) -> LedgerEntry:
    """Pay a household from a fund for a linkage (a private resource or emergency aid). The
    fund's row is locked for the transaction, so a second disbursement waits and then sees
    the first: the balance never goes below zero."""
    _require_fund(actor, fund)
    if not linkages_visible_to(actor).filter(pk=linkage.pk).exists():
        raise NotFound(_("Unknown linkage."))
    if linkage.kind not in PAYABLE_KINDS:
        raise DomainError(
            "linkage_not_payable",
            _("Only a private resource or emergency aid is paid from the fund."),
            field="linkage",
        )
    if linkage.status in UNPAYABLE_STATUSES:
        raise DomainError(
            "linkage_closed", _("The linkage was declined or withdrawn."), field="linkage"
        )
    if amount is None or amount <= 0:
        raise DomainError("invalid_amount", _("The amount must be above zero."), field="amount")
    on = on or timezone.localdate()
    _not_future(on, "on")
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    refusal = purpose_refusal(fund, linkage)  # its purpose, as it stands under the lock
    if refusal is not None:
        raise refusal
    balance = fund_balance(fund)
    if amount > balance:
        raise DomainError(
            "insufficient_funds",
            _("The fund holds ₩%(balance)s; it cannot pay ₩%(amount)s.")
            % {"balance": f"{balance:,}", "amount": f"{amount:,}"},
            field="amount",
        )
    return LedgerEntry.objects.create(
        fund=fund,
        kind=LedgerEntry.Kind.DISBURSEMENT,
        amount=-amount,
        on=on,
        linkage=linkage,
        note=note.strip()[:200],
        recorded_by=actor,
    )


@transaction.atomic
def sponsorship_start(
    *,
    actor: User,
    household: Household,
    supporter_name: str,
    monthly_amount: int,
    started_on: dt.date,
    review_on: dt.date,
    end_condition: str,
    ends_on: dt.date | None = None,
    supporter_contact: str = "",
    supporter_agrees_to_be_named: bool = False,
    household_agrees_to_know: bool = False,
) -> Sponsorship:
    require_hub_staff(actor)
    household_require_visible(user=actor, household=household)
    if not supporter_name.strip():
        raise DomainError("supporter_required", _("Name the supporter."), field="supporter_name")
    if monthly_amount is None or monthly_amount <= 0:
        raise DomainError(
            "invalid_amount", _("The amount must be above zero."), field="monthly_amount"
        )
    if end_condition not in Sponsorship.EndCondition.values:
        raise DomainError("invalid_end", _("Choose the end condition."), field="end_condition")
    if end_condition == Sponsorship.EndCondition.END_DATE and ends_on is None:
        raise DomainError("end_date_required", _("Give the end date."), field="ends_on")
    if review_on <= started_on:
        raise DomainError(
            "invalid_review", _("The review comes after the start."), field="review_on"
        )
    if ends_on is not None and ends_on <= started_on:
        raise DomainError("invalid_end", _("The end comes after the start."), field="ends_on")
    return Sponsorship.objects.create(
        household=household,
        dong_id=household.dong_id,
        supporter_name=supporter_name.strip()[:120],
        supporter_contact=supporter_contact.strip()[:60],
        monthly_amount=monthly_amount,
        started_on=started_on,
        review_on=review_on,
        end_condition=end_condition,
        ends_on=ends_on,
        supporter_agrees_to_be_named=supporter_agrees_to_be_named,
        household_agrees_to_know=household_agrees_to_know,
        recorded_by=actor,
    )


def _visible_sponsorship(actor: User, sponsorship: Sponsorship) -> Sponsorship:
    require_hub_staff(actor)
    household_require_visible(user=actor, household=sponsorship.household)
    return Sponsorship.objects.select_for_update().get(pk=sponsorship.pk)


@transaction.atomic
def sponsorship_payment_record(
    *, actor: User, sponsorship: Sponsorship, month: dt.date, amount: int, paid_on: dt.date
) -> SponsorshipPayment:
    sponsorship = _visible_sponsorship(actor, sponsorship)
    month = month.replace(day=1)
    if month < sponsorship.started_on.replace(day=1):
        raise DomainError("before_start", _("The sponsorship had not started."), field="month")
    if amount is None or amount <= 0:
        raise DomainError("invalid_amount", _("The amount must be above zero."), field="amount")
    _not_future(paid_on, "paid_on")
    if sponsorship.payments.filter(month=month).exists():
        raise DomainError("already_paid", _("That month is already recorded."), field="month")
    return SponsorshipPayment.objects.create(
        sponsorship=sponsorship, month=month, amount=amount, paid_on=paid_on, recorded_by=actor
    )


@transaction.atomic
def sponsorship_end(*, actor: User, sponsorship: Sponsorship, on: dt.date) -> Sponsorship:
    sponsorship = _visible_sponsorship(actor, sponsorship)
    if sponsorship.status == Sponsorship.Status.ENDED:
        raise DomainError("already_ended", _("The sponsorship has ended."))
    sponsorship.status, sponsorship.ends_on = Sponsorship.Status.ENDED, on
    sponsorship.save(update_fields=["status", "ends_on"])
    return sponsorship
