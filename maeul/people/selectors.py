"""Reads of households and residents. Every query that returns households starts from
`households_visible_to(user)`: the one place where the role and area scope is applied."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.errors import NotFound
from maeul.people.models import Household, TimelineEvent


def dong_ids_of(user: User) -> list[int]:
    """The dongs a staff user works in: their home dong, or every dong of their gu."""
    area = user.home_area
    if area is None:
        return []
    if area.level == Area.Level.DONG:
        return [area.pk]
    if area.level == Area.Level.SIGUNGU:
        return list(
            Area.objects.filter(parent=area, level=Area.Level.DONG).values_list("pk", flat=True)
        )
    if area.level in (Area.Level.TONG, Area.Level.BAN):
        node = area
        while node is not None and node.level != Area.Level.DONG:
            node = node.parent
        return [node.pk] if node else []
    return list(
        Area.objects.filter(parent__parent=area, level=Area.Level.DONG).values_list("pk", flat=True)
    )


def households_visible_to(user: User) -> QuerySet[Household]:
    """Households the user may see (DOMAIN.md, 'Who uses it'):
    dong staff their dong; gu team and administrators their gu; a volunteer the households of
    the leads they reported and those assigned to them for care; a partner the households
    referred to their institution. Anyone else: none."""
    households = Household.objects.all()
    if not user.is_authenticated or not user.is_active:
        return households.none()
    if user.is_hub_staff:
        return households.filter(dong_id__in=dong_ids_of(user))
    if user.is_volunteer:
        return households.filter(
            Q(pk__in=user.care_households.values("pk"))
            | Q(pk__in=user.reported_leads.values("household_id"))
        )
    if user.is_partner and user.partner_id:
        from maeul.cases.models import Linkage

        referred = Linkage.objects.filter(
            partner_id=user.partner_id, kind=Linkage.Kind.PARTNER_REFERRAL
        ).values("household_id")
        return households.filter(pk__in=referred)
    return households.none()


def household_get(*, user: User, household_id: int) -> Household:
    """One household the user may see, with its members; NotFound when out of scope."""
    household = (
        households_visible_to(user)
        .select_related("dong", "tong", "ban")
        .prefetch_related("members")
        .filter(pk=household_id)
        .first()
    )
    if household is None:
        raise NotFound()
    return household


def household_timeline(*, user: User, household: Household) -> QuerySet[TimelineEvent]:
    """The household's events in order. Callers pass a household obtained via `household_get`."""
    return household.events.select_related("actor").order_by("occurred_at", "id")


def _minimal_fields(user: User) -> bool:
    """Volunteers and partners get name, address and care notes only (field minimisation)."""
    return not user.is_hub_staff


def household_search(*, user: User, q: str = "", dong_code: str = "") -> QuerySet[Household]:
    from maeul.people.identity import normalise_address, normalise_name

    households = households_visible_to(user)
    if dong_code:
        households = households.filter(dong__code=dong_code)
    q = q.strip()
    if q:
        households = households.filter(
            Q(members__name_key__contains=normalise_name(q))
            | Q(address_key__contains=normalise_address(q))
        ).distinct()
    return households


def household_row(household: Household, *, minimal: bool) -> dict:
    head = household.head
    row = {
        "id": household.pk,
        "dong_code": household.dong.code,
        "dong": household.dong.display_name,
        "address": household.address,
        "address_detail": household.address_detail,
        "head_name": head.name if head else None,
        "care_notes": household.care_notes,
    }
    if not minimal:
        row["members"] = len(household.members.all())
    return row


def household_list(
    *, user: User, q: str = "", dong_code: str = "", page: int = 1, page_size: int = 50
) -> dict:
    """A page of visible households as rows, with the total `count`."""
    page_size = max(1, min(page_size, 200))
    page = max(1, page)
    households = household_search(user=user, q=q, dong_code=dong_code)
    count = households.count()
    start = (page - 1) * page_size
    objects = (
        households.select_related("dong")
        .prefetch_related("members")
        .order_by("dong__code", "address_key", "pk")[start : start + page_size]
    )
    minimal = _minimal_fields(user)
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "results": [household_row(h, minimal=minimal) for h in objects],
    }


def household_detail_for(*, user: User, household_id: int) -> dict:
    """The household record as the user may see it: everything for hub staff; name, address
    and care notes for volunteers and partners."""
    household = household_get(user=user, household_id=household_id)
    minimal = _minimal_fields(user)
    detail = household_row(household, minimal=minimal)
    if minimal:
        return detail
    detail.update(
        phone=household.phone,
        housing=household.housing,
        groups=household.groups,
        lat=household.lat,
        lon=household.lon,
        member_list=[
            {
                "id": m.pk,
                "name": m.name,
                "birth_date": m.birth_date,
                "sex": m.sex,
                "relation": m.relation,
                "disability": m.disability or None,
            }
            for m in household.members.all()
        ],
        benefits=[
            {
                "programme": b.programme,
                "resident_id": b.resident_id,
                "started_on": b.started_on.isoformat(),
                "ended_on": b.ended_on.isoformat() if b.ended_on else None,
                "monthly_amount": b.monthly_amount,
            }
            for b in household.benefits.all()
        ],
        timeline=[
            {"kind": e.kind, "occurred_at": e.occurred_at, "summary": e.summary}
            for e in household.events.order_by("occurred_at", "id")
        ],
    )
    return detail
