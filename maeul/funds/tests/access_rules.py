"""Access rules of the funds app's pages (the directory and, later, the money pages)."""

from __future__ import annotations

import datetime as dt

from maeul.funds.services import donation_record, fund_create, sponsorship_start
from maeul.people.models import Household
from maeul.resources.models import RosterShift, Service
from tests.access import STAFF, STAFF_PAGE, rule

RULES = {
    "funds:directory": STAFF_PAGE,
    "funds:service_new": STAFF_PAGE,
    "funds:service_detail": rule("service", STAFF),
    "funds:service_edit": rule("service", STAFF),
    "funds:resource_list": STAFF_PAGE,
    "funds:partner_list": STAFF_PAGE,
    "funds:funds": STAFF_PAGE,
    "funds:batch_matching": STAFF_PAGE,
    "funds:household_matches": rule("household", STAFF),
    "funds:fund_detail": rule("fund", STAFF),
    "funds:donation_receipt": rule("donation", STAFF),
    "funds:sponsorships": STAFF_PAGE,
    "funds:sponsorship_payment": rule("sponsorship", method="POST"),
    "funds:service_roster": rule("service", STAFF),
    "funds:roster_shift_remove": rule("service", method="POST"),
    "funds:campaign_matching": rule("campaign", STAFF),
}
PARAMS = {
    "service_id": "service",
    "fund_id": "fund",
    "donation_id": "donation",
    "sponsorship_id": "sponsorship",
}


def build(scope: dict, *, dong, actor, partner, marker) -> None:
    service = Service.objects.create(
        organization=partner,
        area=dong,
        name=f"{marker}밑반찬",
        description=f"{marker}설명",
        domains=["daily_living"],
        kind=Service.Kind.VOLUNTEER,
    )
    RosterShift.objects.create(service=service, volunteer_name=f"{marker}봉사단", weekdays=[0])
    scope["service"] = service.pk
    fund = fund_create(actor=actor, name=f"{marker}기금")
    donation = donation_record(
        actor=actor,
        fund=fund,
        kind="cash",
        donor_name=f"{marker}기부자",
        amount=100_000,
        received_on=dt.date(2026, 11, 2),
        dong=dong,
    )
    household = Household.objects.get(pk=scope["household"])
    sponsorship = sponsorship_start(
        actor=actor,
        household=household,
        supporter_name=f"{marker}후원자",
        monthly_amount=300_000,
        started_on=dt.date(2026, 8, 1),
        review_on=dt.date(2027, 2, 1),
        end_condition="self_reliance",
    )
    scope.update(fund=fund.pk, donation=donation.pk, sponsorship=sponsorship.pk)
