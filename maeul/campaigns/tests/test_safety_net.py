"""A campaign's named safety-net members: chosen when it is created or later, only of the
campaign's dongs in the user's scope, and given pending targets of their dong."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from maeul.accounts.models import SafetyNetMember
from maeul.areas.models import Area
from maeul.campaigns.models import Target
from maeul.campaigns.selectors import campaign_safety_net
from maeul.campaigns.services import (
    campaign_create,
    campaign_safety_net_set,
    target_record,
    targets_add,
    targets_give_to_member,
)
from maeul.errors import DomainError, NotFound
from tests.factories import AreaFactory, HouseholdFactory

pytestmark = pytest.mark.django_db


def member(dong, name, **kwargs):
    return SafetyNetMember.objects.create(
        name=name, dong=dong, team="discovery", joined_on=dt.date(2024, 1, 1), **kwargs
    )


def campaign_of(actor, area, **kwargs):
    return campaign_create(
        actor=actor,
        name="전수조사",
        purpose="안부 확인",
        area=area,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 31),
        **kwargs,
    )


def test_campaign_names_members_of_its_dongs_only(official, gu_user, gu, dong_a, dong_b):
    mine, other = member(dong_a, "김통장"), member(dong_b, "박통장")
    left = member(dong_a, "이떠남", left_on=dt.date(2026, 1, 1))
    campaign = campaign_of(official, dong_a, safety_net=[mine])
    assert list(campaign.safety_net.all()) == [mine]
    for wrong in (other, left):
        with pytest.raises(DomainError) as err:
            campaign_of(official, dong_a, safety_net=[wrong])
        assert err.value.field == "safety_net"
    # a gu-wide campaign of the gu team may name members of every dong
    gu_wide = campaign_of(gu_user, gu, safety_net=[mine, other])
    assert set(gu_wide.safety_net.all()) == {mine, other}
    # a dong official changes only her dong's part of it
    campaign_safety_net_set(actor=official, campaign=gu_wide, members=[])
    assert list(gu_wide.safety_net.all()) == [other]
    with pytest.raises(DomainError):
        campaign_safety_net_set(actor=official, campaign=gu_wide, members=[other])


def test_pending_targets_go_to_a_named_member_of_their_dong(official, gu_user, gu, dong_a, dong_b):
    tong = AreaFactory(name="1통", level=Area.Level.TONG, parent=dong_a)
    a1 = HouseholdFactory(dong=dong_a, tong=tong)
    a2 = HouseholdFactory(dong=dong_a)
    b1 = HouseholdFactory(dong=dong_b)
    head, stranger = member(dong_a, "김통장", tong=tong), member(dong_a, "최아님")
    campaign = campaign_of(gu_user, gu, safety_net=[head])
    targets_add(actor=gu_user, campaign=campaign, household_ids=[a1.pk, a2.pk, b1.pk])
    assert (
        targets_give_to_member(actor=official, campaign=campaign, member=head, tong_id=tong.pk) == 1
    )
    assert targets_give_to_member(actor=official, campaign=campaign, member=head) == 1
    given = set(Target.objects.filter(member=head).values_list("household_id", flat=True))
    assert given == {a1.pk, a2.pk}  # never the other dong's household
    with pytest.raises(DomainError) as err:
        targets_give_to_member(actor=official, campaign=campaign, member=stranger)
    assert err.value.code == "not_named"
    target = Target.objects.get(household=a1)
    target_record(actor=official, target=target, outcome="not_in_need")
    rows = campaign_safety_net(user=official, campaign=campaign)
    assert [(r["member"], r["targets"], r["reached"]) for r in rows] == [(head, 2, 1)]
    # taken off the campaign: her pending target is freed, the reached one stays hers
    campaign_safety_net_set(actor=official, campaign=campaign, members=[])
    assert list(Target.objects.filter(member=head)) == [target]


def test_another_dongs_official_cannot_work_the_campaign(official, official_b, dong_a):
    head = member(dong_a, "김통장")
    campaign = campaign_of(official, dong_a, safety_net=[head])
    with pytest.raises(NotFound):
        targets_give_to_member(actor=official_b, campaign=campaign, member=head)
    with pytest.raises(NotFound):
        campaign_safety_net_set(actor=official_b, campaign=campaign, members=[])


def test_pages_name_members_and_give_targets(client, official, dong_a):
    head = member(dong_a, "김통장")
    client.force_login(official)
    form = {
        "name": "안부 조사",
        "purpose": "홀몸 어르신",
        "area": dong_a.pk,
        "starts_on": "2026-11-01",
        "ends_on": "2026-12-31",
        "safety_net": [head.pk],
    }
    response = client.post(reverse("campaigns:campaign_create"), form)
    assert response.status_code == 302
    campaign = head.campaigns.get()
    household = HouseholdFactory(dong=dong_a)
    targets_add(actor=official, campaign=campaign, household_ids=[household.pk])
    url = reverse("campaigns:targets_member", args=[campaign.pk])
    assert client.post(url, {"member": head.pk}).status_code == 302
    assert Target.objects.get().member == head
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])).content.decode()
    assert 'id="safety-net"' in page and "김통장" in page
    url = reverse("campaigns:campaign_safety_net", args=[campaign.pk])
    assert client.post(url, {"members": []}).status_code == 302
    assert not campaign.safety_net.exists()
