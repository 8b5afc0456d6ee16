"""The shared calendar across teams: a visit colliding with another planned visit of the
household becomes a joint visit (or is flagged when the planner keeps them apart), and is
never silently doubled; merging a flagged collision."""

import datetime as dt

import pytest
from django.urls import reverse

from maeul.discovery.models import Lead
from maeul.errors import DomainError, NotFound
from maeul.people.models import TimelineEvent
from maeul.visits.models import Visit
from maeul.visits.selectors import visit_collisions
from maeul.visits.services import visit_join, visit_merge, visit_plan, visit_schedule

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def _lead(household, dong):
    return Lead.objects.create(
        household=household,
        dong=dong,
        source=Lead.Source.STAFF,
        match=Lead.Match.NEW,
        status=Lead.Status.ASSIGNED,
        urgency=Lead.Urgency.NORMAL,
        address=household.address,
        due_at=dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC),
        created_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC),
    )


def test_another_teams_visit_within_three_days_becomes_a_joint_visit(
    official, nurse, household_a, dong_a
):
    nurse_visit, _ = visit_plan(
        actor=nurse, household=household_a, planned_on=TODAY + dt.timedelta(days=2)
    )
    lead = _lead(household_a, dong_a)
    done = visit_schedule(actor=official, household=household_a, planned_on=TODAY, lead=lead)
    assert done.action == "joined"
    assert done.visit.pk == nurse_visit.pk
    assert Visit.objects.count() == 1
    assert set(done.visit.members.all()) == {official, nurse}
    assert done.visit.planned_on == TODAY + dt.timedelta(days=2)  # the other team's date
    assert done.visit.lead == lead
    lead.refresh_from_db()
    assert lead.status == Lead.Status.VISIT_PLANNED
    joined = TimelineEvent.objects.filter(
        household=household_a, kind=TimelineEvent.Kind.VISIT_PLANNED
    ).order_by("pk")
    assert joined.count() == 2 and official.label in joined.last().summary


def test_scheduling_twice_does_not_double(official, household_a):
    first = visit_schedule(actor=official, household=household_a, planned_on=TODAY)
    again = visit_schedule(actor=official, household=household_a, planned_on=TODAY)
    assert first.action == "planned" and again.action == "existing"
    assert again.visit.pk == first.visit.pk
    assert Visit.objects.count() == 1
    # even when the planner asks to keep visits apart, the same visit is not planned twice
    apart = visit_schedule(actor=official, household=household_a, planned_on=TODAY, merge=False)
    assert apart.action == "existing" and Visit.objects.count() == 1


def test_kept_apart_the_collision_is_planned_and_flagged(official, nurse, household_a):
    visit_plan(actor=nurse, household=household_a, planned_on=TODAY + dt.timedelta(days=1))
    done = visit_schedule(actor=official, household=household_a, planned_on=TODAY, merge=False)
    assert done.action == "planned"
    assert [w.team for w in done.warnings] == [Visit.Team.NURSE]
    collisions = visit_collisions(
        user=official, dong_ids=[household_a.dong_id], start=TODAY, end=TODAY
    )
    assert len(collisions) == 1
    assert {collisions[0].first.team, collisions[0].second.team} == {"hub", "nurse"}


def test_a_visit_further_than_three_days_is_not_joined_but_flagged(official, nurse, household_a):
    visit_plan(actor=nurse, household=household_a, planned_on=TODAY + dt.timedelta(days=5))
    done = visit_schedule(actor=official, household=household_a, planned_on=TODAY)
    assert done.action == "planned" and Visit.objects.count() == 2
    assert len(done.warnings) == 1


def test_done_or_cancelled_visits_are_not_joined(official, nurse, household_a):
    visit, _ = visit_plan(actor=nurse, household=household_a, planned_on=TODAY)
    visit.status = Visit.Status.CANCELLED
    visit.save()
    done = visit_schedule(actor=official, household=household_a, planned_on=TODAY)
    assert done.action == "planned" and done.visit.pk != visit.pk


def test_join_checks_members_and_state(official, official_b, nurse, volunteer, household_a):
    visit, _ = visit_plan(actor=nurse, household=household_a, planned_on=TODAY)
    with pytest.raises(DomainError) as error:
        visit_join(actor=official, visit=visit, members=[official_b])
    assert error.value.code == "invalid_member"
    assert list(visit.members.all()) == [nurse]
    # a volunteer who may not see the household cannot touch its visit
    with pytest.raises(NotFound):
        visit_join(actor=volunteer, visit=visit, members=[official])
    visit.status = Visit.Status.DONE
    visit.save()
    with pytest.raises(DomainError) as error:
        visit_join(actor=official, visit=visit, members=[official])
    assert error.value.code == "not_planned"


def test_merge_a_flagged_collision(official, nurse, household_a, dong_a):
    lead = _lead(household_a, dong_a)
    keep, _ = visit_plan(actor=nurse, household=household_a, planned_on=TODAY)
    other, _ = visit_plan(
        actor=official, household=household_a, planned_on=TODAY + dt.timedelta(days=6), lead=lead
    )
    merged = visit_merge(actor=official, keep=keep, other=other)
    other.refresh_from_db()
    assert other.status == Visit.Status.CANCELLED
    assert set(merged.members.all()) == {official, nurse}
    assert merged.lead == lead
    assert visit_collisions(user=official, dong_ids=[dong_a.pk], start=TODAY, end=TODAY) == []
    with pytest.raises(DomainError):
        visit_merge(actor=official, keep=merged, other=merged)


def test_plan_page_joins_by_default(client, official, nurse, household_a):
    nurse_visit, _ = visit_plan(actor=nurse, household=household_a, planned_on=TODAY)
    client.force_login(official)
    response = client.post(
        reverse("visits:visit_plan"),
        {
            "household": household_a.pk,
            "planned_on": TODAY.isoformat(),
            "members": [official.pk],
            "kind": "initial",
            "merge": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Visit.objects.count() == 1
    assert set(nurse_visit.members.all()) == {official, nurse}
    assert any("joint" in str(m) for m in response.context["messages"])
