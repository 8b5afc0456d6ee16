"""A dong's day of visits for its staff, as a PyVRP problem.

Modelling (docs/routing.md has the long form):

* each staff member is a vehicle type of one vehicle with its own routing profile: its mode
  of travel's travel times, its shift as time window, start and end at the centre (depot);
* a visit is an optional client with a prize (its urgency, more when overdue); an emergency's
  prize is larger than every routine prize and every route cost together, so the solver
  drops any number of routine visits before one emergency; a final check re-solves with the
  emergencies required if a search ever did otherwise;
* a task that names who must go (an assigned lead, a case's manager) is closed to others by a
  prohibitive cost on the edges into it in their profiles;
* the lunch break is a required client of its own staff member, at the centre, with the
  lunch window and its duration as service time (closed to the others the same way);
* a joint visit (two or three people at one door at the same time) is one client per person
  (copies). Solve, then synchronise: the first solve places the copies freely (never two
  copies in a row on one route); the copies of a joint visit served by all its members get
  the latest of their start times as a fixed window [T, T] and the day is solved again (warm
  start), so the members meet at the door at T; a joint visit not served by all its members
  is dropped as a whole and reported;
* re-planning from a previous plan keeps the day stable: moving a visit to another member
  costs MOVE_PENALTY and reaching a visit from another place than before costs
  ORDER_PENALTY (both in seconds of travel), and the previous routes are the warm start;
  a joint visit keeps its time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np

from maeul.routing.solver import core
from maeul.routing.solver.travel import WALK, Crowfly, TravelTimes

EMERGENCY = 0
#: Prize (seconds of travel a visit is worth) by priority: 0 emergency (computed), 1 urgent,
#: 2 high, 3 normal, 4 low; an overdue visit gains OVERDUE_PRIZE per day (30 days at most).
PRIZES = {1: 4 * 3600, 2: 2 * 3600, 3: 3600, 4: 1800}
OVERDUE_PRIZE = 300
MOVE_PENALTY = 3600
ORDER_PENALTY = 900
#: Costs are in quarter seconds of travel, so that a second beyond a member's nominal day
#: (`Staff.nominal_s`, from leaving the centre to coming back, lunch at the centre included)
#: costs a quarter of a second of travel: enough to share a day's visits among the members
#: rather than send one member to every door, too little to drop a visit that fits.
COST_PER_S = 4
OVERTIME_COST = 1
#: The nominal day's default: eight hours out of a nine-hour shift, lunch included (9:00–17:00
#: on a full day), the last hour at the centre for the records. The hub's setting
#: (settings.ROUTING_NOMINAL_DAY_HOURS, `routing.selectors.nominal_day_s`) is what the hub
#: and the benchmark use.
NOMINAL_DAY_S = 8 * 3600
LUNCH = "lunch"
DAY_S = 86_400
#: Solves at most per plan, and grid times tried per joint visit before it is dropped.
MAX_ROUNDS = 16
MAX_TIMES = 4
#: Whether a joint visit given the latest of its members' times is tried at the earliest too
#: (one more solve each; the cheaper day is kept).
PROBE = 1
#: The time limit is for the whole plan, re-solves included: the first solve takes this
#: share of it (less when joint visits will need re-solves to meet at the door), each
#: re-solve an equal part of what is left among those that may still come (one per joint
#: visit not yet given a time, and RESERVE_SOLVES more for times that do not work). Below
#: MIN_SOLVE_S left, no re-solve starts: a joint visit not synchronised by then is dropped.
FIRST_SHARE = 0.8
FIRST_SHARE_JOINT = 0.5
RESERVE_SOLVES = 2
MIN_SOLVE_S = 0.02
#: What is left of the limit once the day stands (every joint visit at its time, the
#: emergencies checked) polishes it, if at least this share of the limit.
POLISH_SHARE = 0.05
#: Searches of a plan from scratch, from different seeds, the cheapest kept. The joint
#: visits' times are fixed one at a time, greedily, so where a search ends depends more on
#: its seed than on its time: two searches of half the limit each do better than one of the
#: whole. A search after the first starts only with at least MIN_START_S to run.
STARTS = 2
MIN_START_S = 0.1


@dataclass
class Task:
    key: str
    point: tuple[float, float]  # (lat, lon)
    service_s: int = 30 * 60
    window: tuple[int, int] | None = None  # seconds since midnight
    priority: int = 3
    overdue_days: int = 0
    staff: tuple[str, ...] = ()  # who may go (one of them), or for a joint visit who go
    needed: int = 1  # people at the door at once
    fixed_start: int | None = None


@dataclass
class Staff:
    """A member's working day (a vehicle). For a week, one per member and day: `key` names the
    day's round, `person` the member (what `Task.staff` names), `offset` the day's start in
    seconds from the first day's midnight (day × 86 400), added to the shift and the lunch."""

    key: str
    mode: str = WALK
    shift: tuple[int, int] = (9 * 3600, 18 * 3600)
    lunch: tuple[int, int, int] | None = (12 * 3600, 13 * 3600, 3600)  # earliest, latest, length
    person: str = ""
    offset: int = 0
    #: takes only the tasks that name them (the head of the dong: their regular visits, the
    #: visits they join, a lead given to them), never the team's open work
    named_only: bool = False
    #: past this much time out (leaving the centre to coming back, lunch included) each
    #: second costs OVERTIME_COST (up to the shift's end): the work shared among the members
    nominal_s: int = NOMINAL_DAY_S

    @property
    def who(self) -> str:
        return self.person or self.key


