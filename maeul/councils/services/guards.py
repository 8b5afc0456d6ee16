"""Who may write a council's records: hub staff of the council's area (their dong's council
and the gu's), the gu team for what is the gu's alone (survey rounds, the annual plan)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from maeul.accounts.models import User
from maeul.councils.models import Council
from maeul.councils.selectors import councils_visible_to
from maeul.errors import NotFound, PermissionDenied


def _require_manager(actor: User, council: Council) -> None:
    """Hub staff manage the councils they see (their dong's, the gu's); members do not."""
    if not actor.is_authenticated or not actor.is_hub_staff:
        raise PermissionDenied(_("Only hub staff and the gu team manage councils."))
    if not councils_visible_to(actor).filter(pk=council.pk).exists():
        raise NotFound()


def _require_gu_team(actor: User) -> None:
    if not actor.is_authenticated or not actor.is_gu_level:
        raise PermissionDenied(_("Only the gu team runs survey rounds."))
