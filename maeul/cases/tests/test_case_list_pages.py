"""The case list is paged (issue 14: a gu's open cases were all rendered at once): 50 a page,
next follow-up first, then newest, ties by number, so no case is repeated or skipped across
pages; a page past the end shows the last one, nonsense the first; the filters are kept in
the page links; only the cases of the page are audited as read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from maeul.accounts.models import AuditRecord
from maeul.cases.models import Case, FollowUp
from maeul.cases.services import case_open
from maeul.people.models import Consent
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(official, dong_a):
    made = []
    for _ in range(62):
        household = HouseholdFactory(dong=dong_a)
        Consent.objects.create(
            household=household, purpose="t", scopes=["hub"], given_on=dt.date(2026, 1, 1)
        )
        made.append(
            case_open(actor=official, household=household, kind="general", manager=official)
        )
    # Many share one opening time, some have no follow-up left: the order must still be total.
    same_time = timezone.now()
    Case.objects.filter(pk__in=[c.pk for c in made]).update(opened_at=same_time)
    FollowUp.objects.filter(case__in=made[:20]).delete()
    Case.objects.filter(pk__in=[c.pk for c in made[:3]]).update(kind="intensive")
    return made


def ids(response):
    return [c.pk for c in response.context["cases"]]


def test_pages_cover_every_case_once_in_a_stable_order(client, official, cases):
    client.force_login(official)
    url = reverse("cases:case_list")
    first, second = client.get(url), client.get(url, {"page": 2})
    assert first.status_code == second.status_code == 200
    assert len(ids(first)) == 50 and len(ids(second)) == 12
    assert set(ids(first)) | set(ids(second)) == {c.pk for c in cases}
    assert not set(ids(first)) & set(ids(second))
    assert ids(client.get(url)) == ids(first)  # the same again
    # Next follow-up first (none last), then by number among equals.
    rows = first.context["cases"] + second.context["cases"]
    dues = [c.next_due for c in rows]
    assert dues == sorted(dues, key=lambda d: (d is None, d))
    without = [c.pk for c in rows if c.next_due is None]
    assert without == sorted(without, reverse=True) and len(without) == 20
    assert first.context["pages"] == 2 and first.context["count"] == 62
    page = first.content.decode()
    assert 'rel="next"' in page and "page=2" in page and 'rel="prev"' not in page
    assert 'rel="prev"' in second.content.decode()


def test_out_of_range_pages_show_the_nearest_real_page(client, official, cases):
    client.force_login(official)
    url = reverse("cases:case_list")
    last, first = client.get(url, {"page": 2}), client.get(url)
    for wanted, expected in (("9", last), ("100000000", last), ("x", first), ("0", first)):
        response = client.get(url, {"page": wanted})
        assert response.status_code == 200
        assert ids(response) == ids(expected)
        assert response.context["page_number"] == expected.context["page_number"]


def test_filters_are_kept_across_pages(client, official, cases):
    client.force_login(official)
    url = reverse("cases:case_list")
    general = client.get(url, {"kind": "general"})
    assert general.context["count"] == 59 and len(ids(general)) == 50
    assert "kind=general" in general.content.decode()  # the next link keeps the filter
    rest = client.get(url, {"kind": "general", "page": 2})
    assert len(ids(rest)) == 9 and all(c.kind == "general" for c in rest.context["cases"])
    intensive = client.get(url, {"kind": "intensive"})
    assert len(ids(intensive)) == 3 and intensive.context["pages"] == 1
    assert 'rel="next"' not in intensive.content.decode()


def test_only_the_page_is_audited_and_scope_is_kept(client, official, official_b, cases):
    client.force_login(official)
    second = client.get(reverse("cases:case_list"), {"page": 2})
    record = AuditRecord.objects.filter(action="list").latest("id")
    assert sorted(record.household_ids) == sorted(c.household_id for c in second.context["cases"])
    assert len(record.household_ids) == 12
    client.force_login(official_b)  # another dong: none of them, and no page 2
    other = client.get(reverse("cases:case_list"), {"page": 2})
    assert other.status_code == 200 and ids(other) == [] and other.context["pages"] == 1
