"""Reads of leads. Every query starts from `leads_visible_to(user)`, the one place where the
role and area scope of leads is applied (DOMAIN.md, 'Who uses it')."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, Q, QuerySet
from django.utils import timezone

from maeul.accounts.models import DONG_STAFF_ROLES, GU_ROLES, User
from maeul.areas.models import Area
from maeul.discovery.models import URGENCY_RANK, Lead
from maeul.errors import NotFound
from maeul.pagination import in_order_of
from maeul.people.selectors import dong_ids_of
from maeul.text import normalise_address


def leads_visible_to(user: User) -> QuerySet[Lead]:
    """Dong staff: their dong's leads; gu team and administrators: the gu's; a volunteer: the
    leads they reported; a partner contact: the leads their institution reported; anyone
    else: none."""
    leads = Lead.objects.all()
    if not user.is_authenticated or not user.is_active:
        return leads.none()
    if user.is_hub_staff:
        return leads.filter(dong_id__in=dong_ids_of(user))
    if user.is_volunteer:
        return leads.filter(reported_by=user)
    if user.is_partner and user.partner_id:
        return leads.filter(partner_id=user.partner_id)
    return leads.none()


def lead_queue(
    *,
    user: User,
    status: str | None = None,
    urgency: str | None = None,
    source: str | None = None,
    assignee: str | int | None = None,
    overdue: bool = False,
    dong_code: str | None = None,
    q: str = "",
) -> QuerySet[Lead]:
    """The work queue: emergencies first, then by due time. `status` 'open' means every open
    status; `assignee` 'me' the acting user, 'none' unassigned, else a user id."""
    leads = leads_visible_to(user)
    if status == "open":
        leads = leads.filter(status__in=Lead.OPEN_STATUSES)
    elif status:
        leads = leads.filter(status=status)
    if urgency:
        leads = leads.filter(urgency=urgency)
    if source:
        leads = leads.filter(source=source)
    if assignee == "me":
        leads = leads.filter(assignee_id=user.pk)
    elif assignee == "none":
        leads = leads.filter(assignee__isnull=True)
    elif assignee:
        try:
            leads = leads.filter(assignee_id=int(assignee))
        except (TypeError, ValueError):
            leads = leads.none()
    if overdue:
        leads = leads.filter(status__in=Lead.OPEN_STATUSES, due_at__lt=timezone.now())
    if dong_code:
        leads = leads.filter(dong__code=dong_code)
    q = (q or "").strip()
    if q:
        leads = leads.filter(
            Q(subject_name__icontains=q)
            | Q(address__icontains=q)
            | Q(household__address_key__contains=normalise_address(q))
        )
    return leads.select_related("dong", "household", "assignee").order_by(
        urgency_rank(), "due_at", "pk"
    )


def urgency_rank() -> Case:
    """The queue's first sort key: 0 for an emergency, 1 for any other lead. The same
    expression is indexed (`Lead.Meta.indexes`), so that a page of the queue is read in
    order from the index instead of sorting every lead of the dong."""
    return URGENCY_RANK


def lead_queue_ids(*, user: User, **filters: Any) -> QuerySet:
    """The ids of `lead_queue(**filters)`, in its order, for paging: sorted on the leads
    alone (urgency, due time, id: a total order, so no page repeats or skips a lead), without
    joining every lead of the dong or gu to its household, dong and assignee before keeping
    50 (a dong's 42,000 leads at 1,000,000 residents). Load a page's rows with
    `leads_in_order`."""
    return lead_queue(user=user, **filters).select_related(None).values_list("pk", flat=True)


def leads_in_order(*, user: User, ids: list[int]) -> list[Lead]:
    """The leads of `ids` that the user may see, as `lead_queue` gives them (dong, household
    and assignee selected), in the order of `ids`."""
    return in_order_of(leads_visible_to(user).select_related("dong", "household", "assignee"), ids)


def lead_get(*, user: User, lead_id: int) -> Lead:
    """One lead the user may see; NotFound when it does not exist or is out of scope."""
    lead = (
        leads_visible_to(user)
        .select_related("dong", "dong__parent", "household", "assignee", "reported_by", "partner")
        .filter(pk=lead_id)
        .first()
    )
    if lead is None:
        raise NotFound()
    return lead


def lead_dongs_for(user: User) -> QuerySet[Area]:
    """The dongs the user may register or filter leads for."""
    return Area.objects.filter(pk__in=dong_ids_of(user)).order_by("code")


def gu_dongs_for(user: User | None = None) -> QuerySet[Area]:
    """Dongs a report may be filed for: the user's gu, or (for residents without an account)
    every dong that runs a welfare hub."""
    dongs = Area.objects.filter(level=Area.Level.DONG)
    area = getattr(user, "home_area", None) if user is not None else None
    if area is not None and area.level == Area.Level.DONG:
        return dongs.filter(parent_id=area.parent_id).order_by("code")
    if area is not None and area.level == Area.Level.SIGUNGU:
        return dongs.filter(parent_id=area.pk).order_by("code")
    return dongs.filter(hub__isnull=False).order_by("code")


def lead_assignable_users(*, lead: Lead) -> QuerySet[User]:
    """Hub staff of the lead's dong and the gu team of its gu (who `lead_assign` accepts)."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role__in=DONG_STAFF_ROLES, home_area_id=lead.dong_id)
            | Q(role__in=GU_ROLES, home_area_id=lead.dong.parent_id)
        )
        .order_by("role", "full_name", "username")
    )


def lead_assignees_for(*, user: User) -> QuerySet[User]:
    """Who the user may give leads to in the queue's filter: hub staff of the user's dongs and
    the gu team of the user's gu."""
    dong_ids = dong_ids_of(user)
    gu_ids = {a for a in [getattr(user.home_area, "parent_id", None), user.home_area_id] if a}
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role__in=DONG_STAFF_ROLES, home_area_id__in=dong_ids)
            | Q(role__in=GU_ROLES, home_area_id__in=gu_ids)
        )
        .order_by("role", "full_name", "username")
    )


def lead_counts(*, user: User) -> dict[str, int]:
    """Open, overdue and emergency counts for the queue header (and the dashboard)."""
    now = timezone.now()
    return (
        leads_visible_to(user)
        .filter(status__in=Lead.OPEN_STATUSES)
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_at__lt=now)),
            emergency=Count("pk", filter=Q(urgency=Lead.Urgency.EMERGENCY)),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        )
    )


def households_with_open_lead(household_ids: Iterable[int]) -> set[int]:
    """Which of these households already have an open lead (a sweep or a screening run does
    not list a household twice)."""
    ids = list(household_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 5000):
        found |= set(
            Lead.objects.filter(
                household_id__in=ids[start : start + 5000], status__in=Lead.OPEN_STATUSES
            ).values_list("household_id", flat=True)
        )
    return found
