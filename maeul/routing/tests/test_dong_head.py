"""The head of the dong (동장): hub staff of one dong who supervises the team and visits
households. What they see (their dong's households, not the health notes nor the notes on
violence), and their visits planned the same way as the team's: a member with a shift and a
mode of travel, whose regular visits and joint visits are on their round, and who is never
given the team's open work."""

import datetime as dt
import random

import pytest

from maeul.accounts.models import DONG_STAFF_ROLES, VISITING_ROLES, Role
from maeul.areas.models import Area
from maeul.discovery.models import Lead
from maeul.discovery.services import lead_register
from maeul.errors import NotFound
from maeul.people import policy
from maeul.people.models import Household
from maeul.people.selectors import households_visible_to
from maeul.routing import selectors, services
from maeul.routing.models import Availability, Mode, Stop
from maeul.routing.solver.day import LUNCH, Staff, Task, plan_day
from maeul.routing.week import week_plan
from maeul.visits.models import Visit
from maeul.visits.services import visit_plan
from tests.factories import AreaFactory, HouseholdFactory, HubFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 2)  # a Wednesday
H = 3600
CENTRE = (35.1630, 129.1130)


@pytest.fixture
def head(dong_a):
    return UserFactory(username="donghead_a", role=Role.DONG_HEAD, home_area=dong_a)


def place(household, rng):
    Household.objects.filter(pk=household.pk).update(
        lat=35.16 + rng.uniform(-0.006, 0.006), lon=129.11 + rng.uniform(-0.006, 0.006)
    )
    household.refresh_from_db()
    return household


def other_gu_household():
    sido = AreaFactory(code="2600000001", name="다른시", level=Area.Level.SIDO)
    gu2 = AreaFactory(code="2635000000", name="해운대구", level=Area.Level.SIGUNGU, parent=sido)
    dong_c = AreaFactory(code="2635051000", name="우동", parent=gu2)
    HubFactory(dong=dong_c)
    return HouseholdFactory(dong=dong_c)


def test_the_head_of_the_dong_sees_their_own_dongs_households_only(client, head, dong_a, dong_b):
    own = HouseholdFactory(dong=dong_a)
    other_dong = HouseholdFactory(dong=dong_b)
    other_gu = other_gu_household()
    assert set(households_visible_to(head).values_list("pk", flat=True)) == {own.pk}
    client.force_login(head)
    assert client.get(f"/households/{own.pk}/").status_code == 200
    assert client.get(f"/households/{other_dong.pk}/").status_code == 404
    assert client.get(f"/households/{other_gu.pk}/").status_code == 404
    # the rounds of another dong are not theirs either
    assert client.get(f"/rounds/?dong={dong_b.pk}&day={DAY}").status_code == 404
    assert client.get(f"/rounds/?dong={dong_a.pk}&day={DAY}").status_code == 200


def test_the_head_reads_the_teams_data_but_not_health_nor_violence_notes(head, dong_a):
    household = HouseholdFactory(dong=dong_a)
    fields = policy.visible_fields(head, household)
    assert {"head_name", "address", "benefits", "timeline", "disability"} <= fields
    assert "health_notes" not in fields and "violence_notes" not in fields
    assert not policy.may_read(head, policy.DataKind.HEALTH, household)
    assert not policy.may_read(head, policy.DataKind.VIOLENCE_NOTES, household)
    assert policy.may_write(head, policy.DataKind.CASE_NOTES, household)  # records visits
    assert not policy.may_read(head, policy.DataKind.AUDIT)


def test_the_head_is_hub_staff_but_not_a_post_of_the_visiting_team(head):
    assert head.is_dong_staff and head.is_hub_staff and not head.is_gu_level
    assert Role.DONG_HEAD in DONG_STAFF_ROLES
    assert Role.DONG_HEAD not in VISITING_ROLES  # the indicator's visiting personnel


