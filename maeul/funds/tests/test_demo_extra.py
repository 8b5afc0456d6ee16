"""The demo's directory builder (maeul/demo/extra_funds.py) on a small organisation."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from maeul.accounts.models import SafetyNetMember
from maeul.demo import extra_funds
from maeul.funds.models import Donation, Fund
from maeul.funds.services import fund_balance
from maeul.people.models import TimelineEvent
from maeul.resources.models import Agreement, Service
from tests.factories import PartnerFactory


def org_of(partners, gu, dong, gu_user, safety_net):
    return SimpleNamespace(
        partners=partners,
        gu=gu,
        dongs=[dong],
        safety_net=safety_net,
        gu_staff=[SimpleNamespace(user=gu_user)],
    )


def test_builds_agreements_and_services(gu_user, gu, dong_a):
    partners = [
        PartnerFactory(area=dong_a, kind="welfare_centre", mou_signed_on=dt.date(2024, 1, 1)),
        PartnerFactory(area=gu, kind="food_bank", mou_signed_on=None),
    ]
    member = SafetyNetMember.objects.create(
        name="김통장", dong=dong_a, team="resource", joined_on=dt.date(2025, 1, 1)
    )
    org = org_of(partners, gu, dong_a, gu_user, {0: [member]})
    counts = extra_funds.build(seed=1, today=dt.date(2026, 11, 23), org=org, scale=1.0)
    assert counts["directory_services"] == 4 and counts["mou_agreements"] == 2
    assert counts["donations"] >= 39 and fund_balance(Fund.objects.get(restriction="")) > 0
    assert Agreement.objects.count() == 2 and Service.objects.count() == 4
    dure = Service.objects.get(area=gu, kind="volunteer")
    assert {s.who for s in dure.shifts.all()} == {"두레 봉사단 1조", "두레 봉사단 2조", "김통장"}
    assert Fund.objects.get(restriction__gt="").purpose_domain == "education"
    # Every donation is a resource found in its dong, counted once with its value.
    events = TimelineEvent.objects.filter(kind=TimelineEvent.Kind.RESOURCE_DISCOVERED)
    assert events.count() == counts["donations"]
    assert sum(e.amount for e in events) == sum(d.amount for d in Donation.objects.all())


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
    org = org_of([partner_org], gu, dong_a, gu_user, {})
    extra_funds.build(seed=1, today=dt.date(2026, 11, 23), org=org, scale=1.0)
    states = set(Linkage.objects.values_list("status", flat=True))
    assert states == {"proposed", "accepted", "returned", "withdrawn"}
