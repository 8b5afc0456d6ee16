"""Planning a dong's day from the apps' work (planned visits, leads), re-planning after one
change, the scope of every read."""

import datetime as dt
import random

import pytest

from maeul.accounts.models import Role
from maeul.discovery.models import Lead
from maeul.discovery.services import lead_register
from maeul.errors import DomainError, NotFound
from maeul.people.models import Household
from maeul.routing import selectors, services
from maeul.routing.models import DayPlan, Stop
from maeul.visits.models import Visit
from maeul.visits.services import visit_cancel, visit_plan
from tests.factories import HouseholdFactory, UserFactory

DAY = dt.date(2026, 12, 2)


def place(household, rng):
    Household.objects.filter(pk=household.pk).update(
        lat=35.16 + rng.uniform(-0.006, 0.006), lon=129.11 + rng.uniform(-0.006, 0.006)
    )
    household.refresh_from_db()
    return household


@pytest.fixture
def team(dong_a, official, nurse):
    second = UserFactory(username="official_a2", role=Role.WELFARE_OFFICIAL, home_area=dong_a)
    return [official, second, nurse]


@pytest.fixture
def work(dong_a, team, official):
    rng = random.Random(4)
    households = [place(HouseholdFactory(dong=dong_a), rng) for _ in range(12)]
    visits = []
    for i, h in enumerate(households[:9]):
        visit, _ = visit_plan(
            actor=official,
            household=h,
            planned_on=DAY,
            members=[team[i % 3]],
            kind=Visit.Kind.FOLLOW_UP,
        )
        visits.append(visit)
    joint, _ = visit_plan(
        actor=official, household=households[9], planned_on=DAY, members=[team[0], team[2]]
    )
    lead = lead_register(
        actor=official,
        source=Lead.Source.STAFF,
        dong=dong_a,
        address="부산광역시 수영구 긴급로 1",
        subject_name="이순자",
        urgency=Lead.Urgency.EMERGENCY,
    )
    place(lead.household, rng)
    return {"households": households, "visits": visits, "joint": joint, "lead": lead}


def stops(plan):
    return {
        r.member_id: [s for s in r.stops.order_by("seq") if s.kind != Stop.Kind.LUNCH]
        for r in plan.rounds.all()
    }


def test_a_day_is_planned_from_visits_and_leads(official, dong_a, team, work):
    plan = services.day_plan(actor=official, dong=dong_a, day=DAY, time_limit=1)
    by_member = stops(plan)
    keys = [s.key for ss in by_member.values() for s in ss]
    assert f"lead:{work['lead'].pk}" in keys  # the emergency is on a round
    # every planned visit goes to its member
    for visit in work["visits"]:
        member = visit.members.get()
        assert f"visit:{visit.pk}" in [s.key for s in by_member[member.pk]]
    # the joint visit: both members at the door at the same time
    joint = [
        (m, s) for m, ss in by_member.items() for s in ss if s.key == f"visit:{work['joint'].pk}"
    ]
    assert sorted(m for m, _ in joint) == sorted([team[0].pk, team[2].pk])
    assert len({s.start_s for _, s in joint}) == 1
    assert joint[0][1].joint_with == [joint[1][0]]
    # the households' last visits and lunch
    assert all(r.stops.filter(kind=Stop.Kind.LUNCH).count() == 1 for r in plan.rounds.all())
    assert plan.dropped == []
    # the nurse travels by car by default
    assert plan.rounds.get(member=team[2]).mode == "car"


def test_a_cancelled_visit_leaves_the_rest_of_the_day_as_it_was(official, dong_a, work):
    before = stops(services.day_plan(actor=official, dong=dong_a, day=DAY, time_limit=1))
    gone = work["visits"][4]
    visit_cancel(actor=official, visit=gone)
    plan = services.day_plan(actor=official, dong=dong_a, day=DAY, time_limit=1)
    assert plan.revision == 2
    after = stops(plan)
    for member, old in before.items():
        kept = [s.key for s in old if s.key != f"visit:{gone.pk}"]
        assert [s.key for s in after[member]] == kept


def test_a_stop_taken_off_the_day_stays_off(official, dong_a, work):
    plan = services.day_plan(actor=official, dong=dong_a, day=DAY, time_limit=1)
    before = stops(plan)
    lead_stop = Stop.objects.get(round__plan=plan, key=f"lead:{work['lead'].pk}")
    plan = services.stop_skip(actor=official, stop_id=lead_stop.pk, time_limit=1)
    assert plan.skipped == [lead_stop.key]
    after = stops(plan)
    for member, old in before.items():
        assert [s.key for s in after[member]] == [s.key for s in old if s.key != lead_stop.key]
    with pytest.raises(DomainError):
        services.stop_skip(
            actor=official,
            stop_id=Stop.objects.filter(round__plan=plan, kind=Stop.Kind.LUNCH).first().pk,
        )


def test_an_over_full_day_reports_what_was_dropped(official, dong_a, work):
    rng = random.Random(8)
    for _ in range(14):
        h = place(HouseholdFactory(dong=dong_a), rng)
        visit_plan(actor=official, household=h, planned_on=DAY, members=[official], kind="initial")
    plan = services.day_plan(actor=official, dong=dong_a, day=DAY, members=[official], time_limit=1)
    dropped = {d["key"] for d in plan.dropped}
    assert dropped
    assert all(d["reason"] == "full" for d in plan.dropped)
    on_round = {s.key for s in Stop.objects.filter(round__plan=plan)}
    assert not dropped & on_round
    assert f"lead:{work['lead'].pk}" in on_round  # the emergency stays


def test_households_without_coordinates_are_reported(official, dong_a, team):
    h = HouseholdFactory(dong=dong_a)
    visit_plan(actor=official, household=h, planned_on=DAY, members=[official])
    plan = services.day_plan(actor=official, dong=dong_a, day=DAY, time_limit=0.5)
    assert [d["reason"] for d in plan.dropped] == ["no_coordinates"]


def test_planning_is_scoped_to_the_planner(official_b, volunteer, dong_a, official, work):
    for user in (official_b, volunteer):
        with pytest.raises(NotFound):
            services.day_plan(actor=user, dong=dong_a, day=DAY, time_limit=0.5)
    outsider = UserFactory(
        username="other", role=Role.WELFARE_OFFICIAL, home_area=official_b.home_area
    )
    with pytest.raises(DomainError):
        services.day_plan(actor=official, dong=dong_a, day=DAY, members=[outsider], time_limit=0.5)
    assert not DayPlan.objects.exists()


def test_map_points_are_those_the_viewer_may_see(
    official, official_b, gu_user, volunteer, dong_a, dong_b, work
):
    rng = random.Random(1)
    other = place(HouseholdFactory(dong=dong_b), rng)
    points = selectors.map_points(user=official, dong=dong_a)
    ids = {p["id"] for p in points["households"]}
    assert other.pk not in ids
    assert {h.pk for h in work["households"]} <= ids
    assert [lead["id"] for lead in points["leads"]] == [work["lead"].pk]
    with pytest.raises(NotFound):
        selectors.map_points(user=official, dong=dong_b)
    with pytest.raises(NotFound):
        selectors.map_points(user=volunteer, dong=dong_a)
    b_points = selectors.map_points(user=official_b, dong=dong_b)
    assert [p["id"] for p in b_points["households"]] == [other.pk]
    assert b_points["leads"] == []
    # the gu team sees both dongs, one at a time
    assert {p["id"] for p in selectors.map_points(user=gu_user, dong=dong_b)["households"]} == {
        other.pk
    }
