"""Lead registration: matching to known households, due dates, assignment and closing rules."""

import datetime as dt

import pytest
from django.utils import timezone

from maeul.discovery.matching import household_match
from maeul.discovery.models import Lead
from maeul.discovery.services import lead_assign, lead_close, lead_register
from maeul.errors import DomainError, NotFound, PermissionDenied
from maeul.people.models import Household, Resident, TimelineEvent
from maeul.people.services import household_register

pytestmark = pytest.mark.django_db


def kinds(household):
    return list(household.events.order_by("occurred_at", "id").values_list("kind", flat=True))


@pytest.fixture
def known(official, dong_a):
    return household_register(
        actor=official,
        dong=dong_a,
        address="부산광역시 수영구 망미번영로 12",
        head_name="이순자",
        head_birth_date=dt.date(1948, 5, 2),
        head_rrn="480502-2345678",
    )


def test_lead_matches_known_household_by_registration_number(official, dong_a, known):
    lead = lead_register(
        actor=official,
        source=Lead.Source.STAFF,
        dong=dong_a,
        address="somewhere else entirely",
        subject_name="다른 이름",
        subject_rrn="4805022345678",
    )
    assert lead.household == known and lead.match == Lead.Match.RRN
    assert Household.objects.count() == 1
    assert kinds(known)[-2:] == [
        TimelineEvent.Kind.LEAD_MATCHED,
        TimelineEvent.Kind.LEAD_REGISTERED,
    ]


def test_lead_matches_by_name_birth_date_and_address_written_differently(official, dong_a, known):
    lead = lead_register(
        actor=official,
        source=Lead.Source.STAFF,
        dong=dong_a,
        address="망미번영로12",
        subject_name="이 순자",
        subject_birth_date=dt.date(1948, 5, 2),
    )
    assert lead.household == known and lead.match == Lead.Match.NAME_BIRTH_ADDRESS


def test_different_birth_date_is_not_the_same_person(official, dong_a, known):
    lead = lead_register(
        actor=official,
        source=Lead.Source.STAFF,
        dong=dong_a,
        address="망미번영로 12",
        subject_name="이순자",
        subject_birth_date=dt.date(1950, 1, 1),
    )
    assert lead.match == Lead.Match.NEW and lead.household != known


def test_matching_looks_across_the_gu_but_not_outside(dong_a, dong_b, known):
    household, method = household_match(dong=dong_b, rrn="480502-2345678", name="x", address="y")
    assert household == known and method == Lead.Match.RRN


def test_unknown_person_registers_a_new_household_with_events(official, dong_a):
    lead = lead_register(
        actor=official,
        source=Lead.Source.STAFF,
        dong=dong_a,
        address="망미로 5",
        subject_name="최민수",
        subject_birth_date=dt.date(1960, 1, 1),
        subject_rrn="600101-1234567",
        crisis_signals=["utility_arrears", "job_loss"],
    )
    assert lead.match == Lead.Match.NEW
    resident = Resident.objects.get(household=lead.household)
    assert resident.name_key == "최민수" and resident.rrn == "600101-1234567"
    assert lead.household.address_key == "망미로5"
    assert kinds(lead.household) == [
        TimelineEvent.Kind.HOUSEHOLD_REGISTERED,
        TimelineEvent.Kind.LEAD_REGISTERED,
    ]
    assert lead.reported_by == official and lead.crisis_signals == ["utility_arrears", "job_loss"]


@pytest.mark.parametrize(
    "urgency,delta",
    [
        ("emergency", dt.timedelta(hours=24)),
        ("high", dt.timedelta(days=3)),
        ("normal", dt.timedelta(days=7)),
    ],
)
def test_due_date_follows_urgency(official, dong_a, urgency, delta):
    lead = lead_register(
        actor=official,
        source="staff",
        dong=dong_a,
        address="a 1",
        subject_name="갑",
        urgency=urgency,
    )
    assert lead.due_at - lead.created_at == delta


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"address": "  "}, "address_required"),
        ({"subject_name": ""}, "name_required"),
        ({"urgency": "whenever"}, "invalid_urgency"),
        ({"subject_rrn": "12-34"}, "invalid_rrn"),
        ({"crisis_signals": ["bad_luck"]}, "invalid_crisis_signal"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(official, dong_a, kwargs, code):
    args = {
        "actor": official,
        "source": "staff",
        "dong": dong_a,
        "address": "a 1",
        "subject_name": "갑",
    }
    args.update(kwargs)
    with pytest.raises(DomainError) as error:
        lead_register(**args)
    assert error.value.code == code
    assert not Lead.objects.exists() and not Household.objects.exists()


def test_official_cannot_register_a_lead_in_another_dong(official, dong_b):
    with pytest.raises(DomainError) as error:
        lead_register(actor=official, source="staff", dong=dong_b, address="a", subject_name="갑")
    assert error.value.code == "dong_out_of_scope"


def test_anonymous_may_only_file_a_resident_request(dong_a):
    with pytest.raises(PermissionDenied):
        lead_register(actor=None, source="staff", dong=dong_a, address="a", subject_name="갑")
    lead = lead_register(actor=None, source="resident", dong=dong_a, address="a", subject_name="갑")
    assert lead.reported_by is None


@pytest.fixture
def lead(official, dong_a):
    return lead_register(
        actor=official, source="staff", dong=dong_a, address="a 1", subject_name="갑"
    )


def test_assign_to_staff_of_the_dong_or_gu_team(official, nurse, gu_user, lead):
    lead_assign(actor=official, lead=lead, assignee=nurse)
    lead.refresh_from_db()
    assert lead.assignee == nurse and lead.status == Lead.Status.ASSIGNED
    lead_assign(actor=official, lead=lead, assignee=gu_user)
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.LEAD_ASSIGNED).count() == 2


@pytest.mark.parametrize("who", ["official_b", "volunteer", "partner_user"])
def test_cannot_assign_to_someone_outside_the_dong_team(request, official, lead, who):
    with pytest.raises(DomainError) as error:
        lead_assign(actor=official, lead=lead, assignee=request.getfixturevalue(who))
    assert error.value.code == "invalid_assignee"
    lead.refresh_from_db()
    assert lead.assignee is None and lead.status == Lead.Status.NEW


def test_official_of_another_dong_cannot_assign(official_b, lead):
    with pytest.raises(NotFound):
        lead_assign(actor=official_b, lead=lead, assignee=official_b)


def test_close_needs_a_reason_and_closed_leads_cannot_be_assigned(official, lead):
    with pytest.raises(DomainError):
        lead_close(actor=official, lead=lead, reason=" ")
    lead_close(actor=official, lead=lead, reason="already served")
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CLOSED and lead.closed_at <= timezone.now()
    with pytest.raises(DomainError) as error:
        lead_assign(actor=official, lead=lead, assignee=official)
    assert error.value.code == "lead_closed"


def test_overdue_only_while_open(official, lead):
    lead.due_at = timezone.now() - dt.timedelta(hours=1)
    assert lead.is_overdue
    lead.status = Lead.Status.CLOSED
    assert not lead.is_overdue
