"""The planner's other sources and tables: campaign targets, regular visits (the head of the
dong's), the availability table; a round turned into planned visits on the shared calendar
(joined, not doubled; idempotent); flagged collisions merged from the plan page; campaign
coverage on the area map, scoped to the viewer."""

import datetime as dt
import random

import pytest
from django.urls import reverse

from maeul.accounts.models import Role
from maeul.campaigns.models import Campaign, Target
from maeul.discovery.models import Lead
from maeul.discovery.services import lead_register
from maeul.errors import DomainError
from maeul.routing import selectors, services
from maeul.routing.models import Availability, Stop
from maeul.visits.models import Visit
from maeul.visits.services import visit_plan
from tests.factories import HouseholdFactory, UserFactory

from .test_services import place

DAY = dt.date(2026, 12, 2)  # a Wednesday

pytestmark = pytest.mark.django_db


@pytest.fixture
def rng():
    return random.Random(7)


def _lead(official, dong, rng, name="김영희"):
    lead = lead_register(
        actor=official,
        source=Lead.Source.STAFF,
        dong=dong,
        address=f"부산광역시 수영구 시험로 {name}",
        subject_name=name,
        urgency=Lead.Urgency.NORMAL,
    )
    place(lead.household, rng)
    return lead


def _campaign(official, area, households, tong=None):
    campaign = Campaign.objects.create(
        name="겨울 안부",
        purpose="test",
        area=area,
        starts_on=DAY - dt.timedelta(days=10),
        ends_on=DAY + dt.timedelta(days=30),
        created_by=official,
    )
    return [
        Target.objects.create(campaign=campaign, household=h, dong=h.dong, tong=tong)
        for h in households
    ]


def _stops(plan):
    return [s for r in plan.rounds.all() for s in r.stops.all() if s.kind != Stop.Kind.LUNCH]


def test_a_round_becomes_planned_visits_once(official, nurse, dong_a, rng):
    lead = _lead(official, dong_a, rng)
    plan = services.day_plan(actor=official, dong=dong_a, day=DAY, time_limit=0.5)
    stop = next(s for s in _stops(plan) if s.key == f"lead:{lead.pk}")
    done = services.round_confirm(actor=official, round_ids=[stop.round_id])
    assert done.planned == 1 and done.failed == []
    visit = Visit.objects.get(lead=lead)
    assert visit.planned_on == DAY and list(visit.members.all()) == [stop.round.member]
    member_id = stop.round.member_id
    stop.refresh_from_db()
    assert stop.visit_id == visit.pk and stop.key == f"visit:{visit.pk}"
    # pressing twice does not double
    again = services.round_confirm(actor=official, round_ids=[stop.round_id])
    assert again.planned == 0 and again.existing == 1
    assert Visit.objects.filter(household=lead.household).count() == 1
    # a re-plan finds the visit where the lead was: same member
    replanned = services.day_plan(actor=official, dong=dong_a, day=DAY, time_limit=0.5)
    same = next(s for s in _stops(replanned) if s.key == f"visit:{visit.pk}")
    assert same.round.member_id == member_id and same.visit_id == visit.pk


def test_confirming_joins_another_teams_visit_instead_of_doubling(official, nurse, dong_a, rng):
    lead = _lead(official, dong_a, rng)
    plan = services.day_plan(
        actor=official, dong=dong_a, day=DAY, members=[official], time_limit=0.5
    )
    # meanwhile the nurse plans a visit of the same household the next day
    nurse_visit, _ = visit_plan(
        actor=nurse, household=lead.household, planned_on=DAY + dt.timedelta(days=1)
    )
    done = services.round_confirm(actor=official, round_ids=[r.pk for r in plan.rounds.all()])
    assert done.joined == 1 and done.planned == 0
    assert Visit.objects.filter(household=lead.household).count() == 1
    nurse_visit.refresh_from_db()
    assert set(nurse_visit.members.all()) == {official, nurse}
    assert nurse_visit.lead == lead


def test_campaign_targets_are_visits_to_plan_and_confirmed_through_campaigns(
    official, nurse, dong_a, rng
):
    households = [place(HouseholdFactory(dong=dong_a), rng) for _ in range(2)]
    targets = _campaign(official, dong_a, households)
    plan = services.day_plan(actor=official, dong=dong_a, day=DAY, time_limit=0.5)
    keys = {s.key for s in _stops(plan)}
    assert {f"target:{t.pk}" for t in targets} <= keys
    services.round_confirm(actor=official, round_ids=[r.pk for r in plan.rounds.all()])
    for target in targets:
        target.refresh_from_db()
        assert target.visit is not None and target.visit.planned_on == DAY
    # planned now: no longer a target to plan
    assert not selectors.campaign_targets_due(user=official, dong=dong_a, day=DAY).exists()


