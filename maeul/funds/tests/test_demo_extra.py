"""The demo's directory builder (maeul/demo/extra_funds.py) on a small organisation."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from maeul.demo import extra_funds
from maeul.funds.models import Fund
from maeul.funds.services import fund_balance
from maeul.resources.models import Agreement, Service
from tests.factories import PartnerFactory


def test_builds_agreements_and_services(gu_user, gu, dong_a):
    partners = [
        PartnerFactory(area=dong_a, kind="welfare_centre", mou_signed_on=dt.date(2024, 1, 1)),
        PartnerFactory(area=gu, kind="food_bank", mou_signed_on=None),
    ]
    org = SimpleNamespace(partners=partners, gu=gu, gu_staff=[SimpleNamespace(user=gu_user)])
    counts = extra_funds.build(seed=1, today=dt.date(2026, 11, 23), org=org, scale=1.0)
    assert counts["directory_services"] == 4 and counts["mou_agreements"] == 2
    assert counts["donations"] >= 39 and fund_balance(Fund.objects.get(restriction="")) > 0
    assert Agreement.objects.count() == 2 and Service.objects.count() == 4
    assert Service.objects.filter(area=gu, kind="volunteer").exists()


def test_moves_open_referrals_through_every_state(
    gu_user, gu, dong_a, official, partner_org, partner_user, household_a, referral_consent
):
    from maeul.cases.models import Linkage
    from maeul.cases.services import linkage_propose

    referral_consent(household_a)
    for _ in range(4):
        linkage_propose(
            actor=official, household=household_a, kind="partner_referral", partner=partner_org
        )
    org = SimpleNamespace(partners=[partner_org], gu=gu, gu_staff=[SimpleNamespace(user=gu_user)])
    extra_funds.build(seed=1, today=dt.date(2026, 11, 23), org=org, scale=1.0)
    states = set(Linkage.objects.values_list("status", flat=True))
    assert states == {"proposed", "accepted", "returned", "withdrawn"}
