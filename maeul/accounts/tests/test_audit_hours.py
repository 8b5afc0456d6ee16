"""The reads per reader and hour (`AuditHour`) that the access alerts start from are counted by
the database on every insert into the audit trail, whoever inserts: one read, a bulk insert,
across hours; a list read that names no one household is not a household read. A count that
no longer equals the trail is found by `check_integrity` and put right by `tally_rebuild`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from maeul.accounts import audit_hours, integrity
from maeul.accounts.audit import audit_read
from maeul.accounts.models import AuditHour, AuditRecord
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

T = dt.datetime(2026, 11, 2, 9, 59, 30, tzinfo=dt.UTC)


def _counts() -> dict[tuple[str, dt.datetime], int]:
    return {(h.username, h.hour): h.n for h in AuditHour.objects.all()}


def _record(username: str, at: dt.datetime, household_id: int | None) -> AuditRecord:
    return AuditRecord(username=username, at=at, action="view", household_id=household_id)


def test_every_insert_is_counted_in_its_reader_and_hour(official, dong_a):
    household = HouseholdFactory(dong=dong_a)
    request = RequestFactory().get(f"/households/{household.pk}/")
    request.user = official
    audit_read(request=request, household_id=household.pk)
    audit_read(request=request, household_ids=[household.pk], action="list")  # not one household
    now = AuditRecord.objects.get(household_id=household.pk).at
    hour = now.replace(minute=0, second=0, microsecond=0)
    assert _counts() == {(official.username, hour): 1}

    AuditRecord.objects.bulk_create(
        [
            _record("kim", T, household.pk),
            _record("kim", T + dt.timedelta(seconds=40), household.pk),  # 10:00:10, the next hour
            _record("kim", T - dt.timedelta(minutes=30), household.pk),
            _record("lee", T, household.pk),
            _record("lee", T, None),
        ]
    )
    assert _counts() == {
        (official.username, hour): 1,
        ("kim", dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)): 2,
        ("kim", dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)): 1,
        ("lee", dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)): 1,
    }
    assert audit_hours.mismatches() == 0
    assert integrity.checks() == []


def test_a_wrong_count_is_found_and_rebuilt(dong_a):
    household = HouseholdFactory(dong=dong_a)
    AuditRecord.objects.bulk_create([_record("kim", T, household.pk) for _ in range(3)])
    AuditHour.objects.filter(username="kim").update(n=1)
    AuditHour.objects.create(username="ghost", hour=T.replace(minute=0, second=0), n=5)

    problems = integrity.checks()
    assert len(problems) == 1 and "2 counts of reads per reader and hour differ" in problems[0]

    out = io.StringIO()
    call_command("tally_rebuild", stdout=out)
    assert "They equal a recount." in out.getvalue()
    assert _counts() == {("kim", dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)): 3}
    assert integrity.checks() == []
