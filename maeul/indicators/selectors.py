"""The Ministry's performance indicators (DOMAIN.md "Indicators"; seed 003's before/after
tables), per dong and for the gu, for any period, counted from the timeline events (and, for
the stock measures, from benefit and staff date intervals), never from counters kept by hand:
the events and benefits are summed through exact tallies derived from them (maeul/tally).

All dongs are computed together: one GROUP BY query per kind of measure, whatever the number
of dongs. Aggregates are not personal data, so a dong's staff may see the gu total too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import VISITING_ROLES, User
from maeul.areas.models import Area
from maeul.errors import DomainError, NotFound
from maeul.people.models import TimelineEvent
from maeul.tally.models import CaseSpan, EventDay, TargetDelta

#: (key, label, how it is counted). The order is the Ministry table's.
INDICATORS = (
    ("targets", _("People subject to welfare services")),
    ("personnel", _("Visiting personnel")),
    ("personnel_private", _("of whom privately employed")),
    ("case_households", _("Households managed as case")),
    ("blind_spots", _("Blind spots discovered")),
    ("site_visits", _("Site visits")),
    ("linkages", _("Service linkages")),
    ("resources", _("Resource discovery cases")),
    ("resource_amount", _("Resource discovery amount (KRW)")),
)
INDICATOR_KEYS = tuple(key for key, _label in INDICATORS)
EVENT_INDICATORS = {
    TimelineEvent.Kind.BLIND_SPOT_DISCOVERED: "blind_spots",
    TimelineEvent.Kind.VISIT_COMPLETED: "site_visits",
    TimelineEvent.Kind.LINKAGE_PROVIDED: "linkages",
    TimelineEvent.Kind.RESOURCE_DISCOVERED: "resources",
}
CASE_OPENING = (TimelineEvent.Kind.CASE_OPENED, TimelineEvent.Kind.CASE_REOPENED)
MAX_PERIOD_DAYS = 3 * 366


Period = tuple[dt.date, dt.date]


@dataclass
class Row:
    """Indicator values of one area (a dong, or the gu total)."""

    area: Area
    values: dict[str, int]
    is_total: bool = False


def period_check(start: dt.date | None, end: dt.date | None, *, field: str = "") -> Period:
    """A valid inclusive period, or a DomainError that says what is wrong."""
    if start is None or end is None:
        raise DomainError(
            "period_required", _("Give both the start and the end date."), field=field
        )
    if start > end:
        raise DomainError(
            "invalid_period", _("The start date must not be after the end date."), field=field
        )
    if (end - start).days > MAX_PERIOD_DAYS:
        raise DomainError(
            "period_too_long", _("A period can be at most three years long."), field=field
        )
    return start, end


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the local time zone."""
    tz = ZoneInfo(settings.TIME_ZONE)
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


# --- scope -------------------------------------------------------------------------------


def indicator_areas(*, user: User) -> tuple[Area, list[Area]]:
    """The gu whose indicators the user reads, and the dongs shown row by row: hub staff of a
    dong see their dong (and the gu total); the gu team and administrators every dong.
    Volunteers and partners read no indicators (NotFound)."""
    if not user.is_authenticated or not user.is_active or not user.is_hub_staff:
        raise NotFound()
    area = user.home_area
    if area is None:
        raise NotFound()
    gu: Area | None
    if area.level == Area.Level.SIGUNGU:
        gu = area
    elif area.level == Area.Level.DONG:
        gu = area.parent
    else:
        node: Area | None = area
        while node is not None and node.level != Area.Level.SIGUNGU:
            node = node.parent
        gu = node
    if gu is None:
        raise NotFound()
    dongs = list(Area.objects.filter(parent=gu, level=Area.Level.DONG).order_by("code"))
    if user.is_dong_staff:
        own = area if area.level == Area.Level.DONG else None
        dongs = [d for d in dongs if own is not None and d.pk == own.pk]
    return gu, dongs