@dataclass
class Stop:
    key: str  # task key, or "lunch"
    arrive: int
    start: int
    end: int
    travel_s: int  # from the previous place


@dataclass
class DayPlan:
    routes: dict[str, list[Stop]]
    dropped: list[str]
    travel_s: dict[str, int]
    back_at: dict[str, int]
    joint_starts: dict[str, int] = field(default_factory=dict)
    #: the seconds of search given to each solve (the first, then the re-solves that
    #: synchronise joint visits): together never more than the plan's time limit
    budgets: list[float] = field(default_factory=list)

    @property
    def total_travel_s(self) -> int:
        return sum(self.travel_s.values())

    def staff_of(self, key: str) -> list[str]:
        return [s for s, stops in self.routes.items() if any(st.key == key for st in stops)]


@dataclass
class _Client:
    task: Task | None
    slot_only: str | None = None  # a lunch break: that round only
    person_only: str | None = None  # a named member of a joint visit
    copy: int = 0

    def closed_to(self, member: Staff) -> bool:
        if self.slot_only is not None:
            return self.slot_only != member.key
        if self.person_only is not None:
            return self.person_only != member.who
        task = self.task
        if task is not None and task.staff and task.needed <= 1:
            return member.who not in task.staff  # named members only
        # open work (nobody named, or an unnamed copy of a joint visit): the team's
        return member.named_only


