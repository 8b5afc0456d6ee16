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
