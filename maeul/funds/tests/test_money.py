"""The fund's ledger (balance = sum of entries), donations and receipts, disbursements tied to
a linkage that never overdraw a fund, sponsorships that show when overdue or lapsed."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from maeul.cases.services import linkage_propose
from maeul.errors import DomainError, NotFound
from maeul.funds.models import Donation, LedgerEntry, Sponsorship
from maeul.funds.selectors import fund_ledger, fund_list, sponsorship_states
from maeul.funds.services import (
    disbursement_record,
    donation_record,
    fund_balance,
    fund_create,
    sponsorship_payment_record,
    sponsorship_start,
)

DAY = dt.date(2026, 11, 2)


@pytest.fixture
def fund(official):
    return fund_create(actor=official, name="수영구 민간복지기금", restriction="")


@pytest.fixture
def aid(official, household_a):
    return linkage_propose(
        actor=official, household=household_a, kind="emergency_aid", description="긴급 생계비"
    )


def give(official, fund, amount, **kwargs):
    return donation_record(
        actor=official,
        fund=fund,
        kind="cash",
        donor_name="망미시장 상인회",
        amount=amount,
        received_on=DAY,
        **{"dong": official.home_area, **kwargs},
    )


def test_balance_is_the_sum_of_entries(official, fund, aid):
    give(official, fund, 500_000)
    give(official, fund, 300_000)
    donation_record(
        actor=official,
        fund=fund,
        kind="in_kind",
        donor_name="쌀집",
        amount=200_000,
        goods="쌀 10포",
        received_on=DAY,
        dong=official.home_area,
    )
    disbursement_record(actor=official, fund=fund, linkage=aid, amount=450_000, on=DAY)
    assert fund_balance(fund) == 350_000
    assert fund_list(user=official).get().balance == 350_000
    rows = fund_ledger(user=official, fund=fund)
    assert [b for _e, b in rows] == [500_000, 800_000, 350_000]
    assert [d.receipt_no[-5:] for d in Donation.objects.order_by("id")] == [
        "00001",
        "00002",
        "00003",
    ]


def test_a_disbursement_never_overdraws(official, fund, aid):
    give(official, fund, 100_000)
    with pytest.raises(DomainError) as exc:
        disbursement_record(actor=official, fund=fund, linkage=aid, amount=100_001)
    assert exc.value.code == "insufficient_funds"
    assert LedgerEntry.objects.filter(kind="disbursement").count() == 0


def test_a_disbursement_needs_a_payable_visible_linkage(
    official, official_b, fund, household_a, partner_org, referral_consent
):
    give(official, fund, 100_000)
    referral_consent(household_a)
    referral = linkage_propose(
        actor=official, household=household_a, kind="partner_referral", partner=partner_org
    )
    with pytest.raises(DomainError) as exc:
        disbursement_record(actor=official, fund=fund, linkage=referral, amount=1)
    assert exc.value.code == "linkage_not_payable"
    aid = linkage_propose(
        actor=official, household=household_a, kind="emergency_aid", description="x"
    )
    with pytest.raises(NotFound):
        disbursement_record(actor=official_b, fund=fund, linkage=aid, amount=1)


def test_bad_donations_write_nothing(official, fund):
    for kwargs, code in [
        ({"amount": 0}, "invalid_amount"),
        ({"donor_name": " "}, "donor_required"),
        ({"kind": "in_kind"}, "goods_required"),
        ({"received_on": dt.date(2999, 1, 1)}, "future_date"),
    ]:
        args = {
            "kind": "cash",
            "donor_name": "x",
            "amount": 1,
            "received_on": DAY,
            "dong": official.home_area,
            **kwargs,
        }
        with pytest.raises(DomainError) as exc:
            donation_record(actor=official, fund=fund, **args)
        assert exc.value.code == code
    assert not Donation.objects.exists() and not LedgerEntry.objects.exists()


def test_volunteer_cannot_touch_the_fund(volunteer, fund):
    with pytest.raises(DomainError):
        give(volunteer, fund, 1)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_disbursements_never_overdraw_a_restricted_fund(official, household_a):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) need PostgreSQL; CI runs this there")
    fund = fund_create(
        actor=official, name="장학 기금", restriction="학생 교육비", purpose_domain="education"
    )
    give(official, fund, 100_000)
    aid = linkage_propose(
        actor=official,
        household=household_a,
        kind="emergency_aid",
        description="교육비",
        domain="education",
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pay():
        try:
            barrier.wait()
            disbursement_record(actor=official, fund=fund, linkage=aid, amount=70_000)
            outcomes.append("paid")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["insufficient_funds", "paid"]
    assert fund_balance(fund) == 30_000


def test_sponsorship_overdue_then_lapsed_and_identity(official, household_a):
    s = sponsorship_start(
        actor=official,
        household=household_a,
        supporter_name="홍길동",
        monthly_amount=300_000,
        started_on=dt.date(2026, 8, 1),
        review_on=dt.date(2027, 2, 1),
        end_condition="self_reliance",
    )
    for month in (8, 9):
        sponsorship_payment_record(
            actor=official,
            sponsorship=s,
            month=dt.date(2026, month, 1),
            amount=300_000,
            paid_on=dt.date(2026, month, 5),
        )
    (state,) = sponsorship_states(user=official, today=dt.date(2026, 10, 20))
    assert not state.overdue
    (state,) = sponsorship_states(user=official, today=dt.date(2026, 11, 20))
    assert state.overdue and not state.lapsed
    (state,) = sponsorship_states(user=official, today=dt.date(2026, 12, 20))
    assert state.lapsed
    assert s.supporter_for_household != "홍길동"
    s.supporter_agrees_to_be_named = True
    assert s.supporter_for_household != "홍길동"  # both must agree
    s.household_agrees_to_know = True
    assert s.supporter_for_household == "홍길동"
    with pytest.raises(DomainError):
        sponsorship_payment_record(
            actor=official, sponsorship=s, month=dt.date(2026, 9, 1), amount=1, paid_on=DAY
        )


def test_sponsorship_checks(official, official_b, household_a):
    base = {
        "household": household_a,
        "supporter_name": "x",
        "monthly_amount": 300_000,
        "started_on": DAY,
        "review_on": DAY + dt.timedelta(days=90),
        "end_condition": "self_reliance",
    }
    with pytest.raises(NotFound):
        sponsorship_start(actor=official_b, **base)
    with pytest.raises(DomainError) as exc:
        sponsorship_start(actor=official, **{**base, "review_on": DAY})
    assert exc.value.code == "invalid_review"
    with pytest.raises(DomainError) as exc:
        sponsorship_start(actor=official, **{**base, "end_condition": "end_date"})
    assert exc.value.code == "end_date_required"
    assert not Sponsorship.objects.exists()
