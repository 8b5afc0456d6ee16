"""The partner's referral list is paged: 50 a page, newest first with ties broken by number
(no row repeated or skipped across pages, even when many share a time), the status filter
kept in the page links."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from maeul.cases.models import Linkage
from maeul.cases.services import linkage_propose
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrals(official, partner_org, dong_a, referral_consent):
    made = [
        linkage_propose(
            actor=official,
            household=referral_consent(HouseholdFactory(dong=dong_a)).household,
            kind="partner_referral",
            partner=partner_org,
        )
        for _ in range(62)
    ]
    same_time = timezone.now()
    Linkage.objects.filter(pk__in=[r.pk for r in made]).update(proposed_at=same_time)
    Linkage.objects.filter(pk__in=[r.pk for r in made[:5]]).update(status="accepted")
    return made


def ids(response):
    return [r.pk for r in response.context["referrals"]]


def test_pages_cover_every_referral_once_in_a_stable_order(client, partner_user, referrals):
    client.force_login(partner_user)
    url = reverse("cases:referral_list")
    first, second = client.get(url), client.get(url, {"page": 2})
    assert len(ids(first)) == 50 and len(ids(second)) == 12
    assert set(ids(first)) | set(ids(second)) == {r.pk for r in referrals}
    assert not set(ids(first)) & set(ids(second))
    assert ids(first) == sorted(ids(first), reverse=True)  # same time: by number
    assert ids(client.get(url)) == ids(first)  # the same again
    assert first.context["pages"] == 2 and first.context["count"] == 62
    page = first.content.decode()
    assert 'rel="next"' in page and "page=2" in page
    # Past the end, or nonsense: the nearest real page.
    assert ids(client.get(url, {"page": 9})) == ids(second)
    assert ids(client.get(url, {"page": "x"})) == ids(first)


def test_the_status_filter_is_kept_across_pages(client, partner_user, referrals):
    client.force_login(partner_user)
    url = reverse("cases:referral_list")
    proposed = client.get(url, {"status": "proposed"})
    assert proposed.context["count"] == 57 and len(ids(proposed)) == 50
    page = proposed.content.decode()
    assert "status=proposed" in page and "page=2" in page  # the next link keeps the filter
    rest = client.get(url, {"status": "proposed", "page": 2})
    assert len(ids(rest)) == 7
    assert all(r.status == "proposed" for r in rest.context["referrals"])
    accepted = client.get(url, {"status": "accepted"})
    assert len(ids(accepted)) == 5 and accepted.context["pages"] == 1
    assert 'rel="next"' not in accepted.content.decode()
