"""Unusual access to personal records (ISMS-P 2.10.x personal-information access monitoring):
many households opened in one hour outside the reader's assigned work, reads at night, reads
of a household at the reader's own home address. Composed here because "assigned work" spans
discovery (leads), visits, cases and the care households of people."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import AuditRecord, User
from maeul.accounts.permissions import require_administrator
from maeul.cases.models import Case
from maeul.discovery.models import Lead
from maeul.people.models import Household
from maeul.text import normalise_address
from maeul.visits.models import Visit

#: More distinct households than this opened in one hour outside one's assigned work is unusual.
BULK_READS_PER_HOUR = 30
NIGHT_HOURS = (22, 6)  # 22:00 – 06:00 Korea time


@dataclass(frozen=True)
class AccessAlert:
    kind: str
    label: str
    username: str
    at: dt.datetime
    detail: str


def _assigned_household_ids(user_ids: set[int], read: QuerySet) -> dict[int, set[int]]:
    """Households in each user's own work: leads assigned to them, visits they are on, cases
    they manage, households assigned to them for care. Four grouped queries of (user,
    household) pairs for all the readers at once, whatever their number (one query per
    reader and kind before: 210 queries on a registry of 100,000 residents). Only the
    households in `read` (a subquery of the household ids read in the period) are fetched:
    the others cannot tell a read inside one's work from one outside it, and a visiting
    team's every visit is most of the visits table."""
    assigned: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
    if not user_ids:
        return assigned
    pairs = (
        Lead.objects.filter(assignee_id__in=user_ids, household_id__in=read)
        .values_list("assignee_id", "household_id")
        .distinct(),
        Visit.members.through.objects.filter(user_id__in=user_ids, visit__household_id__in=read)
        .values_list("user_id", "visit__household_id")
        .distinct(),
        Case.objects.filter(manager_id__in=user_ids, household_id__in=read)
        .values_list("manager_id", "household_id")
        .distinct(),
        Household.care_volunteers.through.objects.filter(
            user_id__in=user_ids, household_id__in=read
        )
        .values_list("user_id", "household_id")
        .distinct(),
    )
    for queryset in pairs:
        for user_id, household_id in queryset.order_by():
            if household_id is not None:
                assigned[user_id].add(household_id)
    return assigned


def audit_alerts(*, user: User, since: dt.datetime | None = None) -> list[AccessAlert]:
    """Unusual access (ISMS-P 2.10.x personal-information access monitoring): many households
    opened in one hour outside assigned work, reads at night, reads of a household at the
    reader's own home address."""
    require_administrator(user)
    since = since or timezone.now() - dt.timedelta(days=30)
    reads = AuditRecord.objects.filter(at__gte=since, household_id__isnull=False)
    views = list(
        reads.order_by("username", "at").values("username", "user_id", "at", "household_id")
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
    # Only a reader with more distinct households in the period than the threshold can have
    # too many in one hour: the others' assigned work need not be read.
    by_user = {
        key: records
        for key, records in by_user.items()
        if len({r["household_id"] for r in records}) > BULK_READS_PER_HOUR
    }
    assigned_to = _assigned_household_ids(
        {user_id for _name, user_id in by_user if user_id},
        reads.order_by().values("household_id"),
    )
    for (username, user_id), records in by_user.items():
        assigned = assigned_to.get(user_id, set()) if user_id else set()
        outside = [r for r in records if r["household_id"] not in assigned]
        left = 0
        in_window: Counter[int] = Counter()  # household -> reads in the window (O(1) a step)
        for record in outside:
            in_window[record["household_id"]] += 1
            while record["at"] - outside[left]["at"] > dt.timedelta(hours=1):
                gone = outside[left]["household_id"]
                in_window[gone] -= 1
                if not in_window[gone]:
                    del in_window[gone]
                left += 1
            distinct = in_window
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
