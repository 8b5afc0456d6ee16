"""Consent with purpose and scope; withdrawal takes effect at once (PIPA art. 15, 17, 37)."""

import datetime as dt

import pytest
from django.utils import timezone

from maeul.cases.models import Linkage
from maeul.cases.services import assessment_record
from maeul.errors import DomainError, NotFound
from maeul.people.models import Consent, TimelineEvent
from maeul.people.selectors import (
    consents_active,
    household_consents_to,
    households_consenting_to,
    households_visible_to,
)
from maeul.people.services import consent_record, consent_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(official, partner_org, household_a):
    """household_a referred to the partner institution — a referral on record without a
    standing consent (the service refuses to make one; records from before the rule, or a
    consent since withdrawn, still leave such rows)."""
    return Linkage.objects.create(
        household=household_a,
        dong=household_a.dong,
        kind=Linkage.Kind.PARTNER_REFERRAL,
        partner=partner_org,
        description="home meals",
        proposed_by=official,
        proposed_at="2026-01-05T10:00+09:00",
    )


def give(official, household, scopes=("hub", "referral")) -> Consent:
    return consent_record(
        actor=official,
        household=household,
        purpose="welfare services and referral",
        scopes=scopes,
        given_on=timezone.localdate(),
    )


def test_consent_is_recorded_with_purpose_scopes_and_event(official, household_a):
    consent = give(official, household_a)
    assert consent.scopes == ["hub", "referral"] and consent.recorded_by == official
    event = TimelineEvent.objects.get(kind=TimelineEvent.Kind.CONSENT_GIVEN)
    assert event.household == household_a and event.subject_id == consent.pk
    assert household_consents_to(household_a, "referral")
    assert not household_consents_to(household_a, "council")


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"purpose": "  "}, "purpose_required"),
        ({"scopes": []}, "scope_required"),
        ({"scopes": ["hub", "marketing"]}, "invalid_scope"),
        ({"given_on": timezone.localdate() + dt.timedelta(days=1)}, "invalid_consent_date"),
    ],
)
def test_bad_consent_is_refused_and_nothing_saved(official, household_a, kwargs, code):
    args = {
        "actor": official,
        "household": household_a,
        "purpose": "welfare services",
        "scopes": ["hub"],
        "given_on": timezone.localdate(),
        **kwargs,
    }
    with pytest.raises(DomainError) as error:
        consent_record(**args)
    assert error.value.code == code
    assert not Consent.objects.exists() and not TimelineEvent.objects.exists()


def test_consent_of_a_member_of_another_household_is_refused(official, household_a, dong_a):
    from tests.factories import HouseholdFactory

    stranger = HouseholdFactory(dong=dong_a).members.get()
    with pytest.raises(DomainError) as error:
        consent_record(
            actor=official,
            household=household_a,
            purpose="x",
            scopes=["hub"],
            given_on=timezone.localdate(),
            resident=stranger,
        )
    assert error.value.code == "invalid_resident"


@pytest.mark.parametrize("who", ["official_b", "volunteer", "partner_user"])
def test_consent_out_of_scope_is_not_found(request, who, household_a, official):
    actor = request.getfixturevalue(who)
    with pytest.raises(NotFound):
        give(actor, household_a)
    consent = give(official, household_a)
    with pytest.raises(NotFound):
        consent_withdraw(actor=actor, consent=consent)
    assert Consent.objects.get().withdrawn_on is None


def test_partner_sees_referral_only_with_referral_consent(
    official, partner_user, household_a, referred
):
    give(official, household_a, scopes=["hub"])
    assert not households_visible_to(partner_user).exists()
    give(official, household_a, scopes=["hub", "referral"])
    assert list(households_visible_to(partner_user)) == [household_a]


def test_partner_loses_household_right_after_withdrawal_in_page_and_api(
    client, api_token, official, partner_user, household_a, referred
):
    consent = give(official, household_a)
    headers = api_token(partner_user)
    client.force_login(partner_user)
    assert client.get(f"/api/households/{household_a.pk}", **headers).status_code == 200
    assert client.get(f"/households/{household_a.pk}/").status_code == 200

    consent_withdraw(actor=official, consent=consent)

    assert client.get(f"/api/households/{household_a.pk}", **headers).status_code == 404
    assert client.get(f"/households/{household_a.pk}/").status_code == 404
    assert client.get("/api/households/", **headers).json()["count"] == 0
    event = TimelineEvent.objects.get(kind=TimelineEvent.Kind.CONSENT_WITHDRAWN)
    assert event.subject_id == consent.pk and event.actor == official


def test_another_active_referral_consent_keeps_the_referral_visible(
    official, partner_user, household_a, referred
):
    first = give(official, household_a)
    give(official, household_a, scopes=["referral"])
    consent_withdraw(actor=official, consent=first)
    assert list(households_visible_to(partner_user)) == [household_a]


def test_partner_scope_is_one_query(
    official, partner_user, household_a, referred, django_assert_num_queries
):
    give(official, household_a)
    with django_assert_num_queries(1):
        assert list(households_visible_to(partner_user)) == [household_a]


def test_withdrawal_twice_in_the_future_or_before_given_is_refused(official, household_a):
    consent = give(official, household_a)
    with pytest.raises(DomainError) as error:
        consent_withdraw(
            actor=official, consent=consent, on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert error.value.code == "invalid_withdrawal_date"
    with pytest.raises(DomainError) as error:
        consent_withdraw(
            actor=official, consent=consent, on=consent.given_on - dt.timedelta(days=1)
        )
    assert error.value.code == "invalid_withdrawal_date"
    consent_withdraw(actor=official, consent=consent)
    with pytest.raises(DomainError) as error:
        consent_withdraw(actor=official, consent=consent)
    assert error.value.code == "consent_already_withdrawn"
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.CONSENT_WITHDRAWN).count() == 1


def test_council_scope_helpers(official, household_a, household_b, official_b):
    consent = give(official, household_a, scopes=["hub", "council"])
    give(official_b, household_b, scopes=["hub"])
    assert list(households_consenting_to("council")) == [household_a]
    assert household_consents_to(household_a, "council")
    consent_withdraw(actor=official, consent=consent)
    assert not households_consenting_to("council").exists()
    assert not household_consents_to(household_a, "council")
    with pytest.raises(ValueError):
        consents_active(scope="everything")


def test_scope_match_is_exact_not_a_substring(official, household_a):
    give(official, household_a, scopes=["hub"])
    Consent.objects.update(scopes=["referral_later"])  # not a real scope: never matches
    assert not household_consents_to(household_a, "referral")


def test_assessment_consent_scopes_are_consent_scopes(
    official, partner_user, household_a, referred
):
    """maeul.cases records a Consent with the assessment; its scopes are Consent.Scope values,
    so a referral consent given there opens the referral to the partner."""
    assessment_record(
        actor=official,
        household=household_a,
        needs={"income": 2},
        overall_risk="moderate",
        decision="linkage_only",
        consent_given=True,
        consent_scopes=["hub", "referral"],
    )
    assert set(Consent.objects.get().scopes) <= set(Consent.Scope.values)
    assert list(households_visible_to(partner_user)) == [household_a]
