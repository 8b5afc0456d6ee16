"""The visit list of the API pages its ids on the visits alone and loads only the page's rows
(`visit_list_ids` + `visits_in_order`): the same visits in the same order as `visit_list`
(newest date first, ties broken by id), none lost or repeated across pages, scoped by the
household's dong (not the visit's own dong column), one audit record per page."""

import datetime as dt

import pytest
from django.utils import timezone

from maeul.accounts.models import AuditRecord
from maeul.visits.models import Visit
from maeul.visits.selectors import visit_list, visit_list_ids, visits_in_order
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits(official, volunteer, dong_a, dong_b):
    today = timezone.localdate()
    households = [HouseholdFactory(dong=dong_a) for _ in range(3)]
    made = []
    for i in range(9):
        visit = Visit.objects.create(
            household=households[i % 3],
            dong=dong_a,
            planned_on=today - dt.timedelta(days=i // 3),  # three visits a day: the id decides
            planned_by=official,
            status=Visit.Status.DONE if i % 4 == 0 else Visit.Status.PLANNED,
        )
        made.append(visit)
    # the volunteer cares for household 0 (visits 0, 3, 6) and is a member of two visits
    # there and one elsewhere: only visits of a household they may see and are members of
    households[0].care_volunteers.add(volunteer)
    for i in (0, 3, 4):
        made[i].members.add(volunteer)
    # a household merged into a record of dong B keeps its visit's dong column: the household
    # decides who sees it
    moved = HouseholdFactory(dong=dong_b)
    Visit.objects.create(household=moved, dong=dong_a, planned_on=today, planned_by=official)
    return made


def test_ids_then_rows_give_the_list(visits, official, volunteer):
    for user in [official, volunteer]:
        for filters in [{}, {"status": "planned"}, {"household_id": visits[1].household_id}]:
            ids = list(visit_list_ids(user=user, **filters))
            assert ids == [v.pk for v in visit_list(user=user, **filters)]
            assert [v.pk for v in visits_in_order(user=user, ids=ids)] == ids
    assert len(visit_list_ids(user=official)) == 9
    assert sorted(visit_list_ids(user=volunteer)) == sorted([visits[0].pk, visits[3].pk])


def test_rows_keep_the_scope(visits, official, official_b, volunteer):
    theirs = list(visit_list_ids(user=official_b))
    assert len(theirs) == 1  # the moved household's visit, by its household's dong
    assert visits_in_order(user=official, ids=theirs) == []
    assert visits_in_order(user=volunteer, ids=[visits[1].pk]) == []


def test_api_walks_every_visit_once(client, api_token, official, visits):
    headers = api_token(official)
    seen: list[int] = []
    for page in [1, 2, 3, 4]:
        body = client.get(f"/api/visits/?page={page}&page_size=2", **headers).json()
        assert body["count"] == 9
        seen += [row["id"] for row in body["results"]]
        record = AuditRecord.objects.order_by("-pk").first()
        assert record.action == "api_list"
        assert record.household_ids == sorted({row["household_id"] for row in body["results"]})
    body = client.get("/api/visits/?page=5&page_size=2", **headers).json()
    seen += [row["id"] for row in body["results"]]
    assert seen == [v.pk for v in visit_list(user=official)]
    assert len(set(seen)) == 9
