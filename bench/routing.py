"""The rounds' solver, measured.

1. The literature: every VRPTW instance in ../shared/data/vrptw/ (or --data), solved by the
   same code as `manage.py solve_vrptw` at --time-limit seconds (default 10); the gap to the
   best-known distance per instance and on average (target: ≤ 1 % on average).
2. The demo district's real visit load for a week (the week from the demo's today, every
   visit planned or done those days, with its members): the total travel time of maeul's
   rounds against each member visiting their households in the order the visits were due
   (both start and end at the centre and return there for lunch; target: at least 30 % less),
   and the solve time per dong-day (target: under 10 s).

    .venv/bin/python bench/routing.py [--time-limit 10] [--day-limit 2] [--jobs N]
        [--only literature|demo] [--instances C101,R101] [--week DATE] [--joint-apart]
        [--no-nominal-day] [--nominal-day HOURS]

The demo part plans as the hub does: `--day-limit` defaults to the hub's time limit per
dong-day (settings.ROUTING_TIME_LIMIT, `routing.services.DEFAULT_TIME_LIMIT`) and each member's
nominal day is the hub's (settings.ROUTING_NOMINAL_DAY_HOURS, `routing.selectors.nominal_day_s`);
`--nominal-day` shows the figures under another nominal day.

The demo part reads the database of DATABASE_URL (db.sqlite3 after `make demo`).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maeul.settings")
os.environ.setdefault("MAEUL_ENV", "demo")

DATA = ROOT.parent / "shared" / "data" / "vrptw"


def solve_one(args: tuple[str, float]) -> tuple[str, int, float, bool, float]:
    from maeul.routing.solver.vrptw import read_instance, solve_instance

    path, limit = args
    inst = read_instance(path)
    started = time.perf_counter()
    result = solve_instance(inst, time_limit=limit)
    return inst.name, result.routes, result.distance, result.feasible, time.perf_counter() - started


def literature(data: Path, limit: float, jobs: int, only: list[str]) -> None:
    with open(data / "best-known.csv", encoding="utf-8") as fh:
        best = {r["instance"]: r for r in csv.DictReader(fh)}
    files = sorted(p for p in data.iterdir() if p.suffix in (".vrptw", ".txt") and p.is_file())
    if only:
        files = [p for p in files if p.stem in only]
    print(f"VRPTW instances from {data} at {limit:g} s each ({jobs} at a time)")
    print(f"{'instance':10} {'routes':>6} {'fleet':>5} {'distance':>10} {'best':>10} {'gap %':>7}")
    gaps = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for name, routes, distance, feasible, _secs in pool.map(
            solve_one, [(str(p), limit) for p in files]
        ):
            row = best.get(name)
            known = float(row["best_known_distance"]) if row else float("nan")
            fleet = row["vehicles_in_file"] if row else "?"
            gap = (distance - known) / known * 100 if row else float("nan")
            if row:
                gaps.append(gap)
            flag = "" if feasible else "  INFEASIBLE"
            print(
                f"{name:10} {routes:6d} {fleet:>5} {distance:10.1f} {known:10.1f} {gap:7.2f}{flag}"
            )
    if gaps:
        print(
            f"average gap {statistics.mean(gaps):.2f} % over {len(gaps)} instances "
            f"(max {max(gaps):.2f} %; target ≤ 1 %)"
        )


def _due_order_travel(depot, member, visits, travel, lunch=(12 * 3600, 3600)) -> int:
    """A member's day in the order the visits were due: from the centre, each visit in turn,
    back to the centre for lunch once the clock passes noon, back at the end."""
    points = [depot] + [v.point for v in visits]
    secs = travel.seconds(points, member.mode)
    t, prev, total, lunched = member.shift[0], 0, 0, False
    for i, task in enumerate(visits, start=1):
        if not lunched and t >= lunch[0]:
            total += int(secs[prev, 0])
            t += int(secs[prev, 0]) + lunch[1]
            prev, lunched = 0, True
        total += int(secs[prev, i])
        t += int(secs[prev, i]) + task.service_s
        prev = i
    return total + int(secs[prev, 0])


def _due_order(per_member, per_member_day, n_days, depot, mode, travel, skip: set[str]) -> int:
    """In the order they were due: each member's visits of the week by due date, as many a
    day as the member actually did that day (`skip`: visits left out of the comparison)."""
    total = 0
    for pk, items in per_member.items():
        ordered = [t for _, _, t in sorted(items, key=lambda x: (x[0], x[1]))]
        for d in range(n_days):
            n = per_member_day.get((pk, d), 0)
            today, ordered = ordered[:n], ordered[n:]
            today = [t for t in today if t.key not in skip]
            if today:
                total += _due_order_travel(depot, mode[str(pk)], today, travel)
    return total


def _week_load(dong, days):
    """The dong's visits of the week (planned or done, not cancelled), with their members."""
    from django.db.models import Prefetch

    from maeul.accounts.models import User
    from maeul.visits.models import Visit

    return list(
        Visit.objects.filter(dong=dong, planned_on__in=days)
        .exclude(status=Visit.Status.CANCELLED)
        .exclude(household__lat__isnull=True)
        .select_related("household", "lead")
        .prefetch_related(Prefetch("members", queryset=User.objects.order_by("pk")))
        .order_by("planned_on", "id")
    )


