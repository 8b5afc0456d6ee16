# ruff: noqa: F811 (the fixtures imported from test_services)
"""The week planned as a whole: each piece of work on a day its window allows, stored as the
days' plans (so the day pages, the round pages and a day's re-plan work on it)."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from maeul.discovery.models import Lead
from maeul.discovery.services import lead_register
from maeul.errors import DomainError
from maeul.routing import selectors, services
from maeul.routing.models import Availability, DayPlan, Stop
from maeul.routing.solver.day import Task
from maeul.routing.tests.test_services import DAY, place, team, work  # noqa: F401 (fixtures)
from maeul.routing.week import week_of, week_plan, window_days

pytestmark = pytest.mark.django_db
MONDAY = DAY - dt.timedelta(days=DAY.weekday())
WEEK = week_of(DAY)


def where(plans):
    """Task key -> (day, member ids) of the week's stops."""
    out: dict[str, tuple[dt.date, set[int]]] = {}
    for plan in plans:
        for round_ in plan.rounds.all():
            for stop in round_.stops.exclude(kind=Stop.Kind.LUNCH):
                day, who = out.setdefault(stop.key, (plan.day, set()))
                assert day == plan.day, f"{stop.key} on two days"
                who.add(round_.member_id)
    return out


@pytest.fixture
def normal_lead(official, dong_a):
    lead = lead_register(
        actor=official,
        source=Lead.Source.STAFF,
        dong=dong_a,
        address="부산광역시 수영구 보통로 3",
        subject_name="김보통",
        urgency=Lead.Urgency.NORMAL,
    )
    Lead.objects.filter(pk=lead.pk).update(
        due_at=timezone.make_aware(dt.datetime.combine(WEEK[4], dt.time(17)))
    )
    place(lead.household, random.Random(8))
    return lead


def test_the_week_is_planned_as_a_whole_and_stored_day_by_day(
    official,
    nurse,
    dong_a,
    team,
    work,
    normal_lead,
):
    services.availability_set(
        actor=official, dong=dong_a, member=nurse, day=WEEK[1], shift=Availability.Shift.OFF
    )
    plans = week_plan(actor=official, dong=dong_a, day=DAY, time_limit=0.3)
    assert [p.day for p in plans] == WEEK
    assert DayPlan.objects.filter(dong=dong_a, day__in=WEEK).count() == 5
    # the nurse's day off: no round that Tuesday
    assert not plans[1].rounds.filter(member=nurse).exists()
    placed = where(plans)
    # a planned visit keeps its day and its member; the joint visit both members, at once
    for visit in work["visits"]:
        assert placed[f"visit:{visit.pk}"] == (DAY, {visit.members.get().pk})
    assert placed[f"visit:{work['joint'].pk}"] == (DAY, {official.pk, nurse.pk})
    joint = Stop.objects.filter(key=f"visit:{work['joint'].pk}", round__plan__day=DAY)
    assert len({s.start_s for s in joint}) == 1
    # the emergency on the first day, the normal lead on some day up to its due date
    assert placed[f"lead:{work['lead'].pk}"][0] == WEEK[0]
    assert placed[f"lead:{normal_lead.pk}"][0] in WEEK
    # the pages read it as the days' rounds: times are of the day
    for plan in plans:
        for stop in Stop.objects.filter(round__plan=plan):
            assert 9 * 3600 <= stop.start_s <= 18 * 3600


def test_a_day_re_planned_after_the_week_leaves_the_other_days_work_there(
    official,
    dong_a,
    team,
    work,
    normal_lead,
):
    plans = week_plan(actor=official, dong=dong_a, day=DAY, time_limit=0.3)
    day_of = where(plans)[f"lead:{normal_lead.pk}"][0]
    other = next(d for d in WEEK if d != day_of and d >= timezone.localdate())
    again = services.day_plan(actor=official, dong=dong_a, day=other, time_limit=0.3)
    assert f"lead:{normal_lead.pk}" not in where([again])
    # planning the week again replaces the days' plans (new revisions), nothing doubled
    plans = week_plan(actor=official, dong=dong_a, day=DAY, time_limit=0.3)
    assert sorted(p.revision for p in plans) == [2, 2, 2, 2, 3]
    assert f"lead:{normal_lead.pk}" in where(plans)  # once (`where` checks: never two days)


