"""The demo's rounds: each dong's head of the dong (동장, an account of role dong_head; in
망미1동 the persona `donghead1` signs in with the demo password), each dong's availability
table for the week (a half day, a day off, a car instead of walking, the head's afternoons),
the head's regular visits to elderly people living alone, then each dong's day planned for
the demo's today (the visits planned that day, the regular visits, the open leads, the
follow-ups due and the campaign targets), through routing's services, so that the round
pages, the availability table and the area map have something to show."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password

from maeul.accounts.models import Role, User
from maeul.demo import facts
from maeul.demo.organisation import slug
from maeul.demo.population import NameMaker
from maeul.people.models import Household
from maeul.routing.models import Availability, Mode
from maeul.routing.services import availability_set, day_plan, regular_visit_add

#: Seconds of search per dong: the demo needs good rounds, not the best ones.
TIME_LIMIT = 0.25
REGULAR_PER_DONG = 3
DONG_HEAD_PERSONA = "donghead1"


def _dong_heads(*, seed: int, org) -> dict[int, User]:
    """One head of the dong per dong (the dong's index → user), with a name of their own
    (a generator of its own, so that the rest of the demo is unchanged)."""
    names = NameMaker(random.Random(seed * 53 + 12))
    signs_in = any(u.has_usable_password() for u in org.personas.values())
    heads: dict[int, User] = {}
    for index, (dong, fact) in enumerate(zip(org.dongs, facts.DONGS, strict=True)):
        persona = signs_in and fact.code == facts.MANGMI1
        heads[index] = User.objects.create(
            username=DONG_HEAD_PERSONA if persona else f"{slug(fact)}-dong-head",
            role=Role.DONG_HEAD,
            home_area=dong,
            full_name=names.full(dt.date(1968 + index % 6, 3, 1), "MF"[index % 2]),
            password=make_password(facts.DEMO_PASSWORD if persona else None),
        )
    return heads


def build(*, seed, today: dt.date, org, scale) -> dict[str, int]:
    rng = random.Random(seed + 12)
    plans = rounds = regulars = days_set = 0
    monday = today - dt.timedelta(days=today.weekday())
    heads = _dong_heads(seed=seed, org=org)
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
        head = heads[index]
        # the head's mornings are the centre's (meetings, sign-offs): visits in the afternoon
        for offset in range(5):
            availability_set(
                actor=planner,
                dong=dong,
                member=head,
                day=monday + dt.timedelta(days=offset),
                shift=Availability.Shift.AFTERNOON,
            )
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
                    member=head,
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
        "dong_heads": len(heads),
        "round_plans": plans,
        "rounds": rounds,
        "regular_visits": regulars,
        "availability_days": days_set,
    }
