"""A dong's week planned as a whole (Monday to Friday), with the day planner's solver: one
vehicle per member and working day (`solver.day.week_staff`), each piece of work on the days
its due window allows, so that the visits of one area go together on one day instead of
everybody walking every street every day. Each day is then stored as that day's plan (the
same `DayPlan`/`Round`/`Stop` rows as a day planned alone), so the round pages, "not today"
and the stable re-plan of a day work on it unchanged.

Which days a piece of work may take (`window_days`):

- a visit already planned, a regular visit: its own day (it is agreed with the household);
- an emergency lead, a follow-up overdue at the start of the week: the first day (emergencies
  and overdue work first);
- a new lead: from the first day it is work (the week's first day for those already open)
  up to its due date, at least that first day;
- a case follow-up due later in the week: any day up to its due date (brought forward);
- a campaign target: any day its campaign runs.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.errors import DomainError
from maeul.routing import selectors
from maeul.routing.models import DayPlan, Stop
from maeul.routing.services import _time_limit, check_request, dropped_rows, store_plan
from maeul.routing.solver import day as solver
from maeul.routing.solver.travel import TravelTimes

WEEK_DAYS = 5


def week_of(day: dt.date) -> list[dt.date]:
    """Monday to Friday of the week of `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return [monday + dt.timedelta(days=i) for i in range(WEEK_DAYS)]


def window_days(item: selectors.WorkItem, seen: list[int], days: list[dt.date]) -> tuple[int, int]:
    """The first and last day (indices into `days`) on which a piece of work may be done,
    from the days it is work (`seen`, ascending) and its kind and due date."""
    first = seen[0]
    if item.kind in (Stop.Kind.VISIT, Stop.Kind.REGULAR) or item.task.priority <= 0:
        return first, first
    due = (item.due - days[0]).days if item.due is not None else None
    if item.kind == Stop.Kind.FOLLOW_UP:
        if due is None or due < 0:
            return first, first  # overdue at the start of the week: first
        return 0, min(due, len(days) - 1)
    if item.kind == Stop.Kind.LEAD:
        last = seen[-1] if due is None else min(max(due, first), seen[-1])
        return first, last
    return first, seen[-1]


def _listed_on(last: int, working) -> int:
    earlier = [d for d in working if d <= last]
    return max(earlier) if earlier else min(working)


def _shift(stop: solver.Stop, offset: int) -> solver.Stop:
    return replace(
        stop, arrive=stop.arrive - offset, start=stop.start - offset, end=stop.end - offset
    )


@transaction.atomic
def week_plan(
    *,
    actor: User,
    dong: Area,
    day: dt.date,
    members: list[User] | None = None,
    time_limit: float | None = None,
    travel: TravelTimes | None = None,
) -> list[DayPlan]:
    """Plan the dong's week (the Monday to Friday of `day`) as a whole and store each day's
    rounds as that day's plan (a new revision of a day planned before; the days' "not today"
    lists start afresh). `time_limit` is per day (the week gets five times as much). Returns
    the days' plans; a day nobody works keeps no plan."""
    if day is None:
        raise DomainError("date_required", _("The date is required."), field="day")
    per_day = _time_limit(time_limit)
    members, _modes, depot = check_request(
        actor=actor, dong=dong, members=members, modes=None, time_limit=per_day
    )
    days = week_of(day)
    vehicles: list[solver.Staff] = []
    working: dict[int, tuple[list[User], dict[int, str]]] = {}
    found: dict[str, tuple[selectors.WorkItem, list[int]]] = {}
    unroutable: dict[int, dict[str, dict]] = {}
    for d, date in enumerate(days):
        present, staff, modes = selectors.staff_for_day(members=members, day=date)
        if not present:
            continue
        working[d] = (present, modes)
        vehicles += [
            replace(m, key=f"{m.key}@{d}", person=m.key, offset=d * solver.DAY_S) for m in staff
        ]
        items, lost = selectors.day_work(user=actor, dong=dong, day=date, members=present)
        for item in items:
            found.setdefault(item.task.key, (item, []))[1].append(d)
        for row in lost:
            if not any(row["key"] in rows for rows in unroutable.values()):
                unroutable.setdefault(d, {})[row["key"]] = row
    if not working:
        raise DomainError("nobody_working", _("Nobody on the visiting team works that week."))

    tasks, last_day = [], {}
    for key, (item, seen) in found.items():
        first, last = window_days(item, seen, days)
        early, late = item.task.window or (0, solver.DAY_S - 1)
        window = (first * solver.DAY_S + early, last * solver.DAY_S + late)
        tasks.append(replace(item.task, window=window))
        last_day[key] = last
    by_key = {key: item for key, (item, _seen) in found.items()}
    started = time.perf_counter()
    result = solver.plan_day(
        depot=depot,
        staff=vehicles,
        tasks=tasks,
        travel=travel,
        time_limit=per_day * len(working),
    )
    solve_ms = int((time.perf_counter() - started) * 1000 / len(working))

    plans = []
    for d, (present, modes) in working.items():
        offset = d * solver.DAY_S
        suffix = f"@{d}"
        routes = {
            k.removesuffix(suffix): [_shift(s, offset) for s in stops]
            for k, stops in result.routes.items()
            if k.endswith(suffix)
        }
        # a visit left out is listed on the last day it could have been done (a working day)
        dropped = [k for k in result.dropped if _listed_on(last_day[k], working) == d]
        plan = DayPlan.objects.select_for_update().filter(dong=dong, day=days[d]).first()
        if plan is not None:
            plan.skipped = []
        plans.append(
            store_plan(
                actor=actor,
                dong=dong,
                day=days[d],
                plan=plan,
                members=present,
                modes=modes,
                routes=routes,
                travel_s={
                    k.removesuffix(suffix): v
                    for k, v in result.travel_s.items()
                    if k.endswith(suffix)
                },
                back_at={
                    k.removesuffix(suffix): v - offset
                    for k, v in result.back_at.items()
                    if k.endswith(suffix)
                },
                by_key=by_key,
                dropped=dropped_rows(dropped, by_key, list(unroutable.get(d, {}).values())),
                solve_ms=solve_ms,
            )
        )
    return plans


def week_plans(*, user: User, dong: Area, day: dt.date) -> QuerySet[DayPlan]:
    """The dong's stored plans of the week of `day` (a read: the week page)."""
    selectors.dong_for(user=user, dong_id=dong.pk)
    days = week_of(day)
    return DayPlan.objects.filter(dong=dong, day__in=days).order_by("day")
