"""The day planner's promises: time windows, lunch, joint visits at the same time, emergencies
before routine visits, dropped visits reported, a stable day after one change."""

import random

import numpy as np
import pytest

from maeul.routing.solver import day
from maeul.routing.solver.day import LUNCH, Staff, Task, plan_day
from maeul.routing.solver.travel import CAR, WALK, Crowfly, GivenMatrix

CENTRE = (35.1630, 129.1130)
H = 3600


def around(rng, spread=0.006):
    return (CENTRE[0] + rng.uniform(-spread, spread), CENTRE[1] + rng.uniform(-spread, spread))


def day_tasks(n, seed=7, **kwargs):
    rng = random.Random(seed)
    return [Task(key=f"v{i}", point=around(rng), **kwargs) for i in range(n)]


def stops_of(plan, key):
    return [(who, s) for who, stops in plan.routes.items() for s in stops if s.key == key]


def test_time_windows_shift_and_lunch_are_respected():
    rng = random.Random(1)
    tasks = []
    for i in range(14):
        start = rng.choice([9, 10, 13, 14]) * H
        tasks.append(Task(key=f"v{i}", point=around(rng), window=(start, start + 2 * H)))
    staff = [Staff("a"), Staff("b", mode=CAR, shift=(10 * H, 17 * H))]
    plan = plan_day(depot=CENTRE, staff=staff, tasks=tasks, time_limit=1)
    windows = {t.key: t.window for t in tasks}
    served = 0
    for who, stops in plan.routes.items():
        shift = next(m.shift for m in staff if m.key == who)
        lunches = [s for s in stops if s.key == LUNCH]
        assert len(lunches) == 1
        assert 12 * H <= lunches[0].start <= 13 * H and lunches[0].end - lunches[0].start == H
        for before, after in zip(stops, stops[1:], strict=False):
            assert after.start >= before.end + after.travel_s  # no overlap, travel included
        for stop in stops:
            assert shift[0] <= stop.start and stop.end <= shift[1]
            if stop.key != LUNCH:
                served += 1
                early, late = windows[stop.key]
                assert early <= stop.start <= late
        assert plan.back_at[who] <= shift[1]
    assert served + len(plan.dropped) == len(tasks)


def test_joint_visits_put_the_members_at_the_door_at_the_same_time():
    tasks = day_tasks(10, seed=3, window=(9 * H, 17 * H))
    tasks.append(Task(key="pair", point=(35.158, 129.108), needed=2, staff=("a", "b"), priority=2))
    tasks.append(
        Task(key="three", point=(35.168, 129.118), needed=3, priority=2, service_s=45 * 60)
    )
    staff = [Staff("a"), Staff("b"), Staff("c", mode=CAR)]
    plan = plan_day(depot=CENTRE, staff=staff, tasks=tasks, time_limit=2)
    assert plan.dropped == []
    pair = stops_of(plan, "pair")
    assert sorted(who for who, _ in pair) == ["a", "b"]
    assert len({s.start for _, s in pair}) == 1
    three = stops_of(plan, "three")
    assert sorted(who for who, _ in three) == ["a", "b", "c"]
    assert len({s.start for _, s in three}) == 1
    assert plan.joint_starts == {"pair": pair[0][1].start, "three": three[0][1].start}


def test_emergencies_are_never_dropped_while_a_routine_visit_is_kept():
    # a day far too full: 40 two-hour visits for two people
    tasks = day_tasks(40, seed=5, service_s=2 * H, priority=3)
    emergencies = [
        Task(key=f"E{i}", point=(35.17 + 0.002 * i, 129.12), priority=0, service_s=2 * H)
        for i in range(3)
    ]
    plan = plan_day(
        depot=CENTRE, staff=[Staff("a"), Staff("b")], tasks=tasks + emergencies, time_limit=1
    )
    for e in emergencies:
        assert e.key not in plan.dropped
    # dropped visits are reported: everything not on a route is in the list
    on_routes = {s.key for stops in plan.routes.values() for s in stops} - {LUNCH}
    assert set(plan.dropped) == {t.key for t in tasks + emergencies} - on_routes
    assert len(plan.dropped) > 20