class _Model:
    def __init__(
        self,
        depot: tuple[float, float],
        staff: list[Staff],
        tasks: list[Task],
        travel: TravelTimes,
    ):
        self.staff = staff
        self.tasks = tasks
        self.clients: list[_Client] = []
        for task in tasks:
            for copy in range(max(1, task.needed)):
                only = None
                if task.needed > 1 and len(task.staff) == task.needed:
                    only = task.staff[copy]
                self.clients.append(_Client(task=task, person_only=only, copy=copy))
        for member in staff:
            if member.lunch is not None:
                self.clients.append(_Client(task=None, slot_only=member.key))
        points = [depot] + [(c.task.point if c.task is not None else depot) for c in self.clients]
        self.points = points
        by_mode = {mode: travel.seconds(points, mode) for mode in {m.mode for m in staff}}
        self.durations = {m.key: by_mode[m.mode] for m in staff}  # real travel, per round
        max_travel = max((int(d.max()) for d in self.durations.values()), default=0)
        routine = sum(self.prize(t, emergency_prize=0) * max(1, t.needed) for t in tasks)
        self.emergency_prize = (
            2 * (routine + (len(points) + len(staff)) * max_travel + len(staff) * DAY_S) + 10**6
        )
        self.forbid = 50 * self.emergency_prize

    def prize(self, task: Task, *, emergency_prize: int | None = None) -> int:
        if task.priority <= EMERGENCY:
            return self.emergency_prize if emergency_prize is None else emergency_prize
        base = PRIZES.get(task.priority, PRIZES[3])
        return base + OVERDUE_PRIZE * min(max(task.overdue_days, 0), 30)

    def instance(
        self,
        *,
        fixed: dict[str, int],
        excluded: set[str],
        forced: set[str],
        require_emergencies: bool,
        previous: DayPlan | None,
    ) -> core.Instance:
        staff_index = {m.key: i for i, m in enumerate(self.staff)}
        clients: list[core.Client] = []
        for i, c in enumerate(self.clients):
            loc = i + 1
            if c.task is None:
                member = self.staff[staff_index[c.slot_only or ""]]
                early, late, length = member.lunch or (0, 0, 0)
                clients.append(
                    core.Client(
                        location=loc,
                        service=length,
                        tw_early=member.offset + early,
                        tw_late=member.offset + late,
                        name=LUNCH,
                    )
                )
                continue
            task = c.task
            early, late = task.window or (0, core.HORIZON)
            start = fixed.get(task.key, task.fixed_start)
            if start is not None:
                early = late = start
            out = task.key in excluded
            emergency = task.priority <= EMERGENCY
            clients.append(
                core.Client(
                    location=loc,
                    service=task.service_s,
                    tw_early=early,
                    tw_late=late,
                    prize=0 if out else self.prize(task) * COST_PER_S,
                    required=bool(
                        (require_emergencies and emergency and not out) or task.key in forced
                    ),
                    name=task.key,
                )
            )
        distances, durations, vehicles = [], [], []
        for p, member in enumerate(self.staff):
            dur = self.durations[member.key]
            cost = dur * COST_PER_S
            for i, c in enumerate(self.clients):
                col = i + 1
                task = c.task
                closed = c.closed_to(member)
                if task is not None:
                    closed = closed or task.key in excluded
                if closed:
                    cost[:, col] += self.forbid
            # never two copies of one joint visit in a row on one route
            by_task: dict[str, list[int]] = {}
            for i, c in enumerate(self.clients):
                if c.task is not None and c.task.needed > 1:
                    by_task.setdefault(c.task.key, []).append(i + 1)
            for cols in by_task.values():
                for a in cols:
                    for b in cols:
                        if a != b:
                            cost[a, b] += self.forbid
            if previous is not None:
                self._stability(cost, member, previous)  # (in cost units)
            np.fill_diagonal(cost, 0)
            distances.append(cost)
            durations.append(dur)
            vehicles.append(
                core.Vehicle(
                    count=1,
                    tw_early=member.offset + member.shift[0],
                    tw_late=member.offset + member.shift[1],
                    shift_duration=min(member.nominal_s, member.shift[1] - member.shift[0]),
                    max_overtime=max(0, member.shift[1] - member.shift[0] - member.nominal_s),
                    overtime_cost=OVERTIME_COST,
                    profile=p,
                    name=member.key,
                )
            )
        shifts = [(m.offset + m.shift[0], m.offset + m.shift[1]) for m in self.staff] or [
            (0, core.HORIZON)
        ]
        return core.Instance(
            coords=[(lon, lat) for lat, lon in self.points],
            distances=distances,
            durations=durations,
            clients=clients,
            vehicles=vehicles,
            depot_tw=(min(s[0] for s in shifts), max(s[1] for s in shifts)),
        )

    def _column_of(self, member: Staff) -> dict[str, int]:
        """Location index of each task copy this member may serve, by key (and lunch)."""
        cols: dict[str, int] = {}
        for i, c in enumerate(self.clients):
            if c.closed_to(member):
                continue
            cols.setdefault(c.task.key if c.task is not None else LUNCH, i + 1)
        return cols

    def _stability(self, cost: np.ndarray, staff: Staff, previous: DayPlan) -> None:
        member = staff.key
        before_of: dict[str, str] = {}
        owner: dict[str, set[str]] = {}
        for who, stops in previous.routes.items():
            for stop in stops:
                owner.setdefault(stop.key, set()).add(who)
        present = {t.key for t in self.tasks} | {LUNCH}
        mine = [s.key for s in previous.routes.get(member, []) if s.key in present]
        prev = "depot"
        for key in mine:
            before_of[key] = prev
            prev = key
        cols = self._column_of(staff)
        for i, c in enumerate(self.clients):
            col = i + 1
            key = c.task.key if c.task is not None else LUNCH
            if c.task is not None and key in owner and member not in owner[key]:
                cost[:, col] += MOVE_PENALTY * COST_PER_S
            if key in before_of:
                was = before_of[key]
                keep = 0 if was == "depot" else cols.get(was)
                mask = np.ones(cost.shape[0], dtype=bool)
                if keep is not None:
                    mask[keep] = False
                cost[mask, col] += ORDER_PENALTY * COST_PER_S

    def warm_start(self, previous: DayPlan | None) -> list[tuple[int, list[int]]] | None:
        if previous is None:
            return None
        routes = []
        used: set[int] = set()
        for p, member in enumerate(self.staff):
            order = []
            for stop in previous.routes.get(member.key, []):
                for i, c in enumerate(self.clients):
                    key = c.task.key if c.task is not None else LUNCH
                    if i in used or key != stop.key:
                        continue
                    if c.closed_to(member):
                        continue
                    order.append(i)
                    used.add(i)
                    break
            routes.append((p, order))
        return routes