def test_a_member_who_takes_named_work_only_gets_no_open_work():
    rng = random.Random(5)
    points = [
        (CENTRE[0] + rng.uniform(-0.006, 0.006), CENTRE[1] + rng.uniform(-0.006, 0.006))
        for _ in range(9)
    ]
    tasks = [Task(key=f"open{i}", point=points[i]) for i in range(6)]
    tasks.append(Task(key="regular", point=points[6], staff=("h",), priority=2))
    tasks.append(Task(key="pair", point=points[7], staff=("a", "h"), needed=2, priority=2))
    tasks.append(Task(key="three", point=points[8], needed=3, priority=2))  # anyone three
    staff = [
        Staff("a"),
        Staff("b", mode=Mode.CAR),
        Staff("h", shift=(13 * H, 18 * H), lunch=None, named_only=True),
    ]
    plan = plan_day(depot=CENTRE, staff=staff, tasks=tasks, time_limit=1)
    head_keys = {s.key for s in plan.routes["h"]}
    assert head_keys == {"regular", "pair"}  # not the open visits, nor the unnamed joint one
    assert "three" in plan.dropped  # three people needed, two take open work
    pair = [s for stops in plan.routes.values() for s in stops if s.key == "pair"]
    assert len(pair) == 2 and len({s.start for s in pair}) == 1
    assert all(s.start >= 13 * H for s in plan.routes["h"])  # the head's afternoon
    assert all(k.startswith("open") for k in {s.key for s in plan.routes["a"]} - {LUNCH, "pair"})
    assert {k for k in plan.dropped if k.startswith("open")} == set()


@pytest.fixture
def rounds_with_head(dong_a, official, nurse, head):
    """Dong A's Wednesday: the head works the afternoon, visits a senior every week on
    Wednesdays and joins the official at one door; the team has visits and an open lead."""
    rng = random.Random(8)
    households = [place(HouseholdFactory(dong=dong_a), rng) for _ in range(7)]
    services.availability_set(
        actor=official, dong=dong_a, member=head, day=DAY, shift=Availability.Shift.AFTERNOON
    )
    regular = services.regular_visit_add(
        actor=official,
        dong=dong_a,
        household=households[0],
        member=head,
        weekday=DAY.weekday(),
        starts_on=DAY - dt.timedelta(days=7),
        minutes=30,
        note="동장 정기 안부 방문",
    )
    joint, _ = visit_plan(
        actor=official, household=households[1], planned_on=DAY, members=[official, head]
    )
    for i, h in enumerate(households[2:6]):
        visit_plan(
            actor=official,
            household=h,
            planned_on=DAY,
            members=[(official, nurse)[i % 2]],
            kind=Visit.Kind.FOLLOW_UP,
        )
    lead = lead_register(
        actor=official,
        source=Lead.Source.STAFF,
        dong=dong_a,
        address="부산광역시 수영구 새길 3",
        subject_name="박말순",
        urgency=Lead.Urgency.HIGH,
    )
    place(lead.household, rng)
    return {"regular": regular, "joint": joint, "lead": lead}


def test_the_heads_visits_are_planned_on_their_round(
    official, dong_a, head, nurse, rounds_with_head
):
    plan = services.day_plan(actor=official, dong=dong_a, day=DAY, time_limit=1)
    rounds = {r.member_id: r for r in plan.rounds.all()}
    assert set(rounds) == {official.pk, nurse.pk, head.pk}
    head_stops = list(rounds[head.pk].stops.order_by("seq"))
    keys = {s.key for s in head_stops}
    joint_key = f"visit:{rounds_with_head['joint'].pk}"
    assert keys == {f"regular:{rounds_with_head['regular'].pk}", joint_key}
    assert all(s.start_s >= 13 * H for s in head_stops)  # afternoon only, no lunch
    official_joint = rounds[official.pk].stops.get(key=joint_key)
    head_joint = rounds[head.pk].stops.get(key=joint_key)
    assert official_joint.start_s == head_joint.start_s  # at the door together
    assert head_joint.joint_with == [official.pk] and official_joint.joint_with == [head.pk]
    lead_key = f"lead:{rounds_with_head['lead'].pk}"
    on = [m for m, r in rounds.items() if r.stops.filter(key=lead_key).exists()]
    assert on and head.pk not in on  # the team's open work goes to the team
    assert rounds[head.pk].mode == Mode.WALK


def test_the_heads_regular_visit_keeps_its_day_in_the_week(
    official, dong_a, head, rounds_with_head
):
    plans = {p.day: p for p in week_plan(actor=official, dong=dong_a, day=DAY, time_limit=0.3)}
    regular_key = f"regular:{rounds_with_head['regular'].pk}"
    days = [
        d
        for d, p in plans.items()
        if Stop.objects.filter(round__plan=p, round__member=head, key=regular_key).exists()
    ]
    assert days == [DAY]


def test_a_head_can_plan_the_dongs_rounds_but_not_another_dongs(head, dong_a, dong_b):
    assert [d.pk for d in selectors.dongs_of(head)] == [dong_a.pk]
    with pytest.raises(NotFound):
        services.day_plan(actor=head, dong=dong_b, day=DAY, time_limit=0.3)
