"""Leads in the JSON API: scope, filters, registration and assignment."""

import pytest

from maeul.discovery.models import Lead

pytestmark = pytest.mark.django_db


def test_list_counts_only_visible_leads(client, api_token, official, official_b, make_lead):
    mine = make_lead(urgency="emergency")
    make_lead()
    make_lead(actor=official_b)
    body = client.get("/api/leads/", **api_token(official)).json()
    assert body["count"] == 2 and body["page"] == 1 and body["page_size"] == 50
    assert body["results"][0]["id"] == mine.pk
    body = client.get("/api/leads/?urgency=emergency", **api_token(official)).json()
    assert body["count"] == 1


def test_list_query_count_is_flat(
    client, api_token, official, make_lead, django_assert_max_num_queries
):
    for i in range(20):
        make_lead(address=f"망미로 {i}", subject_name=f"사람{i}")
    headers = api_token(official)
    with django_assert_max_num_queries(8):
        body = client.get("/api/leads/", **headers).json()
    assert len(body["results"]) == 20


def test_assignee_me_filter(client, api_token, official, make_lead):
    make_lead(assignee=official)
    make_lead()
    body = client.get("/api/leads/?assignee=me", **api_token(official)).json()
    assert body["count"] == 1


@pytest.mark.parametrize("who", ["official_b", "volunteer", "partner_user"])
def test_detail_out_of_scope_is_404(request, client, api_token, make_lead, who):
    lead = make_lead()
    response = client.get(f"/api/leads/{lead.pk}", **api_token(request.getfixturevalue(who)))
    assert response.status_code == 404


def test_volunteer_sees_the_lead_they_reported(client, api_token, volunteer, make_lead):
    lead = make_lead(actor=volunteer, source="volunteer")
    assert client.get(f"/api/leads/{lead.pk}", **api_token(volunteer)).status_code == 200
    assert client.get("/api/leads/", **api_token(volunteer)).json()["count"] == 1


def test_partner_sees_leads_of_their_institution(client, api_token, partner_user, make_lead):
    make_lead(actor=partner_user, source="partner", dong=partner_user.partner.area)
    assert client.get("/api/leads/", **api_token(partner_user)).json()["count"] == 1


def test_staff_registers_a_lead(client, api_token, official, dong_a):
    response = client.post(
        "/api/leads/",
        {
            "dong_code": dong_a.code,
            "address": "망미로 1",
            "subject_name": "갑",
            "urgency": "high",
            "crisis_signals": ["job_loss"],
        },
        content_type="application/json",
        **api_token(official),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["match"] == "new" and body["urgency"] == "high" and body["status"] == "new"


def test_register_bad_input_is_400_with_code(client, api_token, official, dong_a, dong_b):
    headers = api_token(official)
    response = client.post(
        "/api/leads/",
        {"dong_code": dong_a.code, "address": "망미로 1", "subject_name": "갑", "subject_rrn": "1"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_rrn"
    response = client.post(
        "/api/leads/",
        {"dong_code": dong_b.code, "address": "x", "subject_name": "갑"},
        content_type="application/json",
        **headers,
    )
    assert response.json()["code"] == "dong_out_of_scope"
    assert not Lead.objects.exists()


def test_volunteer_cannot_register_through_the_api(client, api_token, volunteer, dong_a):
    response = client.post(
        "/api/leads/",
        {"dong_code": dong_a.code, "address": "x", "subject_name": "갑"},
        content_type="application/json",
        **api_token(volunteer),
    )
    assert response.status_code == 403


def test_assign(client, api_token, official, nurse, official_b, make_lead):
    lead = make_lead()
    headers = api_token(official)
    bad = client.post(
        f"/api/leads/{lead.pk}/assign",
        {"assignee_id": official_b.pk},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_assignee"
    ok = client.post(
        f"/api/leads/{lead.pk}/assign",
        {"assignee_id": nurse.pk},
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 200 and ok.json()["assignee_id"] == nurse.pk
    other = client.post(
        f"/api/leads/{lead.pk}/assign",
        {"assignee_id": official_b.pk},
        content_type="application/json",
        **api_token(official_b),
    )
    assert other.status_code == 404


def test_openapi_documents_the_lead_endpoints(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/leads/" in schema["paths"] and "/api/leads/{lead_id}/assign" in schema["paths"]
    assert {"LeadOut", "LeadIn", "LeadPage", "AssignIn"} <= set(schema["components"]["schemas"])
