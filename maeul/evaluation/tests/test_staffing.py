"""Staffing: the gu's caseload standard (saved, history kept, newest in force), the workers a
dong's caseload implies, staff postings by role, qualification and employment over time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from maeul.accounts.models import Role
from maeul.cases.models import Case, FollowUp
from maeul.errors import DomainError, NotFound
from maeul.evaluation.models import CaseloadStandard, StaffPosting
from maeul.evaluation.services import (
    caseload_standard_set,
    staff_posting_add,
    staff_posting_end,
)
from maeul.evaluation.staffing import (
    DEFAULT_STANDARD,
    Standard,
    staff_over_time,
    staffing,
    standard_in_force,
)
from maeul.people.models import TimelineEvent
from tests.factories import AreaFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)
TZ = ZoneInfo("Asia/Seoul")


def _caseload(dong, manager, *, cases=30, follow_ups=0, visits=0):
    for i in range(cases):
        case = Case.objects.create(
            household=HouseholdFactory(dong=dong),
            dong=dong,
            manager=manager,
            opened_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )
        if i < follow_ups:
            FollowUp.objects.create(case=case, due_on=dt.date(2026, 10, 5))
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            dong=dong,
            kind=TimelineEvent.Kind.VISIT_COMPLETED,
            occurred_at=dt.datetime(2026, 10, 10, 10, tzinfo=TZ),
        )
        for _ in range(visits)
    )


def test_caseload_against_the_gus_standard(dong_a, gu, gu_user, official):
    UserFactory(
        username="nurse_x", role=Role.VISITING_NURSE, home_area=dong_a, hired_on=dt.date(2025, 1, 1)
    )
    _caseload(dong_a, official, cases=30, follow_ups=12, visits=70)
    # before the gu sets one: the default
    standard, source, rows = staffing(user=gu_user, today=TODAY)
    assert standard.is_default and standard.open_cases == DEFAULT_STANDARD["open_cases"]
    assert source == "accounts"
    caseload_standard_set(actor=gu_user, open_cases=10, follow_ups=20, visits=30, note="조례")
    standard, _source, rows = staffing(user=gu_user, today=TODAY)
    assert (standard.open_cases, standard.follow_ups, standard.visits) == (10, 20, 30)
    assert standard.set_by == gu_user.label and not standard.is_default
    a = next(r for r in rows if r.dong == dong_a)
    assert (a.open_cases, a.follow_ups_due, a.visits) == (30, 12, 70)
    # ⌈30/10⌉ = 3 for cases, ⌈12/20⌉ = 1, ⌈70/30⌉ = 3 → 3 workers; one on the books
    assert a.needed_by == {"open_cases": 3, "follow_ups": 1, "visits": 3}
    assert a.needed == 3 and a.workers == 1 and a.gap == 2
    assert a.per_worker == {"open_cases": 30.0, "follow_ups": 12.0, "visits": 70.0}
    # visits as the heaviest load
    _standard, _s, rows = staffing(
        user=gu_user, today=TODAY, standard=Standard(open_cases=100, follow_ups=100, visits=10)
    )
    assert next(r for r in rows if r.dong == dong_a).needed == 7


def test_standard_history_is_kept_newest_in_force(gu, gu_user, admin_user):
    caseload_standard_set(actor=gu_user, open_cases=25, follow_ups=40, visits=60)
    caseload_standard_set(actor=admin_user, open_cases=20, follow_ups=40, visits=60)
    assert CaseloadStandard.objects.filter(gu=gu).count() == 2
    current = standard_in_force(gu)
    assert current.open_cases == 20 and current.set_by == admin_user.label


def test_standard_refusals(gu_user, official):
    with pytest.raises(NotFound):
        caseload_standard_set(actor=official, open_cases=10, follow_ups=10, visits=10)
    for bad in (0, -1, None, 1001):
        with pytest.raises(DomainError) as exc:
            caseload_standard_set(actor=gu_user, open_cases=10, follow_ups=bad, visits=10)
        assert exc.value.field == "follow_ups"
    assert not CaseloadStandard.objects.exists()


def test_standard_form(client, password, gu_user, official, gu):
    client.login(username=gu_user.username, password=password)
    response = client.post(
        "/evaluation/staffing/standard/", {"open_cases": 18, "follow_ups": 30, "visits": 50}
    )
    assert response.status_code == 302
    html = client.get("/evaluation/staffing/").content.decode()
    assert "18 open cases" in html and "set by" in html
    response = client.post(
        "/evaluation/staffing/standard/", {"open_cases": 0, "follow_ups": 30, "visits": 50}
    )
    assert response.status_code == 400 and CaseloadStandard.objects.count() == 1
    client.logout()
    client.login(username=official.username, password=password)
    assert client.get("/evaluation/staffing/").status_code == 200
    assert "Save the standard" not in client.get("/evaluation/staffing/").content.decode()
    assert (
        client.post(
            "/evaluation/staffing/standard/", {"open_cases": 5, "follow_ups": 5, "visits": 5}
        ).status_code
        == 404
    )
    assert CaseloadStandard.objects.count() == 1


def _post(actor, area, name, role, qualification, employment, starts_on, ends_on=None):
    return staff_posting_add(
        actor=actor,
        area_id=area.pk,
        name=name,
        role=role,
        qualification=qualification,
        employment=employment,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def test_staff_by_role_qualification_and_employment_over_time(gu, gu_user, dong_a, dong_b):
    Q, E = StaffPosting.Qualification, StaffPosting.Employment
    _post(
        gu_user,
        dong_a,
        "김",
        Role.WELFARE_OFFICIAL,
        Q.SOCIAL_WORKER_1,
        E.PUBLIC,
        dt.date(2025, 1, 2),
    )
    _post(gu_user, dong_a, "이", Role.VISITING_NURSE, Q.NURSE, E.PRIVATE, dt.date(2026, 7, 1))
    left = _post(
        gu_user,
        dong_b,
        "박",
        Role.CASE_MANAGER,
        Q.SOCIAL_WORKER_2,
        E.FIXED_TERM,
        dt.date(2026, 1, 1),
    )
    staff_posting_end(actor=gu_user, posting_id=left.pk, ends_on=dt.date(2026, 9, 30))
    _post(gu_user, gu, "최", Role.GU_TEAM, Q.SOCIAL_WORKER_1, E.PUBLIC, dt.date(2026, 10, 15))
    over = staff_over_time(user=gu_user, today=TODAY, months=12)
    assert over.labels[0] == "2025-12" and over.labels[-1] == "2026-11"
    at = {label: i for i, label in enumerate(over.labels)}
    employment = {key: values for key, _label, values in over.groups["employment"]}
    # 2025-12: 김 only; 2026-07: 김, 이, 박; 2026-09 (30th, 박 ends that day → not counted);
    # 2026-11: 김, 이, 최 (gu team)
    assert over.totals[at["2025-12"]] == 1
    assert over.totals[at["2026-07"]] == 3
    assert over.totals[at["2026-09"]] == 2
    assert over.totals[at["2026-11"]] == 3
    assert employment["private"][at["2026-07"]] == 1
    assert (
        employment["fixed_term"][at["2026-08"]] == 1
        and employment["fixed_term"][at["2026-09"]] == 0
    )
    qualification = {key: values for key, _label, values in over.groups["qualification"]}
    assert qualification["social_worker_1"][at["2026-11"]] == 2
    # once the gu records postings, the caseload counts its visiting workers from them
    _standard, source, rows = staffing(user=gu_user, today=TODAY)
    assert source == "postings"
    a = next(r for r in rows if r.dong == dong_a)
    assert a.workers == 2 and a.private == 1
    assert a.staff == {Role.WELFARE_OFFICIAL: 1, Role.VISITING_NURSE: 1}


def test_posting_refusals_and_scope(gu, gu_user, official, dong_a):
    Q, E = StaffPosting.Qualification, StaffPosting.Employment
    other_gu = AreaFactory(code="2635000000", level="sigungu")
    far = AreaFactory(code="2635051000", parent=other_gu)
    with pytest.raises(DomainError) as exc:
        _post(gu_user, far, "김", Role.WELFARE_OFFICIAL, Q.NURSE, E.PUBLIC, TODAY)
    assert exc.value.field == "area"
    with pytest.raises(DomainError) as exc:
        _post(gu_user, dong_a, " ", Role.WELFARE_OFFICIAL, Q.NURSE, E.PUBLIC, TODAY)
    assert exc.value.field == "name"
    with pytest.raises(DomainError) as exc:
        _post(gu_user, dong_a, "김", Role.VOLUNTEER, Q.NURSE, E.PUBLIC, TODAY)
    assert exc.value.field == "role"
    with pytest.raises(DomainError) as exc:
        _post(
            gu_user,
            dong_a,
            "김",
            Role.VISITING_NURSE,
            Q.NURSE,
            E.PUBLIC,
            TODAY,
            TODAY - dt.timedelta(days=1),
        )
    assert exc.value.field == "ends_on"
    with pytest.raises(NotFound):
        _post(official, dong_a, "김", Role.VISITING_NURSE, Q.NURSE, E.PUBLIC, TODAY)
    assert not StaffPosting.objects.exists()
    other_team = UserFactory(username="gu2", role=Role.GU_TEAM, home_area=other_gu)
    mine = _post(gu_user, dong_a, "김", Role.VISITING_NURSE, Q.NURSE, E.PUBLIC, TODAY)
    with pytest.raises(NotFound):
        staff_posting_end(actor=other_team, posting_id=mine.pk, ends_on=None)


def test_staffing_page_and_posting_form(client, password, gu_user, official, dong_a, volunteer):
    client.login(username=gu_user.username, password=password)
    response = client.post(
        "/evaluation/staffing/postings/",
        {
            "area": dong_a.pk,
            "name": "홍길동",
            "role": Role.VISITING_NURSE,
            "qualification": "nurse",
            "employment": "private",
            "starts_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    posting = StaffPosting.objects.get()
    assert posting.recorded_by == gu_user and posting.area == dong_a
    html = client.get("/evaluation/staffing/").content.decode()
    assert "홍길동" in html and "Staff by role, qualification and employment over time" in html
    assert client.post("/evaluation/staffing/postings/", {"name": ""}).status_code == 400
    assert client.post(f"/evaluation/staffing/postings/{posting.pk}/end/").status_code == 302
    posting.refresh_from_db()
    assert posting.ends_on is not None
    client.logout()
    client.login(username=volunteer.username, password=password)
    assert client.get("/evaluation/staffing/").status_code == 404


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_text_is_escaped_on_the_page_and_in_the_report(client, password, gu_user, dong_a):
    caseload_standard_set(actor=gu_user, open_cases=5, follow_ups=5, visits=5, note=HOSTILE)
    _post(
        gu_user,
        dong_a,
        HOSTILE,
        Role.VISITING_NURSE,
        StaffPosting.Qualification.NURSE,
        StaffPosting.Employment.PUBLIC,
        dt.date(2026, 1, 1),
    )
    assert StaffPosting.objects.get().name == HOSTILE[:60]  # stored as typed
    client.login(username=gu_user.username, password=password)
    html = client.get("/evaluation/staffing/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html
