"""Visit planning, the overlap check between teams, recording and cancelling."""

import datetime as dt

import pytest
from django.utils import timezone

from maeul.cases.models import FollowUp
from maeul.cases.services import case_open
from maeul.discovery.models import Lead
from maeul.errors import DomainError, NotFound
from maeul.people.models import Consent, TimelineEvent
from maeul.visits.models import Visit
from maeul.visits.services import team_of, visit_cancel, visit_plan, visit_record

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def events(household, kind):
    return TimelineEvent.objects.filter(household=household, kind=kind)


def test_team_follows_role(official, nurse, gu_user, volunteer, partner_user):
    assert team_of(official) == Visit.Team.HUB
    assert team_of(nurse) == Visit.Team.NURSE
    assert team_of(gu_user) == Visit.Team.GU
    assert team_of(volunteer) == Visit.Team.SAFETY_NET
    assert team_of(partner_user) == Visit.Team.PARTNER


def test_plan_saves_members_and_writes_event(official, nurse, household_a):
    visit, warnings = visit_plan(
        actor=official, household=household_a, planned_on=TODAY, members=[official, nurse]
    )
    assert warnings == []
    assert visit.team == Visit.Team.HUB and visit.dong_id == household_a.dong_id
    assert set(visit.members.all()) == {official, nurse}
    assert events(household_a, TimelineEvent.Kind.VISIT_PLANNED).count() == 1


def test_plan_without_members_makes_the_actor_the_member(official, household_a):
    visit, _ = visit_plan(actor=official, household=household_a, planned_on=TODAY)
    assert list(visit.members.all()) == [official]


def test_other_team_within_14_days_is_flagged_but_saved(official, nurse, household_a):
    visit_plan(actor=nurse, household=household_a, planned_on=TODAY + dt.timedelta(days=14))
    visit, warnings = visit_plan(actor=official, household=household_a, planned_on=TODAY)
    assert visit.pk is not None
    assert len(warnings) == 1
    warning = warnings[0]
    assert warning.team == Visit.Team.NURSE
    assert warning.planned_on == TODAY + dt.timedelta(days=14)
    assert nurse.label in warning.members
    assert nurse.label in warning.message


def test_other_team_before_the_date_is_flagged(official, gu_user, household_a):
    visit_plan(actor=gu_user, household=household_a, planned_on=TODAY - dt.timedelta(days=10))
    _, warnings = visit_plan(actor=official, household=household_a, planned_on=TODAY)
    assert [w.team for w in warnings] == [Visit.Team.GU]


def test_same_team_or_far_dates_or_cancelled_are_not_flagged(official, nurse, household_a):
    visit_plan(actor=official, household=household_a, planned_on=TODAY)
    visit_plan(actor=nurse, household=household_a, planned_on=TODAY + dt.timedelta(days=15))
    cancelled, _ = visit_plan(actor=nurse, household=household_a, planned_on=TODAY)
    visit_cancel(actor=nurse, visit=cancelled)
    _, warnings = visit_plan(actor=official, household=household_a, planned_on=TODAY)
    assert warnings == []


def test_member_who_cannot_see_household_is_refused(official, official_b, household_a):
    with pytest.raises(DomainError) as exc:
        visit_plan(actor=official, household=household_a, planned_on=TODAY, members=[official_b])
    assert exc.value.field == "members"
    assert not Visit.objects.exists()
    assert not events(household_a, TimelineEvent.Kind.VISIT_PLANNED).exists()


def test_plan_out_of_scope_household_is_not_found(official_b, household_a):
    with pytest.raises(NotFound):
        visit_plan(actor=official_b, household=household_a, planned_on=TODAY)


def test_plan_for_lead_moves_lead_to_visit_planned(official, household_a, dong_a):
    lead = Lead.objects.create(
        dong=dong_a,
        household=household_a,
        source=Lead.Source.STAFF,
        match=Lead.Match.NEW,
        status=Lead.Status.ASSIGNED,
        address=household_a.address,
        due_at=timezone.now(),
        created_at=timezone.now(),
    )
    visit, _ = visit_plan(actor=official, household=household_a, planned_on=TODAY, lead=lead)
    lead.refresh_from_db()
    assert lead.status == Lead.Status.VISIT_PLANNED
    assert visit.lead == lead


def test_record_marks_done_and_writes_site_visit(official, household_a):
    visit, _ = visit_plan(actor=official, household=household_a, planned_on=TODAY)
    visit_record(
        actor=official, visit=visit, outcome="met", notes=" ok ", observed_needs=["health"]
    )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DONE and visit.done_at is not None
    assert visit.observed_needs == ["health"] and visit.notes == "ok"
    assert events(household_a, TimelineEvent.Kind.VISIT_COMPLETED).count() == 1


@pytest.mark.parametrize("outcome", ["moved", "refused", "not_home"])
def test_unsuccessful_outcomes_are_still_recorded(official, household_a, outcome):
    visit, _ = visit_plan(actor=official, household=household_a, planned_on=TODAY)
    visit_record(actor=official, visit=visit, outcome=outcome)
    assert events(household_a, TimelineEvent.Kind.VISIT_COMPLETED).count() == 1


def test_record_twice_or_bad_input_is_refused(official, household_a):
    visit, _ = visit_plan(actor=official, household=household_a, planned_on=TODAY)
    with pytest.raises(DomainError):
        visit_record(actor=official, visit=visit, outcome="maybe")
    with pytest.raises(DomainError):
        visit_record(actor=official, visit=visit, outcome="met", observed_needs=["luck"])
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED
    visit_record(actor=official, visit=visit, outcome="met")
    with pytest.raises(DomainError):
        visit_record(actor=official, visit=visit, outcome="met")
    assert events(household_a, TimelineEvent.Kind.VISIT_COMPLETED).count() == 1


def _open_case(official, household):
    Consent.objects.create(household=household, purpose="t", scopes=["hub"], given_on=TODAY)
    return case_open(actor=official, household=household, kind="general", manager=official)


def test_follow_up_visit_marks_follow_up_done_and_schedules_next(official, household_a):
    case = _open_case(official, household_a)
    first = case.follow_ups.get()
    visit, _ = visit_plan(
        actor=official, household=household_a, planned_on=TODAY, kind="follow_up", case=case
    )
    first.refresh_from_db()
    assert first.visit == visit
    visit_record(actor=official, visit=visit, outcome="met")
    first.refresh_from_db()
    assert first.done_at is not None
    pending = FollowUp.objects.get(case=case, done_at__isnull=True)
    assert pending.due_on == timezone.localdate() + dt.timedelta(days=case.follow_up_every_days)


def test_not_at_home_leaves_follow_up_pending(official, household_a):
    case = _open_case(official, household_a)
    visit, _ = visit_plan(
        actor=official, household=household_a, planned_on=TODAY, kind="follow_up", case=case
    )
    visit_record(actor=official, visit=visit, outcome="not_home")
    follow_up = case.follow_ups.get()
    assert follow_up.done_at is None and follow_up.visit is None


def test_cancel_frees_follow_up(official, household_a):
    case = _open_case(official, household_a)
    visit, _ = visit_plan(
        actor=official, household=household_a, planned_on=TODAY, kind="follow_up", case=case
    )
    visit_cancel(actor=official, visit=visit)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED
    assert case.follow_ups.get().visit is None
    with pytest.raises(DomainError):
        visit_cancel(actor=official, visit=visit)
