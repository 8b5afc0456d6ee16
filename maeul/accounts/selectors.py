"""Reads of the audit trail: search for administrators and the unusual-access alert list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import AuditRecord, Role, User
from maeul.errors import PermissionDenied

#: More distinct households than this opened in one hour outside one's assigned work is unusual.
BULK_READS_PER_HOUR = 30
NIGHT_HOURS = (22, 6)  # 22:00 – 06:00 Korea time


def _require_administrator(user: User) -> None:
    if not (user.is_authenticated and user.role == Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only administrators may read the audit trail."))


def audit_search(
    *,
    user: User,
    household_id: int | None = None,
    username: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    purpose: str = "",
    action: str = "",
) -> QuerySet[AuditRecord]:
    """Audit records matching the filters, newest first. A household filter also finds the
    list views that showed it."""
    _require_administrator(user)
    records = AuditRecord.objects.all()
    if household_id is not None:
        records = records.filter(
            Q(household_id=household_id) | Q(household_ids__contains=[household_id])
            if _json_contains_supported()
            else Q(household_id=household_id)
        )
    if username:
        records = records.filter(username=username)
    if start:
        records = records.filter(at__date__gte=start)
    if end:
        records = records.filter(at__date__lte=end)
    if purpose:
        records = records.filter(purpose=purpose)
    if action:
        records = records.filter(action=action)
    return records.order_by("-at", "-id")


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class AccessAlert:
    kind: str
    label: str
    username: str
    at: dt.datetime
    detail: str


def _assigned_household_ids(user_id: int) -> set[int]:
    """Households in a user's own work: leads assigned to them, visits they are on, cases
    they manage, households assigned to them for care."""
    from maeul.cases.models import Case
    from maeul.discovery.models import Lead
    from maeul.visits.models import Visit

    ids: set[int] = set(
        Lead.objects.filter(assignee_id=user_id).values_list("household_id", flat=True)
    )
    ids |= set(Visit.objects.filter(members__id=user_id).values_list("household_id", flat=True))
    ids |= set(Case.objects.filter(manager_id=user_id).values_list("household_id", flat=True))
    ids |= set(User.objects.filter(pk=user_id).values_list("care_households__id", flat=True))
    ids.discard(None)
    return ids


def audit_alerts(*, user: User, since: dt.datetime | None = None) -> list[AccessAlert]:
    """Unusual access (ISMS-P 2.10.x personal-information access monitoring): many households
    opened in one hour outside assigned work, reads at night, reads of a household at the
    reader's own home address."""
    from maeul.people.identity import normalise_address
    from maeul.people.models import Household

    _require_administrator(user)
    since = since or timezone.now() - dt.timedelta(days=30)
    views = list(
        AuditRecord.objects.filter(at__gte=since, household_id__isnull=False)
        .order_by("username", "at")
        .values("username", "user_id", "at", "household_id")
    )
    alerts: list[AccessAlert] = []
    local = timezone.get_current_timezone()

    # Reads at night.
    for record in views:
        hour = record["at"].astimezone(local).hour
        if hour >= NIGHT_HOURS[0] or hour < NIGHT_HOURS[1]:
            alerts.append(
                AccessAlert(
                    "night",
                    str(_("read at night")),
                    record["username"],
                    record["at"],
                    f"#{record['household_id']}",
                )
            )

    # Many households outside assigned work within one hour (sliding window per user).
    by_user: dict[tuple[str, int | None], list[dict]] = {}
    for record in views:
        by_user.setdefault((record["username"], record["user_id"]), []).append(record)
    for (username, user_id), records in by_user.items():
        assigned = _assigned_household_ids(user_id) if user_id else set()
        outside = [r for r in records if r["household_id"] not in assigned]
        left = 0
        for right, record in enumerate(outside):
            while record["at"] - outside[left]["at"] > dt.timedelta(hours=1):
                left += 1
            distinct = {r["household_id"] for r in outside[left : right + 1]}
            if len(distinct) > BULK_READS_PER_HOUR:
                alerts.append(
                    AccessAlert(
                        "bulk",
                        str(_("many households in one hour")),
                        username,
                        record["at"],
                        str(len(distinct)),
                    )
                )
                break

    # Reads of a household at the reader's own home address (a neighbour or family member).
    readers = {
        u.pk: u.home_address_key
        for u in User.objects.filter(pk__in={r["user_id"] for r in views}).exclude(
            home_address_key=""
        )
    }
    if readers:
        read_ids = {r["household_id"] for r in views if r["user_id"] in readers}
        building = {
            h.pk: normalise_address(h.address)
            for h in Household.objects.filter(pk__in=read_ids).only("pk", "address")
        }
        for record in views:
            key = readers.get(record["user_id"])
            if key and building.get(record["household_id"]) == key:
                alerts.append(
                    AccessAlert(
                        "neighbour",
                        str(_("household at the reader's own address")),
                        record["username"],
                        record["at"],
                        f"#{record['household_id']}",
                    )
                )
    return sorted(alerts, key=lambda a: a.at, reverse=True)