def test_urgent_visits_are_kept_before_low_ones_when_the_day_is_full():
    rng = random.Random(11)
    points = [around(rng) for _ in range(8)]
    # an urgent and a low visit at each address: an urgent one always fits where a low one does
    tasks = [
        Task(key=f"{p}{i}", point=points[i], priority=p, service_s=90 * 60)
        for i in range(8)
        for p in (1, 4)
    ]
    plan = plan_day(depot=CENTRE, staff=[Staff("a")], tasks=tasks, time_limit=1)
    kept = {s.key for s in plan.routes["a"]} - {LUNCH}
    assert kept and all(k.startswith("1") for k in kept)


def test_visits_named_for_one_member_go_to_that_member():
    tasks = day_tasks(8, seed=2)
    tasks[0].staff = ("b",)
    tasks[1].staff = ("a",)
    plan = plan_day(depot=CENTRE, staff=[Staff("a"), Staff("b")], tasks=tasks, time_limit=1)
    assert plan.staff_of("v0") == ["b"] and plan.staff_of("v1") == ["a"]


def order_of(plan):
    return {who: [s.key for s in stops if s.key != LUNCH] for who, stops in plan.routes.items()}


@pytest.mark.parametrize("change", ["cancel", "emergency"])
def test_one_change_keeps_the_rest_of_the_day(change):
    tasks = day_tasks(18, seed=9, service_s=30 * 60)
    tasks.append(Task(key="pair", point=(35.158, 129.108), needed=2, staff=("a", "b"), priority=2))
    staff = [Staff("a"), Staff("b"), Staff("c")]
    before = plan_day(depot=CENTRE, staff=staff, tasks=tasks, time_limit=1.5)
    assert before.dropped == []
    if change == "cancel":
        gone = [k for k in order_of(before)["b"] if k != "pair"][1]
        changed = [t for t in tasks if t.key != gone]
    else:
        gone = None
        changed = tasks + [Task(key="E", point=(35.1645, 129.1105), priority=0)]
    after = plan_day(depot=CENTRE, staff=staff, tasks=changed, time_limit=1.5, previous=before)
    old, new = order_of(before), order_of(after)
    for who in old:
        kept = [k for k in old[who] if k != gone]
        # the same member keeps the same visits in the same order
        assert [k for k in new[who] if k in kept] == kept
    assert after.joint_starts["pair"] == before.joint_starts["pair"]
    if change == "emergency":
        assert after.staff_of("E")


def test_a_given_matrix_replaces_the_straight_lines():
    points = [CENTRE, (35.165, 129.115), (35.161, 129.111)]
    walk = np.array([[0, 600, 300], [600, 0, 900], [300, 900, 0]])
    travel = GivenMatrix(points, {WALK: walk})
    assert (travel.seconds(points, WALK) == walk).all()
    # the car has no matrix given: straight lines for it
    assert (travel.seconds(points, CAR) == Crowfly().seconds(points, CAR)).all()
    tasks = [
        Task(key="x", point=points[1], service_s=600),
        Task(key="y", point=points[2], service_s=600),
    ]
    plan = plan_day(
        depot=CENTRE, staff=[Staff("a", lunch=None)], tasks=tasks, travel=travel, time_limit=0.5
    )
    assert plan.travel_s["a"] in (600 + 900 + 300, 300 + 900 + 600)


def test_walking_is_slower_than_the_car():
    points = [CENTRE, (35.172, 129.125)]
    walk, car = (Crowfly().seconds(points, m)[0, 1] for m in (WALK, CAR))
    assert walk > car > 0


