"""Reads of the audit trail: search for administrators. The unusual-access alerts, which
compare reads with each reader's assigned work, are composed in `maeul.hub.audit_alerts`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

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
    # Whole local days as a range of instants, so that the (username, at) and (at) indexes
    # serve it (`at__date` compares a computed local date and reads every row).
    if start:
        records = records.filter(at__gte=_day_start(start))
    if end:
        records = records.filter(at__lt=_day_start(end + dt.timedelta(days=1)))
    if purpose:
        records = records.filter(purpose=purpose)
    if action:
        records = records.filter(action=action)
    return records.order_by("-at", "-id")


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of `day` in the project's time zone (the day the reader means)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"
