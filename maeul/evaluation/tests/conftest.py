"""A small gu with a known history: four dongs, hubs opening 2025-07 (A, B) and 2026-03 (C),
D never; site visits 10 + the dong's number a month, and 10 more from a hub's opening."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from maeul.areas.models import Hub
from maeul.people.models import TimelineEvent
from tests.factories import AreaFactory, HubFactory

TZ = ZoneInfo("Asia/Seoul")
TODAY = dt.date(2026, 9, 15)  # months 2024-12 … 2026-08
FIRST = dt.date(2024, 12, 1)
EFFECT = 10


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    out, day = [], start
    while day <= end:
        out.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


@pytest.fixture
def history(gu, dong_a, dong_b):
    """Hubs: A and B opened 2025-07, C 2026-03, D none. Events through 2026-08."""
    Hub.objects.filter(dong=dong_a).update(opened_on=dt.date(2025, 7, 1))
    Hub.objects.filter(dong=dong_b).update(opened_on=dt.date(2025, 7, 1))
    dong_c = AreaFactory(code="2650076000", name="광안제1동", name_en="Gwangan 1-dong", parent=gu)
    HubFactory(dong=dong_c, opened_on=dt.date(2026, 3, 1))
    dong_d = AreaFactory(code="2650077000", name="광안제2동", name_en="Gwangan 2-dong", parent=gu)
    HubFactory(dong=dong_d, opened_on=None)
    dongs = [dong_a, dong_b, dong_c, dong_d]
    events = []
    for n, dong in enumerate(dongs):
        opened = dong.hub.opened_on
        for month in months(FIRST, dt.date(2026, 8, 1)):
            visits = 10 + n + (EFFECT if opened and month >= opened else 0)
            when = dt.datetime.combine(month + dt.timedelta(days=4), dt.time(10), tzinfo=TZ)
            events += [
                TimelineEvent(dong=dong, kind=TimelineEvent.Kind.VISIT_COMPLETED, occurred_at=when)
                for _ in range(visits)
            ]
            for kind in (
                TimelineEvent.Kind.BLIND_SPOT_DISCOVERED,
                TimelineEvent.Kind.LINKAGE_PROVIDED,
                TimelineEvent.Kind.RESOURCE_DISCOVERED,
            ):
                events.append(TimelineEvent(dong=dong, kind=kind, occurred_at=when, amount=1000))
    # an earlier visit, before the record holds every kind of act: not a month of the series
    events.append(
        TimelineEvent(
            dong=dong_a,
            kind=TimelineEvent.Kind.VISIT_COMPLETED,
            occurred_at=dt.datetime(2024, 6, 3, 10, tzinfo=TZ),
        )
    )
    TimelineEvent.objects.bulk_create(events)
    return dongs