def week_staff(staff: list[Staff], days: int) -> list[Staff]:
    """The rounds of a week (or any run of days): one per member and day, keyed
    `<member>@<day>`; a task's window in the same clock (day × DAY_S + seconds) says on which
    days it may be done."""
    return [
        replace(m, key=f"{m.who}@{d}", person=m.who, offset=m.offset + d * DAY_S)
        for d in range(days)
        for m in staff
    ]


def plan_day(
    *,
    depot: tuple[float, float],
    staff: list[Staff],
    tasks: list[Task],
    travel: TravelTimes | None = None,
    time_limit: float = 2.0,
    seed: int = 1,
    previous: DayPlan | None = None,
) -> DayPlan:
    """Each member's ordered stops for the day, the dropped tasks, the travel times.

    A plan from scratch is searched STARTS times from different seeds, each with an equal
    share of what is left of the limit, and the cheapest kept (`_score`: what the search
    minimises). A re-plan from a previous plan is searched once, from that plan (stability)."""
    keys = [t.key for t in tasks]
    if len(set(keys)) != len(keys):
        raise ValueError("task keys must be unique")
    if not staff:
        return DayPlan(routes={}, dropped=list(keys), travel_s={}, back_at={})
    model = _Model(depot, staff, tasks, travel or Crowfly())
    starts = 1 if previous is not None else max(1, STARTS)
    deadline = time.perf_counter() + time_limit
    best: DayPlan | None = None
    best_score = 0
    budgets: list[float] = []
    for k in range(starts):
        left = time_limit if k == 0 else deadline - time.perf_counter()
        share = left / (starts - k)
        if best is not None and share < MIN_START_S:
            break
        plan = _search_day(
            model, time_limit=share, seed=seed + 100 * k, previous=previous, staff=staff
        )
        budgets += plan.budgets
        score = _score(model, plan)
        if best is None or score < best_score:
            best, best_score = plan, score
    assert best is not None
    best.budgets = budgets
    return best


