"""Role checks shared by every app: services call `require_hub_staff`, views use
`staff_required`. Which households a user may see is `maeul.people.selectors`' business."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.errors import PermissionDenied


def require_hub_staff(user: User) -> None:
    """Case work is for the hub team and the gu team; volunteers and partners are refused."""
    if not user.is_authenticated or not user.is_hub_staff:
        raise PermissionDenied(_("Only hub staff may do this."))


def staff_required(view):
    """Hub staff only: anonymous users go to the login page, others get 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_hub_staff:
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
