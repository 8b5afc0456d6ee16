"""Writes on households. Each service runs in one transaction and records the timeline event
that the indicators count."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.errors import DomainError
from maeul.people.identity import (
    blind_index,
    encrypt,
    normalise_address,
    normalise_name,
    normalise_rrn,
)
from maeul.people.models import BenefitReceipt, Household, Resident, TimelineEvent


def event_record(
    *,
    kind: str,
    dong_id: int,
    household: Household | None = None,
    actor: User | None = None,
    subject: object | None = None,
    amount: int | None = None,
    summary: str = "",
    occurred_at: dt.datetime | None = None,
) -> TimelineEvent:
    """Append one event to a household's timeline (or the dong's, for household-less events)."""
    return TimelineEvent.objects.create(
        kind=kind,
        dong_id=dong_id,
        household=household,
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject_type=type(subject).__name__.lower() if subject is not None else "",
        subject_id=getattr(subject, "pk", None),
        amount=amount,
        summary=summary[:300],
        occurred_at=occurred_at or timezone.now(),
    )


def resident_fill(resident: Resident, *, rrn: str | None = None) -> Resident:
    """Set derived fields (name key, encrypted RRN and its blind index) before saving."""
    resident.name_key = normalise_name(resident.name)
    if rrn:
        normal = normalise_rrn(rrn)
        if normal is None:
            raise DomainError(
                "invalid_rrn",
                _("The registration number must look like 900101-1234567."),
                field="rrn",
            )
        resident.rrn_encrypted = encrypt(normal)
        resident.rrn_index = blind_index(normal)
    return resident


@transaction.atomic
def household_register(
    *,
    actor: User | None,
    dong: Area,
    address: str,
    head_name: str,
    address_detail: str = "",
    head_birth_date: dt.date | None = None,
    head_sex: str = "",
    head_rrn: str | None = None,
    phone: str = "",
    tong: Area | None = None,
    lat: float | None = None,
    lon: float | None = None,
    occurred_at: dt.datetime | None = None,
) -> Household:
    """Register a household newly known to the hub, with its head as first member."""
    if dong.level != Area.Level.DONG:
        raise DomainError("invalid_area", _("A household belongs to an eup/myeon/dong."))
    if not address.strip():
        raise DomainError("address_required", _("The address is required."), field="address")
    if not head_name.strip():
        raise DomainError("name_required", _("The name is required."), field="name")
    household = Household.objects.create(
        dong=dong,
        tong=tong,
        address=address.strip(),
        address_detail=address_detail.strip(),
        address_key=normalise_address(f"{address} {address_detail}"),
        phone=phone,
        lat=lat if lat is not None else dong.lat,
        lon=lon if lon is not None else dong.lon,
    )
    head = Resident(
        household=household,
        name=head_name.strip(),
        birth_date=head_birth_date,
        sex=head_sex,
        phone=phone,
        relation=Resident.Relation.HEAD,
    )
    resident_fill(head, rrn=head_rrn)
    head.save()
    event_record(
        kind=TimelineEvent.Kind.HOUSEHOLD_REGISTERED,
        dong_id=dong.pk,
        household=household,
        actor=actor,
        subject=household,
        summary=str(household),
        occurred_at=occurred_at,
    )
    return household


@transaction.atomic
def benefit_start(
    *,
    actor: User | None,
    household: Household,
    programme: str,
    started_on: dt.date,
    resident: Resident | None = None,
    monthly_amount: int | None = None,
) -> BenefitReceipt:
    receipt = BenefitReceipt.objects.create(
        household=household,
        resident=resident,
        programme=programme,
        started_on=started_on,
        monthly_amount=monthly_amount,
    )
    event_record(
        kind=TimelineEvent.Kind.BENEFIT_STARTED,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=receipt,
        amount=monthly_amount,
        summary=receipt.get_programme_display(),
    )
    return receipt