def test_nobody_working_and_out_of_scope(official, official_b, nurse, dong_a, team):
    for member in team:
        for day in WEEK:
            services.availability_set(
                actor=official, dong=dong_a, member=member, day=day, shift=Availability.Shift.OFF
            )
    with pytest.raises(DomainError) as error:
        week_plan(actor=official, dong=dong_a, day=DAY, time_limit=0.3)
    assert error.value.code == "nobody_working"
    assert not DayPlan.objects.filter(dong=dong_a).exists()
    from maeul.errors import NotFound

    with pytest.raises(NotFound):
        week_plan(actor=official_b, dong=dong_a, day=DAY, time_limit=0.3)


def item(kind, *, due=None, priority=3):
    task = Task(key="k", point=(0.0, 0.0), priority=priority)
    return selectors.WorkItem(task=task, kind=kind, household=None, label="", due=due)


def test_the_days_a_piece_of_work_may_take():
    every = [0, 1, 2, 3, 4]
    # a planned or regular visit: its day
    assert window_days(item(Stop.Kind.VISIT), [2], WEEK) == (2, 2)
    assert window_days(item(Stop.Kind.REGULAR), [3], WEEK) == (3, 3)
    # an emergency: the first day
    assert window_days(item(Stop.Kind.LEAD, due=WEEK[3], priority=0), every, WEEK) == (0, 0)
    # a follow-up due on Thursday: any day up to Thursday; overdue at the start: Monday
    assert window_days(item(Stop.Kind.FOLLOW_UP, due=WEEK[3]), [3, 4], WEEK) == (0, 3)
    overdue = MONDAY - dt.timedelta(days=3)
    assert window_days(item(Stop.Kind.FOLLOW_UP, due=overdue), every, WEEK) == (0, 0)
    # a lead due Wednesday: up to Wednesday; due next week: any day; overdue: the first day
    assert window_days(item(Stop.Kind.LEAD, due=WEEK[2]), every, WEEK) == (0, 2)
    later = WEEK[4] + dt.timedelta(days=5)
    assert window_days(item(Stop.Kind.LEAD, due=later), every, WEEK) == (0, 4)
    assert window_days(item(Stop.Kind.LEAD, due=overdue), every, WEEK) == (0, 0)
    # a lead that comes in on Tuesday cannot be done on Monday
    assert window_days(item(Stop.Kind.LEAD, due=WEEK[4]), [1, 2, 3, 4], WEEK) == (1, 4)
    # a campaign target: the days of its campaign
    assert window_days(item(Stop.Kind.TARGET), [2, 3], WEEK) == (2, 3)


def test_the_week_page_plans_and_shows_each_days_rounds(client, official, dong_a, work):
    client.force_login(official)
    response = client.post("/rounds/week/plan/", {"dong": dong_a.pk, "day": DAY.isoformat()})
    assert response.status_code == 302 and "/rounds/week/" in response["Location"]
    page = client.get(f"/rounds/week/?dong={dong_a.pk}&day={DAY.isoformat()}")
    assert page.status_code == 200
    body = page.content.decode()
    rounds = list(selectors.rounds_visible_to(official).filter(plan__day__in=WEEK))
    assert rounds and all(f"/rounds/{r.pk}/" in body for r in rounds)
    # a round shows the member's other days of the week
    mine = [r for r in rounds if r.member_id == official.pk]
    page = client.get(f"/rounds/{mine[0].pk}/").content.decode()
    assert all(f"/rounds/{r.pk}/" in page for r in mine[1:])
    # bad input: a missing date is said, nothing planned
    response = client.post("/rounds/week/plan/", {"dong": dong_a.pk}, follow=True)
    assert response.status_code == 200
    assert DayPlan.objects.filter(dong=dong_a).count() == 5


def test_each_member_s_day_and_week_have_the_hub_s_nominal_day(settings, official, nurse):
    members = [official, nurse]
    _present, staff, _modes = selectors.staff_for_day(members=members, day=DAY)
    assert [m.nominal_s for m in staff] == [8 * 3600] * 2  # the default: 9:00-17:00 out
    settings.ROUTING_NOMINAL_DAY_HOURS = 7.5
    _present, staff, _modes = selectors.staff_for_day(members=members, day=DAY)
    assert [m.nominal_s for m in staff] == [int(7.5 * 3600)] * 2
