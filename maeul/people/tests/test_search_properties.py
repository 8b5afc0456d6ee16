"""Search takes any text a person can type: it never fails and never leaves the user's scope."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maeul.discovery.selectors import lead_queue
from maeul.people.selectors import household_search, households_visible_to

pytestmark = pytest.mark.django_db

typed = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=typed)
def test_household_search_stays_in_scope(official, household_a, household_b, q):
    visible = set(households_visible_to(official).values_list("pk", flat=True))
    found = set(household_search(user=official, q=q).values_list("pk", flat=True))
    assert found <= visible
    assert household_b.pk not in found


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=typed)
def test_lead_search_never_fails(official, q):
    list(lead_queue(user=official, q=q)[:5])


def test_search_wildcards_are_literal(official, household_a):
    assert not household_search(user=official, q="%").exists()
    assert not household_search(user=official, q="_").exists()
    assert household_search(user=official, q="김영희").exists()
