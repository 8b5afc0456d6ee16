"""The silence escalation chain, on a frozen clock."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from maeul.campaigns.care import care_check_in, care_watch_set, silence_escalate
from maeul.campaigns.models import CareWatch
from maeul.errors import DomainError, NotFound
from maeul.visits.models import Visit
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(dt.datetime(2026, 11, 2, 10, 0))


def at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


@pytest.fixture
def watched(official, volunteer, nurse, dong_a):
    household = HouseholdFactory(dong=dong_a, groups=["senior_alone"], head="홀로순")
    household.care_volunteers.add(volunteer)
    care_watch_set(actor=official, household=household, interval_days=3, now=T0)
    return household


def kinds(household) -> list[str]:
    return list(
        household.events.filter(
            kind__in=["silence_reminder", "silence_alert", "emergency_visit"]
        ).values_list("kind", flat=True)
    )


def test_chain_reminds_alerts_then_plans_an_emergency_visit(watched, nurse, official):
    assert silence_escalate(now=at(2.9)) == {"reminded": 0, "alerted": 0, "emergency_visits": 0}
    assert silence_escalate(now=at(3.1))["reminded"] == 1
    assert silence_escalate(now=at(3.5))["alerted"] == 0  # a day after the reminder
    assert silence_escalate(now=at(4.2))["alerted"] == 1
    assert silence_escalate(now=at(5.2))["emergency_visits"] == 1
    assert silence_escalate(now=at(9))["emergency_visits"] == 0  # once
    assert kinds(watched) == ["silence_reminder", "silence_alert", "emergency_visit"]
    events = watched.events.filter(
        kind__in=["silence_reminder", "silence_alert", "emergency_visit"]
    )
    assert [e.occurred_at for e in events] == [at(3.1), at(4.2), at(5.2)]
    assert "박" in events[1].summary or nurse.label in events[1].summary
    visit = Visit.objects.get(household=watched, status="planned")
    assert list(visit.members.all()) == [nurse] and visit.kind == Visit.Kind.HEALTH
    assert CareWatch.objects.get().stage == CareWatch.Stage.EMERGENCY


def test_one_step_per_run_even_when_long_overdue(watched):
    silence_escalate(now=at(20))
    assert kinds(watched) == ["silence_reminder"]


def test_check_in_resets_the_chain(watched, volunteer):
    silence_escalate(now=at(3.5))
    care_check_in(actor=volunteer, household=watched, notes="건강하심", now=at(3.6))
    watch = CareWatch.objects.get()
    assert (watch.stage, watch.last_check_in_at) == (0, at(3.6))
    assert Visit.objects.get(household=watched).kind == Visit.Kind.CARE
    assert silence_escalate(now=at(6.5)) == {"reminded": 0, "alerted": 0, "emergency_visits": 0}
    assert silence_escalate(now=at(6.7))["reminded"] == 1


def test_a_late_offline_visit_never_moves_the_clock_back(watched, volunteer, official):
    """A care visit written offline on day 1 and sent on day 4, after staff checked in on
    day 3: both visits are recorded, the chain counts from day 3."""
    care_check_in(actor=official, household=watched, now=at(3))
    late = care_check_in(actor=volunteer, household=watched, notes="지하에서 작성", now=at(1))
    assert late.status == Visit.Status.DONE
    assert CareWatch.objects.get().last_check_in_at == at(3)
    assert silence_escalate(now=at(5.9))["reminded"] == 0  # 2.9 days after day 3


def test_only_her_volunteer_or_staff_check_in(watched, dong_a):
    from maeul.accounts.models import Role
    from tests.factories import UserFactory

    stranger = UserFactory(role=Role.VOLUNTEER, home_area=dong_a)
    with pytest.raises(NotFound):
        care_check_in(actor=stranger, household=watched)


def test_interval_is_checked(official, watched):
    with pytest.raises(DomainError):
        care_watch_set(actor=official, household=watched, interval_days=0)


def test_dashboard_card_shows_who_is_silent(client, official, official_b, watched):
    silence_escalate(now=timezone.now() + dt.timedelta(days=400))
    client.force_login(official)
    body = client.get("/").content.decode()
    assert 'id="silent-now"' in body and "홀로순" in body
    client.force_login(official_b)
    assert "홀로순" not in client.get("/").content.decode()


def test_command_runs_as_of_a_time(watched):
    out = StringIO()
    call_command("care_escalate", now=at(3.2).isoformat(), stdout=out)
    assert "reminded=1" in out.getvalue()


def test_a_check_in_after_midnight_is_dated_by_the_hub_s_day(watched, volunteer):
    """A visit at 01:00 in Korea is 16:00 UTC the day before: it is dated by the local day,
    as the volunteer and the hub see it, not by the server's UTC date."""
    one_am = dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC)
    visit = care_check_in(actor=volunteer, household=watched, now=one_am)
    assert timezone.localdate(one_am) == dt.date(2026, 12, 1)
    assert visit.planned_on == dt.date(2026, 12, 1)
