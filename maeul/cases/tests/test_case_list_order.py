"""The case list's pages (`cases_list_page`: the next follow-up as a MIN over the follow-ups
not done, the total counted with the page) give exactly the cases of `cases_list` (the next
follow-up as a subquery per case), in its order, each once, for every filter and scope; a
case is scoped by its household's dong, also after the household moved to another dong."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from maeul.cases.models import Case, FollowUp
from maeul.cases.selectors import cases_list, cases_list_page
from maeul.people.models import Household
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def cases(official, official_b, dong_a, dong_b):
    made = []
    opened = timezone.now()
    for n in range(23):
        dong, manager = (dong_a, official) if n % 3 else (dong_b, official_b)
        made.append(
            Case.objects.create(
                household=HouseholdFactory(dong=dong),
                dong=dong,
                kind="intensive" if n % 4 == 0 else "general",
                status="closed" if n % 7 == 0 else "open",
                manager=manager,
                opened_at=opened - dt.timedelta(days=n % 3),  # ties in opening time
            )
        )
    for n, case in enumerate(made):
        if n % 5 == 0:
            continue  # no follow-up at all
        # a done follow-up earlier than any open one: it must not count as the next
        FollowUp.objects.create(
            case=case, due_on=TODAY - dt.timedelta(days=40), done_at=timezone.now()
        )
        if n % 5 == 1:
            continue  # every follow-up done
        for days in (n % 4, 30 + n):  # the next is the earliest; ties between cases
            FollowUp.objects.create(case=case, due_on=TODAY + dt.timedelta(days=days))
    return made


def walk(user, *, status="open", kind="", page_size=4) -> list[int]:
    ids: list[int] = []
    page = 1
    while True:
        result = cases_list_page(
            user=user, status=status, kind=kind, page=page, page_size=page_size
        )
        if not result["results"]:
            assert result["count"] == len(ids)
            return ids
        assert result["page"] == page and result["page_size"] == page_size
        ids += result["results"]
        page += 1


@pytest.mark.parametrize("who", ["official", "official_b", "gu_user", "volunteer"])
@pytest.mark.parametrize(
    ("status", "kind"), [("open", ""), ("closed", ""), ("", ""), ("open", "intensive")]
)
def test_pages_give_the_list_in_its_order(request, cases, who, status, kind):
    user = request.getfixturevalue(who)
    expected = list(cases_list(user=user, status=status, kind=kind).values_list("pk", flat=True))
    assert walk(user, status=status, kind=kind) == expected
    assert len(set(expected)) == len(expected)
    if who == "gu_user" and status == "open" and not kind:
        assert len(expected) == 19  # every open case of the gu: the test covers the list


def test_the_next_follow_up_orders_the_list(gu_user, cases):
    rows = cases_list(user=gu_user)
    dues = [c.next_due for c in rows]
    assert dues == sorted(dues, key=lambda d: (d is None, d))
    assert None in dues and TODAY + dt.timedelta(days=1) in dues
    first = rows[0]
    assert first.next_due == min(
        f.due_on for f in FollowUp.objects.filter(case=first, done_at__isnull=True)
    )


def test_a_page_past_the_end_is_empty_and_keeps_the_count(gu_user, cases):
    result = cases_list_page(user=gu_user, page=99, page_size=5)
    assert result["results"] == [] and result["count"] == 19 and result["page"] == 99


def test_a_case_follows_its_households_dong(official, official_b, cases):
    case = next(c for c in cases if c.dong_id == official.home_area_id and c.status == "open")
    Household.objects.filter(pk=case.household_id).update(dong=official_b.home_area)
    assert case.pk not in walk(official)
    assert case.pk in walk(official_b)
