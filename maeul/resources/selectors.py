"""Reads of partner institutions and local resources, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.people.selectors import dong_ids_of
from maeul.resources.models import PartnerInstitution, Resource


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
