"""Writes of the rounds: plan a dong's day (each visiting member's round), re-plan it after a
change keeping the rest of the day stable, take a stop off the day. Only routing's own
tables are written; visits, follow-ups and leads are read through their apps' selectors."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.campaigns.services import target_plan_visit
from maeul.cases.selectors import follow_ups_visible_to
from maeul.discovery.selectors import leads_visible_to
from maeul.errors import DomainError, NotFound
from maeul.people.models import Household
from maeul.people.selectors import households_visible_to
from maeul.routing import selectors
from maeul.routing.models import Availability, DayPlan, Mode, RegularVisit, Round, Stop
from maeul.routing.solver import day as solver
from maeul.routing.solver.travel import TravelTimes
from maeul.visits.models import Visit
from maeul.visits.selectors import visit_joinable
from maeul.visits.services import visit_schedule

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


def check_request(
    *,
    actor: User,
    dong: Area,
    members: list[User] | None,
    modes: dict[int, str] | None,
    time_limit: float,
) -> tuple[list[User], dict[int, str], tuple[float, float]]:
    """What a plan needs: a time limit, members of the dong's visiting team (all of them by
    default), a centre with coordinates (returned: the depot), known modes of travel."""
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
    return members, modes, (dong.lat, dong.lon)


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
    members, modes, depot = check_request(
        actor=actor, dong=dong, members=members, modes=modes, time_limit=time_limit
    )
    members, staff, modes = selectors.staff_for_day(members=members, day=day, modes=modes)
    if not members:
        raise DomainError("nobody_working", _("Nobody on the visiting team works that day."))

    plan = DayPlan.objects.select_for_update().filter(dong=dong, day=day).first()
    previous = _previous(plan) if plan is not None and not fresh else None
    skipped = set(plan.skipped) if plan is not None else set()
    kept = {s.key for stops in previous.routes.values() for s in stops} if previous else set()
    items, unroutable = selectors.day_work(
        user=actor, dong=dong, day=day, members=members, keep=kept
    )
    elsewhere = selectors.keys_planned_elsewhere(dong=dong, day=day)
    items = [i for i in items if i.task.key not in skipped and i.task.key not in elsewhere]
    by_key = {i.task.key: i for i in items}
    started = time.perf_counter()
    result = solver.plan_day(
        depot=depot,
        staff=staff,
        tasks=[i.task for i in items],
        travel=travel,
        time_limit=time_limit,
        previous=previous,
    )
    solve_ms = int((time.perf_counter() - started) * 1000)

    dropped = dropped_rows(result.dropped, by_key, unroutable)
    return store_plan(
        actor=actor,
        dong=dong,
        day=day,
        plan=plan,
        members=members,
        modes=modes,
        routes=result.routes,
        travel_s=result.travel_s,
        back_at=result.back_at,
        by_key=by_key,
        dropped=dropped,
        solve_ms=solve_ms,
    )


def dropped_rows(keys: list[str], by_key: dict, unroutable: list[dict]) -> list[dict]:
    """The plan's list of visits left out: those that did not fit, those without a place."""
    return [
        {
            "key": key,
            "household_id": by_key[key].household.pk,
            "label": by_key[key].label,
            "priority": by_key[key].task.priority,
            "reason": "full",
        }
        for key in keys
    ] + [{**u, "priority": None, "reason": "no_coordinates"} for u in unroutable]


def store_plan(
    *,
    actor: User,
    dong: Area,
    day: dt.date,
    plan: DayPlan | None,
    members: list[User],
    modes: dict[int, str],
    routes: dict[str, list[solver.Stop]],
    travel_s: dict[str, int],
    back_at: dict[str, int],
    by_key: dict[str, selectors.WorkItem],
    dropped: list[dict],
    solve_ms: int,
) -> DayPlan:
    """Store a day's solved rounds (`routes` keyed by member id, times of that day) as the
    dong's plan of the day: a new revision of `plan` when there is one."""
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
    for member_key, stops in routes.items():
        for stop in stops:
            who_serves.setdefault(stop.key, []).append(int(member_key))
    rows = []
    for member in members:
        key = str(member.pk)
        round_ = Round.objects.create(
            plan=plan,
            member=member,
            mode=modes[member.pk],
            travel_s=travel_s.get(key, 0),
            back_at_s=back_at.get(key, 0),
        )
        for seq, stop in enumerate(routes.get(key, []), start=1):
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
                    visit_id=item.visit_id if item else None,
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
    return day_plan(
        actor=actor, dong=plan.dong, day=plan.day, members=members, time_limit=time_limit
    )


