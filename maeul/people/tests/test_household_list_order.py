"""The household list's order and scope: grouped by dong (by the dong's id, which follows the
code for a gu's dongs created in code order), then by address, then by id; only visible
households; a page in a bounded number of queries."""

from __future__ import annotations

import pytest

from maeul.people.selectors import household_list
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(dong_a, dong_b):
    # created out of address order, so that the address (not the id) orders each dong
    households = []
    for dong in (dong_b, dong_a):
        for n in (3, 1, 2):
            households.append(HouseholdFactory(dong=dong, address=f"부산광역시 수영구 망미로 {n}"))
    return households


def expected(households, dongs):
    rows = [h for h in households if h.dong_id in {d.pk for d in dongs}]
    return [h.pk for h in sorted(rows, key=lambda h: (h.dong_id, h.address_key, h.pk))]


def test_gu_sees_every_dong_grouped_then_by_address(gu_user, registry, dong_a, dong_b):
    result = household_list(user=gu_user)
    assert [r["id"] for r in result["results"]] == expected(registry, [dong_a, dong_b])
    assert result["count"] == 6


def test_dong_official_sees_only_their_dong_in_address_order(official, registry, dong_a):
    result = household_list(user=official)
    assert [r["id"] for r in result["results"]] == expected(registry, [dong_a])


def test_search_keeps_scope_and_order(official, gu_user, registry, dong_a, dong_b):
    assert [r["id"] for r in household_list(user=gu_user, q="망미로")["results"]] == expected(
        registry, [dong_a, dong_b]
    )
    assert [r["id"] for r in household_list(user=official, q="망미로")["results"]] == expected(
        registry, [dong_a]
    )


def test_pages_cover_every_household_once(gu_user, registry, django_assert_max_num_queries):
    seen = []
    for page in (1, 2, 3):
        with django_assert_max_num_queries(6):
            seen += [
                r["id"] for r in household_list(user=gu_user, page=page, page_size=2)["results"]
            ]
    assert sorted(seen) == sorted(h.pk for h in registry) and len(set(seen)) == 6