# --- measures (all dongs of a gu at once) ----------------------------------------------------
# Read from the tallies (maeul/tally): a few small grouped queries per period, whatever the size
# of the registry. The tallies are exact in every transaction (kept by the database's triggers
# on the timeline and by people.coverage on every write of benefits and members) and checked
# against a live recount by `manage.py check_integrity` (indicators.recount is that recount).


def _targets(dong_ids: list[int], ends: Sequence[dt.date]) -> list[dict[int, int]]:
    """People receiving a target programme at the end of each period: the named member of a
    receipt, or every member of the household for a household-level receipt. Each resident's
    days of coverage are runs of spans; a span adds one on its first day and takes it away on
    the day after its last, so the people covered on `end` are the sum of the day deltas up to
    it (TargetDelta: a few thousand rows per dong; every period from one read)."""
    sums = {f"n{i}": Sum("delta", filter=Q(day__lte=end)) for i, end in enumerate(ends)}
    rows = list(
        TargetDelta.objects.filter(dong_id__in=dong_ids, day__lte=max(ends))
        .values("dong_id")
        .annotate(**sums)
        .order_by()
    )
    return [{r["dong_id"]: r[key] for r in rows if r[key]} for key in sums]


def _personnel(area_ids: list[int], start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """Staff of visiting roles on the hub's books at some time in the period, and of them those
    hired from the private sector (seed 003: 'visiting personnel (privately employed)')."""
    rows = (
        User.objects.filter(
            role__in=VISITING_ROLES,
            home_area_id__in=area_ids,
            hired_on__isnull=False,
            hired_on__lte=end,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .values("home_area_id")
        .annotate(n=Count("id"), private=Count("id", filter=Q(privately_employed=True)))
    )
    return {r["home_area_id"]: (r["n"], r["private"]) for r in rows}


def _case_households(
    dong_ids: list[int], bounds: Sequence[tuple[dt.datetime, dt.datetime]]
) -> list[tuple[dict[int, int], int]]:
    """Households with a case open at some time in each [start, end), per dong and for the gu:
    opened or re-opened in the period, or opened before it and not closed before it started
    (CaseSpan: one row per time a case was open, counted when it overlaps the period). A
    household counts once in the gu total even when its events name two dongs."""
    counts = {
        f"n{i}": Count(
            "household_id",
            distinct=True,
            filter=Q(opened_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start)),
        )
        for i, (start, end) in enumerate(bounds)
    }
    spans = CaseSpan.objects.filter(
        dong_id__in=dong_ids, opened_at__lt=max(end for _start, end in bounds)
    ).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=min(start for start, _end in bounds)))
    rows = list(spans.values("dong_id").annotate(**counts).order_by())
    totals = spans.aggregate(**counts)
    return [({r["dong_id"]: r[key] for r in rows if r[key]}, totals[key] or 0) for key in counts]


