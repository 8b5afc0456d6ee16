"""Reads of the funds, their ledgers and sponsorships, from the acting user: a fund is the
gu's (hub staff of the gu's dongs see it); a sponsorship is read through its household."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.errors import NotFound
from maeul.funds.models import Donation, Fund, LedgerEntry, Sponsorship, SponsorshipPayment
from maeul.people.selectors import dong_ids_of, households_visible_to


def gus_of(user: User) -> QuerySet[Area]:
    if not user.is_authenticated or not user.is_hub_staff:
        return Area.objects.none()
    return Area.objects.filter(
        pk__in=Area.objects.filter(pk__in=dong_ids_of(user)).values("parent_id")
    )


def funds_visible_to(user: User) -> QuerySet[Fund]:
    return Fund.objects.filter(gu__in=gus_of(user))


def fund_list(*, user: User) -> QuerySet[Fund]:
    return funds_visible_to(user).annotate(balance=Coalesce(Sum("entries__amount"), 0))


def fund_get(*, user: User, fund_id: int) -> Fund:
    fund = fund_list(user=user).filter(pk=fund_id).first()
    if fund is None:
        raise NotFound()
    return fund


def fund_ledger(*, user: User, fund: Fund) -> list[tuple[LedgerEntry, int]]:
    """The fund's entries in order, each with the balance after it."""
    entries = (
        LedgerEntry.objects.filter(fund__in=funds_visible_to(user), fund=fund)
        .select_related("donation", "linkage", "linkage__household", "recorded_by")
        .order_by("on", "id")
    )
    rows, running = [], 0
    for entry in entries:
        running += entry.amount
        rows.append((entry, running))
    return rows


def donations_visible_to(user: User) -> QuerySet[Donation]:
    return Donation.objects.filter(fund__in=funds_visible_to(user)).select_related(
        "fund", "fund__gu"
    )


def donation_get(*, user: User, donation_id: int) -> Donation:
    donation = donations_visible_to(user).filter(pk=donation_id).first()
    if donation is None:
        raise NotFound()
    return donation


def sponsorships_visible_to(user: User) -> QuerySet[Sponsorship]:
    if not user.is_authenticated or not user.is_hub_staff:
        return Sponsorship.objects.none()
    return Sponsorship.objects.filter(household__in=households_visible_to(user))


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _previous_month(day: dt.date) -> dt.date:
    return (_month_start(day) - dt.timedelta(days=1)).replace(day=1)


@dataclass
class SponsorshipState:
    sponsorship: Sponsorship
    overdue: bool  # last month unpaid
    lapsed: bool  # the last two months unpaid
    review_due: bool
    last_paid: dt.date | None


def sponsorship_states(*, user: User, today: dt.date) -> list[SponsorshipState]:
    """Active sponsorships with what needs attention: last month unpaid (overdue), the last
    two months unpaid (lapsed), the review date reached."""
    active = (
        sponsorships_visible_to(user)
        .filter(status=Sponsorship.Status.ACTIVE)
        .select_related("household", "dong")
        .prefetch_related(
            "household__members",
            Prefetch("payments", queryset=SponsorshipPayment.objects.order_by("-month")),
        )
        .order_by("review_on", "id")
    )
    last_month = _previous_month(today)
    month_before = _previous_month(last_month)
    states = []
    for s in active:
        months = {p.month for p in s.payments.all()}
        started = _month_start(s.started_on)
        overdue = started <= last_month and last_month not in months
        lapsed = overdue and started <= month_before and month_before not in months
        paid = [p.paid_on for p in s.payments.all()]
        states.append(
            SponsorshipState(
                sponsorship=s,
                overdue=overdue,
                lapsed=lapsed,
                review_due=s.review_on <= today,
                last_paid=max(paid) if paid else None,
            )
        )
    return states
