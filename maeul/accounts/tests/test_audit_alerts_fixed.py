"""The unusual-access alerts on a small fixed case, kind by kind and in order: the same list
the alerts gave when they walked every read of the period in Python, now that the database
is asked only for the reads that can make each kind (night by local hour, bulk readers by
reads per clock hour, readers with a home address), and the newest `limit` of them."""

import datetime as dt

import pytest
from django.utils import timezone

from maeul.accounts.models import AuditRecord, Role
from maeul.hub.audit_alerts import BULK_READS_PER_HOUR, audit_alerts
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db

N = BULK_READS_PER_HOUR + 1


def read(user, household, at):
    AuditRecord.objects.create(
        user=user,
        username=user.username,
        at=at,
        action="view",
        household_id=household.pk,
        path=f"/households/{household.pk}/",
    )


@pytest.fixture
def case(dong_a):
    """Readers and their reads two days ago (local time, Asia/Seoul = UTC+9)."""
    day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    day -= dt.timedelta(days=2)
    households = HouseholdFactory.create_batch(N, dong=dong_a)

    def official(name):
        return UserFactory(username=name, role=Role.WELFARE_OFFICIAL, home_area=dong_a)

    # N households in one hour across a UTC clock hour (15 reads before 11:00 UTC, 16 after:
    # neither clock hour alone holds the threshold).
    straddle = official("a-straddle")
    first = day.replace(hour=19, minute=45, second=30)  # 10:45:30 UTC
    for i, household in enumerate(households):
        read(straddle, household, first + dt.timedelta(minutes=i))
    # N - 1 households within the hour: no alert.
    under = official("b-under")
    for i, household in enumerate(households[:-1]):
        read(under, household, day.replace(hour=14) + dt.timedelta(minutes=i))
    # N households within the hour, all of them in the reader's care: no alert.
    carer = official("c-carer")
    for i, household in enumerate(households):
        household.care_volunteers.add(carer)
        read(carer, household, day.replace(hour=15) + dt.timedelta(minutes=i))
    # Night by the local hour: 22:00 and 05:59 are night, 06:00 and 21:59 are not.
    night = official("d-night")
    for hour, minute in ((22, 0), (5, 59), (6, 0), (21, 59)):
        read(night, households[0], day.replace(hour=hour, minute=minute))
    # A household at the reader's own address, read at 13:00 and at 23:30 (night too).
    neighbour = official("e-neighbour")
    neighbour.home_address = "망미번영로 12"
    neighbour.save()
    home = HouseholdFactory(
        dong=dong_a, address="부산광역시 수영구 망미번영로 12", address_detail="301호"
    )
    read(neighbour, home, day.replace(hour=13))
    read(neighbour, home, day.replace(hour=23, minute=30))
    read(neighbour, households[1], day.replace(hour=13, minute=5))
    return day, households, home


def test_the_alerts_of_a_fixed_case(admin_user, case):
    day, households, home = case
    straddle_alert_at = day.replace(hour=19, minute=45, second=30) + dt.timedelta(minutes=N - 1)
    expected = [
        ("night", "e-neighbour", day.replace(hour=23, minute=30), f"#{home.pk}"),
        ("neighbour", "e-neighbour", day.replace(hour=23, minute=30), f"#{home.pk}"),
        ("night", "d-night", day.replace(hour=22), f"#{households[0].pk}"),
        ("bulk", "a-straddle", straddle_alert_at, str(N)),
        ("neighbour", "e-neighbour", day.replace(hour=13), f"#{home.pk}"),
        ("night", "d-night", day.replace(hour=5, minute=59), f"#{households[0].pk}"),
    ]
    alerts = audit_alerts(user=admin_user)
    assert [(a.kind, a.username, a.at, a.detail) for a in alerts] == expected


def test_limit_is_the_newest_of_the_whole_list(admin_user, case):
    whole = audit_alerts(user=admin_user)
    for limit in range(len(whole) + 2):
        assert audit_alerts(user=admin_user, limit=limit) == whole[:limit]


def test_a_read_before_since_makes_no_alert(admin_user, case):
    day, _households, _home = case
    assert audit_alerts(user=admin_user, since=day + dt.timedelta(days=1)) == []
