"""Reads of partner institutions and local resources, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from maeul.accounts.models import SafetyNetMember, User
from maeul.areas.models import Area
from maeul.errors import NotFound
from maeul.people.selectors import dong_ids_of
from maeul.resources.models import PartnerInstitution, Resource, Service


def _is_hub_staff(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_hub_staff


def partners_in_reach(user: User) -> QuerySet[PartnerInstitution]:
    """The partner institutions hub staff may refer a household to: those of the dongs they
    work in and of the gu above those dongs (a gu-wide centre serves every dong of its gu). A
    partner of another gu, or of another dong for dong staff, is not theirs to refer to: for
    them it does not exist. Anyone else has none."""
    if not _is_hub_staff(user):
        return PartnerInstitution.objects.none()
    dong_ids = dong_ids_of(user)
    gu_ids = Area.objects.filter(pk__in=dong_ids).values("parent_id")
    return PartnerInstitution.objects.filter(Q(area_id__in=dong_ids) | Q(area_id__in=gu_ids))


def resources_in_reach(user: User) -> QuerySet[Resource]:
    """The local resources hub staff may link a household to: those found in the dongs they
    work in (a resource belongs to the dong that found it). Anyone else has none."""
    if not _is_hub_staff(user):
        return Resource.objects.none()
    return Resource.objects.filter(dong_id__in=dong_ids_of(user))


def areas_in_reach(user: User) -> QuerySet[Area]:
    """The dongs hub staff work in and the gu above them: where they may place a service."""
    if not _is_hub_staff(user):
        return Area.objects.none()
    dong_ids = dong_ids_of(user)
    gu_ids = Area.objects.filter(pk__in=dong_ids).values("parent_id")
    return Area.objects.filter(Q(pk__in=dong_ids) | Q(pk__in=gu_ids))


def services_in_reach(user: User) -> QuerySet[Service]:
    """Services of the directory that serve the user's dongs or their gu (hub staff only)."""
    if not _is_hub_staff(user):
        return Service.objects.none()
    return Service.objects.filter(area__in=areas_in_reach(user))


def service_search(
    *, user: User, q: str = "", domain: str = "", kind: str = "", active_only: bool = True
) -> QuerySet[Service]:
    """The directory as the user may see it, filtered by words, need domain and kind."""
    qs = services_in_reach(user).select_related("organization", "area")
    if active_only:
        qs = qs.filter(status=Service.Status.ACTIVE)
    if q.strip():
        words = q.strip()
        qs = qs.filter(
            Q(name__icontains=words)
            | Q(name_en__icontains=words)
            | Q(description__icontains=words)
            | Q(organization__name__icontains=words)
            | Q(eligibility_description__icontains=words)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if domain:
        # JSON containment is not portable to SQLite; domains are few, filter by the text.
        qs = qs.filter(domains__icontains=f'"{domain}"')
    return qs.prefetch_related("documents", "locations").order_by("name", "id")


def service_get(*, user: User, service_id: int) -> Service:
    service = (
        services_in_reach(user)
        .select_related("organization", "area", "registered_by")
        .prefetch_related("documents", "locations", "shifts__member")
        .filter(pk=service_id)
        .first()
    )
    if service is None:
        raise NotFound()
    return service


def resources_found(*, user: User) -> QuerySet[Resource]:
    return resources_in_reach(user).select_related("dong", "partner", "discovered_by")


def partner_get(*, user: User, partner_id: int) -> PartnerInstitution:
    partner = (
        partners_in_reach(user)
        .select_related("area")
        .prefetch_related("agreements", "locations")
        .filter(pk=partner_id)
        .first()
    )
    if partner is None:
        raise NotFound()
    return partner


def roster_members(*, user: User) -> QuerySet[SafetyNetMember]:
    """The safety-net members hub staff may put on a roster: those of their dongs who have
    not left."""
    if not _is_hub_staff(user):
        return SafetyNetMember.objects.none()
    return SafetyNetMember.objects.filter(
        dong_id__in=dong_ids_of(user), left_on__isnull=True
    ).order_by("name", "id")