def _event_counts(
    dong_ids: list[int], bounds: Sequence[tuple[dt.datetime, dt.datetime]]
) -> list[dict[int, dict[str, int]]]:
    """Events of the counted kinds per dong in each [start, end) (local midnights, `_bounds`),
    and the amounts of the resources discovered (EventDay: one row per dong, kind and local
    day; every period from one read)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    days = [(start.astimezone(tz).date(), end.astimezone(tz).date()) for start, end in bounds]
    sums = {}
    for i, (first, stop) in enumerate(days):
        within = Q(day__gte=first, day__lt=stop)
        sums[f"n{i}"] = Sum("n", filter=within)
        sums[f"amount{i}"] = Sum("amount", filter=within)
    rows = list(
        EventDay.objects.filter(
            dong_id__in=dong_ids,
            kind__in=list(EVENT_INDICATORS),
            day__gte=min(first for first, _stop in days),
            day__lt=max(stop for _first, stop in days),
        )
        .values("dong_id", "kind")
        .annotate(**sums)
        .order_by()
    )
    found: list[dict[int, dict[str, int]]] = []
    for i in range(len(days)):
        values: dict[int, dict[str, int]] = defaultdict(dict)
        for r in rows:
            if not r[f"n{i}"]:
                continue
            values[r["dong_id"]][EVENT_INDICATORS[r["kind"]]] = r[f"n{i}"]
            if r["kind"] == TimelineEvent.Kind.RESOURCE_DISCOVERED:
                values[r["dong_id"]]["resource_amount"] = r[f"amount{i}"] or 0
        found.append(values)
    return found


def indicator_values_of(
    *, gu: Area, periods: Sequence[Period]
) -> list[dict[int | None, dict[str, int]]]:
    """Every indicator for every dong of the gu (keyed by dong id) and the gu total (key None),
    for each period, each measure read once for all of them."""
    periods = [period_check(start, end) for start, end in periods]
    dong_ids = list(
        Area.objects.filter(parent=gu, level=Area.Level.DONG).values_list("pk", flat=True)
    )
    bounds = [_bounds(start, end) for start, end in periods]
    targets = _targets(dong_ids, [end for _start, end in periods])
    cases = _case_households(dong_ids, bounds)
    events = _event_counts(dong_ids, bounds)
    found = []
    for i, (start, end) in enumerate(periods):
        values: dict[int | None, dict[str, int]] = {
            pk: dict.fromkeys(INDICATOR_KEYS, 0) for pk in [*dong_ids, None]
        }
        for dong_id, n in targets[i].items():
            values[dong_id]["targets"] = n
        for area_id, (n, private) in _personnel([*dong_ids, gu.pk], start, end).items():
            dong_key = None if area_id == gu.pk else area_id
            values[dong_key]["personnel"] += n
            values[dong_key]["personnel_private"] += private
        per_dong, cases_total = cases[i]
        for dong_id, n in per_dong.items():
            values[dong_id]["case_households"] = n
        for dong_id, counts in events[i].items():
            values[dong_id].update(counts)
        total = values[None]
        for dong_id in dong_ids:
            for key in INDICATOR_KEYS:
                if key == "case_households":
                    continue
                total[key] += values[dong_id][key]
        total["case_households"] = cases_total
        found.append(values)
    return found


def indicator_values(*, gu: Area, start: dt.date, end: dt.date) -> dict[int | None, dict[str, int]]:
    """Every indicator for every dong of the gu (keyed by dong id) and the gu total (key None)."""
    return indicator_values_of(gu=gu, periods=[(start, end)])[0]


# --- tables for people ------------------------------------------------------------------------


def indicator_table(*, user: User, start: dt.date, end: dt.date) -> list[Row]:
    """Rows per dong the user may see, then the gu total."""
    gu, dongs = indicator_areas(user=user)
    values = indicator_values(gu=gu, start=start, end=end)
    rows = [Row(area=dong, values=values[dong.pk]) for dong in dongs]
    rows.append(Row(area=gu, values=values[None], is_total=True))
    return rows


def change(a: int, b: int) -> tuple[int, float | None]:
    """Absolute and relative (%) change from a to b; the percentage is None when a is 0."""
    diff = b - a
    return diff, (round(100.0 * diff / a, 1) if a else None)


def indicator_compare(*, user: User, a: Period, b: Period) -> list[dict]:
    """Both periods side by side for each visible area: for every indicator the value in A, in
    B, and the change (absolute and %)."""
    period_a = period_check(*a, field="a")
    period_b = period_check(*b, field="b")
    gu, dongs = indicator_areas(user=user)
    values_a, values_b = indicator_values_of(gu=gu, periods=[period_a, period_b])
    result = []
    for area, key in [*((d, d.pk) for d in dongs), (gu, None)]:
        cells = {}
        for name in INDICATOR_KEYS:
            va, vb = values_a[key][name], values_b[key][name]
            diff, pct = change(va, vb)
            cells[name] = {"a": va, "b": vb, "change": diff, "pct": pct}
        result.append({"area": area, "is_total": key is None, "values": cells})
    return result
