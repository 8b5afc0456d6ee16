"""Household pages: scoped, audited once per view, minimal for volunteers."""

import pytest

from maeul.accounts.models import AuditRecord
from maeul.people.models import TimelineEvent
from maeul.people.services import event_record

pytestmark = pytest.mark.django_db


def test_official_opens_household_page_with_timeline_in_order(client, official, household_a):
    event_record(
        kind=TimelineEvent.Kind.VISIT_COMPLETED,
        dong_id=household_a.dong_id,
        household=household_a,
        summary="EVT-SECOND",
        occurred_at="2026-02-01T10:00+09:00",
    )
    event_record(
        kind=TimelineEvent.Kind.LEAD_REGISTERED,
        dong_id=household_a.dong_id,
        household=household_a,
        summary="EVT-FIRST",
        occurred_at="2026-01-01T10:00+09:00",
    )
    client.force_login(official)
    response = client.get(f"/households/{household_a.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "김영희" in html
    assert html.index("EVT-FIRST") < html.index("EVT-SECOND")


def test_household_page_view_writes_exactly_one_audit_record(client, official, household_a):
    client.force_login(official)
    client.get(f"/households/{household_a.pk}/")
    assert AuditRecord.objects.filter(household_id=household_a.pk, action="view").count() == 1


@pytest.mark.parametrize("who", ["official_b", "volunteer", "partner_user"])
def test_household_page_out_of_scope_is_404(request, client, who, household_a):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/households/{household_a.pk}/").status_code == 404
    assert not AuditRecord.objects.filter(household_id=household_a.pk).exists()


def test_volunteer_sees_only_name_address_and_care_notes(client, volunteer, household_a):
    household_a.care_volunteers.add(volunteer)
    household_a.phone = "010-1234-5678"
    household_a.save()
    client.force_login(volunteer)
    html = client.get(f"/households/{household_a.pk}/").content.decode()
    assert "김영희" in html and household_a.address in html and household_a.care_notes in html
    assert "010-1234-5678" not in html and "1950" not in html


def test_household_list_search_by_name_is_scoped(client, official, household_a, household_b):
    client.force_login(official)
    rows = client.get("/households/?q=김 영희", HTTP_HX_REQUEST="true").content.decode()
    assert "김영희" in rows and "<form" not in rows  # htmx gets only the rows partial
    assert (
        "박철수" not in client.get("/households/?q=박철수", HTTP_HX_REQUEST="true").content.decode()
    )


def test_household_list_query_count_does_not_grow_with_rows(
    client, official, dong_a, django_assert_max_num_queries
):
    from tests.factories import HouseholdFactory

    HouseholdFactory.create_batch(30, dong=dong_a)
    client.force_login(official)
    with django_assert_max_num_queries(12):
        assert client.get("/households/").status_code == 200


def test_anonymous_is_sent_to_login(client, household_a):
    response = client.get(f"/households/{household_a.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]
