"""The dashboard's count of open cases (`open_case_count`) is the number of open cases the user
may see, the same as counting `cases_visible_to` (issue 14 changed how it is asked of the
database, not what it counts): closed cases and other dongs' and gus' cases are left out, a
case that moved with its household to another dong counts where the household now is, and a
user who sees no case counts none."""

from __future__ import annotations

import pytest
from django.utils import timezone

from maeul.accounts.models import Role
from maeul.areas.models import Area
from maeul.cases.models import Case
from maeul.cases.selectors import cases_visible_to, open_case_count
from tests.factories import AreaFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


def _case(household, manager, *, status=Case.Status.OPEN, dong=None):
    return Case.objects.create(
        household=household,
        dong=dong or household.dong,
        kind="general",
        status=status,
        manager=manager,
        opened_at=timezone.now(),
    )


@pytest.fixture
def world(gu, dong_a, dong_b, official, official_b):
    other_gu = AreaFactory(
        code="2626000000", name="남구", name_en="Nam-gu", level=Area.Level.SIGUNGU, parent=gu.parent
    )
    other_dong = AreaFactory(
        code="2626052000", name="대연제1동", name_en="Daeyeon 1", parent=other_gu
    )
    other_official = UserFactory(
        username="official_far", role=Role.WELFARE_OFFICIAL, home_area=other_dong
    )
    for _ in range(3):
        _case(HouseholdFactory(dong=dong_a), official)
    _case(HouseholdFactory(dong=dong_a), official, status=Case.Status.CLOSED)
    for _ in range(2):
        _case(HouseholdFactory(dong=dong_b), official_b)
    # opened in dong B, the household now in dong A (a merge moves cases with the household)
    _case(HouseholdFactory(dong=dong_a), official_b, dong=dong_b)
    _case(HouseholdFactory(dong=other_dong), other_official)
    return other_official


def test_each_role_counts_the_open_cases_it_may_see(
    world, official, official_b, gu_user, volunteer, partner_user, admin_user
):
    expected = {
        official: 4,  # three of dong A and the one that moved there; not the closed one
        official_b: 2,
        gu_user: 6,  # both dongs of the gu, not the other gu's
        world: 1,
        volunteer: 0,
        partner_user: 0,
    }
    for user, count in expected.items():
        assert open_case_count(user=user) == count, user.username
        assert count == cases_visible_to(user).filter(status=Case.Status.OPEN).count()
    assert open_case_count(user=admin_user) == (
        cases_visible_to(admin_user).filter(status=Case.Status.OPEN).count()
    )


def test_the_dashboard_shows_the_count(client, world, official):
    client.force_login(official)
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["open_cases"] == 4
