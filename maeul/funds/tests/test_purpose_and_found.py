"""A restricted fund pays only for linkages that meet its purpose; a donation counts once as
a resource found in the Ministry's indicator, like a resource registered on its page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from maeul.cases.services import linkage_propose
from maeul.errors import DomainError, NotFound
from maeul.funds.models import Donation, Fund, LedgerEntry
from maeul.funds.services import (
    disbursement_record,
    donation_record,
    fund_balance,
    fund_create,
    fund_purpose_set,
)
from maeul.indicators.selectors import indicator_values
from maeul.people.models import TimelineEvent
from maeul.resources.models import Resource
from maeul.resources.services import resource_register

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)
FOUND = TimelineEvent.Kind.RESOURCE_DISCOVERED


def give(official, fund, amount, **kw):
    args = {
        "actor": official,
        "fund": fund,
        "kind": "cash",
        "donor_name": "망미시장 상인회",
        "amount": amount,
        "received_on": DAY,
        "dong": official.home_area,
        **kw,
    }
    return donation_record(**args)


def aid(official, household, **kw):
    return linkage_propose(
        actor=official, household=household, kind="emergency_aid", description="x", **kw
    )


@pytest.fixture
def education_fund(official):
    fund = fund_create(
        actor=official,
        name="교육 지정기금",
        restriction="아동·청소년 교육비",
        purpose_domain="education",
        purpose_kinds=["emergency_aid"],
    )
    give(official, fund, 500_000)
    return fund


def test_a_restricted_fund_pays_only_a_linkage_of_its_purpose(
    official, household_a, education_fund
):
    rent = aid(official, household_a, domain="housing")
    with pytest.raises(DomainError) as exc:
        disbursement_record(actor=official, fund=education_fund, linkage=rent, amount=100_000)
    assert exc.value.code == "purpose_mismatch" and exc.value.field == "linkage"
    assert "교육" in str(exc.value.message) or "education" in str(exc.value.message)
    undeclared = aid(official, household_a)  # no need domain said
    with pytest.raises(DomainError) as exc:
        disbursement_record(actor=official, fund=education_fund, linkage=undeclared, amount=1)
    assert exc.value.code == "purpose_mismatch"
    resource = linkage_propose(
        actor=official,
        household=household_a,
        kind="private_resource",
        description="학원비",
        domain="education",
    )
    with pytest.raises(DomainError) as exc:  # the right need, the wrong kind of linkage
        disbursement_record(actor=official, fund=education_fund, linkage=resource, amount=1)
    assert exc.value.code == "purpose_mismatch"
    assert not LedgerEntry.objects.filter(kind="disbursement").exists()
    assert fund_balance(education_fund) == 500_000
    school = aid(official, household_a, domain="education")
    disbursement_record(actor=official, fund=education_fund, linkage=school, amount=100_000)
    assert fund_balance(education_fund) == 400_000


def test_the_general_fund_pays_any_payable_linkage(official, household_a):
    general = fund_create(actor=official, name="민간복지기금")
    give(official, general, 100_000)
    disbursement_record(
        actor=official, fund=general, linkage=aid(official, household_a), amount=10_000
    )
    assert fund_balance(general) == 90_000


def test_a_restricted_fund_must_say_what_it_pays_for(official, household_a):
    with pytest.raises(DomainError) as exc:
        fund_create(actor=official, name="지정기금", restriction="무엇인가")
    assert exc.value.code == "purpose_required"
    with pytest.raises(DomainError):
        fund_create(actor=official, name="x", restriction="y", purpose_domain="magic")
    with pytest.raises(DomainError):
        fund_create(actor=official, name="x", restriction="y", purpose_kinds=["public_benefit"])
    assert not Fund.objects.exists()
    # A fund restricted before purposes were checked pays nothing until its purpose is set.
    legacy = Fund.objects.create(gu=household_a.dong.parent, name="옛 기금", restriction="장학")
    give(official, legacy, 50_000)
    linkage = aid(official, household_a, domain="education")
    with pytest.raises(DomainError) as exc:
        disbursement_record(actor=official, fund=legacy, linkage=linkage, amount=1)
    assert exc.value.code == "purpose_unchecked"
    fund_purpose_set(actor=official, fund=legacy, purpose_domain="education")
    disbursement_record(actor=official, fund=legacy, linkage=linkage, amount=1)
    assert fund_balance(legacy) == 49_999


def test_the_page_shows_the_purpose_refusal(client, official, household_a, education_fund):
    rent = aid(official, household_a, domain="housing")
    client.force_login(official)
    url = reverse("funds:fund_detail", args=[education_fund.pk])
    response = client.post(
        url, {"action": "disburse", "linkage": rent.pk, "amount": "1000", "on": "2026-11-03"}
    )
    assert response.status_code == 400
    assert response.context["pay_form"].errors["linkage"]
    assert not LedgerEntry.objects.filter(kind="disbursement").exists()


# --- donations are resources found ------------------------------------------------------


def found(dong):
    events = TimelineEvent.objects.filter(kind=FOUND, dong=dong)
    return events.count(), sum(e.amount or 0 for e in events)


def test_a_donation_counts_as_a_resource_found_with_its_value(official, dong_a, gu):
    general = fund_create(actor=official, name="민간복지기금")
    give(official, general, 300_000)
    donation_record(
        actor=official,
        fund=general,
        kind="in_kind",
        donor_name="쌀집",
        amount=200_000,
        goods="쌀 10포",
        received_on=DAY,
        dong=dong_a,
    )
    assert found(dong_a) == (2, 500_000)
    kinds = set(Resource.objects.values_list("kind", flat=True))
    assert kinds == {"cash", "goods"}
    assert all(d.resource_id for d in Donation.objects.all())
    values = indicator_values(gu=gu, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    assert values[dong_a.pk]["resources"] == 2
    assert values[dong_a.pk]["resource_amount"] == 500_000
    assert values[None]["resource_amount"] == 500_000


def test_a_donation_of_a_resource_already_registered_is_not_counted_twice(official, dong_a):
    pledge = resource_register(
        actor=official,
        dong=dong_a,
        name="상인회 정기 기부",
        kind="cash",
        amount=1_200_000,
        discovered_on=dt.date(2026, 10, 1),
    )
    general = fund_create(actor=official, name="민간복지기금")
    give(official, general, 100_000, resource=pledge)
    give(official, general, 100_000, resource=pledge)
    assert found(dong_a) == (1, 1_200_000)
    assert Resource.objects.count() == 1
    assert fund_balance(general) == 200_000


def test_a_donation_needs_the_dong_that_found_it_and_writes_nothing_else(
    official, official_b, dong_a, dong_b
):
    general = fund_create(actor=official, name="민간복지기금")
    with pytest.raises(DomainError) as exc:
        give(official, general, 1_000, dong=None)
    assert exc.value.code == "dong_required"
    with pytest.raises(NotFound):  # another dong than hers
        give(official, general, 1_000, dong=dong_b)
    other = resource_register(actor=official_b, dong=dong_b, name="b", kind="cash", amount=1)
    with pytest.raises(NotFound):  # a resource out of her reach
        give(official, general, 1_000, resource=other)
    with pytest.raises(DomainError):
        give(official, general, 0)
    assert not Donation.objects.exists() and not LedgerEntry.objects.exists()
    assert found(dong_a) == (0, 0)
