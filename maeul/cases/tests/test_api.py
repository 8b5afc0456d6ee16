"""Assessments, cases and linkages API: create through the services, paginated lists, 404 out
of scope, partners see and update only their own referrals."""

import pytest

from maeul.cases.models import Case, Linkage
from maeul.cases.services import assessment_record, case_open, linkage_propose
from maeul.people.models import TimelineEvent
from tests.factories import HouseholdFactory, PartnerFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"


def post(client, url, data, headers):
    return client.post(url, data, content_type=JSON, **headers)


def test_assessment_case_and_linkage_flow(client, api_token, official, partner_org, household_a):
    headers = api_token(official)
    response = post(
        client,
        "/api/assessments/",
        {
            "household_id": household_a.pk,
            "needs": {"income": 3, "housing": 2},
            "overall_risk": "high",
            "decision": "case_intensive",
            "consent_given": True,
            "consent_scopes": ["hub", "referral"],
        },
        headers,
    )
    assert response.status_code == 201, response.content
    assessment = response.json()
    assert assessment["needs"]["income"] == 3 and assessment["consent_scopes"] == [
        "hub",
        "referral",
    ]
    response = post(
        client,
        "/api/cases/",
        {
            "household_id": household_a.pk,
            "kind": "intensive",
            "assessment_id": assessment["id"],
        },
        headers,
    )
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["manager_id"] == official.pk and len(case["follow_ups"]) == 1
    response = post(
        client, "/api/cases/", {"household_id": household_a.pk, "kind": "general"}, headers
    )
    assert response.status_code == 400 and response.json()["code"] == "case_already_open"
    response = post(
        client,
        "/api/linkages/",
        {
            "household_id": household_a.pk,
            "kind": "partner_referral",
            "partner_id": partner_org.pk,
            "case_id": case["id"],
            "description": "상담",
        },
        headers,
    )
    assert response.status_code == 201, response.content
    linkage_id = response.json()["id"]
    response = post(client, f"/api/linkages/{linkage_id}/status", {"status": "provided"}, headers)
    assert response.status_code == 400 and response.json()["code"] == "invalid_transition"
    response = post(client, f"/api/linkages/{linkage_id}/status", {"status": "requested"}, headers)
    assert response.status_code == 400 and response.json()["code"] == "invalid_transition"
    response = post(client, f"/api/linkages/{linkage_id}/status", {"status": "withdrawn"}, headers)
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    for url in ("/api/assessments/", "/api/cases/", "/api/linkages/"):
        body = client.get(url, **headers).json()
        assert set(body) == {"count", "page", "page_size", "results"} and body["count"] == 1
    assert client.get(f"/api/cases/{case['id']}", **headers).json()["linkage_ids"] == [linkage_id]


def test_assessment_without_consent_is_400_and_nothing_saved(
    client, api_token, official, household_a
):
    response = post(
        client,
        "/api/assessments/",
        {
            "household_id": household_a.pk,
            "needs": {"income": 3},
            "overall_risk": "high",
            "decision": "case_general",
            "consent_given": False,
        },
        api_token(official),
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "consent_required",
        "detail": response.json()["detail"],
        "field": "consent_given",
    }
    assert not TimelineEvent.objects.exists()


