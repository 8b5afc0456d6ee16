"""Reads of the audit trail: search for administrators. The unusual-access alerts, which
compare reads with each reader's assigned work, are composed in `maeul.hub.audit_alerts`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from maeul.accounts.models import AuditRecord, User
from maeul.accounts.permissions import require_administrator


def audit_search(
    *,
    user: User,
    household_id: int | None = None,
    username: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    purpose: str = "",
    action: str = "",
) -> QuerySet[AuditRecord]:
    """Audit records matching the filters, newest first. A household filter also finds the
    list views that showed it."""
    require_administrator(user)
    records = AuditRecord.objects.all()
    if household_id is not None:
        records = records.filter(
            Q(household_id=household_id) | Q(household_ids__contains=[household_id])
            if _json_contains_supported()
            else Q(household_id=household_id)
        )
    if username:
        records = records.filter(username=username)
    if start:
        records = records.filter(at__date__gte=start)
    if end:
        records = records.filter(at__date__lte=end)
    if purpose:
        records = records.filter(purpose=purpose)
    if action:
        records = records.filter(action=action)
    return records.order_by("-at", "-id")


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"
