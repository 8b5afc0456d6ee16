"""Retention: households whose case management ended more than five years ago are anonymised;
the indicators are identical before and after; the audit trail is never touched."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from maeul.accounts.models import AuditRecord, Role
from maeul.cases.models import Case, Linkage
from maeul.cases.services import (
    assessment_record,
    case_open,
    conference_record,
    linkage_propose,
    linkage_update,
    signoff_decide,
    signoff_request,
)
from maeul.hub.retention import households_due_for_anonymisation
from maeul.people.identity import blind_index
from maeul.people.models import BenefitReceipt, Household, Resident, TimelineEvent
from maeul.people.services import ANONYMISED_NAME, benefit_start, household_register
from maeul.visits.services import visit_plan, visit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LATER = "2032-01-15"  # more than five years after the demo's today (2026-11-23)


def history(official, dong, *, close: bool = True, rrn: str = "480312-2345678") -> Household:
    """A household through the whole loop: registered, visited, assessed with consent, case
    opened, linked to emergency aid, conference, benefit, case closed."""
    household = household_register(
        actor=official,
        dong=dong,
        address="망미번영로 12",
        address_detail="101호",
        head_name="이순자",
        head_birth_date=dt.date(1948, 3, 12),
        head_rrn=rrn,
        phone="010-1111-2222",
    )
    household.care_notes = "혼자 지내심"
    household.violence_notes = "아들의 폭언 신고"
    household.save()
    head = household.members.get()
    head.health_notes = "당뇨"
    head.disability_detail = "청각장애"
    head.save()
    visit, _warnings = visit_plan(
        actor=official, household=household, planned_on=timezone.localdate()
    )
    visit_record(actor=official, visit=visit, outcome="met", notes="집이 추움, 보일러 고장")
    assessment = assessment_record(
        actor=official,
        household=household,
        needs={"income": 3, "housing": 2},
        overall_risk="high",
        decision="case_general",
        consent_given=True,
        consent_scopes=["hub", "referral"],
        summary="실직 후 소득 없음",
    )
    case = case_open(
        actor=official, household=household, kind="general", manager=official, assessment=assessment
    )
    linkage = linkage_propose(
        actor=official,
        household=household,
        kind="emergency_aid",
        description="긴급 생계비",
        amount=300000,
        case=case,
    )
    for status in ("requested", "provided"):
        linkage = linkage_update(actor=official, linkage=linkage, status=status)
    conference_record(
        actor=official,
        case=case,
        held_on=timezone.localdate(),
        participants="이순자, 복지팀",
        notes="주거 지원 논의",
    )
    receipt = benefit_start(
        actor=official,
        household=household,
        programme="basic_pension",
        started_on=dt.date(2026, 1, 1),
        resident=head,
        monthly_amount=334810,
    )
    BenefitReceipt.objects.filter(pk=receipt.pk).update(ended_on=dt.date(2026, 11, 1))
    if close:
        lead = UserFactory(role=Role.WELFARE_MANAGER, home_area=dong)
        closure = signoff_request(
            actor=official, case=case, subject="closure", close_reason="goals_met"
        )
        signoff_decide(actor=lead, signoff=closure, approve=True)
    return household


def indicator_inputs() -> dict:
    """The raw inputs of every indicator: events by (kind, dong, month) with amounts, benefit
    intervals, cases, visits and linkages with their dates, dongs and amounts, members by dong."""
    events = (
        TimelineEvent.objects.annotate(month=TruncMonth("occurred_at"))
        .values_list("kind", "dong_id", "month")
        .annotate(n=Count("id"), amount=Sum("amount"))
        .order_by("kind", "dong_id", "month")
    )
    return {
        "events": list(events),
        "benefits": list(
            BenefitReceipt.objects.values_list(
                "household_id",
                "resident_id",
                "programme",
                "started_on",
                "ended_on",
                "monthly_amount",
            ).order_by("pk")
        ),
        "cases": list(
            Case.objects.values_list("household_id", "dong_id", "opened_at", "closed_at")
        ),
        "linkages": list(Linkage.objects.values_list("dong_id", "kind", "status", "amount")),
        "members": list(
            Resident.objects.values_list(
                "household__dong_id", "sex", "relation", "disability"
            ).order_by("pk")
        ),
    }


def indicators(gu_user) -> list:
    from maeul.indicators.selectors import indicator_table

    periods = [
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        (dt.date(2029, 1, 1), dt.date(2031, 12, 31)),
    ]
    return [
        [(row.area.pk, row.values) for row in indicator_table(user=gu_user, start=s, end=e)]
        for s, e in periods
    ]


def run(*args) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_indicators_are_identical_before_and_after_retention(
    official, official_b, gu_user, dong_a, dong_b
):
    history(official, dong_a)
    history(official_b, dong_b, rrn="500101-1234567")
    history(official, dong_a, close=False, rrn="520202-2345678")
    before, inputs_before = indicators(gu_user), indicator_inputs()
    assert any(v["case_households"] for _area, v in before[0])  # the table is not all zeros
    assert "anonymised 2 households" in run("--today", LATER)
    assert indicators(gu_user) == before
    assert indicator_inputs() == inputs_before


def test_personal_data_is_removed_and_counted_rows_kept(official, dong_a, volunteer):
    household = history(official, dong_a)
    household.care_volunteers.add(volunteer)
    events = TimelineEvent.objects.filter(household=household).count()
    run("--today", LATER)
    household = Household.objects.get(pk=household.pk)
    head = household.members.get()
    assert household.anonymised_at is not None
    assert household.address == dong_a.name and household.address_detail == ""
    assert household.phone == "" and household.care_notes == "" and household.violence_notes == ""
    assert not household.care_volunteers.exists()
    assert head.name == ANONYMISED_NAME and head.phone == ""
    assert head.birth_date == dt.date(1948, 1, 1)
    assert head.rrn_encrypted == "" and head.rrn_index == ""
    assert head.health_notes == "" and head.disability_detail == ""
    assert not Resident.objects.filter(rrn_index=blind_index("480312-2345678")).exists()
    assert TimelineEvent.objects.filter(household=household).count() == events
    assert not TimelineEvent.objects.filter(household=household).exclude(summary="").exists()
    assert household.visits.get().notes == ""
    assert household.assessments.get().summary == ""
    assert household.linkages.get().description == "" and household.linkages.get().amount == 300000
    assert household.cases.get().conferences.get().participants == ""


def test_households_not_due_are_kept(official, dong_a, household_a):
    closed = history(official, dong_a)
    open_case = history(official, dong_a, close=False, rrn="520202-2345678")
    # Five years have not passed yet.
    assert "anonymised 0 households" in run("--today", "2031-01-01")
    # A household never under case management is not covered by this rule.
    run("--today", LATER)
    assert Household.objects.get(pk=closed.pk).anonymised_at is not None
    for kept in (open_case, household_a):
        assert Household.objects.get(pk=kept.pk).anonymised_at is None
        assert Household.objects.get(pk=kept.pk).members.first().name != ANONYMISED_NAME


def test_recent_activity_keeps_a_closed_household(official, dong_a):
    household = history(official, dong_a)
    TimelineEvent.objects.create(
        household=household,
        dong=dong_a,
        kind=TimelineEvent.Kind.VISIT_COMPLETED,
        occurred_at=dt.datetime(2031, 6, 1, tzinfo=dt.UTC),
    )
    assert not households_due_for_anonymisation(today=dt.date(2032, 1, 15)).exists()
    assert households_due_for_anonymisation(today=dt.date(2037, 1, 15)).exists()


def test_running_benefit_keeps_a_closed_household(official, dong_a):
    household = history(official, dong_a)
    BenefitReceipt.objects.filter(household=household).update(ended_on=None)
    assert not households_due_for_anonymisation(today=dt.date(2032, 1, 15)).exists()


def test_dry_run_changes_nothing(official, dong_a):
    household = history(official, dong_a)
    out = run("--today", LATER, "--dry-run")
    assert "1 households would be anonymised" in out and str(household.pk) in out
    assert Household.objects.get(pk=household.pk).anonymised_at is None
    assert household.members.get().name == "이순자"


def test_second_run_finds_nothing(official, dong_a):
    history(official, dong_a)
    assert "anonymised 1 households" in run("--today", LATER)
    assert "anonymised 0 households" in run("--today", LATER)


def test_audit_trail_is_never_touched(client, official, dong_a):
    household = history(official, dong_a)
    client.force_login(official)
    assert client.get(f"/households/{household.pk}/").status_code == 200
    assert client.get("/households/").status_code == 200
    before = list(AuditRecord.objects.order_by("pk").values())
    assert before
    run("--today", LATER)
    assert list(AuditRecord.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("args", [("--years", "0"), ("--today", "yesterday")])
def test_bad_arguments_are_refused(args):
    with pytest.raises(CommandError):
        run(*args)
