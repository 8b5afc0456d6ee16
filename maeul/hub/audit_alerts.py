"""Unusual access to personal records (ISMS-P 2.10.x personal-information access monitoring):
many households opened in one hour outside the reader's assigned work, reads at night, reads
of a household at the reader's own home address. Composed here because "assigned work" spans
discovery (leads), visits, cases and the care households of people."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import AuditHour, AuditRecord, User
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


def audit_alerts(
    *, user: User, since: dt.datetime | None = None, limit: int | None = None
) -> list[AccessAlert]:
    """Unusual access (ISMS-P 2.10.x personal-information access monitoring): many households
    opened in one hour outside assigned work, reads at night, reads of a household at the
    reader's own home address; newest first, the `limit` newest when given.

    Each kind is asked of the database for the reads that can make it, not by loading every
    read of the period (43,000 at 1,000,000 residents): the night reads by their local hour
    (the newest `limit` of them alone when limited), the readers with a home address alone,
    and for the bulk alert only the reads around the hours in which a reader read more than
    half the threshold (any one-hour window lies within two clock hours, and distinct
    households outside one's work are never more than reads), which are then walked exactly
    as before (`_bulk_windows`)."""
    require_administrator(user)
    since = since or timezone.now() - dt.timedelta(days=30)
    reads = AuditRecord.objects.filter(at__gte=since, household_id__isnull=False)
    alerts = [
        *_night_alerts(reads, limit),
        *_bulk_alerts(reads, since),
        *_neighbour_alerts(reads),
    ]
    # Newest first; at one instant night before bulk before neighbour, each kind in the
    # database's username order (a stable sort of the kinds, each read in that order).
    alerts.sort(key=lambda a: a.at, reverse=True)
    return alerts if limit is None else alerts[:limit]


def _night_alerts(reads: QuerySet, limit: int | None) -> list[AccessAlert]:
    """Reads at night, by the hour in the project's time zone (the database's `at__hour`
    is taken in the current time zone, as `astimezone(local).hour` was)."""
    night = reads.filter(Q(at__hour__gte=NIGHT_HOURS[0]) | Q(at__hour__lt=NIGHT_HOURS[1]))
    rows = night.order_by("-at", "username").values_list("username", "at", "household_id")
    if limit is not None:
        rows = rows[:limit]
    label = str(_("read at night"))
    return [
        AccessAlert("night", label, username, at, f"#{household_id}")
        for username, at, household_id in rows
    ]


def _bulk_windows(since: dt.datetime) -> Q | None:
    """The reads that can make a bulk alert since `since`, as a condition on the trail: each
    reader's reads around their busy clock hours (None: no reader has one).

    A one-hour window [r - 1 h, r] lies within two consecutive clock hours (UTC), so more than
    BULK_READS_PER_HOUR distinct households in it are more than half the threshold of reads in
    one of the two, a busy hour h, and the whole window lies within [h - 1 h, h + 2 h). The
    busy hours are read from the running count of reads per reader and hour (`AuditHour`,
    kept by the database): a handful of rows, not a month of the trail grouped on every view
    of the audit page (25-50 ms at 1,000,000 residents); and only the reads around them are
    loaded, not a busy reader's month (1,091 reads). A window is therefore walked whole or
    not at all; the hour `since` falls in counts whole, reads before `since` too, which can
    only add an hour to look at."""
    first_hour = since.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    busy = (
        AuditHour.objects.filter(hour__gte=first_hour, n__gt=BULK_READS_PER_HOUR // 2)
        .order_by("username", "hour")
        .values_list("username", "hour")
    )
    spans: dict[str, list[list[dt.datetime]]] = {}
    for username, hour in busy:
        begin, end = hour - dt.timedelta(hours=1), hour + dt.timedelta(hours=2)
        runs = spans.setdefault(username, [])
        if runs and begin <= runs[-1][1]:
            runs[-1][1] = end  # overlapping or touching: one run
        else:
            runs.append([begin, end])
    condition = None
    for username, runs in spans.items():
        for begin, end in runs:
            part = Q(username=username, at__gte=begin, at__lt=end)
            condition = part if condition is None else condition | part
    return condition


def _bulk_alerts(reads: QuerySet, since: dt.datetime) -> list[AccessAlert]:
    """Many households outside assigned work within one hour (sliding window per user)."""
    windows = _bulk_windows(since)
    if windows is None:
        return []
    around = reads.filter(windows)
    by_user: dict[tuple[str, int | None], list[dict]] = {}
    for record in around.order_by("username", "at").values(
        "username", "user_id", "at", "household_id"
    ):
        by_user.setdefault((record["username"], record["user_id"]), []).append(record)
    # Only a reader with more distinct households in the period than the threshold can have
    # too many in one hour: the others' assigned work need not be read.
    by_user = {
        key: records
        for key, records in by_user.items()
        if len({r["household_id"] for r in records}) > BULK_READS_PER_HOUR
    }
    user_ids = {user_id for _name, user_id in by_user if user_id}
    # the households of those reads (found by the trail's (username, at) index), not of the
    # month's every read filtered by user id, once for each of the four lookups
    assigned_to = _assigned_household_ids(
        user_ids, around.filter(user_id__in=user_ids).order_by().values("household_id")
    )
    alerts: list[AccessAlert] = []
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
            if len(in_window) > BULK_READS_PER_HOUR:
                alerts.append(
                    AccessAlert(
                        "bulk",
                        str(_("many households in one hour")),
                        username,
                        record["at"],
                        str(len(in_window)),
                    )
                )
                break
    return alerts


def _neighbour_alerts(reads: QuerySet) -> list[AccessAlert]:
    """Reads of a household at the reader's own home address (a neighbour or family member):
    only the reads of readers who gave a home address."""
    readers = dict(
        User.objects.filter(pk__in=reads.order_by().values("user_id"))
        .exclude(home_address_key="")
        .values_list("pk", "home_address_key")
    )
    if not readers:
        return []
    views = list(
        reads.filter(user_id__in=readers)
        .order_by("username", "at")
        .values_list("username", "user_id", "at", "household_id")
    )
    building = {
        h.pk: normalise_address(h.address)
        for h in Household.objects.filter(pk__in={v[3] for v in views}).only("pk", "address")
    }
    label = str(_("household at the reader's own address"))
    return [
        AccessAlert("neighbour", label, username, at, f"#{household_id}")
        for username, user_id, at, household_id in views
        if building.get(household_id) == readers[user_id]
    ]
