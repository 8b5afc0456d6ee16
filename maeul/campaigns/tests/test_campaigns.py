"""Campaigns: target lists from the registry, outcomes through visits, the funnel, scope."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from maeul.accounts.models import Role
from maeul.areas.models import Area
from maeul.campaigns.models import Campaign, Instrument, Target
from maeul.campaigns.selectors import (
    TargetFilters,
    campaign_targets,
    funnel_of,
    funnels_for,
    target_get,
    targets_visible_to,
)
from maeul.campaigns.services import (
    campaign_create,
    target_case_open,
    target_link,
    target_record,
    targets_add,
    targets_assign,
    targets_assign_pending,
    targets_build,
)
from maeul.cases.models import Linkage
from maeul.errors import DomainError, NotFound
from maeul.people.models import BenefitReceipt, Household, Resident, TimelineEvent
from maeul.visits.models import Visit
from tests.factories import AreaFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def make_campaign(actor, area, **kwargs) -> Campaign:
    return campaign_create(
        actor=actor,
        name=kwargs.pop("name", "홀몸 어르신 전수조사"),
        purpose="안부 확인",
        area=area,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 31),
        **kwargs,
    )


def resident(household, name, born, relation=Resident.Relation.CHILD):
    return Resident.objects.create(
        household=household, name=name, name_key=name, birth_date=born, relation=relation
    )


@pytest.fixture
def registry(dong_a):
    """Four households of dong A: a senior living alone (born 1950, tong 1), a family of two
    receiving Basic Pension (tong 2), a near-poor single household aged 40 and a household
    with no tong."""
    tong1 = AreaFactory(name="1통", level=Area.Level.TONG, parent=dong_a)
    tong2 = AreaFactory(name="2통", level=Area.Level.TONG, parent=dong_a)
    alone = HouseholdFactory(dong=dong_a, tong=tong1, groups=["senior_alone"], head="김홀로")
    family = HouseholdFactory(dong=dong_a, tong=tong2, groups=["disabled"], head="이가족")
    resident(family, "이아들", dt.date(1990, 1, 1))
    BenefitReceipt.objects.create(
        household=family, programme="basic_pension", started_on=dt.date(2020, 1, 1)
    )
    near_poor = HouseholdFactory(dong=dong_a, tong=tong2, groups=["near_poor"], head="박중년")
    near_poor.members.update(birth_date=dt.date(1986, 5, 5))
    other = HouseholdFactory(dong=dong_a, head="최기타")
    return {
        "alone": alone,
        "family": family,
        "near_poor": near_poor,
        "other": other,
        "tong1": tong1,
        "tong2": tong2,
    }


def build(official, campaign, **filters) -> set[int]:
    targets_build(actor=official, campaign=campaign, filters=TargetFilters(**filters), today=TODAY)
    return set(Target.objects.filter(campaign=campaign).values_list("household_id", flat=True))


@pytest.mark.parametrize(
    "filters,expected",
    [
        ({"groups": ("senior_alone",)}, {"alone"}),
        ({"groups": ("near_poor", "disabled")}, {"family", "near_poor"}),
        ({"age_min": 65}, {"alone", "family", "other"}),  # heads born 1950
        ({"age_min": 30, "age_max": 45}, {"family", "near_poor"}),
        ({"living_alone": True}, {"alone", "near_poor", "other"}),
        ({"programmes": ("basic_pension",)}, {"family"}),
        ({"tong_ids": "tong2"}, {"family", "near_poor"}),
        ({"living_alone": True, "age_min": 65}, {"alone", "other"}),
    ],
)
def test_target_list_from_registry_filters(official, dong_a, registry, filters, expected):
    if filters.get("tong_ids") == "tong2":
        filters = {"tong_ids": (registry["tong2"].pk,)}
    campaign = make_campaign(official, dong_a)
    got = build(official, campaign, **filters)
    assert got == {registry[k].pk for k in expected}


def test_building_twice_adds_each_household_once(official, dong_a, registry):
    campaign = make_campaign(official, dong_a)
    assert targets_build(actor=official, campaign=campaign, filters=TargetFilters()) == 4
    assert targets_build(actor=official, campaign=campaign, filters=TargetFilters()) == 0
    assert campaign.targets.count() == 4
    campaign.refresh_from_db()
    assert [b["added"] for b in campaign.filters["built"]] == [4, 0]


def test_ended_benefit_does_not_count_as_received(official, dong_a, registry):
    BenefitReceipt.objects.update(ended_on=dt.date(2025, 1, 1))
    campaign = make_campaign(official, dong_a)
    assert build(official, campaign, programmes=("basic_pension",)) == set()


def test_campaign_needs_a_period_and_own_area(official, dong_a, dong_b):
    with pytest.raises(DomainError) as err:
        campaign_create(
            actor=official,
            name="x",
            purpose="y",
            area=dong_a,
            starts_on=dt.date(2026, 12, 1),
            ends_on=dt.date(2026, 11, 1),
        )
    assert err.value.code == "invalid_period"
    with pytest.raises(DomainError) as err:
        make_campaign(official, dong_b)
    assert err.value.code == "area_out_of_scope"
    with pytest.raises(DomainError) as err:
        make_campaign(official, dong_a.parent)  # a dong official cannot run a gu campaign
    assert err.value.code == "area_out_of_scope"
    assert not Campaign.objects.exists()


def test_volunteer_cannot_create_a_campaign(volunteer, dong_a):
    with pytest.raises(DomainError):
        make_campaign(volunteer, dong_a)


def test_outcome_is_a_visit_with_its_timeline_event(official, dong_a, registry):
    campaign = make_campaign(official, dong_a)
    targets_add(actor=official, campaign=campaign, household_ids=[registry["alone"].pk])
    target = campaign.targets.get()
    target, warnings = target_record(actor=official, target=target, outcome="not_in_need")
    assert warnings == []
    assert target.visit.status == Visit.Status.DONE
    assert target.visit.outcome == Visit.Outcome.MET
    assert target.team == Visit.Team.HUB and target.reached_at is not None
    assert TimelineEvent.objects.filter(
        household=registry["alone"], kind=TimelineEvent.Kind.VISIT_COMPLETED
    ).exists()


def test_overlap_with_another_team_is_reported(official, nurse, dong_a, registry):
    from maeul.visits.services import visit_plan

    household = registry["alone"]
    visit_plan(actor=nurse, household=household, planned_on=dt.date.today())
    campaign = make_campaign(official, dong_a)
    targets_add(actor=official, campaign=campaign, household_ids=[household.pk])
    _target, warnings = target_record(
        actor=official, target=campaign.targets.get(), outcome="unreachable"
    )
    assert len(warnings) == 1 and warnings[0].team == Visit.Team.NURSE


def test_unreachable_household_is_not_reached(official, dong_a, registry):
    campaign = make_campaign(official, dong_a)
    targets_add(actor=official, campaign=campaign, household_ids=[registry["alone"].pk])
    target, _ = target_record(actor=official, target=campaign.targets.get(), outcome="unreachable")
    assert target.visit.outcome == Visit.Outcome.NOT_HOME
    assert funnel_of(campaign.targets.all()).as_dict() == {
        "targets": 1,
        "reached": 0,
        "in_need": 0,
        "linked": 0,
    }


def test_link_and_case_only_for_households_in_need(official, dong_a, registry):
    campaign = make_campaign(official, dong_a)
    targets_build(actor=official, campaign=campaign, filters=TargetFilters())
    first, second, third = list(campaign.targets.order_by("id")[:3])
    with pytest.raises(DomainError) as err:
        target_link(actor=official, target=first, kind="public_benefit", programme="basic_pension")
    assert err.value.code == "not_in_need"
    target_record(actor=official, target=first, outcome="in_need")
    linkage = target_link(
        actor=official, target=first, kind="public_benefit", programme="basic_pension"
    )
    assert linkage.status == Linkage.Status.PROPOSED
    first.refresh_from_db()
    assert first.outcome == "linked" and first.linkage_id == linkage.pk
    with pytest.raises(DomainError) as err:
        target_record(actor=official, target=first, outcome="refused")
    assert err.value.code == "already_linked"
    target_record(actor=official, target=second, outcome="in_need")
    case = target_case_open(actor=official, target=second)
    second.refresh_from_db()
    assert second.outcome == "linked" and second.case_id == case.pk
    # A bad programme is refused by cases' service and nothing changes on the target.
    target_record(actor=official, target=third, outcome="in_need")
    with pytest.raises(DomainError):
        target_link(actor=official, target=third, kind="public_benefit", programme="nope")
    third.refresh_from_db()
    assert third.outcome == "in_need" and third.linkage_id is None


def test_funnel_stages_are_subsets_of_each_other(official, dong_a):
    rng = random.Random(7)
    households = [HouseholdFactory(dong=dong_a) for _ in range(40)]
    campaign = make_campaign(official, dong_a)
    targets_add(actor=official, campaign=campaign, household_ids=[h.pk for h in households])
    for target in campaign.targets.all():
        outcome = rng.choice(["pending", "unreachable", "refused", "not_in_need", "in_need"])
        if outcome != "pending":
            target, _ = target_record(actor=official, target=target, outcome=outcome)
        if outcome == "in_need" and rng.random() < 0.5:
            target_link(actor=official, target=target, kind="emergency_aid", description="긴급")
    targets = campaign.targets.all()
    stage = {
        "reached": set(targets.filter(outcome__in=Target.REACHED).values_list("pk", flat=True)),
        "in_need": set(targets.filter(outcome__in=Target.IN_NEED).values_list("pk", flat=True)),
        "linked": set(targets.filter(outcome__in=Target.LINKED).values_list("pk", flat=True)),
    }
    everyone = set(targets.values_list("pk", flat=True))
    assert stage["linked"] <= stage["in_need"] <= stage["reached"] <= everyone
    funnel = funnel_of(targets)
    assert funnel.targets == 40
    assert (funnel.reached, funnel.in_need, funnel.linked) == tuple(
        len(stage[k]) for k in ("reached", "in_need", "linked")
    )
    assert funnel.targets >= funnel.reached >= funnel.in_need >= funnel.linked > 0
    # Every household counted as linked really has a linkage.
    linked = targets.filter(outcome="linked")
    assert not linked.filter(linkage__isnull=True, case__isnull=True).exists()


def test_dong_official_sees_and_works_only_her_dongs_targets(
    gu_user, official, official_b, dong_a, dong_b, gu
):
    ha = [HouseholdFactory(dong=dong_a) for _ in range(3)]
    hb = [HouseholdFactory(dong=dong_b) for _ in range(2)]
    campaign = make_campaign(gu_user, gu)
    assert targets_build(actor=gu_user, campaign=campaign, filters=TargetFilters()) == 5
    assert funnels_for(user=gu_user, campaign_ids=[campaign.pk])[campaign.pk].targets == 5
    assert funnels_for(user=official, campaign_ids=[campaign.pk])[campaign.pk].targets == 3
    assert funnels_for(user=official_b, campaign_ids=[campaign.pk])[campaign.pk].targets == 2
    mine = set(
        campaign_targets(user=official, campaign=campaign).values_list("household_id", flat=True)
    )
    assert mine == {h.pk for h in ha}
    other = campaign.targets.get(household=hb[0])
    with pytest.raises(NotFound):
        target_get(user=official, target_id=other.pk)
    with pytest.raises(NotFound):
        target_record(actor=official, target=other, outcome="refused")
    other.refresh_from_db()
    assert other.outcome == "pending" and other.visit_id is None
    # Her own build of a gu campaign adds only her dong's households.
    campaign2 = make_campaign(gu_user, gu, name="두 번째")
    assert targets_build(actor=official, campaign=campaign2, filters=TargetFilters()) == 3
    with pytest.raises(NotFound):
        targets_add(actor=official, campaign=campaign2, household_ids=[hb[1].pk])


def test_volunteer_sees_only_her_households(official, volunteer, dong_a):
    care = HouseholdFactory(dong=dong_a)
    care.care_volunteers.add(volunteer)
    stranger = HouseholdFactory(dong=dong_a)
    campaign = make_campaign(official, dong_a)
    targets_add(actor=official, campaign=campaign, household_ids=[care.pk, stranger.pk])
    with pytest.raises(DomainError) as err:
        targets_assign(actor=official, targets=list(campaign.targets.all()), assignee=volunteer)
    assert err.value.code == "invalid_assignee"
    assert targets_assign_pending(actor=official, campaign=campaign, assignee=volunteer) == 1
    assert list(targets_visible_to(volunteer).values_list("household_id", flat=True)) == [care.pk]
    stranger_target = campaign.targets.get(household=stranger)
    with pytest.raises(NotFound):
        target_record(actor=volunteer, target=stranger_target, outcome="refused")
    target, _ = target_record(
        actor=volunteer, target=campaign.targets.get(household=care), outcome="in_need"
    )
    assert target.team == Visit.Team.SAFETY_NET
    assert target.visit.kind == Visit.Kind.CARE
    # A volunteer records what she found; linking is for hub staff.
    with pytest.raises(DomainError):
        target_link(actor=volunteer, target=target, kind="emergency_aid", description="x")


def test_partner_sees_no_campaign(partner_user, official, dong_a):
    campaign = make_campaign(official, dong_a)
    targets_add(actor=official, campaign=campaign, household_ids=[HouseholdFactory(dong=dong_a).pk])
    assert not targets_visible_to(partner_user).exists()


def test_api_lists_campaigns_with_funnel(client, api_token, official, official_b, dong_a, dong_b):
    households = [HouseholdFactory(dong=dong_a) for _ in range(3)]
    campaign = make_campaign(official, dong_a)
    targets_add(actor=official, campaign=campaign, household_ids=[h.pk for h in households])
    t1, t2, _t3 = list(campaign.targets.order_by("id"))
    target_record(actor=official, target=t1, outcome="in_need")
    target_link(actor=official, target=t1, kind="emergency_aid", description="긴급")
    target_record(actor=official, target=t2, outcome="refused")
    response = client.get("/api/campaigns/", **api_token(official))
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": campaign.pk,
            "name": campaign.name,
            "period": {"start": "2026-11-01", "end": "2026-12-31"},
            "funnel": {"targets": 3, "reached": 2, "in_need": 1, "linked": 1},
        }
    ]
    assert client.get("/api/campaigns/", **api_token(official_b)).json() == []
    assert client.get("/api/campaigns/").status_code == 401


def test_campaign_page_shows_funnel_and_coverage(client, official, dong_a, registry):
    campaign = make_campaign(official, dong_a)
    targets_build(actor=official, campaign=campaign, filters=TargetFilters())
    target_record(
        actor=official,
        target=campaign.targets.get(household=registry["alone"]),
        outcome="not_in_need",
    )
    client.force_login(official)
    response = client.get(f"/campaigns/{campaign.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "1통" in body and "Coverage per tong" in body
    assert "김홀로" in body


def test_pages_build_assign_and_record(client, official, volunteer, dong_a, registry):
    registry["alone"].care_volunteers.add(volunteer)
    client.force_login(official)
    response = client.post(
        "/campaigns/new/",
        {
            "name": "안부",
            "purpose": "홀몸 어르신",
            "area": dong_a.pk,
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-31",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    client.post(f"/campaigns/{campaign.pk}/targets/build/", {"groups": ["senior_alone"]})
    assert campaign.targets.count() == 1
    client.post(f"/campaigns/{campaign.pk}/targets/assign/", {"assignee": volunteer.pk})
    target = campaign.targets.get()
    assert target.assignee == volunteer
    client.force_login(volunteer)
    assert "김홀로" in client.get("/campaigns/mine/").content.decode()
    response = client.post(f"/campaigns/targets/{target.pk}/", {"outcome": "bogus"})
    assert response.status_code == 200  # form error, nothing written
    target.refresh_from_db()
    assert target.outcome == "pending"
    client.post(f"/campaigns/targets/{target.pk}/", {"outcome": "not_in_need", "notes": "건강"})
    target.refresh_from_db()
    assert target.outcome == "not_in_need"


def test_gu_team_can_give_a_gu_campaign_to_any_dong_worker(gu_user, dong_a, dong_b, gu):
    worker_b = UserFactory(role=Role.WELFARE_OFFICIAL, home_area=dong_b)
    HouseholdFactory(dong=dong_b)
    HouseholdFactory(dong=dong_a)
    campaign = make_campaign(gu_user, gu, staff=[worker_b])
    targets_build(actor=gu_user, campaign=campaign, filters=TargetFilters())
    assert targets_assign_pending(actor=gu_user, campaign=campaign, assignee=worker_b) == 1


def test_instrument_loaded_from_data():
    gds = Instrument.objects.get(code="gds15")
    assert len(gds.items) == 15 and gds.cutoff == 5 and "Sheikh" in gds.source
    assert sum(1 for i in gds.items if i["point_if"] == "no") == 5


def test_household_model_unchanged_by_campaign_delete(official, dong_a, registry):
    campaign = make_campaign(official, dong_a)
    targets_build(actor=official, campaign=campaign, filters=TargetFilters())
    campaign.delete()
    assert Household.objects.count() == 4
