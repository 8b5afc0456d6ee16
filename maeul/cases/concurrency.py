"""Optimistic locking of a case: two officials who opened the same case page and both save
must not lose one another's update. Every edit of a case (plan, conference, sign-off,
closure, re-opening) is made from the version the editor read (`Case.version`): the service
locks the row, refuses an edit made from an older version with `EditConflict` (HTTP 409 in
the API, an explicit message on the page) and adds one to the version of the edit it makes."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from maeul.cases.models import Case
from maeul.errors import DomainError


class EditConflict(DomainError):
    """Someone else changed the case since the editor read it; nothing was written."""

    status = 409

    def __init__(self, *, current: int) -> None:
        super().__init__(
            "edit_conflict",
            _(
                "Someone else changed this case while you were editing it, so your change "
                "was not saved. The page now shows the case as it is; check it and make "
                "your change again."
            ),
        )
        self.current = current


def version_check(case: Case, expected_version: int | None) -> None:
    """Refuse an edit made from another version than the locked row's (None: the caller
    holds no version — an internal edit, e.g. a visit that serves a follow-up)."""
    if expected_version is not None and int(expected_version) != case.version:
        raise EditConflict(current=case.version)


def version_bump(case: Case) -> None:
    """One more version for the edit just made (the row is locked by the caller)."""
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
    case.version += 1
