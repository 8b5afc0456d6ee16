"""Writes on the directory and the local resources found: registering a resource records the
`resource_discovered` event the Ministry's indicator counts (with its value); services of the
directory are kept by hub staff within their reach."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import SafetyNetMember, User
from maeul.accounts.permissions import require_hub_staff
from maeul.areas.models import Area
from maeul.errors import DomainError, NotFound
from maeul.people.models import Domain, TimelineEvent
from maeul.people.selectors import dong_ids_of
from maeul.people.services import event_record
from maeul.resources.models import (
    Agreement,
    Location,
    PartnerInstitution,
    RequiredDocument,
    Resource,
    RosterShift,
    Service,
)
from maeul.resources.selectors import areas_in_reach, partners_in_reach, services_in_reach


@transaction.atomic
def resource_register(
    *,
    actor: User,
    dong: Area,
    name: str,
    kind: str,
    amount: int = 0,
    discovered_on: dt.date | None = None,
    provider_name: str = "",
    partner: PartnerInstitution | None = None,
    note: str = "",
) -> Resource:
    """Record a local resource the hub found (a donation, a sponsor, a service) with its value
    in KRW, and the `resource_discovered` event of its dong that the indicator counts."""
    require_hub_staff(actor)
    if dong.level != Area.Level.DONG or dong.pk not in set(dong_ids_of(actor)):
        raise NotFound(_("Unknown dong."))
    if partner is not None and not partners_in_reach(actor).filter(pk=partner.pk).exists():
        raise NotFound(_("Unknown partner."))
    if not name.strip():
        raise DomainError("name_required", _("Name the resource."), field="name")
    if kind not in Resource.Kind.values:
        raise DomainError("invalid_kind", _("Choose the kind of resource."), field="kind")
    if amount is None or amount < 0:
        raise DomainError("invalid_amount", _("The value cannot be negative."), field="amount")
    today = timezone.localdate()
    discovered_on = discovered_on or today
    if discovered_on > today:
        raise DomainError(
            "future_date", _("A resource cannot be found in the future."), field="discovered_on"
        )
    resource = Resource.objects.create(
        dong=dong,
        name=name.strip()[:160],
        kind=kind,
        partner=partner,
        provider_name=provider_name.strip()[:120],
        amount=amount,
        discovered_on=discovered_on,
        discovered_by=actor,
        note=note.strip(),
    )
    at = timezone.now()
    if discovered_on != today:
        at = dt.datetime.combine(discovered_on, dt.time(12), tzinfo=timezone.get_current_timezone())
    event_record(
        kind=TimelineEvent.Kind.RESOURCE_DISCOVERED,
        dong_id=dong.pk,
        actor=actor,
        subject=resource,
        amount=amount,
        summary=f"{resource.get_kind_display()} · {resource.name}",
        occurred_at=at,
    )
    return resource


def _check_service_fields(
    *,
    name: str,
    domains: list[str],
    status: str,
    kind: str,
    minimum_age: int | None,
    maximum_age: int | None,
    places_per_month: int | None,
    budget_left: int | None,
) -> None:
    if not name.strip():
        raise DomainError("name_required", _("Name the service."), field="name")
    unknown = [d for d in domains if d not in Domain.values]
    if unknown:
        raise DomainError("invalid_domain", _("Unknown need domain."), field="domains")
    if status not in Service.Status.values:
        raise DomainError("invalid_status", _("Unknown status."), field="status")
    if kind not in Service.Kind.values:
        raise DomainError("invalid_kind", _("Choose the kind of service."), field="kind")
    if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age:
        raise DomainError(
            "invalid_ages",
            _("The minimum age is above the maximum age."),
            field="maximum_age",
        )
    if places_per_month is not None and places_per_month < 0:
        raise DomainError(
            "invalid_places", _("Places cannot be negative."), field="places_per_month"
        )
    if budget_left is not None and budget_left < 0:
        raise DomainError(
            "invalid_budget", _("The budget cannot be negative."), field="budget_left"
        )


@transaction.atomic
def service_save(
    *,
    actor: User,
    service: Service | None = None,
    organization: PartnerInstitution,
    area: Area,
    name: str,
    name_en: str = "",
    description: str = "",
    kind: str = Service.Kind.SERVICE,
    status: str = Service.Status.ACTIVE,
    domains: list[str] | None = None,
    eligibility_description: str = "",
    minimum_age: int | None = None,
    maximum_age: int | None = None,
    application_process: str = "",
    places_per_month: int | None = None,
    budget_left: int | None = None,
    documents: list[str] | None = None,
    locations: list[Location] | None = None,
) -> Service:
    """Add a service to the directory or change one (hub staff, within their reach: the
    organisation among their partners, the area one of their dongs or their gu). The required
    documents are replaced by `documents` (one per line in the form)."""
    require_hub_staff(actor)
    if service is not None and not services_in_reach(actor).filter(pk=service.pk).exists():
        raise NotFound()
    if not partners_in_reach(actor).filter(pk=organization.pk).exists():
        raise NotFound(_("Unknown partner."))
    if not areas_in_reach(actor).filter(pk=area.pk).exists():
        raise NotFound(_("Unknown area."))
    domains = list(dict.fromkeys(domains or []))
    _check_service_fields(
        name=name,
        domains=domains,
        status=status,
        kind=kind,
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        places_per_month=places_per_month,
        budget_left=budget_left,
    )
    locations = list(locations or [])
    if any(loc.organization_id != organization.pk for loc in locations):
        raise DomainError(
            "invalid_location", _("A location of another organisation."), field="locations"
        )
    fields = {
        "organization": organization,
        "area": area,
        "name": name.strip()[:160],
        "name_en": name_en.strip()[:160],
        "description": description.strip(),
        "kind": kind,
        "status": status,
        "domains": [d for d in Domain.values if d in domains],
        "eligibility_description": eligibility_description.strip(),
        "minimum_age": minimum_age,
        "maximum_age": maximum_age,
        "application_process": application_process.strip(),
        "places_per_month": places_per_month,
        "budget_left": budget_left,
    }
    if service is None:
        service = Service.objects.create(registered_by=actor, **fields)
    else:
        service = Service.objects.select_for_update().get(pk=service.pk)
        for key, value in fields.items():
            setattr(service, key, value)
        service.save()
    if documents is not None:
        wanted = [d.strip()[:200] for d in documents if d.strip()]
        service.documents.exclude(document__in=wanted).delete()
        have = set(service.documents.values_list("document", flat=True))
        RequiredDocument.objects.bulk_create(
            RequiredDocument(service=service, document=d)
            for d in dict.fromkeys(wanted)
            if d not in have
        )
    service.locations.set(locations)
    return service


@transaction.atomic
def agreement_add(
    *,
    actor: User,
    partner: PartnerInstitution,
    scope: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
) -> Agreement:
    """Record an MOU of a partner in the actor's reach: what it does, from when to when."""
    require_hub_staff(actor)
    if not partners_in_reach(actor).filter(pk=partner.pk).exists():
        raise NotFound(_("Unknown partner."))
    if not scope.strip():
        raise DomainError("scope_required", _("Say what the partner undertakes."), field="scope")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("invalid_dates", _("The MOU ends before it starts."), field="ends_on")
    agreement = Agreement.objects.create(
        partner=partner, scope=scope.strip()[:300], starts_on=starts_on, ends_on=ends_on
    )
    if partner.mou_signed_on is None or starts_on < partner.mou_signed_on:
        PartnerInstitution.objects.filter(pk=partner.pk).update(mou_signed_on=starts_on)
    return agreement


