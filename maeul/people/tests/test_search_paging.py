"""A household search is paged ids first (`people.selectors._search_keys`: the matches' sort
keys, each side of the name/address UNION scoped, then only a page's households loaded). It
must list exactly the households `household_search` finds for every kind of user, in the
list's order (dong, address, id), each once, page after page."""

from __future__ import annotations

import pytest

from maeul.cases.models import Linkage
from maeul.discovery.models import Lead
from maeul.people.models import Consent, Resident
from maeul.people.selectors import household_list, household_search
from maeul.text import normalise_name
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

QUERIES = ["망미로", "망미로 7", "영희", "김영희", "남궁", "수영구 망미로", "없는길", "7", "%", "_"]


@pytest.fixture
def world(official, dong_a, dong_b, volunteer, partner_user):
    households = []
    # ties: several households at one address, created out of id order of their dongs
    for dong in (dong_b, dong_a):
        for n in (7, 3, 7, 1, 7):
            households.append(
                HouseholdFactory(dong=dong, address=f"부산광역시 수영구 망미로 {n}", head="박민수")
            )
    # found by a member's name only, and by both name and address (listed once)
    by_name = HouseholdFactory(dong=dong_a, address="부산광역시 수영구 광안로 2", head="김영희")
    both = HouseholdFactory(dong=dong_b, address="부산광역시 수영구 망미로 5", head="남궁영희")
    Resident.objects.create(
        household=both, name="남궁 서연", name_key=normalise_name("남궁 서연"), relation="child"
    )
    households += [by_name, both]
    households[0].care_volunteers.add(volunteer)
    Lead.objects.create(
        dong=dong_a,
        household=by_name,
        source=Lead.Source.VOLUNTEER,
        match=Lead.Match.NEW,
        reported_by=volunteer,
        address=by_name.address,
        due_at="2026-01-01T00:00Z",
        created_at="2025-12-30T00:00Z",
    )
    for household, withdrawn in ((both, None), (households[6], None), (by_name, "2026-02-01")):
        Linkage.objects.create(
            household=household,
            dong=household.dong,
            kind=Linkage.Kind.PARTNER_REFERRAL,
            partner=partner_user.partner,
            proposed_by=official,
            proposed_at="2026-01-01T00:00Z",
        )
        Consent.objects.create(
            household=household,
            purpose="x",
            scopes=["hub", "referral"],
            given_on="2026-01-01",
            withdrawn_on=withdrawn,
        )
    return households


def listed(user, q: str, *, dong_code: str = "", page_size: int = 3) -> list[int]:
    ids: list[int] = []
    page = 1
    while True:
        result = household_list(user=user, q=q, dong_code=dong_code, page=page, page_size=page_size)
        if not result["results"]:
            break
        ids += [row["id"] for row in result["results"]]
        page += 1
    assert result["count"] == len(ids), q
    return ids


def in_list_order(households) -> list[int]:
    return [h.pk for h in sorted(households, key=lambda h: (h.dong_id, h.address_key, h.pk))]


@pytest.mark.parametrize(
    "who", ["official", "official_b", "gu_user", "nurse", "volunteer", "partner_user"]
)
def test_pages_list_what_the_search_finds_in_order(request, who, world):
    user = request.getfixturevalue(who)
    for q in QUERIES:
        expected = in_list_order(household_search(user=user, q=q))
        assert listed(user, q) == expected, (who, q)


def test_the_search_finds_by_name_and_by_address_in_scope(official, gu_user, world, dong_a):
    by_name, both = world[-2], world[-1]
    ties = [h for h in world[:10] if h.address.endswith("망미로 7")]
    assert listed(gu_user, "망미로 7") == in_list_order(ties)
    assert listed(gu_user, "영희") == in_list_order([by_name, both])
    assert listed(official, "영희") == [by_name.pk]  # the other dong's 남궁영희 is not shown
    assert listed(gu_user, "망미로", dong_code=dong_a.code) == in_list_order(world[5:10])
    assert listed(gu_user, "남궁") == [both.pk]  # head and child both match: once


def test_a_page_past_the_end_is_empty_and_keeps_the_count(gu_user, world):
    result = household_list(user=gu_user, q="망미로", page=9, page_size=5)
    assert result["results"] == [] and result["count"] == 11


def test_a_search_page_takes_a_bounded_number_of_queries(
    gu_user, world, django_assert_max_num_queries
):
    for page_size in (2, 50):
        with django_assert_max_num_queries(6):
            result = household_list(user=gu_user, q="망미로", page=1, page_size=page_size)
            assert all(row["members"] >= 1 for row in result["results"])
