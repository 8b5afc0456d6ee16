"""Reads for the rounds: the day's work of a dong (planned visits, due follow-ups, new leads),
its visiting staff, the stored plans and rounds, the area map's points. Every read of people
starts from the scoping functions of their apps (`visits_visible_to`, `follow_ups_visible_to`,
`leads_visible_to`, `households_visible_to`) for the acting user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from scipy.spatial import ConvexHull, QhullError

from maeul.accounts.models import DONG_STAFF_ROLES, Role, User
from maeul.areas.models import Area
from maeul.campaigns.models import Target
from maeul.campaigns.selectors import targets_visible_to
from maeul.cases.models import Case
from maeul.cases.selectors import follow_ups_visible_to
from maeul.discovery.models import Lead
from maeul.discovery.selectors import leads_visible_to
from maeul.errors import NotFound
from maeul.people.models import Household
from maeul.people.policy import may_read
from maeul.people.selectors import dong_ids_of, households_visible_to
from maeul.routing.models import Availability, DayPlan, Mode, RegularVisit, Round, Stop
from maeul.routing.solver import day as solver_day
from maeul.routing.solver.day import Staff, Task
from maeul.visits.models import Visit
from maeul.visits.selectors import visit_collisions, visits_visible_to

#: Minutes at the door by kind of visit (first counselling takes longest).
SERVICE_MIN: dict[str, int] = {
    Visit.Kind.INITIAL: 60,
    Visit.Kind.FOLLOW_UP: 40,
    Visit.Kind.HEALTH: 45,
    Visit.Kind.CARE: 30,
}
LEAD_SERVICE_MIN = 60
FOLLOW_UP_SERVICE_MIN = 40
TARGET_SERVICE_MIN = 30
#: A campaign target is outreach: low priority (fills the day's spare time), normal in the
#: campaign's last week.
TARGET_PRIORITY = 4
TARGET_LAST_DAYS = 7
#: Campaign targets offered to the planner per working member and day (the campaigns ending
#: first come first): outreach fills spare time, it does not fill every day to the shift's end.
TARGETS_PER_MEMBER = 3
#: Shifts in seconds since midnight (start, end, lunch or None).
SHIFTS: dict[str, tuple[int, int, tuple[int, int, int] | None]] = {
    Availability.Shift.FULL: (9 * 3600, 18 * 3600, (12 * 3600, 13 * 3600, 3600)),
    Availability.Shift.MORNING: (9 * 3600, 13 * 3600, None),
    Availability.Shift.AFTERNOON: (13 * 3600, 18 * 3600, None),
}
#: New leads are planned from the day they come in until this many days after they are due.
LEAD_HORIZON_DAYS = 7
#: The default travel mode of a role (the visiting nurse carries equipment and drives).
ROLE_MODE: dict[str, str] = {Role.VISITING_NURSE: Mode.CAR, Role.GU_TEAM: Mode.CAR}
#: Members planned only for the work that names them: the head of the dong visits the
#: households of their regular visits, the visits they join and a lead given to them; the
#: team's open work (new leads, campaign targets, follow-ups of nobody on the day) goes to
#: the welfare team.
NAMED_ONLY_ROLES = frozenset({Role.DONG_HEAD})
#: Until when an emergency should be seen: the first hours of the shift (emergencies first).
EMERGENCY_WITHIN_S = 3 * 3600
DAY_START_S = 9 * 3600
DAY_END_S = 18 * 3600

PRIORITY_OF_URGENCY: dict[str, int] = {
    Lead.Urgency.EMERGENCY: 0,
    Lead.Urgency.HIGH: 1,
    Lead.Urgency.NORMAL: 3,
}


@dataclass
class WorkItem:
    """One piece of the day's work, ready for the solver."""

    task: Task
    kind: str  # Stop.Kind
    household: Household
    label: str
    members: list[int] = field(default_factory=list)
    visit_id: int | None = None
    due: dt.date | None = None  # a lead's or a follow-up's due date


def dong_for(*, user: User, dong_id: int) -> Area:
    """A dong the user works in (hub staff only); anything else is not found."""
    if not user.is_authenticated or not user.is_hub_staff or dong_id not in dong_ids_of(user):
        raise NotFound()
    return Area.objects.get(pk=dong_id)


def dongs_of(user: User) -> QuerySet[Area]:
    if not user.is_authenticated or not user.is_hub_staff:
        return Area.objects.none()
    return Area.objects.filter(pk__in=dong_ids_of(user)).order_by("code")