@transaction.atomic
def roster_shift_add(
    *,
    actor: User,
    service: Service,
    member: SafetyNetMember | None = None,
    volunteer_name: str = "",
    phone: str = "",
    weekdays: list[int] | None = None,
    starts_at: dt.time | None = None,
    ends_at: dt.time | None = None,
    from_on: dt.date | None = None,
    until_on: dt.date | None = None,
    note: str = "",
) -> RosterShift:
    """Put someone on the roster of a talent donation or volunteer service in the actor's
    reach: a member of the safety net of one of the actor's dongs, or a named volunteer (or
    group) outside it, on some weekdays (none: on call), hours and dates."""
    require_hub_staff(actor)
    if not services_in_reach(actor).filter(pk=service.pk).exists():
        raise NotFound()
    service = Service.objects.select_for_update().get(pk=service.pk)
    if not service.has_roster:
        raise DomainError(
            "no_roster",
            _("Only a talent donation or a volunteer service has a roster."),
            field="service",
        )
    if member is not None and not (
        member.dong_id in set(dong_ids_of(actor)) and member.left_on is None
    ):
        raise NotFound(_("Unknown safety-net member."))
    volunteer_name = volunteer_name.strip()[:120]
    if member is None and not volunteer_name:
        raise DomainError(
            "who_required",
            _("Choose a safety-net member or name the volunteer."),
            field="member",
        )
    days = sorted(set(weekdays or []))
    if any(not isinstance(d, int) or not 0 <= d <= 6 for d in days):
        raise DomainError("invalid_weekday", _("Unknown weekday."), field="weekdays")
    if ends_at is not None and starts_at is None:
        raise DomainError("invalid_hours", _("Give the start time too."), field="starts_at")
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise DomainError("invalid_hours", _("The shift ends before it starts."), field="ends_at")
    if from_on is not None and until_on is not None and until_on < from_on:
        raise DomainError("invalid_dates", _("The shift ends before it starts."), field="until_on")
    return RosterShift.objects.create(
        service=service,
        member=member,
        volunteer_name="" if member is not None else volunteer_name,
        phone=phone.strip()[:20],
        weekdays=days,
        starts_at=starts_at,
        ends_at=ends_at,
        from_on=from_on,
        until_on=until_on,
        note=note.strip()[:200],
    )


@transaction.atomic
def roster_shift_remove(*, actor: User, shift: RosterShift) -> None:
    """Take a shift off the roster (the service in the actor's reach)."""
    require_hub_staff(actor)
    if not services_in_reach(actor).filter(pk=shift.service_id).exists():
        raise NotFound()
    RosterShift.objects.filter(pk=shift.pk).delete()
