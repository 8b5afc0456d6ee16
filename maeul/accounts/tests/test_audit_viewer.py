"""The administrators' audit viewer, its API and the unusual-access alerts."""

import datetime as dt

import pytest
from django.utils import timezone

from maeul.accounts.models import AuditRecord
from maeul.hub.audit_alerts import BULK_READS_PER_HOUR, audit_alerts
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def read(user, household_id, at):
    return AuditRecord.objects.create(
        user=user,
        username=user.username,
        at=at,
        action="view",
        household_id=household_id,
        path=f"/households/{household_id}/",
    )


def test_api_audit_filters_by_household_and_user(
    client, api_token, admin_user, official, nurse, household_a
):
    now = timezone.now()
    read(official, household_a.pk, now)
    read(nurse, household_a.pk, now)
    read(official, household_a.pk + 999, now)
    body = client.get(
        f"/api/audit/?household={household_a.pk}&user={official.username}", **api_token(admin_user)
    ).json()
    assert body["count"] == 1
    assert body["results"][0]["username"] == official.username
    assert body["results"][0]["household_id"] == household_a.pk


@pytest.mark.parametrize("who", ["official", "gu_user", "volunteer"])
def test_api_audit_is_for_administrators_only(request, client, api_token, who):
    response = client.get("/api/audit/", **api_token(request.getfixturevalue(who)))
    assert response.status_code == 403


def test_audit_page_and_csv_export(client, admin_user, official, household_a):
    read(official, household_a.pk, timezone.now())
    client.force_login(admin_user)
    assert official.username in client.get("/audit/").content.decode()
    csv = client.get(f"/audit/?household={household_a.pk}&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert f",{official.username},view,{household_a.pk}," in csv.content.decode()


def test_audit_page_is_404_for_non_administrators(client, official):
    client.force_login(official)
    assert client.get("/audit/").status_code == 404


def test_alert_for_many_households_outside_assigned_work_in_an_hour(admin_user, official, dong_a):
    start = timezone.now().replace(hour=11, minute=0) - dt.timedelta(days=1)
    households = HouseholdFactory.create_batch(BULK_READS_PER_HOUR + 1, dong=dong_a)
    for i, household in enumerate(households):
        read(official, household.pk, start + dt.timedelta(minutes=i))
    kinds = [a.kind for a in audit_alerts(user=admin_user)]
    assert kinds.count("bulk") == 1


def test_no_bulk_alert_for_households_in_own_work(admin_user, official, dong_a):
    start = timezone.now().replace(hour=11, minute=0) - dt.timedelta(days=1)
    households = HouseholdFactory.create_batch(BULK_READS_PER_HOUR + 1, dong=dong_a)
    for household in households:
        household.care_volunteers.add(official)  # stands for "assigned to this user"
    for i, household in enumerate(households):
        read(official, household.pk, start + dt.timedelta(minutes=i))
    assert "bulk" not in [a.kind for a in audit_alerts(user=admin_user)]


def test_alert_for_reads_at_night(admin_user, official, household_a):
    night = timezone.localtime().replace(hour=23, minute=30) - dt.timedelta(days=1)
    read(official, household_a.pk, night)
    read(official, household_a.pk, night.replace(hour=14))
    assert [a.kind for a in audit_alerts(user=admin_user)] == ["night"]


def test_alert_for_reading_a_household_at_own_address(admin_user, official, dong_a):
    neighbour = HouseholdFactory(
        dong=dong_a, address="부산광역시 수영구 망미번영로 12", address_detail="301호"
    )
    official.home_address = "망미번영로 12"
    official.save()
    read(official, neighbour.pk, timezone.localtime().replace(hour=14) - dt.timedelta(days=1))
    assert [a.kind for a in audit_alerts(user=admin_user)] == ["neighbour"]