def _score(model: _Model, plan: DayPlan) -> int:
    """What the search minimises, to compare plans searched from different seeds: the
    travel, the seconds past each member's nominal day, and the prize of every task left
    out (an emergency's outweighs everything else), in cost units."""
    cost = COST_PER_S * plan.total_travel_s
    for member in model.staff:
        stops = plan.routes.get(member.key) or []
        if not stops or member.key not in plan.back_at:
            continue
        length = member.shift[1] - member.shift[0]
        out = plan.back_at[member.key] - (stops[0].arrive - stops[0].travel_s)
        cost += OVERTIME_COST * max(0, out - min(member.nominal_s, length))
    dropped = set(plan.dropped)
    cost += sum(
        model.prize(t) * max(1, t.needed) * COST_PER_S for t in model.tasks if t.key in dropped
    )
    return cost


def _search_day(
    model: _Model,
    *,
    time_limit: float,
    seed: int,
    previous: DayPlan | None,
    staff: list[Staff],
) -> DayPlan:
    """One search of the day (the first solve, the joint visits synchronised, the polish)
    within `time_limit`."""
    tasks = model.tasks
    by_key = {t.key: t for t in tasks}
    fixed: dict[str, int] = {}
    if previous is not None:
        fixed = {k: v for k, v in previous.joint_starts.items() if k in by_key}
    require = False
    joint = [t for t in tasks if t.needed > 1]
    # a joint visit that too few of the day's people may go to is dropped from the start,
    # rather than tried at every time of the day
    excluded: set[str] = {t.key for t in joint if not _staffable(t, staff)}
    warm = model.warm_start(previous)
    deadline = time.perf_counter() + time_limit
    budgets: list[float] = []
    outcome = None
    # a joint visit kept from the previous plan keeps its time, with every member required
    forced: set[str] = {k for k in fixed if by_key[k].needed > 1}
    order: list[str] = sorted(forced)  # forced joint visits, in the order their times were fixed
    tries: dict[str, list[int]] = {}  # further times to try for a joint visit

    def next_time(task: Task, seen: list[int]) -> bool:
        """Fix the joint visit at its next candidate time; False when none is left."""
        if task.key not in tries:
            tries[task.key] = _candidate_times(task, seen, staff)
        while tries[task.key]:
            t = tries[task.key].pop(0)
            if t != fixed.get(task.key):
                fixed[task.key] = t
                forced.add(task.key)
                return True
        return False

    def current_instance():
        """The day as it stands: the joint visits fixed, excluded and forced so far."""
        return model.instance(
            fixed=fixed,
            excluded=excluded,
            forced=forced,
            require_emergencies=require,
            previous=previous,
        )

    probe: _Probe | None = None  # a joint visit tried at its other time
    for round_no in range(MAX_ROUNDS):
        open_joint = sum(1 for t in joint if t.key not in excluded and t.key not in forced)
        if round_no == 0:
            budget = time_limit * (FIRST_SHARE_JOINT if joint else FIRST_SHARE)
        else:
            budget = solve_share(
                deadline - time.perf_counter(),
                solves_left=min(
                    MAX_ROUNDS - round_no,
                    (1 + PROBE) * open_joint + int(probe is not None) + RESERVE_SOLVES,
                ),
            )
            if budget < MIN_SOLVE_S:
                break  # out of time: the final check drops what is not synchronised
        budgets.append(budget)
        inst = current_instance()
        outcome = core.solve(inst, time_limit=budget, seed=seed, initial=warm)
        warm = [(r.vehicle, [v.client for v in r.visits]) for r in outcome.routes]
        if probe is not None and probe.outcome is not None:
            # the joint visit at its other time: kept if the day costs less, else back
            if not (
                outcome.feasible
                and outcome.cost < probe.outcome.cost
                and _synchronised(model, outcome, order, by_key)
            ):
                fixed[probe.key] = probe.time
                outcome, warm = probe.outcome, probe.warm
            probe = None
        starts = _starts(model, outcome)
        wrong = _misplaced(model, outcome)
        late_routes = {r.vehicle for r in outcome.routes if r.time_warp > 0}
        changed = False
        # emergencies never dropped while a routine visit is kept
        served = set(starts)
        lost = any(t.priority <= EMERGENCY and t.key not in served for t in tasks)
        kept_routine = any(t.priority > EMERGENCY and t.key in served for t in tasks)
        if lost and kept_routine and not require:
            require = True
            changed = True
        # joint visits, one per round: first a fixed time that did not work (the latest
        # fixed first), else a visit whose members were not there together (all of them at
        # once would be fewer solves, but their times collide: a member due at two doors)
        pending: list[tuple[Task, list[int]]] = []
        for key in reversed(order):
            got = starts.get(key, [])
            task = by_key[key]
            if not _at_door(task, got, wrong, late_routes):
                pending = [(task, [])]
                break
        if not pending and order and not outcome.feasible:
            pending = [(by_key[order[-1]], [])]
        if not pending and not changed and probe is not None:
            # the latest of the members' times works: try the earliest (the other member
            # moves instead), unless it is where the visit already is
            if outcome.feasible and probe.other != fixed.get(probe.key):
                probe.time, probe.outcome, probe.warm = fixed[probe.key], outcome, warm
                fixed[probe.key] = probe.other
                changed = True
            else:
                probe = None
        if not pending and not changed:
            for task in joint:
                if task.key in excluded or task.key in forced:
                    continue
                got = starts.get(task.key, [])
                complete = len(got) >= task.needed and len({w for w, _ in got}) >= task.needed
                times = sorted({t for _, t in got})
                if got and (not complete or len(times) > 1 or task.key in wrong):
                    pending = [(task, times)]
                    break
        for task, times in pending:
            changed = True
            if task.key in order:
                order.remove(task.key)
            if next_time(task, times):
                order.append(task.key)
                rounds_after = MAX_ROUNDS - round_no - 2
                if (
                    PROBE
                    and probe is None
                    and len(times) > 1
                    and rounds_after > (1 + PROBE) * open_joint + RESERVE_SOLVES
                ):
                    probe = _Probe(key=task.key, other=times[0])
            else:
                forced.discard(task.key)
                excluded.add(task.key)
                if probe is not None and probe.key == task.key:
                    probe = None
        if not changed:
            break
    assert outcome is not None
    # the time left improves the day as it stands (every joint visit at its time): kept
    # only when it costs less and still has every member at the door together
    left = deadline - time.perf_counter()
    if not changed and left >= max(MIN_SOLVE_S, POLISH_SHARE * time_limit):
        budgets.append(left)
        inst = current_instance()
        better = core.solve(inst, time_limit=left, seed=seed + 1, initial=warm)
        if (
            better.feasible >= outcome.feasible
            and better.cost < outcome.cost
            and _synchronised(model, better, order, by_key)
            and _keeps_emergencies(tasks, better, model)
        ):
            outcome = better
    plan = _plan(model, outcome)
    plan.budgets = budgets
    return plan


