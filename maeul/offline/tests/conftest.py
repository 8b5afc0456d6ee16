from __future__ import annotations

import pytest

from tests.factories import HouseholdFactory


@pytest.fixture
def care_household(dong_a, volunteer):
    household = HouseholdFactory(dong=dong_a, head="홀로순")
    household.care_volunteers.add(volunteer)
    return household
