"""The dashboard's count of open cases: the cases the user may see, open ones only, each once
(whatever its number of follow-ups)."""

from __future__ import annotations

import datetime as dt

import pytest

from maeul.cases.models import Case
from maeul.cases.services import case_open
from maeul.cases.services.follow_ups import follow_up_schedule
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_open_cases_counts_visible_open_cases_once(client, official, official_b, dong_a, dong_b):
    first, second, closed = (
        case_open(
            actor=official,
            household=HouseholdFactory(dong=dong_a),
            kind="general",
            manager=official,
        )
        for _ in range(3)
    )
    for days in (10, 40, 70):
        follow_up_schedule(first, after=dt.date(2026, 1, 1) + dt.timedelta(days=days))
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED)
    case_open(
        actor=official_b,
        household=HouseholdFactory(dong=dong_b),
        kind="general",
        manager=official_b,
    )

    client.force_login(official)
    assert client.get("/").context["open_cases"] == 2
    client.force_login(official_b)
    assert client.get("/").context["open_cases"] == 1


def test_the_lead_card_is_the_queue_head_of_the_users_dongs(
    client, official, official_b, dong_a, dong_b
):
    """The first 15 open leads the user may see, emergencies first, then by due time; never
    another dong's, never a closed one."""
    from maeul.discovery.models import Lead
    from maeul.discovery.services import lead_register

    def report(dong, actor, name, urgency=Lead.Urgency.NORMAL):
        return lead_register(
            actor=actor, source=Lead.Source.STAFF, dong=dong, address="망미로 1",
            subject_name=name, urgency=urgency,
        )  # fmt: skip

    normal = [report(dong_a, official, f"이웃{i}") for i in range(16)]
    emergency = report(dong_a, official, "응급", Lead.Urgency.EMERGENCY)
    Lead.objects.filter(pk=normal[0].pk).update(status=Lead.Status.CLOSED)
    report(dong_b, official_b, "타동")

    client.force_login(official)
    shown = client.get("/").context["leads"]
    expected = (
        Lead.objects.filter(dong=dong_a, status__in=Lead.OPEN_STATUSES)
        .exclude(pk=emergency.pk)
        .order_by("due_at", "pk")
    )
    assert [lead.pk for lead in shown] == [emergency.pk, *[lead.pk for lead in expected][:14]]
    assert all(lead.household_id is None or lead.household.dong_id == dong_a.pk for lead in shown)