def joint_day(n_pairs=4, seed=13):
    """A day with several joint visits of two named members and routine visits around."""
    rng = random.Random(seed)
    tasks = day_tasks(10, seed=seed, window=(9 * H, 17 * H))
    tasks += [
        Task(key=f"pair{i}", point=around(rng), needed=2, staff=("a", "b"), priority=2)
        for i in range(n_pairs)
    ]
    return [Staff("a"), Staff("b"), Staff("c", mode=CAR)], tasks


def test_the_time_limit_is_for_the_whole_day_re_solves_included(monkeypatch):
    monkeypatch.setattr(day, "STARTS", 1)  # one search: its first solve and re-solves
    staff, tasks = joint_day()
    plan = plan_day(depot=CENTRE, staff=staff, tasks=tasks, time_limit=0.6)
    # the joint visits needed re-solves to meet at the door; all the solves shared the limit
    assert len(plan.budgets) >= 2
    assert plan.budgets[0] == pytest.approx(0.6 * day.FIRST_SHARE_JOINT)
    assert sum(plan.budgets) <= 0.6 + 1e-9
    assert all(b >= day.MIN_SOLVE_S for b in plan.budgets)


def test_a_day_without_joint_visits_keeps_time_for_the_emergency_check(monkeypatch):
    monkeypatch.setattr(day, "STARTS", 1)
    plan = plan_day(depot=CENTRE, staff=[Staff("a")], tasks=day_tasks(5), time_limit=0.5)
    # the first solve leaves time for a re-solve with the emergencies required; not needed,
    # it polishes the day instead, within the limit
    assert plan.budgets[0] == pytest.approx(0.5 * day.FIRST_SHARE)
    assert len(plan.budgets) <= 2 and sum(plan.budgets) <= 0.5 + 1e-9


def test_the_time_left_polishes_the_day_and_never_makes_it_worse():
    staff, tasks = joint_day(n_pairs=2, seed=23)
    plan = plan_day(depot=CENTRE, staff=staff, tasks=tasks, time_limit=1)
    # the first solve (half the limit), the re-solves that fix the pairs' times, the polish
    assert sum(plan.budgets) <= 1 + 1e-9 and len(plan.budgets) >= 2
    for task in tasks:
        if task.needed > 1 and task.key not in plan.dropped:
            at_door = stops_of(plan, task.key)
            assert sorted(w for w, _ in at_door) == ["a", "b"]
            assert len({s.start for _, s in at_door}) == 1


def test_a_joint_visit_too_few_can_go_to_is_dropped_at_once(monkeypatch):
    monkeypatch.setattr(day, "STARTS", 1)
    tasks = day_tasks(4) + [Task(key="four", point=CENTRE, needed=4, priority=1)]
    plan = plan_day(depot=CENTRE, staff=[Staff("a"), Staff("b")], tasks=tasks, time_limit=0.5)
    assert plan.dropped == ["four"]
    assert len(plan.budgets) <= 2  # no re-solves spent trying it at every time


def test_each_re_solve_gets_a_share_of_what_is_left():
    assert day.solve_share(3.0, solves_left=3) == 1.0
    assert day.solve_share(3.0, solves_left=0) == 3.0  # the last one takes what is left
    assert day.solve_share(-0.5, solves_left=2) == 0.0  # nothing left: nothing given
    # however many re-solves come, each takes a share of what the previous ones left
    left, given = 5.0, []
    for n in range(day.MAX_ROUNDS - 1, 0, -1):
        given.append(day.solve_share(left, solves_left=min(n, 3)))
        left -= given[-1]
    assert sum(given) == pytest.approx(5.0) and left >= -1e-9


def test_out_of_time_a_joint_visit_not_at_the_door_together_is_dropped(monkeypatch):
    monkeypatch.setattr(day, "MIN_SOLVE_S", 100.0)  # no time for any re-solve
    monkeypatch.setattr(day, "STARTS", 1)
    staff, tasks = joint_day(n_pairs=6, seed=17)
    plan = plan_day(depot=CENTRE, staff=staff, tasks=tasks, time_limit=0.5)
    assert len(plan.budgets) == 1
    for task in tasks:
        if task.needed < 2 or task.key in plan.dropped:
            continue
        # what is kept is synchronised: both members, one start
        at_door = stops_of(plan, task.key)
        assert sorted(w for w, _ in at_door) == ["a", "b"]
        assert len({s.start for _, s in at_door}) == 1 == len({plan.joint_starts[task.key]})
    assert all(stops_of(plan, k) == [] for k in plan.dropped)


