"""Assessment (consent, blind spots), case management and linkages: the rules and the
events the indicators count."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from maeul.accounts.models import Role
from maeul.cases.models import Assessment, Case, Conference, FollowUp, Goal, Linkage
from maeul.cases.services import (
    assessment_record,
    case_open,
    case_reopen,
    conference_record,
    follow_up_complete,
    goal_add,
    goal_update_status,
    linkage_propose,
    linkage_update,
    signoff_decide,
    signoff_request,
)
from maeul.discovery.models import Lead
from maeul.errors import DomainError, NotFound, PermissionDenied
from maeul.people.models import BenefitReceipt, Consent, TimelineEvent
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

K = TimelineEvent.Kind


def count(household, kind):
    return TimelineEvent.objects.filter(household=household, kind=kind).count()


def assess(actor, household, decision="linkage_only", consent=True, **kw):
    return assessment_record(
        actor=actor,
        household=household,
        needs=kw.pop("needs", {"income": 3, "health": 2}),
        overall_risk=kw.pop("overall_risk", "high"),
        decision=decision,
        consent_given=consent,
        **kw,
    )


# --- assessment ----------------------------------------------------------------------------


def test_assessment_fills_all_domains_and_writes_events(official, household_a):
    assessment = assess(official, household_a, consent_scopes=["hub", "referral"])
    assert assessment.needs["income"] == 3 and assessment.needs["social"] == 0
    assert len(assessment.needs) == 11
    consent = assessment.consent
    assert consent.scopes == ["hub", "referral"] and consent.given_on == timezone.localdate()
    assert count(household_a, K.ASSESSMENT_RECORDED) == 1
    assert count(household_a, K.CONSENT_GIVEN) == 1


@pytest.mark.parametrize(
    "needs", [{"luck": 1}, {"income": 4}, {"income": -1}, {"income": "x"}, {"income": True}]
)
def test_assessment_rejects_bad_domains_and_levels(official, household_a, needs):
    with pytest.raises(DomainError):
        assess(official, household_a, needs=needs)
    assert not Assessment.objects.exists() and not Consent.objects.exists()
    assert not TimelineEvent.objects.exists()


@pytest.mark.parametrize("decision", ["case_general", "case_intensive"])
def test_case_decision_requires_consent(official, household_a, decision):
    with pytest.raises(DomainError) as exc:
        assess(official, household_a, decision=decision, consent=False)
    assert exc.value.code == "consent_required" and exc.value.field == "consent_given"
    assert not Assessment.objects.exists()


def test_no_consent_is_fine_without_case(official, household_a):
    assessment = assess(official, household_a, decision="no_need", consent=False)
    assert assessment.consent is None
    assert count(household_a, K.CONSENT_GIVEN) == 0


def test_future_consent_date_refused(official, household_a):
    with pytest.raises(DomainError):
        assess(official, household_a, consent_date=timezone.localdate() + dt.timedelta(days=1))


def test_blind_spot_written_once(official, household_a):
    assess(official, household_a)
    assess(official, household_a, decision="case_general")
    assert count(household_a, K.BLIND_SPOT_DISCOVERED) == 1


def test_no_blind_spot_when_no_need(official, household_a):
    assess(official, household_a, decision="no_need", consent=False)
    assert count(household_a, K.BLIND_SPOT_DISCOVERED) == 0


def test_no_blind_spot_when_receiving_benefit(official, household_a):
    BenefitReceipt.objects.create(
        household=household_a, programme="basic_pension", started_on=dt.date(2020, 1, 1)
    )
    assess(official, household_a)
    assert count(household_a, K.BLIND_SPOT_DISCOVERED) == 0


def test_ended_benefit_still_a_blind_spot(official, household_a):
    BenefitReceipt.objects.create(
        household=household_a,
        programme="basic_pension",
        started_on=dt.date(2020, 1, 1),
        ended_on=dt.date(2021, 1, 1),
    )
    assess(official, household_a)
    assert count(household_a, K.BLIND_SPOT_DISCOVERED) == 1


def test_no_blind_spot_when_service_provided_before(official, household_a):
    linkage = linkage_propose(
        actor=official, household=household_a, kind="emergency_aid", description="쌀"
    )
    linkage_update(actor=official, linkage=linkage, status="requested")
    linkage_update(actor=official, linkage=linkage, status="provided")
    assess(official, household_a)
    assert count(household_a, K.BLIND_SPOT_DISCOVERED) == 0


def test_assessment_moves_open_leads_to_assessed(official, household_a, dong_a):
    lead = Lead.objects.create(
        dong=dong_a,
        household=household_a,
        source=Lead.Source.STAFF,
        match=Lead.Match.NEW,
        status=Lead.Status.VISIT_PLANNED,
        address="x",
        due_at=timezone.now(),
        created_at=timezone.now(),
    )
    assess(official, household_a)
    lead.refresh_from_db()
    assert lead.status == Lead.Status.ASSESSED


def test_assessment_scope(official_b, volunteer, household_a):
    with pytest.raises(NotFound):
        assess(official_b, household_a)
    household_a.care_volunteers.add(volunteer)
    with pytest.raises(PermissionDenied):
        assess(volunteer, household_a)


# --- case ----------------------------------------------------------------------------------


def test_case_open_schedules_first_follow_up(official, household_a):
    case = case_open(
        actor=official,
        household=household_a,
        kind="general",
        manager=official,
        follow_up_every_days=14,
    )
    assert case.status == Case.Status.OPEN
    assert case.follow_ups.get().due_on == timezone.localdate() + dt.timedelta(days=14)
    assert count(household_a, K.CASE_OPENED) == 1


def test_one_open_case_per_household(official, household_a):
    case_open(actor=official, household=household_a, kind="general", manager=official)
    with pytest.raises(DomainError) as exc:
        case_open(actor=official, household=household_a, kind="intensive", manager=official)
    assert exc.value.code == "case_already_open"
    assert Case.objects.count() == 1 and count(household_a, K.CASE_OPENED) == 1


def test_database_refuses_second_open_case(official, household_a):
    case_open(actor=official, household=household_a, kind="general", manager=official)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            household=household_a,
            dong=household_a.dong,
            kind="general",
            manager=official,
            opened_at=timezone.now(),
        )


def test_case_manager_must_work_the_dong(official, official_b, volunteer, household_a):
    for manager in (official_b, volunteer):
        with pytest.raises(DomainError):
            case_open(actor=official, household=household_a, kind="general", manager=manager)
    assert not Case.objects.exists()


def test_case_from_assessment_without_consent_refused(official, household_a):
    assessment = assess(official, household_a, consent=False)
    with pytest.raises(DomainError) as exc:
        case_open(
            actor=official,
            household=household_a,
            kind="general",
            manager=official,
            assessment=assessment,
        )
    assert exc.value.code == "consent_required"


def close_signed_off(official, case, reason):
    """A case closes through the team lead's sign-off, the only way."""
    lead = UserFactory(role=Role.WELFARE_MANAGER, home_area=case.household.dong)
    request = signoff_request(actor=official, case=case, subject="closure", close_reason=reason)
    signoff_decide(actor=lead, signoff=request, approve=True)
    return Case.objects.get(pk=case.pk)


