"""Writes of the rounds: plan a dong's day (each visiting member's round), re-plan it after a
change keeping the rest of the day stable, take a stop off the day. Only routing's own
tables are written; visits, follow-ups and leads are read through their apps' selectors."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.errors import DomainError, NotFound
from maeul.routing import selectors
from maeul.routing.models import DayPlan, Mode, Round, Stop
from maeul.routing.solver import day as solver
from maeul.routing.solver.travel import TravelTimes

#: Seconds of search for a dong's day (settings.ROUTING_TIME_LIMIT overrides it).
DEFAULT_TIME_LIMIT = 2.0


def _time_limit(value: float | None) -> float:
    if value is not None:
        return value
    return float(getattr(settings, "ROUTING_TIME_LIMIT", DEFAULT_TIME_LIMIT))


def _previous(plan: DayPlan) -> solver.DayPlan:
    """The stored plan in the solver's terms: the warm start and the stability reference."""
    routes: dict[str, list[solver.Stop]] = {}
    joint: dict[str, int] = {}
    for round_ in plan.rounds.prefetch_related("stops"):
        stops = []
        for stop in round_.stops.all():
            stops.append(
                solver.Stop(
                    key=stop.key,
                    arrive=stop.arrive_s,
                    start=stop.start_s,
                    end=stop.end_s,
                    travel_s=stop.travel_s,
                )
            )
            if stop.joint_with:
                joint[stop.key] = stop.start_s
        routes[str(round_.member_id)] = stops
    return solver.DayPlan(routes=routes, dropped=[], travel_s={}, back_at={}, joint_starts=joint)


@transaction.atomic
def day_plan(
    *,
    actor: User,
    dong: Area,
    day: dt.date,
    members: list[User] | None = None,
    modes: dict[int, str] | None = None,
    time_limit: float | None = None,
    travel: TravelTimes | None = None,
    fresh: bool = False,
) -> DayPlan:
    """Plan (or re-plan) the dong's day: every visiting member's round from the centre back to
    the centre. An existing plan of the day is the reference: a re-plan keeps its visits with
    the same members in the same order wherever the change allows (`fresh` plans from scratch).
    Visits that do not fit are stored as dropped and shown to the planner."""
    if day is None:
        raise DomainError("date_required", _("The date is required."), field="day")
    time_limit = _time_limit(time_limit)
    if time_limit <= 0 or time_limit > 60:
        raise DomainError(
            "invalid_time_limit", _("The time limit is 1 to 60 seconds."), field="time_limit"
        )
    team = selectors.visiting_members(user=actor, dong=dong)  # raises NotFound out of scope
    if members is None:
        members = team
    team_ids = {m.pk for m in team}
    for member in members:
        if member.pk not in team_ids:
            raise DomainError(
                "invalid_member",
                _("%(name)s is not on this dong's visiting team.") % {"name": member.label},
                field="members",
            )
    if not members:
        raise DomainError("no_members", _("Nobody to plan rounds for."), field="members")
    if dong.lat is None or dong.lon is None:
        raise DomainError("no_centre", _("The dong's centre has no coordinates."))
    modes = modes or {}
    for mode in modes.values():
        if mode not in Mode.values:
            raise DomainError("invalid_mode", _("Unknown mode of travel."), field="modes")

    plan = DayPlan.objects.select_for_update().filter(dong=dong, day=day).first()
    previous = _previous(plan) if plan is not None and not fresh else None
    skipped = set(plan.skipped) if plan is not None else set()
    items, unroutable = selectors.day_work(user=actor, dong=dong, day=day, members=members)
    items = [i for i in items if i.task.key not in skipped]
    by_key = {i.task.key: i for i in items}
    staff = [
        solver.Staff(key=str(m.pk), mode=modes.get(m.pk) or selectors.mode_of(m)) for m in members
    ]
    started = time.perf_counter()
    result = solver.plan_day(
        depot=(dong.lat, dong.lon),
        staff=staff,
        tasks=[i.task for i in items],
        travel=travel,
        time_limit=time_limit,
        previous=previous,
    )
    solve_ms = int((time.perf_counter() - started) * 1000)

    dropped = [
        {
            "key": key,
            "household_id": by_key[key].household.pk,
            "label": by_key[key].label,
            "priority": by_key[key].task.priority,
            "reason": "full",
        }
        for key in result.dropped
    ] + [{**u, "priority": None, "reason": "no_coordinates"} for u in unroutable]
    now = timezone.now()
    if plan is None:
        plan = DayPlan(dong=dong, day=day, planned_by=actor, planned_at=now)
    else:
        plan.revision += 1
        plan.rounds.all().delete()
    plan.planned_by, plan.planned_at = actor, now
    plan.dropped, plan.solve_ms = dropped, solve_ms
    plan.save()
    who_serves: dict[str, list[int]] = {}
    for member_key, stops in result.routes.items():
        for stop in stops:
            who_serves.setdefault(stop.key, []).append(int(member_key))
    rows = []
    for member in members:
        key = str(member.pk)
        round_ = Round.objects.create(
            plan=plan,
            member=member,
            mode=modes.get(member.pk) or selectors.mode_of(member),
            travel_s=result.travel_s.get(key, 0),
            back_at_s=result.back_at.get(key, 0),
        )
        for seq, stop in enumerate(result.routes.get(key, []), start=1):
            item = by_key.get(stop.key)
            rows.append(
                Stop(
                    round=round_,
                    seq=seq,
                    kind=item.kind if item else Stop.Kind.LUNCH,
                    key=stop.key,
                    household=item.household if item else None,
                    priority=item.task.priority if item else 9,
                    label=(item.label if item else "")[:120],
                    arrive_s=stop.arrive,
                    start_s=stop.start,
                    end_s=stop.end,
                    travel_s=stop.travel_s,
                    joint_with=[pk for pk in who_serves.get(stop.key, []) if pk != member.pk]
                    if item
                    else [],
                )
            )
    Stop.objects.bulk_create(rows)
    return plan


@transaction.atomic
def stop_skip(*, actor: User, stop_id: int, time_limit: float | None = None) -> DayPlan:
    """Take a stop off the day ("not today": the household cancelled, the visit moved) and
    re-plan the day around it; the other stops stay with their members, in their order."""
    stop = (
        Stop.objects.select_related("round", "round__plan", "round__plan__dong")
        .filter(pk=stop_id, round__in=selectors.rounds_visible_to(actor))
        .first()
    )
    if stop is None:
        raise NotFound()
    if stop.kind == Stop.Kind.LUNCH:
        raise DomainError("lunch", _("The lunch break stays on the round."))
    plan = stop.round.plan
    plan.skipped = sorted(set(plan.skipped) | {stop.key})
    plan.save(update_fields=["skipped"])
    members = [r.member for r in plan.rounds.select_related("member")]
    modes = {r.member_id: r.mode for r in plan.rounds.all()}
    return day_plan(
        actor=actor,
        dong=plan.dong,
        day=plan.day,
        members=members,
        modes=modes,
        time_limit=time_limit,
    )
