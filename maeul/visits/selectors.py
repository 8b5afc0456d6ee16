"""Reads of visits. Every query starts from `visits_visible_to(user)`, itself built on
`households_visible_to(user)`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maeul.accounts.models import DONG_STAFF_ROLES, Role, User
from maeul.errors import NotFound
from maeul.pagination import in_order_of
from maeul.people.models import Household
from maeul.people.selectors import dong_ids_of, households_visible_q
from maeul.visits.models import Visit

#: Two visits of different teams this close together are flagged (DOMAIN.md: "no two agencies
#: visiting the same household the same week without knowing it", with a week's margin).
OVERLAP_DAYS = 14
#: The shared calendar: a visit planned this close to another planned visit of the household
#: (any team, partner institutions included) is merged into it as a joint visit, unless the
#: planner asks to keep them apart (then it is flagged like any overlap).
JOIN_DAYS = 3


@dataclass(frozen=True)
class OverlapWarning:
    """Another team's visit of the same household near the planned date."""

    visit_id: int
    team: str
    team_label: str
    planned_on: dt.date
    status: str
    members: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        return _("%(team)s visit on %(date)s (%(status)s) by %(who)s") % {
            "team": self.team_label,
            "date": self.planned_on.isoformat(),
            "status": Visit.Status(self.status).label,
            "who": ", ".join(self.members) or "-",
        }

    def __str__(self) -> str:
        return self.message


def visits_visible_to(user: User) -> QuerySet[Visit]:
    """Hub staff see the visits of the households they may see; volunteers and partners only
    the visits they are members of (field minimisation). Staff scope is tested on the dong of
    the visit's own household (`households_visible_q`: the same rows as
    `household__in=households_visible_to(user)`), not by a semi-join over every household of
    their dongs."""
    visits = Visit.objects.filter(households_visible_q(user))
    if not user.is_authenticated or user.is_hub_staff:
        return visits
    return visits.filter(members=user)


def _with_related(visits: QuerySet[Visit]) -> QuerySet[Visit]:
    return visits.select_related("household", "household__dong", "planned_by").prefetch_related(
        Prefetch("members", queryset=User.objects.order_by("full_name", "username")),
        "household__members",
    )


def visit_overlaps(*, household: Household, planned_on: dt.date, team: str) -> list[OverlapWarning]:
    """Visits of the household by ANOTHER team, planned or done within 14 days of the date.
    Callers pass a household they obtained through a scoped selector."""
    start = planned_on - dt.timedelta(days=OVERLAP_DAYS)
    end = planned_on + dt.timedelta(days=OVERLAP_DAYS)
    visits = (
        Visit.objects.filter(household=household, planned_on__range=(start, end))
        .exclude(team=team)
        .exclude(status=Visit.Status.CANCELLED)
        .prefetch_related("members")
        .order_by("planned_on", "id")
    )
    return [
        OverlapWarning(
            visit_id=v.pk,
            team=v.team,
            team_label=str(v.get_team_display()),
            planned_on=v.planned_on,
            status=v.status,
            members=[m.label for m in v.members.all()],
        )
        for v in visits
    ]


def visit_get(*, user: User, visit_id: int) -> Visit:
    visit = _with_related(visits_visible_to(user)).filter(pk=visit_id).first()
    if visit is None:
        raise NotFound()
    return visit


def visits_for_day(*, user: User, day: dt.date, member: User | None = None) -> QuerySet[Visit]:
    """The day's round: visits planned or done that day (one member's, or all visible)."""
    visits = visits_visible_to(user).filter(planned_on=day).exclude(status=Visit.Status.CANCELLED)
    if member is not None:
        visits = visits.filter(members=member)
    return _with_related(visits).order_by("planned_on", "id")


def visits_today(*, user: User) -> QuerySet[Visit]:
    """The signed-in worker's visits today (dashboard)."""
    return visits_for_day(user=user, day=timezone.localdate(), member=user)


def visit_list(
    *,
    user: User,
    day: dt.date | None = None,
    member_id: int | None = None,
    household_id: int | None = None,
    status: str = "",
) -> QuerySet[Visit]:
    visits = visits_visible_to(user)
    if day is not None:
        visits = visits.filter(planned_on=day)
    if member_id:
        visits = visits.filter(members__pk=member_id)
    if household_id:
        visits = visits.filter(household_id=household_id)
    if status:
        visits = visits.filter(status=status)
    return _with_related(visits).order_by("-planned_on", "-id")