def test_close_and_reopen(official, household_a):
    case = case_open(actor=official, household=household_a, kind="general", manager=official)
    with pytest.raises(DomainError):
        signoff_request(actor=official, case=case, subject="closure", close_reason="bored")
    case = close_signed_off(official, case, "goals_met")
    assert case.status == Case.Status.CLOSED and case.close_reason == "goals_met"
    assert not case.follow_ups.filter(done_at__isnull=True).exists()
    with pytest.raises(DomainError):
        signoff_request(actor=official, case=case, subject="closure", close_reason="goals_met")
    case = case_reopen(actor=official, case=case)
    assert case.status == Case.Status.OPEN and case.close_reason == ""
    assert case.follow_ups.filter(done_at__isnull=True).count() == 1
    assert count(household_a, K.CASE_CLOSED) == 1
    assert count(household_a, K.CASE_REOPENED) == 1


def test_reopen_refused_when_another_case_is_open(official, household_a):
    old = case_open(actor=official, household=household_a, kind="general", manager=official)
    close_signed_off(official, old, "moved")
    case_open(actor=official, household=household_a, kind="intensive", manager=official)
    with pytest.raises(DomainError):
        case_reopen(actor=official, case=old)


def test_goals_and_plan_events(official, household_a):
    case = case_open(actor=official, household=household_a, kind="general", manager=official)
    goal = goal_add(actor=official, case=case, domain="housing", description="주거급여 신청")
    goal_update_status(actor=official, goal=goal, status="achieved")
    assert Goal.objects.get().status == Goal.Status.ACHIEVED
    assert count(household_a, K.PLAN_UPDATED) == 2
    with pytest.raises(DomainError):
        goal_add(actor=official, case=case, domain="luck", description="x")
    with pytest.raises(DomainError):
        goal_add(actor=official, case=case, domain="housing", description="  ")