def visiting_members(*, user: User, dong: Area) -> list[User]:
    """The dong's visiting staff (the dong team), for a user who works in that dong."""
    dong_for(user=user, dong_id=dong.pk)
    return list(
        User.objects.filter(is_active=True, role__in=DONG_STAFF_ROLES, home_area=dong).order_by(
            "full_name", "username"
        )
    )


def mode_of(member: User) -> str:
    return ROLE_MODE.get(member.role, Mode.WALK)


def takes_open_work(member: User) -> bool:
    return member.role not in NAMED_ONLY_ROLES


def _point(household: Household) -> tuple[float, float] | None:
    if household.lat is None or household.lon is None:
        return None
    return (household.lat, household.lon)


def day_work(
    *,
    user: User,
    dong: Area,
    day: dt.date,
    members: list[User],
    keep: frozenset[str] | set[str] = frozenset(),
) -> tuple[list[WorkItem], list[dict]]:
    """The work of the dong for the day: visits planned that day, follow-ups due by then (not
    yet planned), open leads without a visit due within LEAD_HORIZON_DAYS. One item per
    household (a planned visit covers its follow-up and lead). `keep`: task keys on the day's
    stored rounds, work of the day even when not due yet (a week's plan brought a follow-up
    forward). Returns the items and those that cannot be routed (no coordinates)."""
    dong_for(user=user, dong_id=dong.pk)
    member_ids = {m.pk for m in members}
    items: list[WorkItem] = []
    unroutable: list[dict] = []
    seen: set[int] = set()

    def add(item: WorkItem) -> None:
        if item.household.pk in seen:
            return
        seen.add(item.household.pk)
        if _point(item.household) is None:
            unroutable.append(
                {"key": item.task.key, "household_id": item.household.pk, "label": item.label}
            )
            return
        items.append(item)

    visits = (
        visits_visible_to(user)
        .filter(dong=dong, planned_on=day, status=Visit.Status.PLANNED)
        .select_related("household", "lead")
        .prefetch_related(Prefetch("members", queryset=User.objects.order_by("pk")))
        .order_by("id")
    )
    for visit in visits:
        who = [m.pk for m in visit.members.all() if m.pk in member_ids]
        urgency = visit.lead.urgency if visit.lead_id and visit.lead else ""
        priority = 0 if urgency == Lead.Urgency.EMERGENCY else 2
        task = Task(
            key=f"visit:{visit.pk}",
            point=_point(visit.household) or (0.0, 0.0),
            service_s=SERVICE_MIN.get(visit.kind, 40) * 60,
            priority=priority,
            staff=tuple(str(pk) for pk in who),
            needed=len(who) if len(who) > 1 else 1,
        )
        if priority == 0:
            task.window = (DAY_START_S, DAY_START_S + EMERGENCY_WITHIN_S)
        add(
            WorkItem(
                task, Stop.Kind.VISIT, visit.household, visit.get_kind_display(), who, visit.pk
            )
        )

    regulars = (
        RegularVisit.objects.filter(
            dong=dong,
            active=True,
            member_id__in=member_ids,
            weekday=day.weekday(),
            household__in=households_visible_to(user),
        )
        .select_related("household")
        .order_by("id")
    )
    for regular in regulars:
        if not regular.falls_on(day):
            continue
        task = Task(
            key=f"regular:{regular.pk}",
            point=_point(regular.household) or (0.0, 0.0),
            service_s=regular.minutes * 60,
            priority=2,
            staff=(str(regular.member_id),),
        )
        label = regular.note or str(_("regular visit"))
        add(WorkItem(task, Stop.Kind.REGULAR, regular.household, label, [regular.member_id]))

    leads = (
        leads_visible_to(user)
        .filter(
            dong=dong,
            status__in=(Lead.Status.NEW, Lead.Status.ASSIGNED),
            due_at__date__lte=day + dt.timedelta(days=LEAD_HORIZON_DAYS),
        )
        .select_related("household")
        .order_by("due_at", "id")
    )
    for lead in leads:
        priority = PRIORITY_OF_URGENCY.get(lead.urgency, 3)
        overdue = (day - timezone.localdate(lead.due_at)).days
        assignee = [lead.assignee_id] if lead.assignee_id in member_ids else []
        task = Task(
            key=f"lead:{lead.pk}",
            point=_point(lead.household) or (0.0, 0.0),
            service_s=LEAD_SERVICE_MIN * 60,
            priority=priority,
            overdue_days=max(overdue, 0),
            staff=tuple(str(pk) for pk in assignee),
        )
        if priority == 0:
            task.window = (DAY_START_S, DAY_START_S + EMERGENCY_WITHIN_S)
        add(
            WorkItem(
                task,
                Stop.Kind.LEAD,
                lead.household,
                lead.get_urgency_display(),
                assignee,
                due=timezone.localdate(lead.due_at),
            )
        )

    follow_ups = (
        follow_ups_visible_to(user)
        .filter(
            case__dong=dong,
            case__status=Case.Status.OPEN,
            done_at__isnull=True,
            visit__isnull=True,
        )
        .filter(Q(due_on__lte=day) | Q(pk__in=_ids(keep, "follow_up")))
        .select_related("case", "case__household")
        .order_by("due_on", "id")
    )
    for fu in follow_ups:
        manager = [fu.case.manager_id] if fu.case.manager_id in member_ids else []
        overdue = (day - fu.due_on).days
        task = Task(
            key=f"follow_up:{fu.pk}",
            point=_point(fu.case.household) or (0.0, 0.0),
            service_s=FOLLOW_UP_SERVICE_MIN * 60,
            priority=2 if overdue > 0 else 3,
            overdue_days=overdue,
            staff=tuple(str(pk) for pk in manager),
        )
        add(
            WorkItem(
                task,
                Stop.Kind.FOLLOW_UP,
                fu.case.household,
                str(Stop.Kind.FOLLOW_UP.label),
                manager,
                due=fu.due_on,
            )
        )

    team = sum(1 for m in members if takes_open_work(m))
    for target in campaign_targets_due(user=user, dong=dong, day=day)[: TARGETS_PER_MEMBER * team]:
        assignee = [target.assignee_id] if target.assignee_id in member_ids else []
        last_week = (target.campaign.ends_on - day).days < TARGET_LAST_DAYS
        task = Task(
            key=f"target:{target.pk}",
            point=_point(target.household) or (0.0, 0.0),
            service_s=TARGET_SERVICE_MIN * 60,
            priority=TARGET_PRIORITY - 1 if last_week else TARGET_PRIORITY,
            staff=tuple(str(pk) for pk in assignee),
        )
        add(WorkItem(task, Stop.Kind.TARGET, target.household, target.campaign.name, assignee))
    return items, unroutable


