"""The bulk alert ("many households in one hour") walks only the reads around each reader's
busy clock hours (`_bulk_windows`, from the trigger-kept reads per hour). It must find what a
walk of every read of the period finds: the same readers, at the same read, with the same
count, for reads scattered over days, bunched across an hour's turn, and on the edges of the
period."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.utils import timezone

from maeul.accounts.models import AuditRecord, Role
from maeul.hub.audit_alerts import BULK_READS_PER_HOUR, audit_alerts
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


def _walk_everything(records: list[AuditRecord], since: dt.datetime) -> list[tuple]:
    """The alert as a walk of every read of the period (none of the readers has assigned
    work here): each reader's first read that ends an hour with too many households."""
    found = []
    by_reader: dict[str, list[AuditRecord]] = {}
    for record in sorted(records, key=lambda r: (r.username, r.at)):
        if record.at >= since:
            by_reader.setdefault(record.username, []).append(record)
    for username, reads in by_reader.items():
        window: Counter[int] = Counter()
        left = 0
        for record in reads:
            window[record.household_id] += 1
            while record.at - reads[left].at > dt.timedelta(hours=1):
                window[reads[left].household_id] -= 1
                if not window[reads[left].household_id]:
                    del window[reads[left].household_id]
                left += 1
            if len(window) > BULK_READS_PER_HOUR:
                found.append((username, record.at, str(len(window))))
                break
    return sorted(found)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_windows_find_what_walking_every_read_finds(admin_user, dong_a, seed):
    rng = random.Random(seed)
    households = HouseholdFactory.create_batch(80, dong=dong_a)
    now = timezone.now()
    since = now - dt.timedelta(days=30)
    records = []
    for i in range(6):
        reader = UserFactory(
            username=f"reader{seed}_{i}", role=Role.WELFARE_OFFICIAL, home_area=dong_a
        )
        # scattered reads over the month and a little before it
        for _ in range(rng.randint(20, 60)):
            at = since + dt.timedelta(minutes=rng.randint(-180, 30 * 24 * 60 - 10))
            records.append((reader, at, rng.choice(households)))
        # bursts of 25-60 reads over 40-90 minutes, some across an hour's turn, some at the
        # period's start
        for _ in range(rng.randint(1, 3)):
            hour = since.replace(minute=0, second=0, microsecond=0) + dt.timedelta(
                hours=rng.choice([0, 1, rng.randint(2, 700)])
            )
            begin = hour + dt.timedelta(minutes=rng.randint(-50, 50))
            spread = rng.choice([40, 70, 90]) * 60
            for _ in range(rng.randint(25, 60)):
                at = begin + dt.timedelta(seconds=rng.randint(0, spread))
                records.append((reader, at, rng.choice(households)))
    rows = [
        AuditRecord(
            user=reader,
            username=reader.username,
            at=at,
            action="view",
            household_id=household.pk,
            path=f"/households/{household.pk}/",
        )
        for reader, at, household in records
    ]
    AuditRecord.objects.bulk_create(rows)
    expected = _walk_everything(rows, since)
    found = sorted(
        (a.username, a.at, a.detail)
        for a in audit_alerts(user=admin_user, since=since)
        if a.kind == "bulk"
    )
    assert expected, "the bursts make alerts to compare"
    assert found == expected
