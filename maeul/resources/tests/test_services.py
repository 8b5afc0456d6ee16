"""Registering a found resource counts in the Ministry's indicator; the directory's services
are kept within the user's reach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from maeul.errors import DomainError, NotFound
from maeul.indicators.selectors import indicator_values
from maeul.people.models import TimelineEvent
from maeul.resources.models import Resource, Service
from maeul.resources.selectors import service_search, services_in_reach
from maeul.resources.services import agreement_add, resource_register, service_save
from tests.factories import PartnerFactory


def test_registered_resource_is_counted_by_the_indicator(official, dong_a, gu):
    today = timezone.localdate()
    resource_register(
        actor=official, dong=dong_a, name="쌀 20kg 50포", kind="goods", amount=2_500_000
    )
    event = TimelineEvent.objects.get(kind=TimelineEvent.Kind.RESOURCE_DISCOVERED)
    assert event.dong_id == dong_a.pk and event.amount == 2_500_000
    values = indicator_values(gu=gu, start=today - dt.timedelta(days=1), end=today)
    assert values[dong_a.pk]["resources"] == 1
    assert values[dong_a.pk]["resource_amount"] == 2_500_000


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"name": " "}, "name_required"),
        ({"kind": "gold"}, "invalid_kind"),
        ({"amount": -1}, "invalid_amount"),
        ({"discovered_on": dt.date(2999, 1, 1)}, "future_date"),
    ],
)
def test_bad_resource_is_refused_and_nothing_written(official, dong_a, kwargs, code):
    args = {"name": "후원", "kind": "cash", "amount": 10_000, **kwargs}
    with pytest.raises(DomainError) as exc:
        resource_register(actor=official, dong=dong_a, **args)
    assert exc.value.code == code
    assert not Resource.objects.exists() and not TimelineEvent.objects.exists()


def test_resource_in_another_dong_is_refused(official, dong_b, volunteer, dong_a):
    with pytest.raises(NotFound):
        resource_register(actor=official, dong=dong_b, name="후원", kind="cash")
    with pytest.raises(DomainError):
        resource_register(actor=volunteer, dong=dong_a, name="후원", kind="cash")


def test_service_kept_within_reach(official, official_b, partner_org, dong_a, dong_b):
    service = service_save(
        actor=official,
        organization=partner_org,
        area=dong_a,
        name="이미용 봉사",
        kind=Service.Kind.TALENT,
        domains=["daily_living"],
        documents=["신분증", "신분증", " "],
    )
    assert list(service.documents.values_list("document", flat=True)) == ["신분증"]
    assert list(service_search(user=official, domain="daily_living")) == [service]
    assert list(service_search(user=official, domain="housing")) == []
    assert list(service_search(user=official, q="이미용")) == [service]
    assert not services_in_reach(official_b).exists()
    with pytest.raises(NotFound):
        service_save(
            actor=official_b, service=service, organization=partner_org, area=dong_b, name="x"
        )
    other = PartnerFactory(area=dong_b)
    with pytest.raises(NotFound):
        service_save(actor=official, organization=other, area=dong_a, name="x")


def test_service_checks(official, partner_org, dong_a):
    with pytest.raises(DomainError) as exc:
        service_save(
            actor=official,
            organization=partner_org,
            area=dong_a,
            name="x",
            minimum_age=70,
            maximum_age=60,
        )
    assert exc.value.code == "invalid_ages"
    with pytest.raises(DomainError) as exc:
        service_save(
            actor=official, organization=partner_org, area=dong_a, name="x", domains=["magic"]
        )
    assert exc.value.code == "invalid_domain"
    assert not Service.objects.exists()


def test_agreement(official, partner_org):
    with pytest.raises(DomainError):
        agreement_add(
            actor=official,
            partner=partner_org,
            scope="밑반찬",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2025, 1, 1),
        )
    agreement_add(
        actor=official, partner=partner_org, scope="밑반찬", starts_on=dt.date(2026, 1, 1)
    )
    partner_org.refresh_from_db()
    assert partner_org.mou_signed_on == dt.date(2026, 1, 1)
