"""Role checks shared by every app: services call `require_hub_staff`, views use
`maeul.web.staff_required`. Which households a user may see is `maeul.people.selectors`' business."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import Role, User
from maeul.errors import PermissionDenied


def require_hub_staff(user: User) -> None:
    """Case work is for the hub team and the gu team; volunteers and partners are refused."""
    if not user.is_authenticated or not user.is_hub_staff:
        raise PermissionDenied(_("Only hub staff may do this."))


def require_administrator(user: User) -> None:
    """The audit trail and its alerts are for administrators only."""
    if not (user.is_authenticated and user.role == Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only administrators may read the audit trail."))


def safe_next(request: HttpRequest, url: str | None, default: str) -> str:
    """`url` when it stays on this site, else `default` (no open redirect)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default
