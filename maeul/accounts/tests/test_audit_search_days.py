"""The audit search's date filters take whole days in Korea's time zone (the day the
administrator means), as a range of instants that the (username, at) index can serve."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from maeul.accounts.models import AuditRecord
from maeul.accounts.selectors import audit_search

pytestmark = pytest.mark.django_db
KST = ZoneInfo("Asia/Seoul")


def read(user, at):
    return AuditRecord.objects.create(
        user=user, username=user.username, at=at, action="view", household_id=1, path="/x/"
    )


def test_days_are_local_days(admin_user, official):
    before = read(official, dt.datetime(2026, 9, 30, 23, 59, tzinfo=KST))
    first = read(official, dt.datetime(2026, 10, 1, 0, 0, tzinfo=KST))
    last = read(official, dt.datetime(2026, 10, 31, 23, 59, 59, tzinfo=KST))
    after = read(official, dt.datetime(2026, 11, 1, 0, 0, tzinfo=KST))
    found = set(
        audit_search(
            user=admin_user,
            username=official.username,
            start=dt.date(2026, 10, 1),
            end=dt.date(2026, 10, 31),
        ).values_list("pk", flat=True)
    )
    assert found == {first.pk, last.pk}
    assert before.pk not in found and after.pk not in found
    one_day = audit_search(user=admin_user, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 1))
    assert list(one_day.values_list("pk", flat=True)) == [after.pk]