# --- Confirming rounds into visits -------------------------------------------------------


@dataclass
class Confirmed:
    """What confirming a round did, stop by stop: visits planned, stops joined to a visit
    already planned (a joint visit on the shared calendar), stops that were visits already,
    the collisions flagged (other teams' visits within 14 days) and the stops that failed."""

    planned: int = 0
    joined: int = 0
    existing: int = 0
    flagged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _confirm_stop(actor: User, stop: Stop, day: dt.date, members: list[User], out: Confirmed):
    household: Household | None = stop.household
    kind_, _sep, ident = stop.key.partition(":")
    if household is None or not ident.isdigit():
        return
    pk = int(ident)
    lead = case = None
    visit_kind = Visit.Kind.INITIAL
    if stop.kind == Stop.Kind.LEAD:
        lead = leads_visible_to(actor).filter(pk=pk).first()
        if lead is None:
            raise NotFound()
    elif stop.kind == Stop.Kind.FOLLOW_UP:
        follow_up = follow_ups_visible_to(actor).select_related("case").filter(pk=pk).first()
        if follow_up is None:
            raise NotFound()
        case, visit_kind = follow_up.case, Visit.Kind.FOLLOW_UP
    elif stop.kind == Stop.Kind.REGULAR:
        visit_kind = Visit.Kind.FOLLOW_UP
    elif stop.kind == Stop.Kind.TARGET:
        collision = visit_joinable(household=household, planned_on=day)
        if collision is None:
            targets = selectors.campaign_targets_due(user=actor, dong=household.dong, day=day)
            target = targets.filter(pk=pk).first()
            if target is None:
                raise NotFound()
            target, warnings = target_plan_visit(
                actor=actor, target=target, planned_on=day, members=members
            )
            assert target.visit is not None
            _stop_is(stop, target.visit.pk)
            out.planned += 1
            out.flagged += [f"{household}: {w.message}" for w in warnings]
            return
    done = visit_schedule(
        actor=actor,
        household=household,
        planned_on=day,
        members=members,
        kind=visit_kind,
        lead=lead,
        case=case,
    )
    _stop_is(stop, done.visit.pk)
    if done.action == "planned":
        out.planned += 1
    elif done.action == "joined":
        out.joined += 1
    else:
        out.existing += 1
    out.flagged += [f"{household}: {w.message}" for w in done.warnings]


def _stop_is(stop: Stop, visit_id: int) -> None:
    """The stop is now that visit: a re-plan finds it under the visit's key (stability)."""
    Stop.objects.filter(round__plan=stop.round.plan, key=stop.key).update(
        visit_id=visit_id, key=f"visit:{visit_id}"
    )
    stop.visit_id, stop.key = visit_id, f"visit:{visit_id}"


@transaction.atomic
def round_confirm(*, actor: User, round_ids: list[int]) -> Confirmed:
    """Turn planned rounds into planned visits (`visits.services.visit_schedule`, the shared
    calendar's rules: a visit of the household already planned within 3 days is joined, other
    teams' visits within 14 days are flagged). Idempotent: a stop that is a visit already is
    left alone, so confirming twice plans nothing twice. A stop that cannot be planned (its
    case closed meanwhile) is reported and the others go ahead."""
    rounds = list(
        selectors.rounds_visible_to(actor)
        .select_related("plan", "member")
        .filter(pk__in=round_ids)
        .order_by("pk")
    )
    if len(rounds) != len(set(round_ids)) or not rounds:
        raise NotFound()
    out = Confirmed()
    for round_ in rounds:
        stops = round_.stops.select_related("household", "household__dong").order_by("seq")
        for stop in stops:
            if stop.kind == Stop.Kind.LUNCH:
                continue
            if stop.visit_id is not None:
                out.existing += 1
                continue
            if stop.joint_with and stop.key.startswith("visit:"):
                continue
            members = [round_.member] + list(User.objects.filter(pk__in=stop.joint_with))
            try:
                with transaction.atomic():
                    _confirm_stop(actor, stop, round_.plan.day, members, out)
            except (DomainError, NotFound) as error:
                label = getattr(error, "message", "") or _("not found")
                out.failed.append(f"{stop.household}: {label}")
    return out


