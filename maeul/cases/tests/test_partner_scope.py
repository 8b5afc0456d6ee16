"""A partner contact's referrals (`linkages_for_partner`) test only the household's consent
(`people.selectors.referral_consented_q`): the rows are referrals to the contact's own
institution, so "referred here" holds by the row itself. They must be exactly the linkages
whose household `households_visible_to` gives the contact, referrals to them only."""

from __future__ import annotations

import pytest

from maeul.cases.models import Linkage
from maeul.cases.selectors import linkages_for_partner, linkages_visible_to
from maeul.people.models import Consent
from maeul.people.selectors import households_visible_to
from tests.factories import HouseholdFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def link(household, official, *, kind=Linkage.Kind.PARTNER_REFERRAL, partner=None):
    return Linkage.objects.create(
        household=household,
        dong=household.dong,
        kind=kind,
        partner=partner,
        proposed_by=official,
        proposed_at="2026-01-01T00:00Z",
    )


def consent(household, scopes, withdrawn_on=None):
    Consent.objects.create(
        household=household,
        purpose="x",
        scopes=scopes,
        given_on="2026-01-01",
        withdrawn_on=withdrawn_on,
    )


@pytest.fixture
def world(official, dong_a, dong_b, partner_user):
    other = PartnerFactory(area=dong_a)
    mine = partner_user.partner
    consented, withdrawn, hub_only, two_consents, elsewhere, unconsented = (
        HouseholdFactory(dong=dong) for dong in (dong_a, dong_a, dong_a, dong_b, dong_b, dong_a)
    )
    consent(consented, ["hub", "referral"])
    consent(withdrawn, ["referral"], withdrawn_on="2026-02-01")
    consent(hub_only, ["hub"])
    consent(two_consents, ["referral"], withdrawn_on="2026-02-01")
    consent(two_consents, ["council", "referral"])
    consent(elsewhere, ["referral"])
    for household in (consented, withdrawn, hub_only, two_consents, unconsented):
        link(household, official, partner=mine)
    link(consented, official, partner=mine)  # a second referral of one household
    link(elsewhere, official, partner=other)  # referred to another institution only
    link(consented, official, kind=Linkage.Kind.PRIVATE_RESOURCE)  # not a referral
    link(elsewhere, official, kind=Linkage.Kind.PARTNER_REFERRAL, partner=other)
    return {"mine": mine, "other": other, "consented": consented, "two": two_consents}


def by_the_scope(user):
    return set(
        Linkage.objects.filter(
            partner_id=user.partner_id,
            kind=Linkage.Kind.PARTNER_REFERRAL,
            household__in=households_visible_to(user),
        ).values_list("pk", flat=True)
    )


def test_the_referrals_are_those_of_the_partners_scope(partner_user, world):
    found = set(linkages_for_partner(user=partner_user).values_list("pk", flat=True))
    assert found == by_the_scope(partner_user)
    assert {ln.household_id for ln in Linkage.objects.filter(pk__in=found)} == {
        world["consented"].pk,
        world["two"].pk,
    }
    assert len(found) == 3  # both referrals of the consenting household
    assert set(linkages_visible_to(partner_user).values_list("pk", flat=True)) == found


def test_another_institutions_contact_sees_its_own_referrals_only(world, partner_user):
    contact = UserFactory(role=partner_user.role, partner=world["other"])
    found = set(linkages_for_partner(user=contact).values_list("pk", flat=True))
    assert found == by_the_scope(contact) and len(found) == 2
    assert not found & set(linkages_for_partner(user=partner_user).values_list("pk", flat=True))


def test_a_withdrawal_takes_the_referrals_off_the_list_at_once(partner_user, world):
    Consent.objects.filter(household=world["consented"]).update(withdrawn_on="2026-03-01")
    found = set(linkages_for_partner(user=partner_user).values_list("pk", flat=True))
    assert found == by_the_scope(partner_user)
    assert {ln.household_id for ln in Linkage.objects.filter(pk__in=found)} == {world["two"].pk}
