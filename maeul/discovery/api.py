"""Leads in the JSON API: the same scope (`leads_visible_to`), filters and services as the
pages, and the same audit of reads."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from maeul.accounts.audit import audit_read
from maeul.accounts.models import User
from maeul.accounts.permissions import require_hub_staff
from maeul.areas.models import Area
from maeul.discovery.models import Lead
from maeul.discovery.selectors import lead_get, lead_queue_ids, leads_in_order
from maeul.discovery.services import lead_assign, lead_register
from maeul.errors import DomainError
from maeul.pagination import paginate
from maeul.web import ErrorOut

router = Router()


class LeadOut(Schema):
    id: int
    dong_code: str
    dong: str
    household_id: int
    source: str
    urgency: str
    status: str
    match: str
    subject_name: str
    address: str
    description: str
    crisis_signals: list[str]
    assignee_id: int | None = None
    assignee: str | None = None
    due_at: dt.datetime
    created_at: dt.datetime
    closed_at: dt.datetime | None = None
    close_reason: str = ""
    overdue: bool


class LeadPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[LeadOut]


class LeadIn(Schema):
    dong_code: str = Field(..., description="10-digit administrative code of the dong")
    address: str
    subject_name: str
    subject_birth_date: dt.date | None = None
    subject_rrn: str | None = Field(None, description="Registration number, e.g. 900101-1234567")
    description: str = ""
    urgency: Lead.Urgency = Lead.Urgency.NORMAL
    source: Lead.Source = Lead.Source.STAFF
    crisis_signals: list[str] = Field(default_factory=list)
    reporter_name: str = ""
    reporter_phone: str = ""
    assignee_id: int | None = None


class AssignIn(Schema):
    assignee_id: int


def lead_row(lead: Lead) -> dict:
    return {
        "id": lead.pk,
        "dong_code": lead.dong.code,
        "dong": lead.dong.display_name,
        "household_id": lead.household_id,
        "source": lead.source,
        "urgency": lead.urgency,
        "status": lead.status,
        "match": lead.match,
        "subject_name": lead.subject_name,
        "address": lead.address,
        "description": lead.description,
        "crisis_signals": list(lead.crisis_signals or []),
        "assignee_id": lead.assignee_id,
        "assignee": lead.assignee.label if lead.assignee_id else None,
        "due_at": lead.due_at,
        "created_at": lead.created_at,
        "closed_at": lead.closed_at,
        "close_reason": lead.close_reason,
        "overdue": lead.is_overdue,
    }


def _user(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = User.objects.select_related("home_area").filter(pk=user_id).first()
    if user is None:
        raise DomainError("invalid_assignee", _("No such user."), field="assignee_id")
    return user


@router.get("", response=LeadPage, summary="The lead queue you may see")
def list_leads(
    request: HttpRequest,
    status: str = "",
    urgency: str = "",
    source: str = "",
    assignee: str = "",
    overdue: bool = False,
    dong: str = "",
    q: str = "",
    page: int = 1,
    page_size: int = 50,
):
    """Emergencies first, then by due time. `status=open` for every open status; `assignee`
    is `me`, `none` or a user id."""
    ids = lead_queue_ids(
        user=request.user,
        status=status or None,
        urgency=urgency or None,
        source=source or None,
        assignee=assignee or None,
        overdue=overdue,
        dong_code=dong or None,
        q=q,
    )
    # The page's ids are sorted on the leads alone; only its rows are loaded (lead_queue_ids).
    result = paginate(ids, page=page, page_size=page_size)
    result["results"] = [
        lead_row(lead) for lead in leads_in_order(user=request.user, ids=list(result["results"]))
    ]
    audit_read(
        request=request,
        household_ids=[r["household_id"] for r in result["results"]],
        action="api_list",
    )
    return result


@router.get("/{lead_id}", response={200: LeadOut, 404: ErrorOut}, summary="One lead")
def get_lead(request: HttpRequest, lead_id: int):
    lead = lead_get(user=request.user, lead_id=lead_id)
    audit_read(request=request, household_id=lead.household_id, action="api_view")
    return lead_row(lead)


@router.post(
    "",
    response={201: LeadOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Register a lead (hub staff)",
)
def create_lead(request: HttpRequest, payload: LeadIn):
    """Matched to a known household of the gu, or registers a new one."""
    require_hub_staff(request.user)
    actor = request.user
    dong = Area.objects.filter(code=payload.dong_code, level=Area.Level.DONG).first()
    if dong is None:
        raise DomainError("invalid_area", _("Unknown dong code."), field="dong_code")
    lead = lead_register(
        actor=actor,
        source=payload.source,
        dong=dong,
        address=payload.address,
        subject_name=payload.subject_name,
        subject_birth_date=payload.subject_birth_date,
        subject_rrn=payload.subject_rrn,
        description=payload.description,
        urgency=payload.urgency,
        crisis_signals=payload.crisis_signals,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        assignee=_user(payload.assignee_id),
    )
    return Status(201, lead_row(lead_get(user=actor, lead_id=lead.pk)))


@router.post(
    "/{lead_id}/assign",
    response={200: LeadOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Assign a lead to hub staff of its dong or the gu team",
)
def assign_lead(request: HttpRequest, lead_id: int, payload: AssignIn):
    require_hub_staff(request.user)
    actor = request.user
    lead = lead_get(user=actor, lead_id=lead_id)
    lead_assign(actor=actor, lead=lead, assignee=_user(payload.assignee_id))
    return lead_row(lead_get(user=actor, lead_id=lead.pk))