@dataclass
class _Probe:
    """A joint visit given the latest of its members' times, to be tried at the earliest."""

    key: str
    other: int
    time: int = 0
    outcome: core.Outcome | None = None
    warm: list[tuple[int, list[int]]] | None = None


def _staffable(task: Task, staff: list[Staff]) -> bool:
    people = {m.who for m in staff}
    if len(task.staff) == task.needed:  # each copy names its member
        return set(task.staff) <= people
    return task.needed <= len({m.who for m in staff if not m.named_only})


def _at_door(task: Task, got: list[tuple[int, int]], wrong: set[str], late: set[int]) -> bool:
    """Whether a joint visit with a fixed time has every member at the door at that time."""
    complete = len(got) >= task.needed and len({w for w, _ in got}) >= task.needed
    return complete and task.key not in wrong and not any(w in late for w, _ in got)


def _synchronised(model: _Model, outcome: core.Outcome, order: list[str], by_key) -> bool:
    starts = _starts(model, outcome)
    wrong = _misplaced(model, outcome)
    late = {r.vehicle for r in outcome.routes if r.time_warp > 0}
    return all(_at_door(by_key[k], starts.get(k, []), wrong, late) for k in order)


def _keeps_emergencies(tasks: list[Task], outcome: core.Outcome, model: _Model) -> bool:
    served = set(_starts(model, outcome))
    lost = any(t.priority <= EMERGENCY and t.key not in served for t in tasks)
    return not (lost and any(t.priority > EMERGENCY and t.key in served for t in tasks))