def test_regular_visits_go_to_their_member_on_their_weekday(official, nurse, dong_a, rng):
    household = place(HouseholdFactory(dong=dong_a), rng)
    regular = services.regular_visit_add(
        actor=official,
        dong=dong_a,
        household=household,
        member=nurse,
        weekday=DAY.weekday(),
        every_weeks=2,
        starts_on=DAY - dt.timedelta(days=14),
        note="동장 정기 방문",
    )
    plan = services.day_plan(actor=official, dong=dong_a, day=DAY, time_limit=0.5)
    stop = next(s for s in _stops(plan) if s.key == f"regular:{regular.pk}")
    assert stop.round.member_id == nurse.pk and stop.kind == Stop.Kind.REGULAR
    # not the week in between, nor another weekday
    assert not regular.falls_on(DAY - dt.timedelta(days=7))
    assert not regular.falls_on(DAY + dt.timedelta(days=1))
    with pytest.raises(DomainError):
        services.regular_visit_add(
            actor=official,
            dong=dong_a,
            household=household,
            member=nurse,
            weekday=6,
            starts_on=DAY,
        )


def test_the_availability_table_shapes_the_day(official, nurse, dong_a, rng):
    second = UserFactory(username="official_a2", role=Role.WELFARE_OFFICIAL, home_area=dong_a)
    households = [place(HouseholdFactory(dong=dong_a), rng) for _ in range(4)]
    visit, _ = visit_plan(actor=official, household=households[0], planned_on=DAY)
    for h in households[1:]:
        visit_plan(actor=official, household=h, planned_on=DAY, members=[second])
    services.availability_set(
        actor=official, dong=dong_a, member=official, day=DAY, shift=Availability.Shift.OFF
    )
    services.availability_set(
        actor=official, dong=dong_a, member=second, day=DAY, shift="morning", mode="car"
    )
    plan = services.day_plan(actor=official, dong=dong_a, day=DAY, time_limit=0.5)
    rounds = {r.member_id: r for r in plan.rounds.all()}
    assert official.pk not in rounds  # a day off: no round
    # the absent member's visit goes to a colleague
    assert any(s.visit_id == visit.pk for s in _stops(plan))
    morning = rounds[second.pk]
    assert morning.mode == "car"
    assert not morning.stops.filter(kind=Stop.Kind.LUNCH).exists()
    assert all(s.end_s <= 13 * 3600 for s in morning.stops.all())
    # back to the default removes the row
    services.availability_set(actor=official, dong=dong_a, member=second, day=DAY, shift="full")
    assert not Availability.objects.filter(member=second, day=DAY).exists()
    with pytest.raises(DomainError):
        services.availability_set(
            actor=official, dong=dong_a, member=second, day=DAY, shift="night"
        )


def test_availability_page_saves_the_week(client, official, nurse, dong_a):
    client.force_login(official)
    monday = DAY - dt.timedelta(days=DAY.weekday())
    url = reverse("routing:availability")
    assert client.get(url, {"dong": dong_a.pk, "week": monday.isoformat()}).status_code == 200
    response = client.post(
        url,
        {
            "dong": dong_a.pk,
            "week": monday.isoformat(),
            f"shift-{nurse.pk}-{DAY.isoformat()}": "off",
            f"mode-{nurse.pk}-{DAY.isoformat()}": "car",
        },
    )
    assert response.status_code == 302
    assert Availability.objects.get(member=nurse, day=DAY).shift == "off"
    assert Availability.objects.count() == 1


def test_plan_page_shows_a_collision_and_merges_it(client, official, nurse, dong_a, rng):
    household = place(HouseholdFactory(dong=dong_a), rng)
    first, _ = visit_plan(actor=nurse, household=household, planned_on=DAY)
    second, _ = visit_plan(
        actor=official, household=household, planned_on=DAY + dt.timedelta(days=8)
    )
    client.force_login(official)
    page = client.get(reverse("routing:plan"), {"dong": dong_a.pk, "day": DAY.isoformat()})
    assert [(c.first.pk, c.second.pk) for c in page.context["collisions"]] == [
        (first.pk, second.pk)
    ]
    response = client.post(
        reverse("routing:collision_merge"),
        {"keep": first.pk, "other": second.pk, "day": DAY.isoformat()},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == Visit.Status.CANCELLED
    assert set(first.members.all()) == {official, nurse}


def test_coverage_on_the_map_is_scoped_to_the_viewer(official, official_b, dong_a, dong_b, rng):
    mine = [place(HouseholdFactory(dong=dong_a), rng) for _ in range(3)]
    theirs = [place(HouseholdFactory(dong=dong_b), rng) for _ in range(2)]
    targets = _campaign(official, dong_a, mine)
    _campaign(official, dong_b, theirs)
    Target.objects.filter(pk=targets[0].pk).update(outcome=Target.Outcome.NOT_IN_NEED)
    coverage = selectors.target_coverage(user=official, dong=dong_a, day=DAY)
    assert {p["household"] for p in coverage["points"]} == {h.pk for h in mine}
    assert coverage["rows"] == [
        {
            "tong": "",
            "targets": 3,
            "reached": 1,
            "coverage": 33,
            "bans": [{"ban": "", "targets": 3, "reached": 1, "coverage": 33}],
        }
    ]
    visible = selectors.target_coverage(user=official_b, dong=dong_b, day=DAY)
    assert {p["household"] for p in visible["points"]} == {h.pk for h in theirs}
