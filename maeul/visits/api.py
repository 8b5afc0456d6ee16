"""Visits in the JSON API (/api/visits/): scoped by `visits_visible_to`, writes through
visits.services, reads audited like the pages."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from maeul.accounts.audit import audit_read
from maeul.accounts.models import User
from maeul.discovery.models import Lead
from maeul.errors import DomainError, NotFound
from maeul.pagination import paginate
from maeul.people.selectors import household_get
from maeul.visits.models import Visit
from maeul.visits.selectors import (
    OverlapWarning,
    visit_get,
    visit_list_ids,
    visit_overlaps,
    visits_in_order,
)
from maeul.visits.services import (
    team_of,
    visit_cancel,
    visit_case_for,
    visit_record,
    visit_schedule,
)
from maeul.web import ErrorOut

router = Router()


class MemberOut(Schema):
    id: int
    name: str
    role: str


class VisitOut(Schema):
    id: int
    household_id: int
    address: str
    head_name: str | None = None
    dong_code: str
    planned_on: dt.date
    kind: str
    team: str
    status: str
    outcome: str = ""
    notes: str = ""
    observed_needs: list[str] = Field(default_factory=list)
    done_at: dt.datetime | None = None
    lead_id: int | None = None
    case_id: int | None = None
    planned_by_id: int
    members: list[MemberOut]


class VisitPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[VisitOut]


class OverlapOut(Schema):
    visit_id: int
    team: str
    team_label: str
    planned_on: dt.date
    status: str
    members: list[str]
    message: str


class VisitPlanIn(Schema):
    household_id: int
    planned_on: dt.date
    member_ids: list[int] = Field(default_factory=list, description="Empty: you alone.")
    kind: str = Field(Visit.Kind.INITIAL, description="initial, follow_up, health or care")
    lead_id: int | None = None
    case_id: int | None = None
    merge: bool = Field(
        True,
        description="Join a visit of the household already planned within 3 days (any team) as "
        "a joint visit; false: plan a visit of its own (other teams' visits are then flagged).",
    )


class VisitPlanOut(Schema):
    visit: VisitOut
    action: str = Field(
        description="planned (a new visit, 201), joined (the members were added to a visit "
        "already planned: a joint visit, on its date, 200) or existing (that visit had every "
        "member already: nothing written, 200)."
    )
    warnings: list[OverlapOut] = Field(
        description="Other teams' visits of the household within 14 days (the plan is saved)."
    )


class VisitRecordIn(Schema):
    outcome: str = Field(description="met, not_home, refused or moved")
    notes: str = ""
    observed_needs: list[str] = Field(default_factory=list, description="Need domain keys.")


def visit_row(visit: Visit) -> dict:
    head = visit.household.head
    return {
        "id": visit.pk,
        "household_id": visit.household_id,
        "address": str(visit.household),
        "head_name": head.name if head else None,
        "dong_code": visit.household.dong.code,
        "planned_on": visit.planned_on,
        "kind": visit.kind,
        "team": visit.team,
        "status": visit.status,
        "outcome": visit.outcome,
        "notes": visit.notes,
        "observed_needs": visit.observed_needs or [],
        "done_at": visit.done_at,
        "lead_id": visit.lead_id,
        "case_id": visit.case_id,
        "planned_by_id": visit.planned_by_id,
        "members": [{"id": m.pk, "name": m.label, "role": m.role} for m in visit.members.all()],
    }


def overlap_row(warning: OverlapWarning) -> dict:
    return {
        "visit_id": warning.visit_id,
        "team": warning.team,
        "team_label": warning.team_label,
        "planned_on": warning.planned_on,
        "status": warning.status,
        "members": warning.members,
        "message": warning.message,
    }


@router.get("", response=VisitPage, summary="List visits you may see")
def list_visits(
    request: HttpRequest,
    day: dt.date | None = None,
    member_id: int | None = None,
    household_id: int | None = None,
    status: str = "",
    page: int = 1,
    page_size: int = 50,
):
    ids = visit_list_ids(
        user=request.user, day=day, member_id=member_id, household_id=household_id, status=status
    )
    # The page's ids are sorted on the visits alone; only its rows are loaded.
    result = paginate(ids, page=page, page_size=page_size)
    result["results"] = [
        visit_row(v) for v in visits_in_order(user=request.user, ids=list(result["results"]))
    ]
    audit_read(
        request=request,
        household_ids=sorted({r["household_id"] for r in result["results"]}),
        action="api_list",
    )
    return result


@router.get(
    "/overlaps",
    response={200: list[OverlapOut], 404: ErrorOut},
    summary="Other teams' visits near a date (the live warning)",
)
def overlaps(request: HttpRequest, household_id: int, planned_on: dt.date):
    household = household_get(user=request.user, household_id=household_id)
    warnings = visit_overlaps(
        household=household, planned_on=planned_on, team=team_of(request.user)
    )
    return [overlap_row(w) for w in warnings]


@router.get("/{visit_id}", response={200: VisitOut, 404: ErrorOut}, summary="One visit")
def get_visit(request: HttpRequest, visit_id: int):
    visit = visit_get(user=request.user, visit_id=visit_id)
    audit_read(request=request, household_id=visit.household_id, action="api_view")
    return visit_row(visit)


@router.post(
    "",
    response={200: VisitPlanOut, 201: VisitPlanOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Plan a visit on the shared calendar",
    description="The shared calendar's rule, as on the visit page: a visit of the household "
    "already planned within 3 days (any team, partner institutions included) gets the members "
    "as a joint visit (200, action joined, or existing when nothing changed); else a new visit "
    "is planned (201) and other teams' visits within 14 days come back as warnings. Never "
    "silently doubled.",
)
def plan_visit(request: HttpRequest, payload: VisitPlanIn):
    user = request.user
    household = household_get(user=user, household_id=payload.household_id)
    members = list(User.objects.filter(pk__in=payload.member_ids, is_active=True))
    if len(members) != len(set(payload.member_ids)):
        raise DomainError("invalid_member", _("Unknown member."), field="member_ids")
    lead = None
    if payload.lead_id is not None:
        lead = Lead.objects.filter(pk=payload.lead_id, household=household).first()
        if lead is None:
            raise NotFound()
    case = None
    if payload.case_id is not None:
        case = visit_case_for(user=user, case_id=payload.case_id, household=household)
        if case is None:
            raise NotFound()
    if payload.kind not in Visit.Kind.values:
        raise DomainError("invalid_kind", _("Unknown kind of visit."), field="kind")
    done = visit_schedule(
        actor=user,
        household=household,
        planned_on=payload.planned_on,
        members=members,
        kind=payload.kind,
        lead=lead,
        case=case,
        merge=payload.merge,
    )
    visit = visit_get(user=user, visit_id=done.visit.pk)
    body = {
        "visit": visit_row(visit),
        "action": done.action,
        "warnings": [overlap_row(w) for w in done.warnings],
    }
    return Status(201 if done.action == "planned" else 200, body)


@router.post(
    "/{visit_id}/record",
    response={200: VisitOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Record a visit's outcome",
)
def record_visit(request: HttpRequest, visit_id: int, payload: VisitRecordIn):
    visit = visit_get(user=request.user, visit_id=visit_id)
    visit_record(
        actor=request.user,
        visit=visit,
        outcome=payload.outcome,
        notes=payload.notes,
        observed_needs=payload.observed_needs,
    )
    return visit_row(visit_get(user=request.user, visit_id=visit_id))


@router.post(
    "/{visit_id}/cancel",
    response={200: VisitOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Cancel a planned visit",
)
def cancel_visit(request: HttpRequest, visit_id: int):
    visit = visit_get(user=request.user, visit_id=visit_id)
    visit_cancel(actor=request.user, visit=visit)
    return visit_row(visit_get(user=request.user, visit_id=visit_id))