def _ids(keys: frozenset[str] | set[str], kind: str) -> list[int]:
    return [int(k.partition(":")[2]) for k in keys if k.startswith(kind + ":")]


def campaign_targets_due(*, user: User, dong: Area, day: dt.date) -> QuerySet[Target]:
    """Campaign targets of the dong still to reach on the day: the campaign runs that day, the
    household is not yet reached and has no visit planned for it."""
    return (
        targets_visible_to(user)
        .filter(
            dong=dong,
            outcome=Target.Outcome.PENDING,
            campaign__starts_on__lte=day,
            campaign__ends_on__gte=day,
        )
        .exclude(visit__status=Visit.Status.PLANNED)
        .select_related("household", "campaign")
        .order_by("campaign__ends_on", "id")
    )


def target_coverage(*, user: User, dong: Area, day: dt.date) -> dict:
    """Coverage of the campaigns running in the dong on the day: per tong (and each of its
    bans), the targets and those reached, and each target's household and whether it was
    reached (map points)."""
    dong_for(user=user, dong_id=dong.pk)
    targets = targets_visible_to(user).filter(
        dong=dong, campaign__starts_on__lte=day, campaign__ends_on__gte=day
    )
    reached = set(Target.REACHED)
    tongs: dict[str, dict] = {}
    points = []
    campaigns: dict[int, str] = {}
    for t in targets.select_related("tong", "ban", "campaign").order_by("tong__code", "ban__code"):
        done = t.outcome in reached
        tong = tongs.setdefault(
            t.tong.name if t.tong else "", {"targets": 0, "reached": 0, "bans": {}}
        )
        ban = tong["bans"].setdefault(t.ban.name if t.ban else "", {"targets": 0, "reached": 0})
        for row in (tong, ban):
            row["targets"] += 1
            row["reached"] += done
        points.append({"id": t.pk, "household": t.household_id, "reached": done})
        campaigns[t.campaign_id] = t.campaign.name

    def pct(row: dict) -> int:
        return round(100 * row["reached"] / row["targets"]) if row["targets"] else 0

    table = [
        {
            "tong": name,
            "targets": row["targets"],
            "reached": row["reached"],
            "coverage": pct(row),
            "bans": [
                {"ban": b, "targets": r["targets"], "reached": r["reached"], "coverage": pct(r)}
                for b, r in row["bans"].items()
            ],
        }
        for name, row in tongs.items()
    ]
    return {"rows": table, "points": points, "campaigns": sorted(campaigns.values())}