def test_a_plan_from_scratch_keeps_the_cheapest_of_its_searches_within_the_limit(monkeypatch):
    staff, tasks = joint_day(n_pairs=2, seed=23)
    seen = []
    search = day._search_day

    def spy(model, **kwargs):
        plan = search(model, **kwargs)
        seen.append((kwargs["seed"], day._score(model, plan), plan))
        return plan

    monkeypatch.setattr(day, "_search_day", spy)
    monkeypatch.setattr(day, "STARTS", 3)
    plan = plan_day(depot=CENTRE, staff=staff, tasks=tasks, time_limit=1.2)
    # three searches from different seeds, each a share of the limit, all within it
    assert [s for s, _, _ in seen] == [1, 101, 201]
    assert sum(plan.budgets) <= 1.2 + 1e-9 and len(plan.budgets) >= 3
    best = min(score for _, score, _ in seen)
    assert day._score(day._Model(CENTRE, staff, tasks, Crowfly()), plan) == best
    assert plan in [p for _, _, p in seen]


def test_the_score_counts_travel_overtime_and_what_was_dropped():
    staff = [Staff("a", lunch=None, nominal_s=2 * H)]
    tasks = [Task(key="near", point=around(random.Random(3)), service_s=3 * H)]
    model = day._Model(CENTRE, staff, tasks, Crowfly())
    plan = plan_day(depot=CENTRE, staff=staff, tasks=tasks, time_limit=0.3)
    assert plan.dropped == []
    out = plan.back_at["a"] - (plan.routes["a"][0].arrive - plan.routes["a"][0].travel_s)
    assert out > 2 * H  # three hours at the door: past the two-hour nominal day
    expected = day.COST_PER_S * plan.total_travel_s + day.OVERTIME_COST * (out - 2 * H)
    assert day._score(model, plan) == expected
    # a task left out costs its prize
    dropped = day.DayPlan(routes={"a": []}, dropped=["near"], travel_s={"a": 0}, back_at={})
    assert day._score(model, dropped) == model.prize(tasks[0]) * day.COST_PER_S


def test_a_re_plan_searches_once_from_the_previous_plan(monkeypatch):
    monkeypatch.setattr(day, "STARTS", 3)
    staff, tasks = [Staff("a"), Staff("b")], day_tasks(6)
    before = plan_day(depot=CENTRE, staff=staff, tasks=tasks, time_limit=0.6)
    calls = []
    search = day._search_day
    monkeypatch.setattr(
        day, "_search_day", lambda model, **kw: calls.append(kw["seed"]) or search(model, **kw)
    )
    plan_day(depot=CENTRE, staff=staff, tasks=tasks[1:], time_limit=0.4, previous=before)
    assert calls == [1]  # stability: no other seed's day


def test_the_nominal_day_is_the_hub_s_setting(settings):
    from maeul.routing import selectors

    assert selectors.nominal_day_s() == day.NOMINAL_DAY_S == 8 * H
    settings.ROUTING_NOMINAL_DAY_HOURS = 7
    assert selectors.nominal_day_s() == 7 * H
    model = day._Model(CENTRE, [Staff("a", nominal_s=7 * H)], day_tasks(2), Crowfly())
    inst = model.instance(
        fixed={}, excluded=set(), forced=set(), require_emergencies=False, previous=None
    )
    # past seven hours out (of the nine-hour shift) each second is priced
    assert inst.vehicles[0].shift_duration == 7 * H
    assert inst.vehicles[0].max_overtime == 2 * H
