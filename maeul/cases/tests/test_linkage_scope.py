"""A linkage reaches only partners and resources within the proposing user's reach (the
dongs they work in and the gu above them): the service refuses any other as if it did not
exist, so the page and the API, which both go through it, answer alike."""

from __future__ import annotations

import datetime as dt

import pytest

from maeul.areas.models import Area
from maeul.cases.models import Linkage
from maeul.cases.services import linkage_propose
from maeul.errors import NotFound
from maeul.people.models import TimelineEvent
from maeul.resources.models import Resource
from tests.factories import AreaFactory, HubFactory, PartnerFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def other_gu(db) -> dict:
    sido = AreaFactory(code="2600000001", name="다른시", level=Area.Level.SIDO)
    gu = AreaFactory(code="2635000000", name="해운대구", level=Area.Level.SIGUNGU, parent=sido)
    dong = AreaFactory(code="2635051000", name="우동", parent=gu)
    HubFactory(dong=dong)
    return {
        "gu": gu,
        "dong": dong,
        "partner": PartnerFactory(area=dong, name="해운대 복지관"),
        "gu_partner": PartnerFactory(area=gu, name="해운대구 정신건강복지센터"),
        "resource": resource(dong, "해운대 푸드뱅크 기부"),
    }


def resource(dong: Area, name: str) -> Resource:
    return Resource.objects.create(
        dong=dong, name=name, kind=Resource.Kind.GOODS, discovered_on=dt.date(2026, 1, 5)
    )


@pytest.fixture
def consented(household_a, referral_consent):
    referral_consent(household_a)
    return household_a


def nothing_proposed() -> bool:
    return (
        not Linkage.objects.exists()
        and not TimelineEvent.objects.filter(kind=TimelineEvent.Kind.LINKAGE_PROPOSED).exists()
    )


# --- the selector ----------------------------------------------------------------------------


def test_partners_in_reach_are_those_of_the_users_dongs_and_gu(
    official, gu_user, volunteer, gu, dong_a, dong_b, partner_org, other_gu
):
    from maeul.resources.selectors import partners_in_reach

    gu_partner = PartnerFactory(area=gu, name="수영구 정신건강복지센터")
    dong_b_partner = PartnerFactory(area=dong_b, name="수영동 복지관")
    assert set(partners_in_reach(official)) == {partner_org, gu_partner}
    assert set(partners_in_reach(gu_user)) == {partner_org, gu_partner, dong_b_partner}
    assert not partners_in_reach(volunteer).exists()


def test_resources_in_reach_are_those_of_the_users_dongs(
    official, gu_user, volunteer, dong_a, dong_b, other_gu
):
    from maeul.resources.selectors import resources_in_reach

    mine = resource(dong_a, "망미 쌀 기부")
    next_door = resource(dong_b, "수영 반찬 나눔")
    assert set(resources_in_reach(official)) == {mine}
    assert set(resources_in_reach(gu_user)) == {mine, next_door}
    assert not resources_in_reach(volunteer).exists()


# --- the service -----------------------------------------------------------------------------


def test_a_partner_of_another_gu_does_not_exist_for_the_service(official, consented, other_gu):
    for partner in (other_gu["partner"], other_gu["gu_partner"]):
        with pytest.raises(NotFound):
            linkage_propose(
                actor=official, household=consented, kind="partner_referral", partner=partner
            )
    assert nothing_proposed()


def test_a_resource_of_another_gu_does_not_exist_for_the_service(official, household_a, other_gu):
    with pytest.raises(NotFound):
        linkage_propose(
            actor=official,
            household=household_a,
            kind="private_resource",
            resource=other_gu["resource"],
        )
    assert nothing_proposed()


def test_partners_and_resources_in_reach_are_linked(
    official, gu_user, consented, gu, dong_a, partner_org
):
    gu_partner = PartnerFactory(area=gu, name="수영구 정신건강복지센터")
    for actor, partner in ((official, partner_org), (official, gu_partner), (gu_user, gu_partner)):
        linkage = linkage_propose(
            actor=actor, household=consented, kind="partner_referral", partner=partner
        )
        assert linkage.partner == partner
    rice = resource(dong_a, "망미 쌀 기부")
    linkage = linkage_propose(
        actor=official, household=consented, kind="private_resource", resource=rice
    )
    assert linkage.resource == rice


# --- the API ---------------------------------------------------------------------------------


def test_api_answers_404_for_a_partner_of_another_gu(
    client, api_token, official, consented, other_gu
):
    response = client.post(
        "/api/linkages/",
        {
            "household_id": consented.pk,
            "kind": "partner_referral",
            "partner_id": other_gu["partner"].pk,
        },
        content_type=JSON,
        **api_token(official),
    )
    assert response.status_code == 404, response.content
    assert nothing_proposed()


def test_api_answers_404_for_a_resource_of_another_gu(
    client, api_token, official, household_a, other_gu
):
    response = client.post(
        "/api/linkages/",
        {
            "household_id": household_a.pk,
            "kind": "private_resource",
            "resource_id": other_gu["resource"].pk,
        },
        content_type=JSON,
        **api_token(official),
    )
    assert response.status_code == 404, response.content
    assert nothing_proposed()


def test_api_answers_alike_for_a_partner_that_does_not_exist(
    client, api_token, official, consented, other_gu
):
    """Another gu's partner cannot be told from a missing one by its answer."""
    headers = api_token(official)

    def propose(partner_id: int):
        return client.post(
            "/api/linkages/",
            {"household_id": consented.pk, "kind": "partner_referral", "partner_id": partner_id},
            content_type=JSON,
            **headers,
        )

    elsewhere, missing = propose(other_gu["partner"].pk), propose(987654)
    assert elsewhere.status_code == missing.status_code == 404
    assert elsewhere.json() == missing.json()


# --- the page --------------------------------------------------------------------------------


def test_page_offers_the_partners_and_resources_in_reach_only(
    client, official, consented, partner_org, dong_a, other_gu
):
    rice = resource(dong_a, "망미 쌀 기부")
    client.force_login(official)
    form = client.get(f"/cases/linkages/new/{consented.pk}/").context["form"]
    assert list(form.fields["partner"].queryset) == [partner_org]
    assert list(form.fields["resource"].queryset) == [rice]


def test_page_refuses_a_partner_of_another_gu(client, official, consented, other_gu):
    client.force_login(official)
    response = client.post(
        f"/cases/linkages/new/{consented.pk}/",
        {"kind": "partner_referral", "partner": other_gu["partner"].pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert nothing_proposed()