# --- The availability table and regular visits -------------------------------------------


@transaction.atomic
def availability_set(
    *, actor: User, dong: Area, member: User, day: dt.date, shift: str, mode: str = ""
) -> Availability | None:
    """Set a member's day (shift, day off, mode of travel). A full day in the role's mode is
    the default and removes the row."""
    team = selectors.visiting_members(user=actor, dong=dong)
    if member.pk not in {m.pk for m in team}:
        raise DomainError(
            "invalid_member",
            _("%(name)s is not on this dong's visiting team.") % {"name": member.label},
            field="member",
        )
    if day is None:
        raise DomainError("date_required", _("The date is required."), field="day")
    if shift not in Availability.Shift.values:
        raise DomainError("invalid_shift", _("Unknown shift."), field="shift")
    if mode and mode not in Mode.values:
        raise DomainError("invalid_mode", _("Unknown mode of travel."), field="mode")
    if mode == selectors.mode_of(member):
        mode = ""
    if shift == Availability.Shift.FULL and not mode:
        Availability.objects.filter(member=member, day=day).delete()
        return None
    row, _created = Availability.objects.update_or_create(
        member=member,
        day=day,
        defaults={"shift": shift, "mode": mode, "set_by": actor, "set_at": timezone.now()},
    )
    return row


@transaction.atomic
def regular_visit_add(
    *,
    actor: User,
    dong: Area,
    household: Household,
    member: User,
    weekday: int,
    every_weeks: int = 1,
    starts_on: dt.date,
    minutes: int = 30,
    note: str = "",
) -> RegularVisit:
    """A household the member visits regularly (the head of the dong's rounds): the planner
    adds it to the member's day every `every_weeks` weeks on `weekday`."""
    team = selectors.visiting_members(user=actor, dong=dong)
    if member.pk not in {m.pk for m in team}:
        raise DomainError(
            "invalid_member",
            _("%(name)s is not on this dong's visiting team.") % {"name": member.label},
            field="member",
        )
    visible = households_visible_to(actor).filter(pk=household.pk, dong=dong)
    if not visible.exists():
        raise DomainError(
            "invalid_household", _("The household is not in this dong."), field="household"
        )
    if weekday not in range(5):
        raise DomainError("invalid_weekday", _("Choose a weekday."), field="weekday")
    if not 1 <= every_weeks <= 8:
        raise DomainError("invalid_every", _("Every 1 to 8 weeks."), field="every_weeks")
    if not 10 <= minutes <= 180:
        raise DomainError("invalid_minutes", _("10 to 180 minutes."), field="minutes")
    if starts_on is None:
        raise DomainError("date_required", _("The date is required."), field="starts_on")
    return RegularVisit.objects.create(
        dong=dong,
        household=household,
        member=member,
        weekday=weekday,
        every_weeks=every_weeks,
        starts_on=starts_on,
        minutes=minutes,
        note=note.strip()[:120],
        created_by=actor,
    )


@transaction.atomic
def regular_visit_stop(*, actor: User, regular_id: int) -> RegularVisit:
    """Stop a regular visit (kept for the record, no longer planned)."""
    regular = RegularVisit.objects.filter(
        pk=regular_id, dong_id__in=[d.pk for d in selectors.dongs_of(actor)]
    ).first()
    if regular is None:
        raise NotFound()
    regular.active = False
    regular.save(update_fields=["active"])
    return regular
