"""Batch matching after an outreach campaign: the needs of its households found in need,
assigned under capacity, the unmet list, and accepted assignments turned into referrals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from maeul.campaigns.models import Campaign, Target
from maeul.campaigns.selectors import funnels_for
from maeul.campaigns.services import target_linkage_attach
from maeul.cases.models import Linkage
from maeul.cases.services import assessment_record, linkage_propose
from maeul.errors import DomainError, NotFound
from maeul.funds.campaign_matching import campaign_assignments_accept, campaign_batch
from maeul.resources.services import service_save
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def assess(official, household, needs, scopes=("hub", "referral")):
    return assessment_record(
        actor=official,
        household=household,
        needs=needs,
        overall_risk="high",
        decision="linkage_only",
        consent_given=True,
        consent_scopes=list(scopes),
        consent_date=dt.date(2026, 11, 2),
    )


@pytest.fixture
def campaign(official, dong_a):
    return Campaign.objects.create(
        name="겨울 안부 조사",
        purpose="홀몸 어르신",
        area=dong_a,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 31),
        created_by=official,
    )


def target(campaign, household, outcome="in_need"):
    return Target.objects.create(
        campaign=campaign, household=household, dong=household.dong, outcome=outcome
    )


@pytest.fixture
def setting(official, dong_a, partner_org, campaign):
    """Three households in need wanting income help, one place left; a fourth household
    only reached, not in need; a legal need no service meets."""
    food = service_save(
        actor=official,
        organization=partner_org,
        area=dong_a,
        name="푸드뱅크",
        domains=["income"],
        places_per_month=2,
    )
    households = [HouseholdFactory(dong=dong_a, head=f"가구{n}") for n in range(4)]
    for n, household in enumerate(households[:3]):
        assess(official, household, {"income": 3 - (n == 2), "legal": 2 if n == 0 else 0})
        target(campaign, household)
    target(campaign, households[3], outcome="not_in_need")
    assess(official, households[3], {"income": 3})
    return food, households


def test_the_batch_assigns_under_capacity_and_lists_the_unmet(official, campaign, setting):
    food, households = setting
    batch = campaign_batch(user=official, campaign=campaign, today=TODAY)
    assert batch.households == 3  # the household not in need is left out
    assigned = {(r.household.pk, r.domain): r.service.pk for r in batch.assigned}
    assert len(assigned) == 2 and set(assigned.values()) == {food.pk}
    # The more severe needs win the two places; the milder one and the legal need are unmet.
    assert (households[2].pk, "income") not in assigned
    unmet = {(r.household.pk, r.domain) for r in batch.unmet}
    assert unmet == {(households[2].pk, "income"), (households[0].pk, "legal")}
    assert dict(batch.unmet_by_domain())  # by domain, for the resource team


def test_accepted_assignments_become_referrals(official, campaign, setting, partner_org):
    food, households = setting
    batch = campaign_batch(user=official, campaign=campaign, today=TODAY)
    choices = [f"{r.household.pk}:{r.domain}:{r.service.pk}" for r in batch.assigned]
    done = campaign_assignments_accept(
        actor=official, campaign=campaign, choices=choices, today=TODAY
    )
    assert len(done.linkages) == 2 and not done.refused
    for linkage in Linkage.objects.all():
        assert linkage.kind == "partner_referral" and linkage.partner == partner_org
        assert linkage.service == food and linkage.domain == "income"
        assert linkage.status == "proposed" and linkage.due_at is not None
        assert linkage.assessment is not None and campaign.name in linkage.description
    # The needs now linked leave the batch, and the month's two places are taken: only the
    # two unmet needs are left, still unmet.
    after = campaign_batch(user=official, campaign=campaign, today=timezone.localdate())
    assert {(r.household.pk, r.domain) for r in after.unmet} == {
        (households[2].pk, "income"),
        (households[0].pk, "legal"),
    }
    assert not after.assigned
    with pytest.raises(NotFound):  # accepting the same assignment again: no such need left
        campaign_assignments_accept(actor=official, campaign=campaign, choices=choices, today=TODAY)
    assert Linkage.objects.count() == 2


def test_a_household_without_referral_consent_is_refused_with_the_reason(
    official, campaign, dong_a, partner_org
):
    service_save(
        actor=official,
        organization=partner_org,
        area=dong_a,
        name="상담",
        domains=["mental_health"],
    )
    household = HouseholdFactory(dong=dong_a, head="동의없음")
    assess(official, household, {"mental_health": 3}, scopes=("hub",))
    target(campaign, household)
    (row,) = campaign_batch(user=official, campaign=campaign, today=TODAY).assigned
    done = campaign_assignments_accept(
        actor=official,
        campaign=campaign,
        choices=[f"{row.household.pk}:{row.domain}:{row.service.pk}"],
        today=TODAY,
    )
    assert (
        not done.linkages
        and "consent" in done.refused[0][1].lower()
        or (not done.linkages and "동의" in done.refused[0][1])
    )
    assert not Linkage.objects.exists()


def test_forged_choices_write_nothing(official, official_b, campaign, setting):
    food, households = setting
    good = f"{households[0].pk}:income:{food.pk}"
    for bad, error in [
        (f"{households[3].pk}:income:{food.pk}", NotFound),  # not in need
        (f"{households[0].pk}:legal:{food.pk}", DomainError),  # service does not meet it
        (f"{households[0].pk}:income:999999", NotFound),
        ("nonsense", DomainError),
    ]:
        with pytest.raises(error):
            campaign_assignments_accept(
                actor=official, campaign=campaign, choices=[good, bad], today=TODAY
            )
    with pytest.raises(DomainError):
        campaign_assignments_accept(actor=official, campaign=campaign, choices=[], today=TODAY)
    assert not Linkage.objects.exists()
    # Another dong's official sees none of the campaign's households.
    assert campaign_batch(user=official_b, campaign=campaign, today=TODAY).rows == []


def test_the_campaign_matching_page(client, official, official_b, campaign, setting):
    food, households = setting
    url = reverse("funds:campaign_matching", args=[campaign.pk])
    client.force_login(official)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="assignment"' in text and 'id="unmet"' in text and "푸드뱅크" in text
    assert campaign.name in client.get(reverse("funds:batch_matching")).content.decode()
    choices = [f"{r.household.pk}:{r.domain}:{r.service.pk}" for r in page.context["assigned"]]
    response = client.post(url, {"accept": choices})
    assert response.status_code == 302 and Linkage.objects.count() == 2
    client.force_login(official_b)
    assert client.get(url).status_code == 404


def _funnel(user, campaign):
    return funnels_for(user=user, campaign_ids=[campaign.pk])[campaign.pk]


def test_accepting_links_the_targets_and_keeps_the_funnel_nested(
    official, campaign, setting, dong_a, partner_org
):
    food, households = setting
    before = _funnel(official, campaign)
    assert (before.targets, before.reached, before.in_need, before.linked) == (4, 4, 3, 0)
    batch = campaign_batch(user=official, campaign=campaign, today=TODAY)
    choices = [f"{r.household.pk}:{r.domain}:{r.service.pk}" for r in batch.assigned]
    done = campaign_assignments_accept(
        actor=official, campaign=campaign, choices=choices, today=TODAY
    )
    after = _funnel(official, campaign)
    assert after.linked == 2 and after.in_need == 3
    assert after.linked <= after.in_need <= after.reached <= after.targets == 4
    for linkage in done.linkages:  # each linked target records its own household's referral
        t = Target.objects.get(campaign=campaign, household=linkage.household)
        assert (t.outcome, t.linkage_id) == ("linked", linkage.pk)
    # A linked household's other need still reaches the batch; accepting it makes a second
    # referral and the target keeps its first link.
    legal = service_save(
        actor=official, organization=partner_org, area=dong_a, name="법률상담", domains=["legal"]
    )
    first = Target.objects.get(campaign=campaign, household=households[0])
    done = campaign_assignments_accept(
        actor=official,
        campaign=campaign,
        choices=[f"{households[0].pk}:legal:{legal.pk}"],
        today=TODAY,
    )
    assert len(done.linkages) == 1
    first_after = Target.objects.get(pk=first.pk)
    assert (first_after.outcome, first_after.linkage_id) == ("linked", first.linkage_id)
    assert _funnel(official, campaign) == after


def test_attaching_another_households_linkage_is_refused(
    official, official_b, campaign, setting, dong_b
):
    food, households = setting
    done = campaign_assignments_accept(
        actor=official,
        campaign=campaign,
        choices=[f"{households[0].pk}:income:{food.pk}"],
        today=TODAY,
    )
    (linkage,) = done.linkages
    other = Target.objects.get(campaign=campaign, household=households[1])
    with pytest.raises(DomainError) as refused:
        target_linkage_attach(actor=official, target=other, linkage=linkage)
    assert refused.value.code == "other_household"
    other.refresh_from_db()
    assert (other.outcome, other.linkage_id, other.updated_at) == ("in_need", None, None)
    # A target not found in need cannot be linked; nor by a linkage the actor cannot see.
    not_in_need = Target.objects.get(campaign=campaign, household=households[3])
    with pytest.raises(DomainError) as refused:
        target_linkage_attach(actor=official, target=not_in_need, linkage=linkage)
    assert refused.value.code == "not_in_need"
    foreign = linkage_propose(
        actor=official_b,
        household=HouseholdFactory(dong=dong_b, head="다른동"),
        kind=Linkage.Kind.PUBLIC_BENEFIT,
        programme="nbls_livelihood",
    )
    with pytest.raises(NotFound):
        target_linkage_attach(actor=official, target=other, linkage=foreign)
    # A withdrawn referral does not link the household.
    Linkage.objects.filter(pk=linkage.pk).update(status=Linkage.Status.WITHDRAWN)
    linked = Target.objects.get(campaign=campaign, household=households[0])
    Target.objects.filter(pk=linked.pk).update(outcome="in_need", linkage=None)
    with pytest.raises(DomainError) as refused:
        target_linkage_attach(actor=official, target=linked, linkage=linkage)
    assert refused.value.code == "linkage_closed"
    assert _funnel(official, campaign).linked == 0
