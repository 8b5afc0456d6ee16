"""The safety-net roster: hand-over with consent, activity."""

from __future__ import annotations

import datetime as dt

import pytest

from maeul.accounts.models import Role, SafetyNetMember
from maeul.campaigns.roster import care_hand_over, care_households_of, roster
from maeul.errors import DomainError
from maeul.people.models import Consent
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_hand_over_moves_households_with_consent(official, volunteer, dong_a, dong_b):
    newcomer = UserFactory(role=Role.VOLUNTEER, home_area=dong_a)
    mine = [HouseholdFactory(dong=dong_a) for _ in range(2)]
    elsewhere = HouseholdFactory(dong=dong_b)
    for h in (*mine, elsewhere):
        h.care_volunteers.add(volunteer)
    moved = care_hand_over(
        actor=official,
        leaving=volunteer,
        taking_over=newcomer,
        consent_given_on=dt.date(2026, 11, 1),
    )
    assert moved == 2
    assert set(care_households_of(user=newcomer)) == set(mine)
    assert set(care_households_of(user=volunteer)) == {elsewhere}  # not hers to hand over
    consents = Consent.objects.filter(household__in=mine)
    assert consents.count() == 2 and all(c.scopes == ["hub"] for c in consents)
    assert newcomer.label in consents.first().purpose


def test_hand_over_refuses_a_non_volunteer_and_writes_nothing(official, volunteer, dong_a):
    HouseholdFactory(dong=dong_a).care_volunteers.add(volunteer)
    with pytest.raises(DomainError):
        care_hand_over(
            actor=official,
            leaving=volunteer,
            taking_over=official,
            consent_given_on=dt.date(2026, 11, 1),
        )
    assert not Consent.objects.exists()
    assert care_households_of(user=volunteer).count() == 1


def test_roster_is_scoped_and_counts_activity(official, volunteer, dong_a, dong_b):
    SafetyNetMember.objects.create(
        user=volunteer, name="최순자", dong=dong_a, team="care", joined_on=dt.date(2025, 1, 1)
    )
    SafetyNetMember.objects.create(
        name="다른동", dong=dong_b, team="care", joined_on=dt.date(2025, 1, 1)
    )
    HouseholdFactory(dong=dong_a).care_volunteers.add(volunteer)
    rows = list(roster(user=official))
    assert [r.name for r in rows] == ["최순자"] and rows[0].households == 1
    assert list(roster(user=official, team="discovery")) == []
    assert list(roster(user=volunteer)) == []
