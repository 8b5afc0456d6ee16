"""Visits API: plan, record, list, scope."""

import datetime as dt

import pytest
from django.utils import timezone

from maeul.visits.models import Visit
from maeul.visits.services import visit_plan
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_plan_record_and_list(client, api_token, official, nurse, household_a):
    headers = api_token(official)
    today = timezone.localdate()
    # the nurse's visit is 5 days away: beyond joining (3 days), within the flag (14 days)
    visit_plan(actor=nurse, household=household_a, planned_on=today + dt.timedelta(days=5))
    response = client.post(
        "/api/visits/",
        {
            "household_id": household_a.pk,
            "planned_on": today.isoformat(),
            "member_ids": [official.pk, nurse.pk],
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["action"] == "planned"
    assert body["visit"]["team"] == "hub" and len(body["visit"]["members"]) == 2
    assert [w["team"] for w in body["warnings"]] == ["nurse"]
    visit_id = body["visit"]["id"]
    response = client.post(
        f"/api/visits/{visit_id}/record",
        {"outcome": "met", "observed_needs": ["housing"]},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["status"] == "done"
    listing = client.get("/api/visits/", {"page_size": 1}, **headers).json()
    assert listing["count"] == 2 and listing["page_size"] == 1 and len(listing["results"]) == 1


def plan(client, headers, household, day, **extra):
    return client.post(
        "/api/visits/",
        {"household_id": household.pk, "planned_on": day.isoformat(), **extra},
        content_type="application/json",
        **headers,
    )


def test_a_visit_colliding_with_another_teams_is_joined_not_doubled(
    client, api_token, official, nurse, household_a
):
    """The shared calendar, through the API as on the page: the nurse's visit two days later
    gets the official as a joint visit on its own date; nothing is planned twice."""
    today = timezone.localdate()
    nurses, _warnings = visit_plan(
        actor=nurse, household=household_a, planned_on=today + dt.timedelta(days=2)
    )
    response = plan(client, api_token(official), household_a, today)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["action"] == "joined" and body["warnings"] == []
    assert body["visit"]["id"] == nurses.pk
    assert body["visit"]["planned_on"] == (today + dt.timedelta(days=2)).isoformat()
    assert {m["id"] for m in body["visit"]["members"]} == {nurse.pk, official.pk}
    assert Visit.objects.filter(household=household_a).count() == 1
    # asking again changes nothing
    again = plan(client, api_token(official), household_a, today + dt.timedelta(days=2))
    assert again.status_code == 200 and again.json()["action"] == "existing"
    assert Visit.objects.filter(household=household_a).count() == 1


def test_keeping_visits_apart_plans_a_new_one_and_flags_the_collision(
    client, api_token, official, nurse, household_a
):
    today = timezone.localdate()
    nurses, _warnings = visit_plan(actor=nurse, household=household_a, planned_on=today)
    response = plan(client, api_token(official), household_a, today, merge=False)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["action"] == "planned" and body["visit"]["id"] != nurses.pk
    assert [w["visit_id"] for w in body["warnings"]] == [nurses.pk]
    assert Visit.objects.filter(household=household_a, status="planned").count() == 2


def test_planning_twice_the_same_day_is_harmless(client, api_token, official, household_a):
    day = timezone.localdate()
    first = plan(client, api_token(official), household_a, day)
    second = plan(client, api_token(official), household_a, day)
    assert first.status_code == 201 and second.status_code == 200
    assert second.json()["action"] == "existing"
    assert second.json()["visit"]["id"] == first.json()["visit"]["id"]
    assert Visit.objects.filter(household=household_a).count() == 1


def test_a_bad_kind_is_refused_even_when_it_would_join(
    client, api_token, official, nurse, household_a
):
    visit_plan(actor=nurse, household=household_a, planned_on=timezone.localdate())
    response = plan(client, api_token(official), household_a, timezone.localdate(), kind="party")
    assert response.status_code == 400 and response.json()["code"] == "invalid_kind"
    visit = Visit.objects.get(household=household_a)
    assert list(visit.members.all()) == [nurse]  # nothing half-written


def test_bad_input_is_400(client, api_token, official, household_a):
    response = client.post(
        "/api/visits/",
        {"household_id": household_a.pk, "planned_on": "2026-11-23", "kind": "party"},
        content_type="application/json",
        **api_token(official),
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_kind"


def test_overlaps_endpoint(client, api_token, official, nurse, household_a):
    today = timezone.localdate()
    visit_plan(actor=nurse, household=household_a, planned_on=today)
    response = client.get(
        "/api/visits/overlaps",
        {"household_id": household_a.pk, "planned_on": today.isoformat()},
        **api_token(official),
    )
    assert response.status_code == 200 and response.json()[0]["team"] == "nurse"


@pytest.mark.parametrize("who", ["official_b", "volunteer", "partner_user"])
def test_out_of_scope_is_404(request, who, client, api_token, official, household_a):
    visit, _ = visit_plan(actor=official, household=household_a, planned_on=timezone.localdate())
    headers = api_token(request.getfixturevalue(who))
    assert client.get(f"/api/visits/{visit.pk}", **headers).status_code == 404
    assert client.get("/api/visits/", **headers).json()["count"] == 0
    response = client.post(
        f"/api/visits/{visit.pk}/record",
        {"outcome": "met"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    response = client.post(
        "/api/visits/",
        {"household_id": household_a.pk, "planned_on": "2026-11-23"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404


def test_volunteer_plans_and_records_care_visit_of_assigned_household(
    client, api_token, volunteer, household_a
):
    household_a.care_volunteers.add(volunteer)
    headers = api_token(volunteer)
    response = client.post(
        "/api/visits/",
        {"household_id": household_a.pk, "planned_on": "2026-11-23", "kind": "care"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["visit"]["team"] == "safety_net"
    visit_id = response.json()["visit"]["id"]
    response = client.post(
        f"/api/visits/{visit_id}/record",
        {"outcome": "met"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200


def test_list_query_count(client, api_token, official, dong_a, django_assert_max_num_queries):
    headers = api_token(official)
    for _ in range(10):
        visit_plan(
            actor=official, household=HouseholdFactory(dong=dong_a), planned_on=timezone.localdate()
        )
    with django_assert_max_num_queries(12):
        body = client.get("/api/visits/", **headers).json()
    assert body["count"] == 10
