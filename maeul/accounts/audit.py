"""Audit of reads: who read which household's record, when, from where, for what."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.utils import timezone

from maeul.accounts.models import AuditRecord


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
        purpose=purpose or request.GET.get("purpose", "")[:32],
    )
