"""The audit page's unusual-access alerts read each reader's assigned work (leads, visits, cases,
care households) in a bounded number of queries, whatever the number of readers, and still
tell assigned reads from reads outside one's work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from maeul.accounts.models import AuditRecord, Role
from maeul.cases.services import case_open
from maeul.discovery.services import lead_assign, lead_register
from maeul.hub.audit_alerts import BULK_READS_PER_HOUR, audit_alerts
from maeul.visits.services import visit_plan
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


def read_all(user, households, start):
    AuditRecord.objects.bulk_create(
        AuditRecord(
            user=user,
            username=user.username,
            at=start + dt.timedelta(seconds=30 * i),
            action="view",
            household_id=household.pk,
            path=f"/households/{household.pk}/",
        )
        for i, household in enumerate(households)
    )


@pytest.fixture
def start():
    return timezone.now().replace(hour=11, minute=0, second=0, microsecond=0) - dt.timedelta(days=1)


def test_assigned_work_of_every_kind_is_no_alert_and_outside_work_is(
    admin_user, official, nurse, volunteer, dong_a, start
):
    n = BULK_READS_PER_HOUR + 1
    manager = UserFactory(role=Role.WELFARE_OFFICIAL, home_area=dong_a)
    outsider = UserFactory(role=Role.WELFARE_OFFICIAL, home_area=dong_a)

    lead_households = []
    for i in range(n):
        lead = lead_register(
            actor=official,
            source="staff",
            dong=dong_a,
            address=f"부산광역시 수영구 망미번영로 {i + 1}",
            subject_name=f"주민{i}",
        )
        lead_assign(actor=official, lead=lead, assignee=official)
        lead_households.append(lead.household)
    assert all(lead_households)
    visited = HouseholdFactory.create_batch(n, dong=dong_a)
    for household in visited:
        visit_plan(actor=nurse, household=household, planned_on=start.date(), members=[nurse])
    managed = HouseholdFactory.create_batch(n, dong=dong_a)
    for household in managed:
        case_open(actor=manager, household=household, kind="general", manager=manager)
    cared = HouseholdFactory.create_batch(n, dong=dong_a)
    for household in cared:
        household.care_volunteers.add(volunteer)

    read_all(official, lead_households, start)
    read_all(nurse, visited, start)
    read_all(manager, managed, start)
    read_all(volunteer, cared, start)
    read_all(outsider, cared, start)  # the same households, none of them in the outsider's work

    bulk = [a.username for a in audit_alerts(user=admin_user) if a.kind == "bulk"]
    assert bulk == [outsider.username]


def test_query_count_does_not_grow_with_the_readers(
    admin_user, dong_a, start, django_assert_max_num_queries
):
    households = HouseholdFactory.create_batch(3, dong=dong_a)
    readers = UserFactory.create_batch(12, role=Role.WELFARE_OFFICIAL, home_area=dong_a)
    for reader in readers:
        read_all(reader, households, start)
    # the reads, four kinds of assigned work, the readers' home addresses, the households
    with django_assert_max_num_queries(8):
        alerts = audit_alerts(user=admin_user)
    assert not [a for a in alerts if a.kind == "bulk"]


def test_the_hour_slides_and_a_household_read_twice_counts_once(admin_user, dong_a, start):
    n = BULK_READS_PER_HOUR + 1
    households = HouseholdFactory.create_batch(n, dong=dong_a)
    spread = UserFactory(role=Role.WELFARE_OFFICIAL, home_area=dong_a)
    twice = UserFactory(role=Role.WELFARE_OFFICIAL, home_area=dong_a)
    late = UserFactory(role=Role.WELFARE_OFFICIAL, home_area=dong_a)
    for i, household in enumerate(households):  # n households over about two hours
        read_all(spread, [household], start + dt.timedelta(minutes=4 * i))
    # n - 1 households, one of them read twice, all within the hour: n reads, n - 1 households
    read_all(twice, [*households[:-1], households[0]], start)
    # two reads hours before, then n households within the hour: the window slides to them
    read_all(late, households[:2], start - dt.timedelta(hours=3))
    read_all(late, households, start)
    bulk = [a.username for a in audit_alerts(user=admin_user) if a.kind == "bulk"]
    assert bulk == [late.username]
