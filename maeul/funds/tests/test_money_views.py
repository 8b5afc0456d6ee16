"""The money pages: ledger, donation and disbursement forms, the receipt PDF, sponsorships
and the dashboard card."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from maeul.cases.services import linkage_propose
from maeul.funds.models import LedgerEntry
from maeul.funds.services import donation_record, fund_create, sponsorship_start


def test_donate_pay_and_read_the_ledger(client, official, household_a):
    client.force_login(official)
    fund = fund_create(actor=official, name="민간복지기금")
    url = reverse("funds:fund_detail", args=[fund.pk])
    response = client.post(
        url,
        {
            "action": "donation",
            "kind": "cash",
            "donor_name": "망미시장 상인회",
            "donor_kind": "business",
            "amount": "500000",
            "received_on": "2026-11-02",
            "dong": official.home_area_id,
        },
    )
    assert response.status_code == 302
    aid = linkage_propose(
        actor=official, household=household_a, kind="emergency_aid", description="x"
    )
    response = client.post(
        url, {"action": "disburse", "linkage": aid.pk, "amount": "600000", "on": "2026-11-03"}
    )
    assert response.status_code == 400 and "cannot pay" in response.content.decode()
    response = client.post(
        url, {"action": "disburse", "linkage": aid.pk, "amount": "200000", "on": "2026-11-03"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "300,000" in page and LedgerEntry.objects.count() == 2


def test_receipt_is_a_pdf(client, official):
    fund = fund_create(actor=official, name="민간복지기금")
    donation = donation_record(
        actor=official,
        fund=fund,
        kind="cash",
        donor_name="홍길동",
        amount=100_000,
        received_on=dt.date(2026, 11, 2),
        dong=official.home_area,
    )
    client.force_login(official)
    response = client.get(reverse("funds:donation_receipt", args=[donation.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_overdue_sponsorship_shows_on_the_dashboard(client, official, household_a):
    sponsorship_start(
        actor=official,
        household=household_a,
        supporter_name="홍길동",
        monthly_amount=300_000,
        started_on=dt.date(2025, 1, 1),
        review_on=dt.date(2027, 1, 1),
        end_condition="self_reliance",
    )
    client.force_login(official)
    page = client.get(reverse("hub:home")).content.decode()
    assert 'id="card-sponsorships"' in page and "lapsed" in page
    page = client.get(reverse("funds:sponsorships")).content.decode()
    assert "홍길동" in page