def availability_of(
    *, members: list[User], days: list[dt.date]
) -> dict[tuple[int, dt.date], Availability]:
    """The availability rows of the members on the days (missing: a full day, the role's mode)."""
    rows = Availability.objects.filter(member__in=members, day__in=days)
    return {(a.member_id, a.day): a for a in rows}


def nominal_day_s() -> int:
    """The hub's nominal day in seconds (settings.ROUTING_NOMINAL_DAY_HOURS, else the
    solver's default of eight hours): past that much time out, lunch included, a member's
    round costs (a quarter of a second of travel a second), so that work is shared among the
    members and time is left at the centre for the records."""
    hours = getattr(settings, "ROUTING_NOMINAL_DAY_HOURS", None)
    return solver_day.NOMINAL_DAY_S if hours is None else int(float(hours) * 3600)


def staff_for_day(
    *, members: list[User], day: dt.date, modes: dict[int, str] | None = None
) -> tuple[list[User], list[Staff], dict[int, str]]:
    """The members working on the day (a day off leaves them out), each as the solver's staff
    with the shift and mode of the availability table (or the defaults; `modes` overrides
    the mode). Returns the working members, their staff and their modes."""
    table = availability_of(members=members, days=[day])
    modes = modes or {}
    working: list[User] = []
    staff: list[Staff] = []
    mode_by: dict[int, str] = {}
    for member in members:
        row = table.get((member.pk, day))
        shift = row.shift if row else Availability.Shift.FULL
        if shift == Availability.Shift.OFF:
            continue
        start, end, lunch = SHIFTS[shift]
        mode = modes.get(member.pk) or (row.mode if row and row.mode else mode_of(member))
        working.append(member)
        mode_by[member.pk] = mode
        staff.append(
            Staff(
                key=str(member.pk),
                mode=mode,
                shift=(start, end),
                lunch=lunch,
                named_only=not takes_open_work(member),
                nominal_s=nominal_day_s(),
            )
        )
    return working, staff, mode_by


def availability_week(*, user: User, dong: Area, monday: dt.date) -> list[dict]:
    """The availability table of the dong's visiting staff for a week (Mon–Fri): per member,
    per day, the shift and the mode (defaults where nothing is set)."""
    members = visiting_members(user=user, dong=dong)
    days = [monday + dt.timedelta(days=i) for i in range(5)]
    table = availability_of(members=members, days=days)
    out = []
    for member in members:
        cells = []
        for day in days:
            row = table.get((member.pk, day))
            cells.append(
                {
                    "day": day,
                    "shift": row.shift if row else Availability.Shift.FULL,
                    "mode": row.mode if row and row.mode else mode_of(member),
                    "set": row is not None,
                }
            )
        out.append({"member": member, "cells": cells})
    return out


def regular_visits(*, user: User, dong: Area) -> QuerySet[RegularVisit]:
    """The dong's regular visits (households the user may see)."""
    dong_for(user=user, dong_id=dong.pk)
    return (
        RegularVisit.objects.filter(dong=dong, household__in=households_visible_to(user))
        .select_related("household", "member")
        .order_by("member__full_name", "weekday", "id")
    )


def plan_collisions(*, user: User, dong: Area, day: dt.date) -> list:
    """The shared calendar's flagged collisions around the day (visits' rule)."""
    dong_for(user=user, dong_id=dong.pk)
    return visit_collisions(user=user, dong_ids=[dong.pk], start=day, end=day)


def keys_planned_elsewhere(*, dong: Area, day: dt.date) -> set[str]:
    """The work already on the dong's rounds of another day of the coming week (a week's plan
    put it there): it stays there, a day's plan does not take it too. Days gone by do not
    count (what was not done is work again)."""
    today = timezone.localdate()
    return set(
        Stop.objects.filter(
            round__plan__dong=dong,
            round__plan__day__range=(
                max(today, day - dt.timedelta(days=6)),
                day + dt.timedelta(days=6),
            ),
        )
        .exclude(round__plan__day=day)
        .exclude(kind=Stop.Kind.LUNCH)
        .values_list("key", flat=True)
    )


def plan_for(*, user: User, dong: Area, day: dt.date) -> DayPlan | None:
    dong_for(user=user, dong_id=dong.pk)
    return DayPlan.objects.filter(dong=dong, day=day).first()


def rounds_visible_to(user: User) -> QuerySet[Round]:
    """Rounds of the dongs the user works in (hub staff only)."""
    if not user.is_authenticated or not user.is_hub_staff:
        return Round.objects.none()
    return Round.objects.filter(plan__dong_id__in=dong_ids_of(user))