def test_conference_recorded(official, household_a):
    case = case_open(actor=official, household=household_a, kind="intensive", manager=official)
    conference_record(
        actor=official,
        case=case,
        held_on=timezone.localdate(),
        participants="팀장, 간호사",
        notes="n",
        decisions="d",
        level="gu",
    )
    assert Conference.objects.get().level == "gu"
    assert count(household_a, K.CONFERENCE_HELD) == 1
    with pytest.raises(DomainError):
        conference_record(
            actor=official,
            case=case,
            held_on=timezone.localdate(),
            participants="",
            notes="",
            decisions="",
        )


def test_follow_up_next_due_is_last_done_plus_interval(official, household_a):
    case = case_open(
        actor=official,
        household=household_a,
        kind="general",
        manager=official,
        follow_up_every_days=7,
    )
    first = case.follow_ups.get()
    nxt = follow_up_complete(actor=official, follow_up=first)
    assert nxt.due_on == timezone.localdate() + dt.timedelta(days=7)
    assert FollowUp.objects.filter(case=case).count() == 2
    with pytest.raises(DomainError):
        follow_up_complete(actor=official, follow_up=first)


# --- linkage -------------------------------------------------------------------------------


def test_referral_needs_partner_and_benefit_needs_programme(official, household_a):
    with pytest.raises(DomainError) as exc:
        linkage_propose(actor=official, household=household_a, kind="partner_referral")
    assert exc.value.field == "partner"
    with pytest.raises(DomainError) as exc:
        linkage_propose(actor=official, household=household_a, kind="public_benefit")
    assert exc.value.field == "programme"
    with pytest.raises(DomainError):
        linkage_propose(
            actor=official, household=household_a, kind="public_benefit", programme="lottery"
        )
    assert not Linkage.objects.exists() and not TimelineEvent.objects.exists()


def test_linkage_transitions_and_events(official, household_a):
    linkage = linkage_propose(
        actor=official,
        household=household_a,
        kind="public_benefit",
        programme="nbls_livelihood",
        amount=500000,
    )
    assert count(household_a, K.LINKAGE_PROPOSED) == 1
    with pytest.raises(DomainError):
        linkage_update(actor=official, linkage=linkage, status="provided")
    linkage = linkage_update(actor=official, linkage=linkage, status="requested")
    linkage = linkage_update(actor=official, linkage=linkage, status="provided")
    event = TimelineEvent.objects.get(household=household_a, kind=K.LINKAGE_PROVIDED)
    assert event.amount == 500000
    for status in ("declined", "requested", "proposed"):
        with pytest.raises(DomainError):
            linkage_update(actor=official, linkage=linkage, status=status)


@pytest.mark.parametrize("via", [[], ["requested"]])
def test_linkage_declined_from_proposed_or_requested(official, household_a, via):
    linkage = linkage_propose(
        actor=official,
        household=household_a,
        kind="emergency_aid",
        description="긴급",
        amount=300000,
    )
    for status in via:
        linkage = linkage_update(actor=official, linkage=linkage, status=status)
    linkage_update(actor=official, linkage=linkage, status="declined")
    assert TimelineEvent.objects.get(kind=K.LINKAGE_DECLINED).amount == 300000


def test_partner_updates_own_referrals_only(
    official, partner_user, partner_org, household_a, dong_a, referral_consent
):
    referral_consent(household_a)
    mine = linkage_propose(
        actor=official, household=household_a, kind="partner_referral", partner=partner_org
    )
    other = linkage_propose(
        actor=official,
        household=household_a,
        kind="partner_referral",
        partner=PartnerFactory(area=dong_a),
    )
    with pytest.raises(DomainError):
        linkage_update(actor=partner_user, linkage=mine, status="requested")
    with pytest.raises(DomainError):  # served only once accepted
        linkage_update(actor=partner_user, linkage=mine, status="provided", note="상담")
    linkage_update(actor=partner_user, linkage=mine, status="accepted")
    linkage_update(actor=partner_user, linkage=mine, status="provided", note="상담 3회")
    with pytest.raises(NotFound):
        linkage_update(actor=partner_user, linkage=other, status="accepted")
    assert Linkage.objects.get(pk=other.pk).status == Linkage.Status.PROPOSED


def test_linkage_out_of_scope(official_b, household_a):
    with pytest.raises(NotFound):
        linkage_propose(
            actor=official_b, household=household_a, kind="emergency_aid", description="x"
        )
