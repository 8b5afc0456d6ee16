"""The audit trail in the API (administrators only)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from maeul.accounts.selectors import audit_search
from maeul.pagination import paginate
from maeul.web import ErrorOut

router = Router()


class AuditOut(Schema):
    id: int
    at: dt.datetime
    username: str
    action: str
    household_id: int | None = None
    household_ids: list[int]
    purpose: str
    ip: str | None = None
    path: str


class AuditPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AuditOut]


@router.get("", response={200: AuditPage, 403: ErrorOut}, summary="Search the audit trail")
def list_audit(
    request: HttpRequest,
    household: int | None = None,
    user: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    purpose: str = "",
    page: int = 1,
    page_size: int = 100,
):
    records = audit_search(
        user=request.user,
        household_id=household,
        username=user,
        start=start,
        end=end,
        purpose=purpose,
    )
    return paginate(records, page=page, page_size=page_size, max_size=500)
