"""The demo's rounds: each dong's day planned for the demo's today (the visits planned that
day, the open leads and the follow-ups due), through routing's planning service, so that the
round pages and the area map have something to show."""

from __future__ import annotations

import datetime as dt

from maeul.accounts.models import Role
from maeul.routing.services import day_plan

#: Seconds of search per dong: the demo needs good rounds, not the best ones.
TIME_LIMIT = 0.25


def build(*, seed, today: dt.date, org, scale) -> dict[str, int]:
    plans = rounds = 0
    for index, dong in enumerate(org.dongs):
        team = org.staff.get(index, [])
        planner = next((s.user for s in team if s.role == Role.WELFARE_OFFICIAL), None)
        if planner is None or dong.lat is None:
            continue
        plan = day_plan(actor=planner, dong=dong, day=today, time_limit=TIME_LIMIT)
        plans += 1
        rounds += plan.rounds.count()
    return {"round_plans": plans, "rounds": rounds}
