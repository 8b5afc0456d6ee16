"""The household page shows each kind of data only to roles the policy lets read it, and the
sensitive notes are written only by roles that may write them."""

import pytest

from maeul.accounts.models import Role
from maeul.people.models import Household, Resident
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def noted(household_a):
    head = household_a.members.get()
    head.health_notes = "HEALTH-고혈압"
    head.save()
    household_a.violence_notes = "VIOLENCE-접근금지"
    household_a.save()
    return household_a


def page(client, user, household):
    client.force_login(user)
    response = client.get(f"/households/{household.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_nurse_reads_health_not_violence_notes(client, nurse, noted):
    html = page(client, nurse, noted)
    assert "HEALTH-고혈압" in html and "VIOLENCE-접근금지" not in html


def test_official_reads_violence_notes_not_health(client, official, noted):
    html = page(client, official, noted)
    assert "VIOLENCE-접근금지" in html and "HEALTH-고혈압" not in html


def test_administrator_sees_no_sensitive_notes_nor_case_work(client, admin_user, noted):
    html = page(client, admin_user, noted)
    assert "VIOLENCE-접근금지" not in html and "HEALTH-고혈압" not in html
    assert 'class="timeline"' not in html


def test_nurse_records_health_notes_encrypted(client, nurse, household_a):
    head = household_a.members.get()
    client.force_login(nurse)
    response = client.post(
        f"/households/{household_a.pk}/notes/",
        {"resident": head.pk, "health_notes": "당뇨, 인슐린"},
    )
    assert response.status_code == 302
    assert Resident.objects.get(pk=head.pk).health_notes == "당뇨, 인슐린"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT health_notes FROM people_resident WHERE id = %s", [head.pk])
        assert "당뇨" not in cursor.fetchone()[0]  # encrypted at rest


def test_vocational_counsellor_may_not_write_violence_notes(client, dong_a, household_a):
    counsellor = UserFactory(role=Role.VOCATIONAL_COUNSELLOR, home_area=dong_a)
    client.force_login(counsellor)
    response = client.post(f"/households/{household_a.pk}/notes/", {"violence_notes": "x"})
    assert response.status_code == 400
    assert Household.objects.get(pk=household_a.pk).violence_notes == ""


def test_notes_of_another_dong_are_404(client, official_b, household_a):
    client.force_login(official_b)
    assert (
        client.post(f"/households/{household_a.pk}/notes/", {"violence_notes": "x"}).status_code
        == 404
    )
