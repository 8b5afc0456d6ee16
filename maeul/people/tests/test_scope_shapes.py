"""The scope written as a condition on a related household (`households_visible_q`, issue 14's
query shape for lists of cases, assessments and linkages) selects exactly the rows that
`households_visible_to` does, for every kind of user; the consent-scope test means the same
on every database (JSON containment on PostgreSQL, the JSON text elsewhere)."""

from __future__ import annotations

import datetime as dt

import pytest

from maeul.cases.models import Linkage
from maeul.discovery.models import Lead
from maeul.people.models import Consent, Resident
from maeul.people.selectors import consents_active, households_visible_q, households_visible_to
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(official, household_a, household_b, dong_a, volunteer, partner_user):
    cared = HouseholdFactory(dong=dong_a)  # every household comes with its head
    cared.care_volunteers.add(volunteer)
    Lead.objects.create(
        dong=dong_a,
        household=household_b,
        source=Lead.Source.VOLUNTEER,
        match=Lead.Match.NEW,
        reported_by=volunteer,
        address=household_b.address,
        due_at="2026-01-01T00:00Z",
        created_at="2025-12-30T00:00Z",
    )
    for household in (household_a, household_b):
        Linkage.objects.create(
            household=household,
            dong=household.dong,
            kind=Linkage.Kind.PARTNER_REFERRAL,
            partner=partner_user.partner,
            proposed_by=official,
            proposed_at="2026-01-01T00:00Z",
        )
    Consent.objects.create(
        household=household_a, purpose="x", scopes=["hub", "referral"], given_on="2026-01-01"
    )
    Consent.objects.create(  # withdrawn: household_b is not the partner's to see
        household=household_b,
        purpose="x",
        scopes=["referral"],
        given_on="2026-01-01",
        withdrawn_on="2026-02-01",
    )


@pytest.mark.parametrize(
    "who", ["official", "official_b", "gu_user", "nurse", "volunteer", "partner_user", "anon"]
)
def test_the_condition_selects_what_the_scope_does(request, who, world):
    if who == "anon":
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    else:
        user = request.getfixturevalue(who)
    expected = set(
        Resident.objects.filter(household__in=households_visible_to(user)).values_list(
            "pk", flat=True
        )
    )
    got = set(Resident.objects.filter(households_visible_q(user)).values_list("pk", flat=True))
    assert got == expected


def test_the_condition_is_the_scope_for_staff_and_others(official, gu_user, partner_user, world):
    assert Resident.objects.filter(households_visible_q(official)).exists()
    assert (
        Resident.objects.filter(households_visible_q(partner_user)).count() == 1
    )  # household_a's head
    inactive = UserFactory(role=official.role, home_area=official.home_area, is_active=False)
    assert not Resident.objects.filter(households_visible_q(inactive)).exists()


def test_consent_scope_is_a_whole_scope_name(household_a, household_b):
    def give(household, scopes, **kw):
        return Consent.objects.create(
            household=household, purpose="x", scopes=scopes, given_on=dt.date(2026, 1, 1), **kw
        )

    hub_only = give(household_a, ["hub"])
    both = give(household_a, ["hub", "referral"])
    withdrawn = give(household_b, ["referral"], withdrawn_on=dt.date(2026, 2, 1))
    assert set(consents_active(scope="referral")) == {both}
    assert set(consents_active(scope="hub")) == {hub_only, both}
    assert set(consents_active()) == {hub_only, both}
    assert withdrawn not in set(consents_active(scope="referral"))
    with pytest.raises(ValueError):
        consents_active(scope="refer")
