"""Audit of reads: who read which household's record, when, from where, for what."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.utils import timezone

from maeul.accounts.models import AuditRecord

#: Why a record was read (PIPA art. 29 access logs record the purpose of processing).
PURPOSES = ("case_work", "visit", "supervision", "care_visit", "referral", "export", "audit")


def read_purpose(request: HttpRequest, action: str) -> str:
    """The purpose a read serves: stated in the request (`?purpose=visit` from a visit plan),
    else what the reader's role reads records for."""
    stated = request.GET.get("purpose", "")
    if stated in PURPOSES:
        return stated
    user = request.user
    if "export" in action:
        return "export"
    if getattr(user, "is_volunteer", False):
        return "care_visit"
    if getattr(user, "is_partner", False):
        return "referral"
    if getattr(user, "is_gu_level", False):
        return "supervision"
    return "case_work"


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def audit_read(
    *,
    request: HttpRequest,
    household_id: int | None = None,
    household_ids: Iterable[int] = (),
    action: str = "view",
    purpose: str = "",
) -> AuditRecord:
    """Record that the request's user read one household (`household_id`) or a list of them."""
    user = request.user
    return AuditRecord.objects.create(
        user=user if user.is_authenticated else None,
        username=getattr(user, "username", "") or "",
        at=timezone.now(),
        action=action,
        household_id=household_id,
        household_ids=list(household_ids),
        path=request.get_full_path()[:300],
        ip=_client_ip(request),
        purpose=purpose or read_purpose(request, action),
    )
