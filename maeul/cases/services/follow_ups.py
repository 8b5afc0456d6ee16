"""Follow-ups of a case and the visits that serve them. `cases` is the one writer of
follow-ups; `visits` calls these when a visit for a case is planned, recorded or cancelled
(the one listed exception to the app order, in pyproject's import-linter contract: a visit
serves a follow-up, and a case's page shows its visits)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.cases.models import (
    Case,
    FollowUp,
)
from maeul.cases.selectors import cases_visible_to
from maeul.errors import DomainError
from maeul.people.models import Household


def follow_up_schedule(case: Case, *, after: dt.date) -> FollowUp:
    return FollowUp.objects.create(
        case=case, due_on=after + dt.timedelta(days=case.follow_up_every_days)
    )


@transaction.atomic
def follow_up_complete(*, actor: User, follow_up: FollowUp, visit=None) -> FollowUp | None:
    """Mark a follow-up done and schedule the next one: next due = this one done + every N
    days of the case. Returns the next follow-up (None when the case is closed)."""
    follow_up = FollowUp.objects.select_for_update().select_related("case").get(pk=follow_up.pk)
    if follow_up.done_at is not None:
        raise DomainError("follow_up_done", _("This follow-up is already done."))
    now = timezone.now()
    follow_up.done_at = now
    if visit is not None:
        follow_up.visit = visit
    follow_up.save(update_fields=["done_at", "visit"])
    case = follow_up.case
    if case.status != Case.Status.OPEN:
        return None
    return follow_up_schedule(case, after=timezone.localdate(now))


def case_for_visit(*, user: User, case_id: int | None, household: Household) -> Case | None:
    """The case of `household` a visit is to serve, if the user may see it (None otherwise:
    out of sight and missing look the same)."""
    if case_id is None:
        return None
    return cases_visible_to(user).filter(pk=case_id, household=household).first()


def case_check_for_visit(*, case: Case, household: Household) -> None:
    if case.household_id != household.pk:
        raise DomainError("invalid_case", _("The case is about another household."), field="case")
    if case.status != Case.Status.OPEN:
        raise DomainError("case_closed", _("The case is closed."), field="case")


def follow_up_visit_planned(*, case: Case, visit) -> None:
    """The case's earliest follow-up without a visit is to be served by this one."""
    follow_up = (
        FollowUp.objects.filter(case=case, done_at__isnull=True, visit__isnull=True)
        .order_by("due_on")
        .first()
    )
    if follow_up is not None:
        FollowUp.objects.filter(pk=follow_up.pk).update(visit=visit)


def follow_up_visit_recorded(*, actor: User, visit, served: bool) -> None:
    """A visit for a case was recorded. When it served the household (`served`: met, refused
    or moved) its follow-up is done and the next one scheduled; otherwise (not at home) the
    follow-up waits for another visit."""
    follow_up = (
        FollowUp.objects.filter(visit=visit, done_at__isnull=True).first()
        or FollowUp.objects.filter(case_id=visit.case_id, done_at__isnull=True, visit__isnull=True)
        .order_by("due_on")
        .first()
    )
    if follow_up is None:
        return
    if served:
        follow_up_complete(actor=actor, follow_up=follow_up, visit=visit)
    else:
        FollowUp.objects.filter(pk=follow_up.pk).update(visit=None)


def follow_ups_release(*, visit) -> None:
    """A cancelled visit: the follow-up it was to serve is free for another visit."""
    FollowUp.objects.filter(visit=visit, done_at__isnull=True).update(visit=None)
