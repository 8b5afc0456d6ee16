"""factory_boy factories for the whole project: areas, users per role, households."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from maeul.accounts.models import Role, User
from maeul.areas.models import Area, Hub
from maeul.people.models import Household, Resident
from maeul.resources.models import PartnerInstitution
from maeul.text import normalise_address, normalise_name

PASSWORD = "maeul-test-pass"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"99{n:08d}")
    name = factory.Sequence(lambda n: f"시험{n}동")
    name_en = factory.Sequence(lambda n: f"Test-{n}-dong")
    level = Area.Level.DONG
    lat = 35.16
    lon = 129.11


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    dong = factory.SubFactory(AreaFactory)
    opened_on = dt.date(2025, 7, 1)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerInstitution

    name = factory.Sequence(lambda n: f"협력기관 {n}")
    kind = PartnerInstitution.Kind.WELFARE_CENTRE
    area = factory.SubFactory(AreaFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"직원{n}")
    role = Role.WELFARE_OFFICIAL
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household
        skip_postgeneration_save = True

    dong = factory.SubFactory(AreaFactory)
    address = factory.Sequence(lambda n: f"부산광역시 수영구 시험로 {n}")
    address_detail = ""
    address_key = factory.LazyAttribute(
        lambda o: normalise_address(f"{o.address} {o.address_detail}")
    )
    care_notes = "혼자 지내심, 주 1회 안부 확인"

    @factory.post_generation
    def head(obj, create, extracted, **kwargs):  # noqa: N805
        if not create:
            return
        name = extracted or "김영희"
        Resident.objects.create(
            household=obj,
            name=name,
            name_key=normalise_name(name),
            birth_date=dt.date(1950, 3, 1),
            sex=Resident.Sex.FEMALE,
            relation=Resident.Relation.HEAD,
        )


def now() -> dt.datetime:
    return timezone.now()
