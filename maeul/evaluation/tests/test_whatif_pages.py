"""The what-if page (gu team, nothing saved, household reads audited) and the counterfactual
beside a benefit's explanation on the household page (scoped, audited)."""

from __future__ import annotations

import pytest

from maeul.accounts.models import AuditRecord
from maeul.benefits.models import LocalRuleSetting, SweepRun
from maeul.benefits.tests.helpers import means_for
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def near_line(dong_a):
    household = HouseholdFactory(dong=dong_a, groups=["senior_alone"])
    means_for(household, other_income=1_600_000)
    return household


def test_gu_team_sees_gainers_and_budgets_and_nothing_is_saved(
    client, near_line, gu_user, password
):
    client.login(username=gu_user.username, password=password)
    html = client.get(
        "/evaluation/whatif/?parameter=livelihood.rate&value=0.70&period=2026-11"
    ).content.decode()
    assert 'data-programme="local_livelihood"' in html
    assert f"/households/{near_line.pk}/" in html  # listed as a gainer
    assert "would gain an entitlement" in html
    assert LocalRuleSetting.objects.count() == 0 and SweepRun.objects.count() == 0
    assert AuditRecord.objects.filter(purpose="ordinance what-if").exists()
    bad = client.get("/evaluation/whatif/?parameter=livelihood.rate&value=seven").content.decode()
    assert "Enter a number." in bad


def test_dong_staff_get_no_whatif(client, official, password):
    client.login(username=official.username, password=password)
    assert client.get("/evaluation/whatif/").status_code == 404


def test_counterfactual_beside_the_explanation(client, near_line, official, password):
    client.login(username=official.username, password=password)
    section = client.get(f"/benefits/households/{near_line.pk}/")
    assert (
        section.status_code == 200
    )  # the benefits section loads the fragment for each "not entitled"
    assert (
        f"/evaluation/households/{near_line.pk}/counterfactual/?programme=local_livelihood"
        in section.content.decode()
    )
    response = client.get(
        f"/evaluation/households/{near_line.pk}/counterfactual/?programme=local_livelihood&period=2026-11"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "70,000 lower" in html and "200,000" in html
    assert AuditRecord.objects.filter(
        purpose="benefits counterfactual", household_id=near_line.pk
    ).exists()
    assert (
        client.get(
            f"/evaluation/households/{near_line.pk}/counterfactual/?programme=nope"
        ).status_code
        == 404
    )


def test_counterfactual_of_another_dongs_household_is_not_found(
    client, official_b, near_line, password
):
    client.login(username=official_b.username, password=password)
    url = f"/evaluation/households/{near_line.pk}/counterfactual/?programme=local_livelihood"
    assert client.get(url).status_code == 404
