"""Assessments, cases and linkages in the JSON API (router mounted at /api/): scoped by the
`*_visible_to` selectors, writes through cases.services, reads audited."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from maeul.accounts.audit import audit_read
from maeul.accounts.models import User
from maeul.cases import services
from maeul.cases.models import Assessment, Case, Linkage
from maeul.cases.selectors import (
    assessment_get,
    assessment_list,
    assessments_visible_to,
    case_get,
    cases_in_order,
    cases_list_page,
    cases_visible_to,
    linkage_get,
    linkage_list,
)
from maeul.errors import DomainError, NotFound
from maeul.pagination import paginate
from maeul.people.selectors import household_get
from maeul.resources.models import PartnerInstitution, Resource
from maeul.visits.selectors import visits_visible_to
from maeul.web import ErrorOut

router = Router()

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _head_name(household) -> str | None:
    head = household.head
    return head.name if head else None


# --- assessments ---------------------------------------------------------------------------


class AssessmentOut(Schema):
    id: int
    household_id: int
    address: str
    head_name: str | None = None
    visit_id: int | None = None
    assessed_by_id: int
    assessed_at: dt.datetime
    needs: dict[str, int]
    overall_risk: str
    decision: str
    consent_id: int | None = None
    consent_scopes: list[str] | None = None
    consent_given_on: dt.date | None = None
    summary: str = ""


class AssessmentPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AssessmentOut]


class AssessmentIn(Schema):
    household_id: int
    needs: dict[str, int] = Field(
        description="Need level 0–3 per domain key (income, employment, health, mental_health, "
        "housing, care, education, safety, legal, daily_living, social); missing keys are 0."
    )
    overall_risk: str = Field(description="low, moderate, high or crisis")
    decision: str = Field(description="no_need, linkage_only, case_general or case_intensive")
    consent_given: bool = False
    consent_scopes: list[str] = Field(default_factory=list, description="hub, referral, ...")
    consent_date: dt.date | None = None
    visit_id: int | None = None
    summary: str = ""


def assessment_row(a: Assessment) -> dict:
    return {
        "id": a.pk,
        "household_id": a.household_id,
        "address": str(a.household),
        "head_name": _head_name(a.household),
        "visit_id": a.visit_id,
        "assessed_by_id": a.assessed_by_id,
        "assessed_at": a.assessed_at,
        "needs": a.needs,
        "overall_risk": a.overall_risk,
        "decision": a.decision,
        "consent_id": a.consent_id,
        "consent_scopes": a.consent.scopes if a.consent else None,
        "consent_given_on": a.consent.given_on if a.consent else None,
        "summary": a.summary,
    }


@router.get("assessments/", response=AssessmentPage, summary="List assessments")
def list_assessments(
    request: HttpRequest, household_id: int | None = None, page: int = 1, page_size: int = 50
):
    qs = assessment_list(user=request.user, household_id=household_id)
    result = paginate(qs, page=page, page_size=page_size, row=assessment_row)
    audit_read(
        request=request,
        household_ids=sorted({r["household_id"] for r in result["results"]}),
        action="api_list",
    )
    return result


@router.get(
    "assessments/{assessment_id}",
    response={200: AssessmentOut, 404: ErrorOut},
    summary="One assessment",
)
def get_assessment(request: HttpRequest, assessment_id: int):
    assessment = assessment_get(user=request.user, assessment_id=assessment_id)
    audit_read(request=request, household_id=assessment.household_id, action="api_view")
    return assessment_row(assessment)


@router.post(
    "assessments/", response={201: AssessmentOut, **ERRORS}, summary="Record an assessment"
)
def create_assessment(request: HttpRequest, payload: AssessmentIn):
    user = request.user
    if not user.is_hub_staff:
        raise NotFound()
    household = household_get(user=user, household_id=payload.household_id)
    visit = None
    if payload.visit_id is not None:
        visit = visits_visible_to(user).filter(pk=payload.visit_id, household=household).first()
        if visit is None:
            raise NotFound()
    assessment = services.assessment_record(
        actor=user,
        household=household,
        needs=payload.needs,
        overall_risk=payload.overall_risk,
        decision=payload.decision,
        consent_given=payload.consent_given,
        consent_scopes=payload.consent_scopes,
        consent_date=payload.consent_date,
        visit=visit,
        summary=payload.summary,
    )
    return Status(201, assessment_row(assessment_get(user=user, assessment_id=assessment.pk)))


# --- cases ---------------------------------------------------------------------------------


class GoalOut(Schema):
    id: int
    domain: str
    description: str
    target_on: dt.date | None = None
    status: str


class FollowUpOut(Schema):
    id: int
    due_on: dt.date
    visit_id: int | None = None
    done_at: dt.datetime | None = None


class ConferenceOut(Schema):
    id: int
    level: str
    held_on: dt.date
    participants: str
    notes: str
    decisions: str


class CaseOut(Schema):
    id: int
    household_id: int
    address: str
    head_name: str | None = None
    dong_code: str
    kind: str
    status: str
    manager_id: int
    manager_name: str
    assessment_id: int | None = None
    opened_at: dt.datetime
    closed_at: dt.datetime | None = None
    close_reason: str = ""
    follow_up_every_days: int
    next_follow_up_due: dt.date | None = None
    version: int = Field(description="send it back with an edit: an older one answers 409")


class CaseDetailOut(CaseOut):
    goals: list[GoalOut]
    follow_ups: list[FollowUpOut]
    conferences: list[ConferenceOut]
    linkage_ids: list[int]


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseOut]


class CaseIn(Schema):
    household_id: int
    kind: str = Field(description="general or intensive")
    manager_id: int | None = Field(None, description="Default: you.")
    assessment_id: int | None = None
    follow_up_every_days: int = 30


def case_row(case: Case) -> dict:
    return {
        "id": case.pk,
        "household_id": case.household_id,
        "address": str(case.household),
        "head_name": _head_name(case.household),
        "dong_code": case.household.dong.code,
        "kind": case.kind,
        "status": case.status,
        "manager_id": case.manager_id,
        "manager_name": case.manager.label,
        "assessment_id": case.assessment_id,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "close_reason": case.close_reason,
        "follow_up_every_days": case.follow_up_every_days,
        "next_follow_up_due": getattr(case, "next_due", None),
        "version": case.version,
    }


def case_detail_row(case: Case) -> dict:
    row = case_row(case)
    row.update(
        goals=[
            {
                "id": g.pk,
                "domain": g.domain,
                "description": g.description,
                "target_on": g.target_on,
                "status": g.status,
            }
            for g in case.goals.all()
        ],
        follow_ups=[
            {"id": f.pk, "due_on": f.due_on, "visit_id": f.visit_id, "done_at": f.done_at}
            for f in case.follow_ups.all()
        ],
        conferences=[
            {
                "id": c.pk,
                "level": c.level,
                "held_on": c.held_on,
                "participants": c.participants,
                "notes": c.notes,
                "decisions": c.decisions,
            }
            for c in case.conferences.all()
        ],
        linkage_ids=[link.pk for link in case.linkages.all()],
    )
    return row


@router.get("cases/", response=CasePage, summary="List cases (open by default)")
def list_cases(
    request: HttpRequest,
    status: str = Case.Status.OPEN,
    kind: str = "",
    page: int = 1,
    page_size: int = 50,
):
    result = cases_list_page(
        user=request.user,
        status="" if status == "all" else status,
        kind=kind,
        page=page,
        page_size=page_size,
    )
    result["results"] = [
        case_row(case) for case in cases_in_order(user=request.user, ids=result["results"])
    ]
    audit_read(
        request=request,
        household_ids=sorted({r["household_id"] for r in result["results"]}),
        action="api_list",
    )
    return result


@router.get("cases/{case_id}", response={200: CaseDetailOut, 404: ErrorOut}, summary="One case")
def get_case(request: HttpRequest, case_id: int):
    case = case_get(user=request.user, case_id=case_id)
    audit_read(request=request, household_id=case.household_id, action="api_view")
    return case_detail_row(case)


@router.post("cases/", response={201: CaseDetailOut, **ERRORS}, summary="Open a case")
def create_case(request: HttpRequest, payload: CaseIn):
    user = request.user
    if not user.is_hub_staff:
        raise NotFound()
    household = household_get(user=user, household_id=payload.household_id)
    manager = user
    if payload.manager_id is not None:
        manager = User.objects.filter(pk=payload.manager_id).first()
        if manager is None:
            raise DomainError("invalid_manager", _("Unknown case manager."), field="manager_id")
    assessment = None
    if payload.assessment_id is not None:
        assessment = (
            assessments_visible_to(user)
            .filter(pk=payload.assessment_id, household=household)
            .first()
        )
        if assessment is None:
            raise NotFound()
    case = services.case_open(
        actor=user,
        household=household,
        kind=payload.kind,
        manager=manager,
        assessment=assessment,
        follow_up_every_days=payload.follow_up_every_days,
    )
    return Status(201, case_detail_row(case_get(user=user, case_id=case.pk)))


CASE_EDIT_ERRORS = {**ERRORS, 409: ErrorOut}


class GoalIn(Schema):
    version: int = Field(description="the case's version you read (CaseOut.version)")
    domain: str
    description: str
    target_on: dt.date | None = None


class SignOffIn(Schema):
    version: int = Field(description="the case's version you read (CaseOut.version)")
    subject: str = Field(description="plan or closure (a case closes only when approved)")
    close_reason: str = Field("", description="a closure: goals_met, moved, refused, ...")
    note: str = ""


class SignOffDecisionIn(Schema):
    version: int = Field(description="the case's version you read (CaseOut.version)")
    approve: bool
    comment: str = Field("", description="required to return it")


def _case_for_edit(request: HttpRequest, case_id: int) -> Case:
    if not request.user.is_hub_staff:
        raise NotFound()
    return case_get(user=request.user, case_id=case_id)


def _case_after(request: HttpRequest, case_id: int) -> dict:
    case = case_get(user=request.user, case_id=case_id)
    audit_read(request=request, household_id=case.household_id, action="api_view")
    return case_detail_row(case)


@router.post(
    "cases/{case_id}/goals/",
    response={201: CaseDetailOut, **CASE_EDIT_ERRORS},
    summary="Add a goal to the case plan (409 when the case changed since you read it)",
)
def add_goal(request: HttpRequest, case_id: int, payload: GoalIn):
    case = _case_for_edit(request, case_id)
    services.goal_add(
        actor=request.user,
        case=case,
        domain=payload.domain,
        description=payload.description,
        target_on=payload.target_on,
        expected_version=payload.version,
    )
    return Status(201, _case_after(request, case_id))


@router.post(
    "cases/{case_id}/signoffs/",
    response={201: CaseDetailOut, **CASE_EDIT_ERRORS},
    summary="Ask the team lead to sign off the plan or the closure (the only way to close)",
)
def request_signoff(request: HttpRequest, case_id: int, payload: SignOffIn):
    case = _case_for_edit(request, case_id)
    services.signoff_request(
        actor=request.user,
        case=case,
        subject=payload.subject,
        close_reason=payload.close_reason,
        note=payload.note[:500],
        expected_version=payload.version,
    )
    return Status(201, _case_after(request, case_id))


@router.post(
    "cases/{case_id}/signoffs/{signoff_id}/decision",
    response={200: CaseDetailOut, **CASE_EDIT_ERRORS},
    summary="The team lead approves or returns a sign-off (an approved closure closes the case)",
)
def decide_signoff(request: HttpRequest, case_id: int, signoff_id: int, payload: SignOffDecisionIn):
    case = _case_for_edit(request, case_id)
    pending = case.signoffs.filter(pk=signoff_id).first()
    if pending is None:
        raise NotFound()
    services.signoff_decide(
        actor=request.user,
        signoff=pending,
        approve=payload.approve,
        comment=payload.comment[:1000],
        expected_version=payload.version,
    )
    return _case_after(request, case_id)


# --- linkages ------------------------------------------------------------------------------


class LinkageOut(Schema):
    id: int
    household_id: int
    head_name: str | None = None
    address: str
    kind: str
    status: str
    programme: str
    domain: str = ""
    resource_id: int | None = None
    partner_id: int | None = None
    partner_name: str | None = None
    description: str = ""
    amount: int | None = None
    proposed_at: dt.datetime
    updated_at: dt.datetime | None = None
    due_at: dt.datetime | None = Field(None, description="A referral: answer due by.")
    decline_reason: str = ""
    outcome_note: str = ""
    served_on: dt.date | None = None
    case_id: int | None = Field(None, description="Hub staff only.")
    assessment_id: int | None = Field(None, description="Hub staff only.")


class LinkagePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[LinkageOut]


class LinkageIn(Schema):
    household_id: int
    kind: str = Field(
        description="public_benefit, private_resource, partner_referral or emergency_aid"
    )
    programme: str = Field("", description="Required for public_benefit.")
    resource_id: int | None = None
    partner_id: int | None = Field(None, description="Required for partner_referral.")
    description: str = ""
    amount: int | None = None
    case_id: int | None = None
    assessment_id: int | None = None
    domain: str = Field("", description="the need domain it meets (income, housing, ...)")


class LinkageStatusIn(Schema):
    status: str = Field(
        description="requested, provided or declined; a referral: accepted, declined, provided "
        "(served) or returned by its partner, withdrawn by the hub"
    )
    reason: str = Field("", description="a declined referral: the reason's code")
    note: str = Field(
        "", description="a referral: decline text, what was provided, or why returned"
    )
    served_on: dt.date | None = Field(
        None, description="a served referral: the date (default today)"
    )


def linkage_row(linkage: Linkage, *, minimal: bool = False) -> dict:
    """A partner sees the referral and the name and address only."""
    return {
        "id": linkage.pk,
        "household_id": linkage.household_id,
        "head_name": _head_name(linkage.household),
        "address": str(linkage.household),
        "kind": linkage.kind,
        "status": linkage.status,
        "programme": linkage.programme,
        "domain": linkage.domain,
        "resource_id": None if minimal else linkage.resource_id,
        "partner_id": linkage.partner_id,
        "partner_name": linkage.partner.name if linkage.partner_id else None,
        "description": linkage.description,
        "amount": None if minimal else linkage.amount,
        "proposed_at": linkage.proposed_at,
        "updated_at": linkage.updated_at,
        "due_at": linkage.due_at,
        "decline_reason": linkage.decline_reason,
        "outcome_note": linkage.outcome_note,
        "served_on": linkage.served_on,
        "case_id": None if minimal else linkage.case_id,
        "assessment_id": None if minimal else linkage.assessment_id,
    }


@router.get(
    "linkages/", response=LinkagePage, summary="List linkages (partners: referrals to them)"
)
def list_linkages(
    request: HttpRequest,
    household_id: int | None = None,
    status: str = "",
    kind: str = "",
    page: int = 1,
    page_size: int = 50,
):
    minimal = not request.user.is_hub_staff
    qs = linkage_list(user=request.user, household_id=household_id, status=status, kind=kind)
    result = paginate(
        qs, page=page, page_size=page_size, row=lambda obj: linkage_row(obj, minimal=minimal)
    )
    audit_read(
        request=request,
        household_ids=sorted({r["household_id"] for r in result["results"]}),
        action="api_list",
    )
    return result


@router.get(
    "linkages/{linkage_id}", response={200: LinkageOut, 404: ErrorOut}, summary="One linkage"
)
def get_linkage(request: HttpRequest, linkage_id: int):
    linkage = linkage_get(user=request.user, linkage_id=linkage_id)
    audit_read(request=request, household_id=linkage.household_id, action="api_view")
    return linkage_row(linkage, minimal=not request.user.is_hub_staff)


@router.post("linkages/", response={201: LinkageOut, **ERRORS}, summary="Propose a linkage")
def create_linkage(request: HttpRequest, payload: LinkageIn):
    user = request.user
    if not user.is_hub_staff:
        raise NotFound()
    household = household_get(user=user, household_id=payload.household_id)
    resource = partner = case = assessment = None
    # Only whether the ids exist: whether this user may link them is the service's rule
    # (partners_in_reach, resources_in_reach), and it answers the same 404 as a missing one.
    if payload.resource_id is not None:
        resource = Resource.objects.filter(pk=payload.resource_id).first()
        if resource is None:
            raise NotFound(_("Unknown resource."))
    if payload.partner_id is not None:
        partner = PartnerInstitution.objects.filter(pk=payload.partner_id).first()
        if partner is None:
            raise NotFound(_("Unknown partner."))
    if payload.case_id is not None:
        case = cases_visible_to(user).filter(pk=payload.case_id, household=household).first()
        if case is None:
            raise NotFound()
    if payload.assessment_id is not None:
        assessment = (
            assessments_visible_to(user)
            .filter(pk=payload.assessment_id, household=household)
            .first()
        )
        if assessment is None:
            raise NotFound()
    linkage = services.linkage_propose(
        actor=user,
        household=household,
        kind=payload.kind,
        programme=payload.programme,
        resource=resource,
        partner=partner,
        description=payload.description,
        amount=payload.amount,
        case=case,
        assessment=assessment,
        domain=payload.domain,
    )
    return Status(201, linkage_row(linkage_get(user=user, linkage_id=linkage.pk)))


@router.post(
    "linkages/{linkage_id}/status",
    response={200: LinkageOut, **ERRORS},
    summary="Move a linkage on (partners: mark a referral provided or declined)",
)
def update_linkage_status(request: HttpRequest, linkage_id: int, payload: LinkageStatusIn):
    linkage = linkage_get(user=request.user, linkage_id=linkage_id)
    services.linkage_update(
        actor=request.user,
        linkage=linkage,
        status=payload.status,
        reason=payload.reason,
        note=payload.note,
        served_on=payload.served_on,
    )
    return linkage_row(
        linkage_get(user=request.user, linkage_id=linkage_id),
        minimal=not request.user.is_hub_staff,
    )
