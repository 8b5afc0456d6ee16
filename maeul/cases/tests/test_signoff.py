"""The team lead's sign-off of a case plan and a case closure: asked by the worker, approved
or returned with a comment by the team lead, listed on the lead's dashboard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maeul.accounts.models import Role
from maeul.cases.models import Case, SignOff
from maeul.cases.services import case_open, goal_add
from maeul.cases.services.signoff import signoff_decide, signoff_request, signoffs_waiting
from maeul.errors import DomainError, NotFound, PermissionDenied
from tests.factories import UserFactory


def case_version(case):
    return Case.objects.values_list("version", flat=True).get(pk=case.pk)


@pytest.fixture
def lead(dong_a):
    return UserFactory(username="lead_a", role=Role.WELFARE_MANAGER, home_area=dong_a)


@pytest.fixture
def case(official, household_a):
    return case_open(actor=official, household=household_a, kind="general", manager=official)


def test_plan_sign_off_approved_and_listed(official, lead, case):
    with pytest.raises(DomainError) as exc:
        signoff_request(actor=official, case=case, subject="plan")
    assert exc.value.code == "plan_empty"
    goal_add(actor=official, case=case, domain="income", description="기초생활 신청")
    request = signoff_request(actor=official, case=case, subject="plan", note="계획 검토 부탁")
    with pytest.raises(DomainError) as exc:
        signoff_request(actor=official, case=case, subject="plan")
    assert exc.value.code == "signoff_pending"
    assert list(signoffs_waiting(user=lead)) == [request]
    assert not signoffs_waiting(user=official).exists()
    with pytest.raises(PermissionDenied):
        signoff_decide(actor=official, signoff=request, approve=True)
    decided = signoff_decide(actor=lead, signoff=request, approve=True)
    assert decided.status == SignOff.Status.APPROVED and decided.decided_by == lead
    assert not signoffs_waiting(user=lead).exists()


def test_closure_returned_needs_a_comment_then_approved_closes(official, lead, case):
    request = signoff_request(
        actor=official, case=case, subject="closure", close_reason="goals_met"
    )
    with pytest.raises(DomainError) as exc:
        signoff_decide(actor=lead, signoff=request, approve=False)
    assert exc.value.code == "comment_required"
    signoff_decide(actor=lead, signoff=request, approve=False, comment="사후관리 1회 더")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    again = signoff_request(actor=official, case=case, subject="closure", close_reason="goals_met")
    signoff_decide(actor=lead, signoff=again, approve=True)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.close_reason == "goals_met"
    with pytest.raises(DomainError):
        signoff_decide(actor=lead, signoff=again, approve=True)


def test_closure_needs_a_reason_and_scope(official, official_b, case):
    with pytest.raises(DomainError):
        signoff_request(actor=official, case=case, subject="closure")
    with pytest.raises(NotFound):
        signoff_request(actor=official_b, case=case, subject="plan")


def test_the_lead_signs_off_on_the_pages(client, official, lead, case):
    goal_add(actor=official, case=case, domain="income", description="기초생활 신청")
    client.force_login(official)
    url = reverse("cases:case_detail", args=[case.pk])
    client.post(
        url, {"action": "signoff_request", "subject": "plan", "version": case_version(case)}
    )
    client.force_login(lead)
    page = client.get(reverse("hub:home")).content.decode()
    assert 'id="card-signoffs"' in page
    signoff = SignOff.objects.get()
    client.post(
        url,
        {
            "action": "signoff_decide",
            "signoff": signoff.pk,
            "decision": "return",
            "comment": "목표 구체화",
            "version": case_version(case),
        },
    )
    signoff.refresh_from_db()
    assert signoff.status == "returned" and signoff.comment == "목표 구체화"


def test_no_service_or_api_path_closes_without_approval(client, api_token, official, lead, case):
    from maeul.cases import services
    from maeul.cases.services.management import case_close_approved

    assert not hasattr(services, "case_close")
    request = signoff_request(actor=official, case=case, subject="closure", close_reason="moved")
    with pytest.raises(DomainError) as exc:  # pending, not approved
        case_close_approved(actor=official, case=case, signoff=request)
    assert exc.value.code == "signoff_required"
    returned = signoff_decide(actor=lead, signoff=request, approve=False, comment="아직")
    with pytest.raises(DomainError):
        case_close_approved(actor=official, case=case, signoff=returned)
    headers = api_token(official)
    for method in (client.patch, client.put):
        response = method(
            f"/api/cases/{case.pk}",
            {"status": "closed", "close_reason": "moved"},
            content_type="application/json",
            **headers,
        )
        assert response.status_code in (404, 405)
    version = case_version(case)
    response = client.post(
        f"/api/cases/{case.pk}/signoffs/",
        {"version": version, "subject": "closure", "close_reason": "moved"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201 and response.json()["status"] == "open"
    pending = SignOff.objects.get(status="pending")
    response = client.post(  # the worker cannot approve her own request
        f"/api/cases/{case.pk}/signoffs/{pending.pk}/decision",
        {"version": case_version(case), "approve": True},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    response = client.post(
        f"/api/cases/{case.pk}/signoffs/{pending.pk}/decision",
        {"version": case_version(case), "approve": True},
        content_type="application/json",
        **api_token(lead),
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_dashboard_still_lists_a_closure_waiting(client, official, lead, case):
    client.force_login(official)
    url = reverse("cases:case_detail", args=[case.pk])
    client.post(
        url,
        {"action": "close_request", "close-reason": "goals_met", "version": case_version(case)},
    )
    assert list(signoffs_waiting(user=lead).values_list("subject", flat=True)) == ["closure"]
    client.force_login(lead)
    page = client.get(reverse("hub:home")).content.decode()
    assert 'id="card-signoffs"' in page
    assert url in page