def _due(visit, follow_ups) -> dt.date:
    """When the visit was due: its case follow-up's date, its lead's due time, else its day."""
    if visit.pk in follow_ups:
        return follow_ups[visit.pk]
    if visit.lead_id and visit.lead:
        return visit.lead.due_at.date()
    return visit.planned_on


def demo(
    day_limit: float | None,
    week_of: dt.date | None,
    joint_apart: bool = False,
    no_nominal_day: bool = False,
    nominal_day: float | None = None,
) -> None:
    import django

    django.setup()
    from maeul.areas.models import Area
    from maeul.cases.models import FollowUp
    from maeul.demo import facts
    from maeul.discovery.models import Lead
    from maeul.routing import selectors
    from maeul.routing.solver.day import DAY_S, Staff, Task, plan_day, week_staff
    from maeul.routing.solver.travel import Crowfly

    if no_nominal_day:
        # what the nominal day costs: no price on a member's long day (up to the
        # shift's end), as the baseline has none; maeul's rounds keep it
        from maeul.routing.solver import day as day_solver

        day_solver.OVERTIME_COST = 0

    # the hub's settings: its time limit per dong-day and each member's nominal day
    from maeul.routing.services import _time_limit

    day_limit = _time_limit(day_limit)
    nominal_s = selectors.nominal_day_s() if nominal_day is None else int(nominal_day * 3600)
    start = week_of or facts.ANCHOR_TODAY
    start -= dt.timedelta(days=start.weekday())
    days = [start + dt.timedelta(days=i) for i in range(5)]
    travel = Crowfly()
    dongs = list(Area.objects.filter(level=Area.Level.DONG, lat__isnull=False).order_by("code"))
    print(
        f"\nDemo district, week of {days[0]} (Mon–Fri), {len(dongs)} dongs; "
        f"{day_limit:g} s per dong-day; nominal day {nominal_s / 3600:g} h"
    )
    due_total = day_total = week_total = due_day_same = due_week_same = 0
    week_with_dropped = 0
    day_times: list[float] = []
    week_times: list[float] = []
    visits_n = day_dropped = week_dropped = 0
    for dong in dongs:
        visits = _week_load(dong, days)
        if not visits:
            continue
        follow_ups = dict(
            FollowUp.objects.filter(visit__in=visits).values_list("visit_id", "due_on")
        )
        members = {m.pk: m for v in visits for m in v.members.all()}
        staff = [
            Staff(key=str(pk), mode=selectors.mode_of(m), nominal_s=nominal_s)
            for pk, m in members.items()
        ]
        mode = {st.key: st for st in staff}
        depot = (dong.lat, dong.lon)
        week_tasks = []
        per_member_day: dict[tuple[int, int], int] = {}
        per_member: dict[int, list[tuple[dt.date, int, Task]]] = {pk: [] for pk in members}
        by_day: dict[int, list[Task]] = {}
        for v in visits:
            who = [m.pk for m in v.members.all()]
            d = days.index(v.planned_on)
            common = dict(
                key=f"visit:{v.pk}",
                point=(v.household.lat, v.household.lon),
                service_s=selectors.SERVICE_MIN.get(v.kind, 40) * 60,
                priority=2,
                staff=tuple(str(pk) for pk in who),
                needed=len(who) if len(who) > 1 else 1,
            )
            by_day.setdefault(d, []).append(Task(**common))
            # the week's plan may bring a visit forward, and move it later up to the day it is
            # due (within the week), never past both its day and its due date; an emergency
            # keeps its day
            emergency = bool(v.lead_id and v.lead and v.lead.urgency == Lead.Urgency.EMERGENCY)
            due = _due(v, follow_ups)
            last = d if emergency else max(d, min((due - days[0]).days, len(days) - 1))
            first = d if emergency else 0
            window = (first * DAY_S, last * DAY_S + DAY_S - 1)
            if joint_apart and len(who) > 1:
                # what synchronising costs: each member goes on their own (as the baseline)
                for pk in who:
                    apart = {**common, "key": f"{common['key']}#{pk}", "staff": (str(pk),)}
                    week_tasks.append(Task(**{**apart, "needed": 1}, window=window))
            else:
                week_tasks.append(Task(**common, window=window))
            for pk in who:
                per_member[pk].append((_due(v, follow_ups), v.pk, by_day[d][-1]))
                per_member_day[(pk, d)] = per_member_day.get((pk, d), 0) + 1
        visits_n += len(visits)

        due_total += _due_order(per_member, per_member_day, len(days), depot, mode, travel, set())
        # maeul, a day at a time (the days as planned)
        skipped: set[str] = set()
        for tasks in by_day.values():
            started = time.perf_counter()
            plan = plan_day(
                depot=depot, staff=staff, tasks=tasks, travel=travel, time_limit=day_limit
            )
            day_times.append(time.perf_counter() - started)
            day_total += plan.total_travel_s
            day_dropped += len(plan.dropped)
            skipped |= set(plan.dropped)
        due_day_same += _due_order(
            per_member, per_member_day, len(days), depot, mode, travel, skipped
        )
        # maeul, the week at once
        started = time.perf_counter()
        plan = plan_day(
            depot=depot,
            staff=week_staff(staff, len(days)),
            tasks=week_tasks,
            travel=travel,
            time_limit=day_limit * len(days),
        )
        week_times.append(time.perf_counter() - started)
        week_total += plan.total_travel_s
        week_dropped += len(plan.dropped)
        out = {k.partition("#")[0] for k in plan.dropped}
        due_week_same += _due_order(per_member, per_member_day, len(days), depot, mode, travel, out)
        # a dropped visit still has to be made: a trip of its own for each of its members
        by_key = {t.key: t for t in week_tasks}
        for key in plan.dropped:
            task = by_key[key]
            for who in task.staff:
                leg = travel.seconds([depot, task.point], mode[who].mode)
                week_with_dropped += int(leg[0, 1] + leg[1, 0])
        week_with_dropped += plan.total_travel_s
    if not day_times:
        print("no visits in that week: build the demo first (make demo)")
        return

    def saved(total: int, base: int) -> str:
        return f"{(1 - total / base) * 100:.1f} %" if base else "-"

    print(f"visits {visits_n} over {len(day_times)} dong-days")
    print(f"travel, visits in the order they were due:        {due_total / 3600:7.1f} h")
    print(
        f"travel, maeul's rounds day by day (days as given): {day_total / 3600:7.1f} h"
        f"  saved {saved(day_total, due_day_same)}  (dropped {day_dropped}: too much for"
        " one member's shift; compared on the same visits)"
    )
    print(
        f"travel, maeul's rounds planned for the week:        {week_total / 3600:7.1f} h"
        f"  saved {saved(week_total, due_week_same)}  (dropped {week_dropped}; compared on the"
        " same visits; target ≥ 30 %)"
        + ("  [joint visits apart: each member on their own]" if joint_apart else "")
        + ("  [no nominal day: no price on a long day]" if no_nominal_day else "")
    )
    print(
        f"  the same, every visit of the week counted (a dropped one as a trip of its own): "
        f"{week_with_dropped / 3600:.1f} h, saved {saved(week_with_dropped, due_total)}"
    )
    print(
        f"solve time per dong-day: mean {statistics.mean(day_times):.2f} s, "
        f"max {max(day_times):.2f} s; per dong-week {statistics.mean(week_times):.2f} s "
        f"= {statistics.mean(week_times) / len(days):.2f} s a day (target < 10 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument(
        "--day-limit", type=float, default=None, help="default: the hub's (ROUTING_TIME_LIMIT)"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", choices=["literature", "demo"])
    parser.add_argument("--instances", default="")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--week", type=dt.date.fromisoformat, default=None)
    parser.add_argument(
        "--joint-apart",
        action="store_true",
        help="plan the week with each member of a joint visit going on their own, as the "
        "baseline does: the price of synchronising joint visits",
    )
    parser.add_argument(
        "--no-nominal-day",
        action="store_true",
        help="plan without the price on a member's day past the nominal day (the planner's "
        "way to share the work and keep time for the records), as the baseline: what it costs",
    )
    parser.add_argument(
        "--nominal-day",
        type=float,
        default=None,
        help="hours out (lunch included) past which a member's day is priced; default: the "
        "hub's (ROUTING_NOMINAL_DAY_HOURS)",
    )
    args = parser.parse_args()
    if args.only != "demo":
        only = [n for n in args.instances.split(",") if n]
        literature(args.data, args.time_limit, max(1, args.jobs), only)
    if args.only != "literature":
        demo(args.day_limit, args.week, args.joint_apart, args.no_nominal_day, args.nominal_day)


if __name__ == "__main__":
    main()
