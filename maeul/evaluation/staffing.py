"""Staffing: the staff by role, qualification and employment over time (from the gu's staff
postings), the caseload per visiting worker — open cases, follow-ups due and visits made in
the last complete month — against the standard the gu sets, and the workers each dong's
caseload implies.

Implied workers = the largest of ⌈open cases / standard⌉, ⌈follow-ups / standard⌉ and
⌈visits / standard⌉: a dong needs enough workers for whichever load is heaviest.

Who is on the books: the gu's staff postings (`StaffPosting`) once it has recorded any; before
that, the staff accounts with a hiring date (`accounts.User.hired_on/left_on`), which know no
qualification — the page says which source it counts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import VISITING_ROLES, Role, User
from maeul.areas.models import Area
from maeul.cases.models import Case, FollowUp
from maeul.evaluation.did import month_label
from maeul.evaluation.models import CaseloadStandard, StaffPosting
from maeul.indicators.selectors import indicator_areas
from maeul.people.models import TimelineEvent

#: Used until the gu sets its own (the page says so).
DEFAULT_STANDARD = {"open_cases": 25, "follow_ups": 40, "visits": 60}
LOADS = ("open_cases", "follow_ups", "visits")
ROLE_LABELS = dict(Role.choices)
OVER_TIME_MONTHS = 24


@dataclass
class Standard:
    open_cases: int
    follow_ups: int
    visits: int
    note: str = ""
    set_by: str = ""
    set_at: dt.datetime | None = None

    @property
    def is_default(self) -> bool:
        return self.set_at is None

    def as_dict(self) -> dict:
        return {
            "open_cases": self.open_cases,
            "follow_ups": self.follow_ups,
            "visits": self.visits,
            "note": self.note,
            "set_by": self.set_by,
            "set_at": (
                timezone.localtime(self.set_at).isoformat(timespec="minutes")
                if self.set_at
                else None
            ),
        }


def _standard(row: CaseloadStandard) -> Standard:
    return Standard(
        open_cases=row.open_cases,
        follow_ups=row.follow_ups,
        visits=row.visits,
        note=row.note,
        set_by=row.set_by.label if row.set_by else "",
        set_at=row.set_at,
    )


def standard_history(gu: Area) -> QuerySet[CaseloadStandard]:
    """Every standard the gu has set, newest (the one in force) first."""
    return (
        CaseloadStandard.objects.filter(gu=gu).select_related("set_by").order_by("-set_at", "-id")
    )


def standard_in_force(gu: Area) -> Standard:
    row = standard_history(gu).first()
    return _standard(row) if row else Standard(**DEFAULT_STANDARD)


@dataclass
class Staffing:
    dong: Area
    staff: dict[str, int]  # role → head count on the books today
    private: int
    workers: int  # visiting staff
    open_cases: int
    follow_ups_due: int
    visits: int
    per_worker: dict[str, float | None] = field(default_factory=dict)
    needed_by: dict[str, int] = field(default_factory=dict)
    needed: int = 0  # workers the caseload implies at the standard
    gap: int = 0  # needed - workers (positive: short)

    @property
    def cases_per_worker(self) -> float | None:
        return self.per_worker.get("open_cases")


def _postings(areas: list[int]) -> QuerySet[StaffPosting]:
    return StaffPosting.objects.filter(area_id__in=areas)


def _on_books_today(
    *, gu: Area, ids: list[int], today: dt.date
) -> tuple[str, list[tuple[int, str, bool]]]:
    """(source, [(area id, role, privately employed)]) of the staff on the books today."""
    if StaffPosting.objects.filter(Q(area=gu) | Q(area__parent=gu)).exists():
        rows = (
            _postings(ids)
            .filter(starts_on__lte=today)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
            .values_list("area_id", "role", "employment")
        )
        return "postings", [(a, r, e == StaffPosting.Employment.PRIVATE) for a, r, e in rows]
    rows = (
        User.objects.filter(
            home_area_id__in=ids, hired_on__isnull=False, hired_on__lte=today, is_active=True
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .values_list("home_area_id", "role", "privately_employed")
    )
    return "accounts", list(rows)


def last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    first = today.replace(day=1)
    end = first - dt.timedelta(days=1)
    return end.replace(day=1), end


def staffing(
    *, user: User, today: dt.date, standard: Standard | None = None
) -> tuple[Standard, str, list[Staffing]]:
    """Per dong the user sees: staff by role today, caseload per visiting worker against the
    gu's standard (or `standard`, for a what-if), and the workers the caseload implies.
    Returns the standard used, the source of the head counts ("postings" or "accounts") and
    the rows."""
    gu, dongs = indicator_areas(user=user)
    standard = standard or standard_in_force(gu)
    ids = [d.pk for d in dongs]
    source, staff_rows = _on_books_today(gu=gu, ids=ids, today=today)
    by_role: dict[int, Counter] = {d: Counter() for d in ids}
    private: Counter = Counter()
    workers: Counter = Counter()
    for area_id, role, is_private in staff_rows:
        by_role[area_id][role] += 1
        private[area_id] += int(bool(is_private))
        workers[area_id] += int(role in VISITING_ROLES)
    month = last_month(today)
    cases = dict(
        Case.objects.filter(dong_id__in=ids, status=Case.Status.OPEN)
        .values_list("dong_id")
        .annotate(n=Count("id"))
        .values_list("dong_id", "n")
    )
    follow_ups = dict(
        FollowUp.objects.filter(case__dong_id__in=ids, due_on__range=month)
        .values_list("case__dong_id")
        .annotate(n=Count("id"))
        .values_list("case__dong_id", "n")
    )
    visits = dict(
        TimelineEvent.objects.filter(
            dong_id__in=ids,
            kind=TimelineEvent.Kind.VISIT_COMPLETED,
            occurred_at__date__range=month,
        )
        .values_list("dong_id")
        .annotate(n=Count("id"))
        .values_list("dong_id", "n")
    )
    out = []
    for dong in dongs:
        n = workers[dong.pk]
        loads = {
            "open_cases": cases.get(dong.pk, 0),
            "follow_ups": follow_ups.get(dong.pk, 0),
            "visits": visits.get(dong.pk, 0),
        }
        needed_by = {key: math.ceil(loads[key] / getattr(standard, key)) for key in LOADS}
        needed = max(needed_by.values())
        out.append(
            Staffing(
                dong=dong,
                staff=dict(by_role[dong.pk]),
                private=private[dong.pk],
                workers=n,
                open_cases=loads["open_cases"],
                follow_ups_due=loads["follow_ups"],
                visits=loads["visits"],
                per_worker={key: round(loads[key] / n, 1) if n else None for key in LOADS},
                needed_by=needed_by,
                needed=needed,
                gap=needed - n,
            )
        )
    return standard, source, out


@dataclass
class StaffOverTime:
    labels: list[str]  # YYYY-MM
    #: dimension ("role", "qualification", "employment") → [(key, label, counts per month)]
    groups: dict[str, list[tuple[str, str, list[int]]]]
    totals: list[int]


def _month_ends(today: dt.date, n: int) -> list[dt.date]:
    """The last day of each of the n months up to this one (this month: today)."""
    ends = [today]
    day = today.replace(day=1)
    while len(ends) < n:
        day = day - dt.timedelta(days=1)
        ends.append(day)
        day = day.replace(day=1)
    return ends[::-1]


def staff_over_time(*, user: User, today: dt.date, months: int = OVER_TIME_MONTHS) -> StaffOverTime:
    """Head counts of the staff postings on the last day of each month (this month: today) by
    role, qualification and employment, over the dongs the user reads (and the gu team, for
    the gu level). One query; counted in Python."""
    gu, dongs = indicator_areas(user=user)
    areas = [d.pk for d in dongs] + ([gu.pk] if user.is_gu_level else [])
    ends = _month_ends(today, months)
    postings = list(
        _postings(areas)
        .filter(starts_on__lte=ends[-1])
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=ends[0]))
        .values_list("role", "qualification", "employment", "starts_on", "ends_on")
    )
    labels = {
        "role": ROLE_LABELS,
        "qualification": dict(StaffPosting.Qualification.choices),
        "employment": dict(StaffPosting.Employment.choices),
    }
    index = {"role": 0, "qualification": 1, "employment": 2}
    groups: dict[str, list[tuple[str, str, list[int]]]] = {}
    totals = [0] * len(ends)
    counts: dict[str, dict[str, list[int]]] = {k: {} for k in index}
    for posting in postings:
        starts_on, ends_on = posting[3], posting[4]
        for m, day in enumerate(ends):
            if starts_on <= day and (ends_on is None or ends_on > day):
                totals[m] += 1
                for dim, i in index.items():
                    counts[dim].setdefault(posting[i], [0] * len(ends))[m] += 1
    for dim in index:
        order = list(labels[dim])
        groups[dim] = [
            (key, str(labels[dim].get(key, key)), values)
            for key, values in sorted(
                counts[dim].items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
            )
        ]
    return StaffOverTime(
        labels=[month_label(d.year * 12 + d.month - 1) for d in ends], groups=groups, totals=totals
    )


def postings_visible_to(user: User) -> QuerySet[StaffPosting]:
    """The postings of the dongs the user reads (and of the gu team, for the gu level), the
    standing ones first."""
    gu, dongs = indicator_areas(user=user)
    areas = [d.pk for d in dongs] + ([gu.pk] if user.is_gu_level else [])
    return (
        _postings(areas)
        .select_related("area", "user", "recorded_by")
        .order_by(F("ends_on").desc(nulls_first=True), "area__code", "name", "-starts_on")
    )


STAFFING_NOTE = _(
    "Workers the caseload implies: the largest of open cases, follow-ups due and visits, each "
    "divided by the gu's standard per worker, rounded up."
)
