"""The demo's rounds: each dong's availability table for the week (a half day, a day off, a
car instead of walking), the welfare manager's regular visits to elderly people living alone
(standing in for the head of the dong, who has no account), then each dong's day planned for
the demo's today (the visits planned that day, the regular visits, the open leads, the
follow-ups due and the campaign targets), through routing's services, so that the round
pages, the availability table and the area map have something to show."""

from __future__ import annotations

import datetime as dt
import random

from maeul.accounts.models import Role
from maeul.people.models import Household
from maeul.routing.models import Availability, Mode
from maeul.routing.services import availability_set, day_plan, regular_visit_add

#: Seconds of search per dong: the demo needs good rounds, not the best ones.
TIME_LIMIT = 0.25
REGULAR_PER_DONG = 3


def build(*, seed, today: dt.date, org, scale) -> dict[str, int]:
    rng = random.Random(seed + 12)
    plans = rounds = regulars = days_set = 0
    monday = today - dt.timedelta(days=today.weekday())
    for index, dong in enumerate(org.dongs):
        team = org.staff.get(index, [])
        planner = next((s.user for s in team if s.role == Role.WELFARE_OFFICIAL), None)
        if planner is None or dong.lat is None:
            continue
        by_role = {s.role: s.user for s in team}
        nurse = by_role.get(Role.VISITING_NURSE)
        counsellor = by_role.get(Role.VOCATIONAL_COUNSELLOR)
        manager = by_role.get(Role.WELFARE_MANAGER)
        if nurse is not None:
            day_off = monday + dt.timedelta(days=rng.choice([2, 3, 4]))
            availability_set(
                actor=planner, dong=dong, member=nurse, day=day_off, shift=Availability.Shift.OFF
            )
            days_set += 1
        if counsellor is not None:
            half = Availability.Shift.AFTERNOON if index % 2 else Availability.Shift.MORNING
            availability_set(actor=planner, dong=dong, member=counsellor, day=today, shift=half)
            days_set += 1
        if manager is not None:
            availability_set(
                actor=planner,
                dong=dong,
                member=manager,
                day=monday + dt.timedelta(days=4),
                shift=Availability.Shift.FULL,
                mode=Mode.TRANSIT,
            )
            days_set += 1
            seniors = [
                h
                for h in Household.objects.filter(dong=dong, lat__isnull=False).order_by("pk")[:400]
                if Household.Group.SENIOR_ALONE in (h.groups or [])
            ]
            for n, household in enumerate(rng.sample(seniors, min(REGULAR_PER_DONG, len(seniors)))):
                regular_visit_add(
                    actor=planner,
                    dong=dong,
                    household=household,
                    member=manager,
                    weekday=today.weekday() if n < 2 else (today.weekday() + 2) % 5,
                    every_weeks=1 if n == 0 else 2,
                    starts_on=monday - dt.timedelta(days=14),
                    minutes=30,
                    note="동장 정기 안부 방문",
                )
                regulars += 1
        plan = day_plan(actor=planner, dong=dong, day=today, time_limit=TIME_LIMIT)
        plans += 1
        rounds += plan.rounds.count()
    return {
        "round_plans": plans,
        "rounds": rounds,
        "regular_visits": regulars,
        "availability_days": days_set,
    }
