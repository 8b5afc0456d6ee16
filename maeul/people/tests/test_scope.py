"""Households are scoped by role and area: out of scope is 404, in the API and the pages."""

import pytest

from maeul.cases.models import Linkage
from maeul.discovery.models import Lead
from maeul.people.selectors import households_visible_to

pytestmark = pytest.mark.django_db


def test_official_sees_own_dong_only(official, household_a, household_b):
    assert list(households_visible_to(official)) == [household_a]


def test_gu_team_sees_whole_gu(gu_user, household_a, household_b):
    assert set(households_visible_to(gu_user)) == {household_a, household_b}


def test_volunteer_sees_assigned_and_reported_only(volunteer, household_a, household_b, dong_a):
    from tests.factories import HouseholdFactory

    reported = HouseholdFactory(dong=dong_a)
    assert list(households_visible_to(volunteer)) == []
    household_a.care_volunteers.add(volunteer)
    Lead.objects.create(
        dong=dong_a,
        household=reported,
        source=Lead.Source.VOLUNTEER,
        match=Lead.Match.NEW,
        reported_by=volunteer,
        address=reported.address,
        due_at="2026-01-01T00:00Z",
        created_at="2025-12-30T00:00Z",
    )
    assert set(households_visible_to(volunteer)) == {household_a, reported}


def test_partner_sees_only_referrals(partner_user, official, household_a, household_b):
    from maeul.people.models import Consent

    assert list(households_visible_to(partner_user)) == []
    Linkage.objects.create(
        household=household_a,
        dong=household_a.dong,
        kind=Linkage.Kind.PARTNER_REFERRAL,
        partner=partner_user.partner,
        proposed_by=official,
        proposed_at="2026-01-01T00:00Z",
    )
    # A referral is seen only with the household's active consent to referral (test_consent).
    assert list(households_visible_to(partner_user)) == []
    Consent.objects.create(
        household=household_a, purpose="x", scopes=["hub", "referral"], given_on="2026-01-01"
    )
    assert list(households_visible_to(partner_user)) == [household_a]


@pytest.mark.parametrize("who", ["official_b", "volunteer", "partner_user"])
def test_household_api_detail_out_of_scope_is_404(request, who, client, api_token, household_a):
    user = request.getfixturevalue(who)
    response = client.get(f"/api/households/{household_a.pk}", **api_token(user))
    assert response.status_code == 404


def test_household_api_list_counts_only_visible(
    client, api_token, official, household_a, household_b
):
    response = client.get("/api/households/", **api_token(official))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [household_a.pk]


def test_volunteer_gets_minimal_fields(client, api_token, volunteer, household_a):
    household_a.care_volunteers.add(volunteer)
    body = client.get(f"/api/households/{household_a.pk}", **api_token(volunteer)).json()
    assert body["head_name"] == "김영희"
    assert body["care_notes"]
    assert body["member_list"] == [] and body["timeline"] is None and body["benefits"] is None


def test_api_without_token_is_401(client, household_a):
    assert client.get("/api/households/").status_code == 401


def test_token_login_with_wrong_password_is_400(client, official):
    response = client.post(
        "/api/auth/token",
        {"username": official.username, "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
