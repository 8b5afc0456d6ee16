"""POST /api/benefits/evaluate and GET /api/benefits/households/{id}."""

from __future__ import annotations

import pytest

from maeul.accounts.models import AuditRecord
from maeul.benefits.models import MeansRecord

pytestmark = pytest.mark.django_db

MEMBER = {
    "age": 72,
    "relation": "head",
    "earned_income": 0,
    "other_income": 1_020_000,
    "assets_general": 0,
    "assets_financial": 0,
    "debts": 0,
    "car_value": 0,
    "disability": None,
    "single_parent": False,
}


def body(**member) -> dict:
    return {
        "period": "2026-03",
        "household": {
            "region": "metropolitan",
            "members": [{**MEMBER, **member}],
            "support_obligors": [],
            "crisis": None,
        },
    }


def post(client, headers, payload):
    return client.post(
        "/api/benefits/evaluate", payload, content_type="application/json", **headers
    )


def test_evaluate_answers_every_programme_with_the_worked_example(client, official, api_token):
    response = post(client, api_token(official), body())
    assert response.status_code == 200, response.content
    programmes = response.json()["programmes"]
    assert [p["id"] for p in programmes][:3] == ["nbls_livelihood", "nbls_medical", "nbls_housing"]
    assert {"local_emergency_aid", "local_livelihood", "child_allowance"} <= {
        p["id"] for p in programmes
    }
    livelihood = programmes[0]
    assert set(livelihood) == {"id", "entitled", "amount", "reason", "threshold", "distance"}
    assert livelihood["entitled"] is False
    assert livelihood["threshold"] == 820_556 and livelihood["distance"] == -199_444
    assert livelihood["reason"]["en"] == (
        "recognised income ₩1,020,000 is above the livelihood line ₩820,556 for 1 person"
    )
    assert "소득인정액 1,020,000원" in livelihood["reason"]["ko"]
    pension = next(p for p in programmes if p["id"] == "basic_pension")
    assert pension["entitled"] is True and pension["amount"] == 349_700


def test_missing_money_gives_null_and_names_the_field(client, official, api_token):
    payload = body()
    del payload["household"]["members"][0]["earned_income"]
    programmes = post(client, api_token(official), payload).json()["programmes"]
    livelihood = programmes[0]
    assert livelihood["entitled"] is None and livelihood["amount"] is None
    assert "members[0].earned_income" in livelihood["reason"]["en"]
    child = next(p for p in programmes if p["id"] == "child_allowance")
    assert child["entitled"] is False  # needs only ages


def test_crisis_left_out_is_missing_for_emergency_support(client, official, api_token):
    payload = body()
    del payload["household"]["crisis"]
    programmes = post(client, api_token(official), payload).json()["programmes"]
    emergency = next(p for p in programmes if p["id"] == "emergency_welfare")
    assert emergency["entitled"] is None and "household.crisis" in emergency["reason"]["en"]


@pytest.mark.parametrize(
    "change, word",
    [
        ({"period": "2024-12"}, "period"),
        ({"period": "March"}, "period"),
        ({"household": {"region": "moon", "members": [MEMBER]}}, "region"),
        ({"household": {"region": "city", "members": []}}, "members"),
        ({"household": {"region": "city", "members": [{**MEMBER, "relation": "child"}]}}, "head"),
        ({"household": {"region": "city", "members": [{**MEMBER, "other_income": -1}]}}, ""),
        ({"household": {"region": "city", "members": [MEMBER], "crisis": "bored"}}, "crisis"),
    ],
)
def test_bad_input_is_422_with_a_clear_message(client, official, api_token, change, word):
    response = post(client, api_token(official), {**body(), **change})
    assert response.status_code == 422, response.content
    assert word in response.content.decode()


def test_evaluate_needs_a_token(client):
    assert post(client, {}, body()).status_code == 401


def test_openapi_documents_the_evaluate_schemas(client):
    document = client.get("/api/openapi.json").json()
    operation = document["paths"]["/api/benefits/evaluate"]["post"]
    assert "422" in operation["responses"]
    schemas = document["components"]["schemas"]
    assert {"EvaluateIn", "HouseholdIn", "MemberIn", "EvaluateOut", "ProgrammeOut"} <= set(schemas)
    assert set(schemas["MemberIn"]["properties"]) >= {
        "age",
        "relation",
        "earned_income",
        "car_value",
        "disability",
        "single_parent",
    }


def test_household_evaluation_is_scoped_and_audited(
    client, official, volunteer, household_a, household_b, api_token
):
    head = household_a.members.get()
    MeansRecord.objects.create(
        resident=head,
        household=household_a,
        earned_income=0,
        other_income=0,
        assets_general=0,
        assets_financial=0,
        debts=0,
        car_value=0,
        recorded_on="2026-11-01",
    )
    headers = api_token(official)
    response = client.get(f"/api/benefits/households/{household_a.pk}", **headers)
    assert response.status_code == 200, response.content
    data = response.json()
    livelihood = data["programmes"][0]
    assert livelihood["entitled"] is True and livelihood["received"] is False
    assert AuditRecord.objects.filter(household_id=household_a.pk).exists()
    assert client.get(f"/api/benefits/households/{household_b.pk}", **headers).status_code == 404
    volunteer_headers = api_token(volunteer)
    assert (
        client.get(f"/api/benefits/households/{household_a.pk}", **volunteer_headers).status_code
        == 403
    )
