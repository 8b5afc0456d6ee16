"""A council's own records through their pages: projects (staff; the council's executive
members report on them), budget lines, education with attendance, the gu's annual plan with
each dong's part (gu team; dong staff their own part), working groups and members who sit in
both councils. Bad input says what is wrong and writes nothing; another council is 404."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from maeul.councils.bulk import council_tree_build
from maeul.councils.models import (
    AnnualPlan,
    BudgetLine,
    Education,
    Member,
    PlanPart,
    Project,
    WorkingGroup,
)
from maeul.councils.services import (
    education_save,
    group_save,
    guest_set,
    plan_create,
    plan_save,
    project_report,
    project_save,
)
from maeul.councils.services.records import PartInput
from maeul.errors import DomainError, NotFound, PermissionDenied
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _member(council, name, **kwargs) -> Member:
    fields = {
        "participant_type": "resident",
        "sex": "f",
        "age_band": "50",
        "term_start": dt.date(2025, 1, 1),
        "term_end": dt.date(2027, 12, 31),
        **kwargs,
    }
    return Member.objects.create(council=council, name=name, **fields)


@pytest.fixture
def councils(gu, dong_a, dong_b):
    gu_council, (council_a, council_b) = council_tree_build(
        gu=gu, dongs=[dong_a, dong_b], established=dt.date(2020, 1, 1)
    )
    return gu_council, council_a, council_b


def _project(council, **kwargs) -> Project:
    fields = {
        "year": YEAR,
        "title": "반찬 나눔",
        "plan": "분기별 반찬 나눔",
        "target_group": "홀몸어르신",
        "budget": 1_000_000,
        **kwargs,
    }
    return Project.objects.create(council=council, **fields)


PROJECT_POST = {
    "year": str(YEAR),
    "title": "고독사 예방 이웃 지킴이",
    "plan": "1인 가구 안부 확인",
    "target_group": "중장년 1인 가구",
    "budget": "3000000",
    "spent": "0",
    "results": "",
    "self_score": "",
    "self_assessment": "",
}


def test_staff_create_and_edit_a_project_with_its_report(client, official, councils):
    _gu, council_a, _b = councils
    client.force_login(official)
    response = client.post(reverse("councils:project_new", args=[council_a.pk]), PROJECT_POST)
    assert response.status_code == 302
    project = council_a.projects.get()
    assert (project.title, project.budget, project.self_score) == (
        "고독사 예방 이웃 지킴이",
        3_000_000,
        None,
    )
    url = reverse("councils:project_edit", args=[council_a.pk, project.pk])
    assert "고독사 예방 이웃 지킴이" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            **PROJECT_POST,
            "spent": "2500000",
            "results": "42가구 주 1회 안부 확인",
            "self_score": "4",
            "self_assessment": "대체로 달성",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.spent, project.self_score, project.results) == (
        2_500_000,
        4,
        "42가구 주 1회 안부 확인",
    )


@pytest.mark.parametrize(
    "change,message",
    [
        ({"spent": "4000000"}, "Spending cannot exceed the project&#x27;s budget."),
        ({"self_score": "4"}, "Write the results before the self-assessment."),
        ({"year": "1990"}, "The year is between"),
        ({"plan": "  "}, "This field is required."),
    ],
)
def test_a_bad_project_says_why_and_writes_nothing(client, official, councils, change, message):
    _gu, council_a, _b = councils
    client.force_login(official)
    response = client.post(
        reverse("councils:project_new", args=[council_a.pk]), {**PROJECT_POST, **change}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_another_dongs_council_and_its_projects_are_not_found(client, official, councils):
    _gu, council_a, council_b = councils
    project_b = _project(council_b)
    client.force_login(official)
    assert client.get(reverse("councils:project_new", args=[council_b.pk])).status_code == 404
    assert (
        client.get(reverse("councils:project_edit", args=[council_b.pk, project_b.pk])).status_code
        == 404
    )
    # A project of another council under this council's address: 404 too.
    assert (
        client.get(reverse("councils:project_edit", args=[council_a.pk, project_b.pk])).status_code
        == 404
    )
    with pytest.raises(NotFound):
        project_save(
            actor=official,
            council=council_a,
            project=project_b,
            year=YEAR,
            title="x",
            plan="x",
            target_group="x",
            budget=1,
        )


def test_the_councils_executive_member_reports_on_its_projects_only(
    client, council_member, councils
):
    _gu, council_a, council_b = councils
    member = _member(council_a, "박위원", position=Member.Position.GENERAL, user=council_member)
    project = _project(council_a)
    url = reverse("councils:project_edit", args=[council_a.pk, project.pk])
    client.force_login(council_member)
    assert client.get(url).status_code == 404  # a general member does not report
    with pytest.raises(PermissionDenied):
        project_report(actor=council_member, project=project, spent=0, results="", self_score=None)
    Member.objects.filter(pk=member.pk).update(position=Member.Position.EXECUTIVE)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="results"' in body and 'name="budget"' not in body  # the report only
    response = client.post(
        url,
        {"spent": "600000", "results": "30가구 지원", "self_score": "5", "budget": "99"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.spent, project.self_score, project.budget) == (600_000, 5, 1_000_000)
    other = _project(council_b)
    assert (
        client.get(reverse("councils:project_edit", args=[council_b.pk, other.pk])).status_code
        == 404
    )
    assert client.get(reverse("councils:project_new", args=[council_a.pk])).status_code == 404


def test_budget_lines_are_added_edited_and_deleted_by_staff_read_by_members(
    client, official, council_member, councils
):
    _gu, council_a, council_b = councils
    client.force_login(official)
    url = reverse("councils:budget", args=[council_a.pk])
    bad = client.post(url, {"year": str(YEAR), "source": "gu", "amount": "0", "note": ""})
    assert bad.status_code == 200 and not BudgetLine.objects.exists()
    response = client.post(
        url, {"year": str(YEAR), "source": "donation", "amount": "1200000", "note": "이웃돕기 성금"}
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get()
    edit = reverse("councils:budget_edit", args=[council_a.pk, line.pk])
    client.post(edit, {"year": str(YEAR), "source": "gu", "amount": "5000000", "note": "구 보조금"})
    line.refresh_from_db()
    assert (line.source, line.amount, line.note) == ("gu", 5_000_000, "구 보조금")
    _project(council_a, spent=400_000)
    body = client.get(url).content.decode()
    assert "5,000,000" in body and "400,000" in body
    assert client.get(reverse("councils:budget", args=[council_b.pk])).status_code == 404
    assert (
        client.get(reverse("councils:budget_edit", args=[council_b.pk, line.pk])).status_code == 404
    )
    # A council member reads the budget of their council and writes nothing.
    _member(council_a, "박위원", user=council_member)
    client.force_login(council_member)
    page = client.get(url)
    assert page.status_code == 200 and "구 보조금" in page.content.decode()
    assert 'name="amount"' not in page.content.decode()
    assert client.post(url, {"year": str(YEAR), "source": "gu", "amount": "1"}).status_code == 404
    assert client.get(edit).status_code == 404
    client.force_login(official)
    client.post(edit, {"delete": "1"})
    assert not BudgetLine.objects.exists()


def test_education_records_who_attended_members_of_the_council_only(client, official, councils):
    gu_council, council_a, council_b = councils
    here = [_member(council_a, f"위원{k}") for k in range(3)]
    stranger = _member(council_b, "다른동위원")
    client.force_login(official)
    url = reverse("councils:education_new", args=[council_a.pk])
    held = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    post = {"held_on": held, "kind": "in_depth", "title": "사례관리 심화교육", "hours": "3"}
    # A member of another council is not a choice: the form refuses it, nothing is written.
    response = client.post(url, {**post, "attendees": [str(stranger.pk)]})
    assert response.status_code == 200 and not Education.objects.exists()
    response = client.post(url, {**post, "attendees": [str(m.pk) for m in here[:2]]})
    assert response.status_code == 302
    education = Education.objects.get()
    assert set(education.attendees.all()) == set(here[:2])
    assert education.kind == Education.Kind.IN_DEPTH
    edit = reverse("councils:education_edit", args=[council_a.pk, education.pk])
    client.post(edit, {**post, "kind": "basic", "attendees": [str(here[2].pk)]})
    education.refresh_from_db()
    assert education.kind == "basic" and list(education.attendees.all()) == [here[2]]
    with pytest.raises(DomainError) as exc:
        education_save(
            actor=official,
            council=council_a,
            held_on=timezone.localdate() + dt.timedelta(days=7),
            kind="basic",
            title="예정 교육",
            hours=2,
            attendee_ids=[here[0].pk],
        )
    assert exc.value.code == "not_held_yet"
    with pytest.raises(DomainError) as exc:
        education_save(
            actor=official,
            council=council_a,
            held_on=timezone.localdate(),
            kind="basic",
            title="교육",
            hours=2,
            attendee_ids=[stranger.pk],
        )
    assert exc.value.code == "unknown_member"
    assert Education.objects.count() == 1
    assert client.get(reverse("councils:education_new", args=[council_b.pk])).status_code == 404


def test_gu_team_writes_the_plan_and_a_dong_official_only_their_dongs_part(
    client, gu_user, official, councils
):
    gu_council, council_a, council_b = councils
    with pytest.raises(PermissionDenied):
        plan_create(actor=official, council=gu_council, year=YEAR, summary="x")
    with pytest.raises(DomainError) as exc:
        plan_create(actor=gu_user, council=council_a, year=YEAR, summary="x")
    assert exc.value.code == "not_gu_council"
    client.force_login(gu_user)
    response = client.post(
        reverse("councils:plan_new", args=[gu_council.pk]),
        {"year": str(YEAR), "summary": "발굴·돌봄 강화"},
    )
    plan = AnnualPlan.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/plans/{plan.pk}/")
    again = client.post(
        reverse("councils:plan_new", args=[gu_council.pk]), {"year": str(YEAR), "summary": "x"}
    )
    assert "already exists" in again.content.decode() and AnnualPlan.objects.count() == 1
    url = reverse("councils:plan_edit", args=[gu_council.pk, plan.pk])
    a, b = f"part-{council_a.pk}", f"part-{council_b.pk}"
    # One part half-written: refused, and the other part is not saved either.
    response = client.post(
        url,
        {
            "summary": "발굴·돌봄·자원연계 강화",
            f"{a}-goals": "위기가구 발굴",
            f"{a}-actions": "통장 지킴이",
            f"{a}-budget": "5000000",
            f"{b}-goals": "돌봄 공백 해소",
            f"{b}-actions": "",
            f"{b}-budget": "",
        },
    )
    assert response.status_code == 200
    assert "needs both its goals and its actions" in response.content.decode()
    assert not PlanPart.objects.exists()
    plan.refresh_from_db()
    assert plan.summary == "발굴·돌봄 강화"
    response = client.post(
        url,
        {
            "summary": "발굴·돌봄·자원연계 강화",
            f"{a}-goals": "위기가구 발굴",
            f"{a}-actions": "통장 지킴이",
            f"{a}-budget": "5000000",
            f"{b}-goals": "돌봄 공백 해소",
            f"{b}-actions": "반찬 나눔",
            f"{b}-budget": "",
        },
    )
    assert response.status_code == 302
    assert {p.council_id: p.budget for p in plan.parts.all()} == {
        council_a.pk: 5_000_000,
        council_b.pk: 0,
    }
    # Dong A's official: only dong A's part on the page; the summary is not theirs.
    client.force_login(official)
    page = client.get(url).content.decode()
    assert f'name="{a}-goals"' in page and f'name="{b}-goals"' not in page
    assert 'name="summary"' not in page
    client.post(url, {f"{a}-goals": "", f"{a}-actions": "", f"{a}-budget": "", "summary": "x"})
    assert list(plan.parts.values_list("council_id", flat=True)) == [council_b.pk]
    plan.refresh_from_db()
    assert plan.summary == "발굴·돌봄·자원연계 강화"
    with pytest.raises(NotFound):
        plan_save(actor=official, plan=plan, parts={council_b.pk: PartInput("x", "y", 0)})
    assert client.get(reverse("councils:plan_new", args=[gu_council.pk])).status_code == 404


def test_another_gus_plan_is_not_found(client, gu_user, councils, gu):
    other_gu = AreaFactory(code="2635000000", name="해운대구", level="sigungu", parent=gu.parent)
    other_dong = AreaFactory(code="2635051000", name="우동", parent=other_gu)
    other_council, _dongs = council_tree_build(
        gu=other_gu, dongs=[other_dong], established=dt.date(2020, 1, 1)
    )
    plan = AnnualPlan.objects.create(council=other_council, year=YEAR, summary="타구")
    client.force_login(gu_user)
    assert client.get(reverse("councils:plan_new", args=[other_council.pk])).status_code == 404
    assert (
        client.get(reverse("councils:plan_edit", args=[other_council.pk, plan.pk])).status_code
        == 404
    )


def test_working_groups_take_members_who_sit_in_the_council(
    client, gu_user, official, council_member, councils
):
    gu_council, council_a, council_b = councils
    own = _member(gu_council, "구위원")
    chair_a = _member(council_a, "망미1동위원장", position=Member.Position.PRIVATE_CHAIR)
    chair_b = _member(council_b, "수영동위원장", position=Member.Position.PRIVATE_CHAIR)
    client.force_login(gu_user)
    groups_url = reverse("councils:groups", args=[gu_council.pk])
    # A dong chair is not a choice until seated in the gu council.
    with pytest.raises(DomainError) as exc:
        group_save(actor=gu_user, council=gu_council, name="발굴분과", member_ids=[chair_a.pk])
    assert exc.value.code == "unknown_member" and not WorkingGroup.objects.exists()
    client.post(
        reverse("councils:guest", args=[gu_council.pk]), {"member": chair_a.pk, "sits": "yes"}
    )
    assert list(chair_a.also_in.all()) == [gu_council]
    response = client.post(groups_url, {"name": "발굴분과", "members": [own.pk, chair_a.pk]})
    assert response.status_code == 302
    group = WorkingGroup.objects.get()
    assert set(group.members.all()) == {own, chair_a}
    duplicate = client.post(groups_url, {"name": "발굴분과", "members": [own.pk]})
    assert "already has a working group" in duplicate.content.decode()
    page = client.get(groups_url).content.decode()
    assert "망미1동위원장" in page and "수영동위원장" in page  # seated, and a candidate
    edit = reverse("councils:group_edit", args=[gu_council.pk, group.pk])
    client.post(edit, {"name": "발굴·연계분과", "members": [chair_a.pk]})
    group.refresh_from_db()
    assert group.name == "발굴·연계분과" and list(group.members.all()) == [chair_a]
    # Leaving the gu council takes the member out of its working groups.
    client.post(
        reverse("councils:guest", args=[gu_council.pk]), {"member": chair_a.pk, "sits": "no"}
    )
    assert not chair_a.also_in.exists() and not group.members.exists()
    # A member of a dong council is seated only in the gu council above it.
    with pytest.raises(DomainError) as exc:
        guest_set(actor=gu_user, council=council_b, member=chair_a, sits=True)
    assert exc.value.code == "not_dong_member"
    # Dong A's official cannot seat dong B's member.
    with pytest.raises(NotFound):
        guest_set(actor=official, council=gu_council, member=chair_b, sits=True)
    # A council member sees their council's groups, without the forms.
    _member(council_a, "박위원", user=council_member)
    client.force_login(council_member)
    page = client.get(reverse("councils:groups", args=[council_a.pk]))
    assert page.status_code == 200 and 'name="name"' not in page.content.decode()
    assert client.get(groups_url).status_code == 404
    assert client.get(edit).status_code == 404


def test_council_page_links_the_record_pages(client, official, councils):
    _gu, council_a, _b = councils
    project = _project(council_a)
    client.force_login(official)
    body = client.get(reverse("councils:council_detail", args=[council_a.pk])).content.decode()
    for url in (
        reverse("councils:project_new", args=[council_a.pk]),
        reverse("councils:project_edit", args=[council_a.pk, project.pk]),
        reverse("councils:budget", args=[council_a.pk]),
        reverse("councils:education_new", args=[council_a.pk]),
        reverse("councils:groups", args=[council_a.pk]),
    ):
        assert url in body


def test_education_attendance_follows_the_members_terms(client, official, councils):
    """A member whose term has ended is no longer offered for a new session and cannot be
    recorded at a session held after the term; a session held during the term keeps them, and
    editing it still shows them ticked."""
    _, council_a, _ = councils
    today = timezone.localdate()
    sitting = _member(council_a, "현위원")
    former = _member(
        council_a,
        "전위원",
        term_start=today - dt.timedelta(days=800),
        term_end=today - dt.timedelta(days=30),
    )
    client.force_login(official)
    page = client.get(reverse("councils:education_new", args=[council_a.pk]))
    assert "현위원" in page.content.decode() and "전위원" not in page.content.decode()
    with pytest.raises(DomainError) as exc:
        education_save(
            actor=official,
            council=council_a,
            held_on=today - dt.timedelta(days=3),
            kind="basic",
            title="교육",
            hours=2,
            attendee_ids=[sitting.pk, former.pk],
        )
    assert exc.value.code == "unknown_member" and not Education.objects.exists()
    during = education_save(
        actor=official,
        council=council_a,
        held_on=today - dt.timedelta(days=60),
        kind="basic",
        title="임기 중 교육",
        hours=2,
        attendee_ids=[sitting.pk, former.pk],
    )
    assert set(during.attendees.all()) == {sitting, former}
    edit = client.get(reverse("councils:education_edit", args=[council_a.pk, during.pk]))
    body = edit.content.decode()
    assert "전위원" in body
    checked = re.findall(r'<input[^>]*value="(\d+)"[^>]*checked', body)
    assert {int(pk) for pk in checked} == {sitting.pk, former.pk}
