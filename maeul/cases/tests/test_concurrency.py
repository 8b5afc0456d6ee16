"""Two officials editing one case at once: each edit is made from the version its editor
read; the second of two edits made from the same version is refused (409 in the API, an
explicit conflict on the page), nothing of it written, and the first is kept."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from maeul.accounts.models import Role
from maeul.cases.concurrency import EditConflict
from maeul.cases.models import Case, Conference, Goal, SignOff
from maeul.cases.services import (
    case_open,
    conference_record,
    goal_add,
    goal_update_status,
    signoff_decide,
    signoff_request,
)
from maeul.people.models import TimelineEvent
from tests.factories import UserFactory

JSON = "application/json"


@pytest.fixture
def colleague(dong_a):
    """A second official of the same dong, who opened the same case page."""
    return UserFactory(username="official_a2", role=Role.WELFARE_OFFICIAL, home_area=dong_a)


@pytest.fixture
def case(official, household_a):
    return case_open(actor=official, household=household_a, kind="general", manager=official)


def version(case) -> int:
    return Case.objects.values_list("version", flat=True).get(pk=case.pk)


@pytest.mark.django_db
def test_second_edit_from_the_same_version_is_refused_and_nothing_lost(official, colleague, case):
    read = version(case)  # both opened the page at this version
    goal_add(
        actor=official, case=case, domain="housing", description="주거급여", expected_version=read
    )
    with pytest.raises(EditConflict) as exc:
        goal_add(
            actor=colleague,
            case=case,
            domain="income",
            description="긴급복지",
            expected_version=read,
        )
    assert exc.value.status == 409 and exc.value.code == "edit_conflict"
    assert list(Goal.objects.values_list("description", flat=True)) == ["주거급여"]
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.PLAN_UPDATED).count() == 1
    # Reloaded, the colleague sees the first edit and makes hers from the new version.
    goal_add(
        actor=colleague,
        case=case,
        domain="income",
        description="긴급복지",
        expected_version=version(case),
    )
    assert Goal.objects.count() == 2 and version(case) == read + 2


@pytest.mark.django_db
def test_every_case_edit_checks_and_moves_the_version(official, colleague, case, dong_a):
    lead = UserFactory(role=Role.WELFARE_MANAGER, home_area=dong_a)
    stale = version(case)
    goal = goal_add(actor=official, case=case, domain="housing", description="주거")
    edits = [
        lambda v: goal_update_status(
            actor=colleague, goal=goal, status="achieved", expected_version=v
        ),
        lambda v: conference_record(
            actor=colleague,
            case=case,
            held_on=case.opened_at.date(),
            participants="팀",
            expected_version=v,
        ),
        lambda v: signoff_request(actor=colleague, case=case, subject="plan", expected_version=v),
    ]
    for edit in edits:
        with pytest.raises(EditConflict):
            edit(stale)
    assert Goal.objects.get().status == "active"
    assert not Conference.objects.exists() and not SignOff.objects.exists()
    for edit in edits:
        before = version(case)
        edit(before)
        assert version(case) == before + 1
    request = SignOff.objects.get()
    with pytest.raises(EditConflict):
        signoff_decide(actor=lead, signoff=request, approve=True, expected_version=stale)
    assert SignOff.objects.get().status == "pending"
    signoff_decide(actor=lead, signoff=request, approve=True, expected_version=version(case))


@pytest.mark.django_db
def test_the_page_shows_the_conflict_and_keeps_the_typed_text(client, official, colleague, case):
    url = reverse("cases:case_detail", args=[case.pk])
    read = version(case)
    client.force_login(official)
    client.post(
        url,
        {
            "version": read,
            "action": "goal_add",
            "goal-domain": "housing",
            "goal-description": "주거급여 신청",
        },
    )
    client.force_login(colleague)
    response = client.post(
        url,
        {
            "version": read,
            "action": "goal_add",
            "goal-domain": "income",
            "goal-description": "긴급복지 신청",
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="conflict"' in page and 'role="alert"' in page
    assert "긴급복지 신청" in page  # what she typed is still in the form
    assert "주거급여 신청" in page  # and the page shows the first official's goal
    assert f'name="version" value="{read + 1}"' in page
    assert list(Goal.objects.values_list("description", flat=True)) == ["주거급여 신청"]
    # A post without the version it was made from is refused too, nothing written.
    response = client.post(
        url, {"action": "goal_add", "goal-domain": "income", "goal-description": "x"}
    )
    assert Goal.objects.count() == 1


@pytest.mark.django_db
def test_the_api_answers_409_on_a_stale_version(client, api_token, official, colleague, case):
    url = f"/api/cases/{case.pk}/goals/"
    read = client.get(f"/api/cases/{case.pk}", **api_token(official)).json()["version"]
    first = client.post(
        url,
        {"version": read, "domain": "housing", "description": "주거급여"},
        content_type=JSON,
        **api_token(official),
    )
    assert first.status_code == 201 and first.json()["version"] == read + 1
    second = client.post(
        url,
        {"version": read, "domain": "income", "description": "긴급복지"},
        content_type=JSON,
        **api_token(colleague),
    )
    assert second.status_code == 409 and second.json()["code"] == "edit_conflict"
    assert list(Goal.objects.values_list("description", flat=True)) == ["주거급여"]
    missing = client.post(
        url, {"domain": "income", "description": "x"}, content_type=JSON, **api_token(colleague)
    )
    assert missing.status_code == 422 and Goal.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_edits_one_wins_one_conflicts(official, colleague, case):
    """Two transactions at once from the same version: the row lock makes the second wait
    for the first and then see the new version. Real concurrency needs PostgreSQL (SQLite
    serialises whole-database writes; the sequential tests above cover it there)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent row locks need PostgreSQL; CI runs this there")
    read = version(case)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(user, text):
        try:
            barrier.wait()
            goal_add(
                actor=user, case=case, domain="housing", description=text, expected_version=read
            )
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=edit, args=(official, "A")),
        threading.Thread(target=edit, args=(colleague, "B")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert Goal.objects.count() == 1 and version(case) == read + 1