def visit_list_ids(
    *,
    user: User,
    day: dt.date | None = None,
    member_id: int | None = None,
    household_id: int | None = None,
    status: str = "",
) -> QuerySet:
    """The ids of `visit_list`, in its order (date, then id, newest first: a total order, so
    no page repeats or skips a visit), for paging on the visits alone instead of joining
    every visit of the dong to its household, dong and planner before keeping 50. Load a
    page's rows with `visits_in_order`."""
    return (
        visit_list(
            user=user, day=day, member_id=member_id, household_id=household_id, status=status
        )
        .select_related(None)
        .prefetch_related(None)
        .values_list("pk", flat=True)
    )


def visits_in_order(*, user: User, ids: list[int]) -> list[Visit]:
    """The visits of `ids` that the user may see, as `visit_list` gives them (household, dong,
    planner and members loaded), in the order of `ids`."""
    return in_order_of(_with_related(visits_visible_to(user)), ids)


def visiting_staff(*, user: User, household: Household | None = None) -> QuerySet[User]:
    """Staff who may be members of a visit: the household's dong team (or the user's dongs)
    and the gu's integrated-case team, plus the user (administrators do not visit)."""
    dong_ids = [household.dong_id] if household is not None else dong_ids_of(user)
    gu_ids = []
    if household is not None and household.dong.parent_id:
        gu_ids = [household.dong.parent_id]
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role__in=DONG_STAFF_ROLES, home_area_id__in=dong_ids)
            | Q(role=Role.GU_TEAM, home_area_id__in=gu_ids)
            | Q(pk=user.pk)
        )
        .order_by("full_name", "username")
    )


def household_visits(*, user: User, household: Household) -> QuerySet[Visit]:
    """The household's visits for its page, newest first, with their members (the page has
    the household already: its row and members are not read again with every visit)."""
    return (
        visits_visible_to(user)
        .filter(household=household)
        .prefetch_related(
            Prefetch("members", queryset=User.objects.order_by("full_name", "username"))
        )
        .order_by("-planned_on", "-id")
    )


def visit_joinable(
    *, household: Household, planned_on: dt.date, exclude_ids: tuple[int, ...] = ()
) -> Visit | None:
    """The planned visit of the household (any team) that a visit planned for `planned_on`
    would collide with: still planned, the same day first, then the nearest within JOIN_DAYS
    (the earlier on a tie). Callers pass a household they obtained through a scoped
    selector."""
    start = planned_on - dt.timedelta(days=JOIN_DAYS)
    end = planned_on + dt.timedelta(days=JOIN_DAYS)
    candidates = list(
        Visit.objects.filter(
            household=household, planned_on__range=(start, end), status=Visit.Status.PLANNED
        )
        .exclude(pk__in=exclude_ids)
        .prefetch_related("members")
        .order_by("planned_on", "id")
    )
    if not candidates:
        return None
    return min(candidates, key=lambda v: (abs((v.planned_on - planned_on).days), v.planned_on))


@dataclass(frozen=True)
class Collision:
    """Two planned visits of one household by different teams within OVERLAP_DAYS of each
    other that nobody merged: shown on the rounds' plan page to be merged or agreed."""

    first: Visit
    second: Visit

    @property
    def days_apart(self) -> int:
        return abs((self.second.planned_on - self.first.planned_on).days)


def visit_collisions(
    *, user: User, dong_ids: list[int], start: dt.date, end: dt.date
) -> list[Collision]:
    """The shared calendar's flags: pairs of planned visits of the same household by different
    teams within OVERLAP_DAYS, one of them planned between `start` and `end`, among the
    visits the user may see."""
    visits = list(
        _with_related(
            visits_visible_to(user).filter(
                dong_id__in=dong_ids,
                status=Visit.Status.PLANNED,
                planned_on__range=(
                    start - dt.timedelta(days=OVERLAP_DAYS),
                    end + dt.timedelta(days=OVERLAP_DAYS),
                ),
            )
        ).order_by("household_id", "planned_on", "id")
    )
    by_household: dict[int, list[Visit]] = {}
    for visit in visits:
        by_household.setdefault(visit.household_id, []).append(visit)
    found: list[Collision] = []
    for group in by_household.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if second.team == first.team:
                    continue
                if (second.planned_on - first.planned_on).days > OVERLAP_DAYS:
                    break
                if start <= first.planned_on <= end or start <= second.planned_on <= end:
                    found.append(Collision(first, second))
    return sorted(found, key=lambda c: (c.first.planned_on, c.first.pk, c.second.pk))