def round_get(*, user: User, round_id: int) -> Round:
    found = (
        rounds_visible_to(user)
        .select_related("plan", "plan__dong", "member")
        .filter(pk=round_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def round_stops(*, user: User, round_: Round) -> list[Stop]:
    """The stops of a round, with their households (visible to the user: a household the user
    may no longer see is left out)."""
    stops = list(round_.stops.select_related("household").order_by("seq"))
    ids = {s.household_id for s in stops if s.household_id}
    visible = set(households_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [s for s in stops if s.household_id is None or s.household_id in visible]


def last_visits(*, user: User, household_ids: list[int], before: dt.date) -> dict[int, Visit]:
    """The last visit done before the day for each household (visible to the user)."""
    done = (
        visits_visible_to(user)
        .filter(household_id__in=household_ids, status=Visit.Status.DONE, planned_on__lt=before)
        .prefetch_related("members")
        .order_by("household_id", "-planned_on", "-id")
    )
    last: dict[int, Visit] = {}
    for visit in done:
        last.setdefault(visit.household_id, visit)
    return last


def plan_rounds(*, user: User, plan: DayPlan) -> list[Round]:
    dong_for(user=user, dong_id=plan.dong_id)
    return list(plan.rounds.select_related("member").order_by("member__full_name", "member_id"))


def map_points(*, user: User, dong: Area, today: dt.date | None = None) -> dict:
    """The area map of a dong: households (with their vulnerable groups where the user's role
    may read them), open leads, overdue follow-ups, all from the user's scope."""
    dong_for(user=user, dong_id=dong.pk)
    today = today or timezone.localdate()
    households = households_visible_to(user).filter(
        dong=dong, lat__isnull=False, lon__isnull=False, anonymised_at__isnull=True
    )
    show_groups = may_read(user, "household")
    points = [
        {
            "id": h.pk,
            "lat": round(h.lat or 0.0, 6),
            "lon": round(h.lon or 0.0, 6),
            "groups": list(h.groups or []) if show_groups else [],
        }
        for h in households.only("pk", "lat", "lon", "groups")
    ]
    leads = [
        {"id": lead.pk, "household": lead.household_id, "urgency": lead.urgency}
        for lead in leads_visible_to(user)
        .filter(dong=dong, status__in=Lead.OPEN_STATUSES, household__in=households)
        .only("pk", "household_id", "urgency")
    ]
    overdue = [
        {"id": fu.pk, "household": fu.case.household_id, "due_on": fu.due_on.isoformat()}
        for fu in follow_ups_visible_to(user)
        .filter(
            case__dong=dong,
            case__status=Case.Status.OPEN,
            done_at__isnull=True,
            due_on__lt=today,
            case__household__in=households,
        )
        .select_related("case")
    ]
    return {"households": points, "leads": leads, "overdue": overdue}


def what_to_bring(*, stop: Stop, household: Household | None) -> list[str]:
    """What the visit needs in the bag: forms by the kind of stop, aids by the household."""
    if stop.kind == Stop.Kind.LUNCH or household is None:
        return []
    items: list[str] = []
    if stop.kind == Stop.Kind.LEAD:
        items += [_("consent form"), _("initial counselling sheet")]
        if stop.priority == 0:
            items.append(_("emergency welfare application"))
    elif stop.kind == Stop.Kind.FOLLOW_UP:
        items += [_("case plan"), _("follow-up record sheet")]
    elif stop.kind == Stop.Kind.TARGET:
        items += [_("campaign survey sheet"), _("consent form")]
    else:
        items.append(_("visit record sheet"))
    groups = set(household.groups or [])
    if groups & {Household.Group.SENIOR_ALONE, Household.Group.DISABLED}:
        items.append(_("blood-pressure monitor"))
    if groups & {Household.Group.POOR_CHILDREN, Household.Group.SINGLE_PARENT}:
        items.append(_("children's services leaflets"))
    if stop.joint_with:
        items.append(_("shared case notes for the joint visit"))
    return items


def dong_outline(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """An approximate outline of a dong drawn without a map server: the convex hull of its
    households' points (lat, lon), widened a little."""
    if len(points) < 3:
        return []
    try:
        hull = ConvexHull(np.asarray([(lon, lat) for lat, lon in points]))
    except (QhullError, ValueError):
        return []
    ring = [points[i] for i in hull.vertices]
    lat0 = sum(p[0] for p in ring) / len(ring)
    lon0 = sum(p[1] for p in ring) / len(ring)
    return [
        (round(lat0 + (a - lat0) * 1.04, 6), round(lon0 + (b - lon0) * 1.04, 6)) for a, b in ring
    ]