def solve_share(remaining: float, *, solves_left: int) -> float:
    """The seconds of search for the next re-solve: an equal part of the time left among the
    solves that may still come, so that all the solves of a day together stay within its
    time limit (each solve runs for its budget: the next one is given what is left)."""
    return max(0.0, remaining) / max(1, solves_left)


def _candidate_times(task: Task, seen: list[int], staff: list[Staff]) -> list[int]:
    """Times at which the members of a joint visit could meet: the latest and earliest of
    the times the solver had them there, then the half hours of the day from the morning,
    inside the visit's window."""
    day = (max(seen) // DAY_S) * DAY_S if seen else min((m.offset for m in staff), default=0)
    early, late = task.window or (0, core.HORIZON)
    grid = [day + h * 1800 for h in range(19, 34)]  # 9:30 … 16:30
    ordered = sorted(seen, reverse=True)[:1] + sorted(seen)[:1] + grid
    out: list[int] = []
    for t in ordered:
        if early <= t <= late - 0 and t not in out:
            out.append(t)
    return out[: 2 + MAX_TIMES]


def _starts(model: _Model, outcome: core.Outcome) -> dict[str, list[tuple[int, int]]]:
    got: dict[str, list[tuple[int, int]]] = {}
    for route in outcome.routes:
        for v in route.visits:
            task = model.clients[v.client].task
            if task is not None:
                got.setdefault(task.key, []).append((route.vehicle, v.start))
    return got


def _misplaced(model: _Model, outcome: core.Outcome) -> set[str]:
    """Tasks served on a round closed to them (a forced joint visit's copy at a time its
    member could not make, taken by someone else at the prohibitive cost): not served."""
    wrong: set[str] = set()
    for route in outcome.routes:
        member = model.staff[route.vehicle]
        for v in route.visits:
            c = model.clients[v.client]
            if c.task is not None and c.closed_to(member):
                wrong.add(c.task.key)
    return wrong


def _plan(model: _Model, outcome: core.Outcome) -> DayPlan:
    routes: dict[str, list[Stop]] = {m.key: [] for m in model.staff}
    travel: dict[str, int] = {m.key: 0 for m in model.staff}
    back: dict[str, int] = {}
    served: dict[str, int] = {}
    starts: dict[str, set[int]] = {}
    wrong = _misplaced(model, outcome)
    for route in outcome.routes:
        member = model.staff[route.vehicle]
        dur = model.durations[member.key]
        prev = 0
        for v in route.visits:
            loc = v.client + 1
            c = model.clients[v.client]
            leg = int(dur[prev, loc])
            key = c.task.key if c.task is not None else LUNCH
            routes[member.key].append(
                Stop(key=key, arrive=v.start - v.wait, start=v.start, end=v.end, travel_s=leg)
            )
            travel[member.key] += leg
            served[key] = served.get(key, 0) + 1
            starts.setdefault(key, set()).add(v.start)
            if route.time_warp > 0:
                starts[key].add(-1)  # a late route: its member is not there on time
            prev = loc
        travel[member.key] += int(dur[prev, 0])
        back[member.key] = route.end
    dropped = []
    for task in model.tasks:
        apart = task.needed > 1 and len(starts.get(task.key, ())) > 1  # not at once
        if served.get(task.key, 0) < max(1, task.needed) or task.key in wrong or apart:
            dropped.append(task.key)
            if served.get(task.key):  # a joint visit half served: take it off every route
                for member in routes:
                    routes[member] = [s for s in routes[member] if s.key != task.key]
    joint_starts = {
        t.key: min(starts[t.key]) for t in model.tasks if t.needed > 1 and t.key not in dropped
    }
    return DayPlan(
        routes=routes, dropped=dropped, travel_s=travel, back_at=back, joint_starts=joint_starts
    )