def test_bad_need_level_is_400(client, api_token, official, household_a):
    response = post(
        client,
        "/api/assessments/",
        {
            "household_id": household_a.pk,
            "needs": {"income": 7},
            "overall_risk": "high",
            "decision": "no_need",
        },
        api_token(official),
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_need_level"


@pytest.mark.parametrize("who", ["official_b", "volunteer", "partner_user"])
def test_out_of_scope_is_404(request, who, client, api_token, official, household_a):
    assessment = assessment_record(
        actor=official,
        household=household_a,
        needs={"income": 2},
        overall_risk="high",
        decision="case_general",
        consent_given=True,
    )
    case = case_open(actor=official, household=household_a, kind="general", manager=official)
    linkage = linkage_propose(
        actor=official, household=household_a, kind="emergency_aid", description="x"
    )
    headers = api_token(request.getfixturevalue(who))
    assert client.get(f"/api/assessments/{assessment.pk}", **headers).status_code == 404
    assert client.get(f"/api/cases/{case.pk}", **headers).status_code == 404
    assert client.get(f"/api/linkages/{linkage.pk}", **headers).status_code == 404
    for url in ("/api/assessments/", "/api/cases/", "/api/linkages/"):
        assert client.get(url, **headers).json()["count"] == 0
    assert (
        post(
            client, f"/api/linkages/{linkage.pk}/status", {"status": "declined"}, headers
        ).status_code
        == 404
    )
    for url, data in (
        (
            "/api/assessments/",
            {
                "household_id": household_a.pk,
                "needs": {},
                "overall_risk": "low",
                "decision": "no_need",
            },
        ),
        ("/api/cases/", {"household_id": household_a.pk, "kind": "general"}),
        (
            "/api/linkages/",
            {"household_id": household_a.pk, "kind": "emergency_aid", "description": "x"},
        ),
    ):
        assert post(client, url, data, headers).status_code == 404
    assert Case.objects.count() == 1 and Linkage.objects.count() == 1


def test_partner_lists_and_updates_own_referrals_only(
    client, api_token, official, partner_user, partner_org, household_a, dong_a, referral_consent
):
    referral_consent(household_a)
    mine = linkage_propose(
        actor=official,
        household=household_a,
        kind="partner_referral",
        partner=partner_org,
        amount=100000,
        description="상담",
    )
    other = linkage_propose(
        actor=official,
        household=household_a,
        kind="partner_referral",
        partner=PartnerFactory(area=dong_a),
    )
    headers = api_token(partner_user)
    body = client.get("/api/linkages/", **headers).json()
    assert [r["id"] for r in body["results"]] == [mine.pk]
    assert body["results"][0]["head_name"] == "김영희" and body["results"][0]["amount"] is None
    assert client.get(f"/api/linkages/{other.pk}", **headers).status_code == 404
    assert (
        post(
            client, f"/api/linkages/{other.pk}/status", {"status": "provided"}, headers
        ).status_code
        == 404
    )
    response = post(client, f"/api/linkages/{mine.pk}/status", {"status": "requested"}, headers)
    assert response.status_code == 400
    response = post(client, f"/api/linkages/{mine.pk}/status", {"status": "accepted"}, headers)
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    response = post(client, f"/api/linkages/{mine.pk}/status", {"status": "provided"}, headers)
    assert response.status_code == 400 and response.json()["code"] == "note_required"
    response = post(
        client, f"/api/linkages/{mine.pk}/status", {"status": "provided", "note": "상담"}, headers
    )
    assert response.status_code == 200 and response.json()["status"] == "provided"
    assert TimelineEvent.objects.get(kind="linkage_provided").amount == 100000
    assert client.get("/api/cases/", **headers).json()["count"] == 0


def test_list_query_counts(client, api_token, official, dong_a, django_assert_max_num_queries):
    headers = api_token(official)
    for _ in range(8):
        household = HouseholdFactory(dong=dong_a)
        assessment_record(
            actor=official,
            household=household,
            needs={"income": 2},
            overall_risk="high",
            decision="case_general",
            consent_given=True,
        )
        case_open(actor=official, household=household, kind="general", manager=official)
        linkage_propose(
            actor=official, household=household, kind="emergency_aid", description="x", amount=1
        )
    for url in ("/api/assessments/", "/api/cases/", "/api/linkages/"):
        with django_assert_max_num_queries(10):
            body = client.get(url, **headers).json()
        assert body["count"] == 8


def test_openapi_documents_case_paths(client):
    schema = client.get("/api/openapi.json").json()
    for path in (
        "/api/assessments/",
        "/api/cases/{case_id}",
        "/api/linkages/{linkage_id}/status",
        "/api/visits/",
        "/api/visits/{visit_id}/record",
    ):
        assert path in schema["paths"]
    assert "AssessmentIn" in schema["components"]["schemas"]
