"""The fund ledger's invariants, for `manage.py check_integrity` (collected by
`maeul.hub.integrity`): each fund's ledger balances (one entry per cash donation, of its
amount and fund; no entry for goods; the balance is the sum of the entries), no restricted
fund below zero, every disbursement tied to a linkage that may be paid."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, Sum

from maeul.cases.models import Linkage
from maeul.funds.models import Donation, Fund, LedgerEntry

PAYABLE_KINDS = (Linkage.Kind.PRIVATE_RESOURCE, Linkage.Kind.EMERGENCY_AID)


def ledger_balances() -> list[str]:
    """Every cash donation has its one ledger entry, of its amount, in its fund; goods have
    none; every donation entry names a donation; the fund's balance (the sum of its entries)
    is what came in less what went out."""
    problems = []
    missing = (
        Donation.objects.filter(kind=Donation.Kind.CASH)
        .exclude(Exists(LedgerEntry.objects.filter(donation_id=OuterRef("pk"))))
        .count()
    )
    if missing:
        problems.append(f"{missing} cash donations have no ledger entry")
    wrong = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.DONATION).filter(
        ~Q(amount=F("donation__amount"))
        | ~Q(fund_id=F("donation__fund_id"))
        | Q(donation__kind=Donation.Kind.IN_KIND)
        | Q(donation__isnull=True)
    )
    for entry in wrong.order_by("id")[:20]:
        problems.append(
            f"ledger entry {entry.pk} of fund {entry.fund_id} does not match its donation"
            f" {entry.donation_id}"
        )
    for fund in Fund.objects.order_by("id"):
        sums = LedgerEntry.objects.filter(fund=fund).aggregate(
            total=Sum("amount"),
            came_in=Sum("amount", filter=Q(kind=LedgerEntry.Kind.DONATION)),
            went_out=Sum("amount", filter=Q(kind=LedgerEntry.Kind.DISBURSEMENT)),
        )
        total, came_in, went_out = (int(sums[k] or 0) for k in ("total", "came_in", "went_out"))
        if total != came_in + went_out:  # an entry of neither kind, or a sign flipped
            problems.append(
                f"fund {fund.pk} ({fund.name}): entries sum to {total:,}, in {came_in:,} less"
                f" out {-went_out:,}"
            )
        bad_sign = LedgerEntry.objects.filter(fund=fund).filter(
            Q(kind=LedgerEntry.Kind.DONATION, amount__lte=0)
            | Q(kind=LedgerEntry.Kind.DISBURSEMENT, amount__gte=0)
        )
        if bad_sign.exists():
            problems.append(
                f"fund {fund.pk} ({fund.name}): {bad_sign.count()} entries carry the wrong sign"
            )
    return problems


def restricted_not_below_zero() -> list[str]:
    """A restricted fund is never overdrawn (nor any other: the row lock prevents it)."""
    problems = []
    for fund in Fund.objects.order_by("id"):
        total = int(LedgerEntry.objects.filter(fund=fund).aggregate(s=Sum("amount"))["s"] or 0)
        if total < 0:
            what = "restricted fund" if fund.is_restricted else "fund"
            problems.append(f"{what} {fund.pk} ({fund.name}) is below zero: {total:,}")
    return problems


def disbursements_tied() -> list[str]:
    """Every disbursement pays for a linkage of a kind the fund pays (a private resource or
    emergency aid)."""
    problems = []
    untied = LedgerEntry.objects.filter(
        kind=LedgerEntry.Kind.DISBURSEMENT, linkage__isnull=True
    ).count()
    if untied:
        problems.append(f"{untied} disbursements are tied to no linkage")
    unpayable = (
        LedgerEntry.objects.filter(kind=LedgerEntry.Kind.DISBURSEMENT, linkage__isnull=False)
        .exclude(linkage__kind__in=PAYABLE_KINDS)
        .count()
    )
    if unpayable:
        problems.append(f"{unpayable} disbursements pay for a linkage the fund does not pay")
    return problems


CHECKS = (ledger_balances, restricted_not_below_zero, disbursements_tied)


def checks() -> list[str]:
    """Every check of the fund ledger; empty when all hold."""
    return [problem for check in CHECKS for problem in check()]
