"""Case management: open (with its plan and first follow-up), re-open, plan goals and case
conferences (seed 003's integrated case management). A case closes only when the team lead
approves its closure (`signoff`). Every edit is made from the version its editor read
(`cases.concurrency`)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.accounts.permissions import require_hub_staff
from maeul.cases.concurrency import version_bump, version_check
from maeul.cases.models import (
    Assessment,
    Case,
    Conference,
    Domain,
    Goal,
    SignOff,
)
from maeul.cases.services.follow_ups import follow_up_schedule
from maeul.errors import DomainError
from maeul.people.models import Household, TimelineEvent
from maeul.people.selectors import household_require_visible, households_visible_to
from maeul.people.services import event_record


@transaction.atomic
def case_open(
    *,
    actor: User,
    household: Household,
    kind: str,
    manager: User,
    assessment: Assessment | None = None,
    follow_up_every_days: int = 30,
) -> Case:
    """Put a household under case management (one open case per household) and schedule its
    first follow-up."""
    require_hub_staff(actor)
    household_require_visible(user=actor, household=household)
    if kind not in Case.Kind.values:
        raise DomainError("invalid_kind", _("Choose the kind of case."), field="kind")
    if not (1 <= int(follow_up_every_days) <= 365):
        raise DomainError(
            "invalid_interval",
            _("Follow-ups are every 1 to 365 days."),
            field="follow_up_every_days",
        )
    if (
        not manager.is_active
        or not manager.is_hub_staff
        or not households_visible_to(manager).filter(pk=household.pk).exists()
    ):
        raise DomainError(
            "invalid_manager",
            _("The case manager must be hub staff who works this household's dong."),
            field="manager",
        )
    if assessment is not None:
        if assessment.household_id != household.pk:
            raise DomainError(
                "invalid_assessment",
                _("The assessment is of another household."),
                field="assessment",
            )
        if assessment.consent_id is None:
            raise DomainError(
                "consent_required",
                _(
                    "Case management needs the household's consent to the use of personal information."
                ),
                field="assessment",
            )
    if Case.objects.filter(household=household, status=Case.Status.OPEN).exists():
        raise DomainError(
            "case_already_open",
            _("This household already has an open case."),
            field="household",
        )
    try:
        with transaction.atomic():
            case = Case.objects.create(
                household=household,
                dong_id=household.dong_id,
                kind=kind,
                manager=manager,
                assessment=assessment,
                opened_at=timezone.now(),
                follow_up_every_days=int(follow_up_every_days),
            )
    except IntegrityError as exc:  # a concurrent open of the same household
        raise DomainError(
            "case_already_open", _("This household already has an open case."), field="household"
        ) from exc
    follow_up_schedule(case, after=timezone.localdate())
    event_record(
        kind=TimelineEvent.Kind.CASE_OPENED,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=case,
        summary=f"{case.get_kind_display()} · {manager.label}",
    )
    return case


def _locked_case(actor: User, case: Case, expected_version: int | None = None) -> Case:
    """The case's row, locked for the edit, checked against the version the editor read."""
    require_hub_staff(actor)
    household_require_visible(user=actor, household=case.household)
    locked = Case.objects.select_for_update().select_related("household").get(pk=case.pk)
    version_check(locked, expected_version)
    return locked


def case_close_approved(*, actor: User, case: Case, signoff: SignOff) -> Case:
    """Close a case whose closure the team lead approved (`signoff`, approved, of this case,
    decided by someone else than who asked); follow-ups not yet done are dropped from the
    schedule. Called by `signoff.signoff_decide`, inside its transaction, with the case
    locked: there is no other way to close a case."""
    if (
        signoff.case_id != case.pk
        or signoff.subject != SignOff.Subject.CLOSURE
        or signoff.status != SignOff.Status.APPROVED
        or signoff.decided_by_id is None
        or signoff.decided_by_id == signoff.requested_by_id
    ):
        raise DomainError(
            "signoff_required", _("A case closes only when the team lead approves its closure.")
        )
    reason = signoff.close_reason
    if case.status != Case.Status.OPEN:
        raise DomainError("case_not_open", _("This case is already closed."))
    if reason not in Case.CloseReason.values:
        raise DomainError("invalid_reason", _("Choose the reason for closing."), field="reason")
    case.status = Case.Status.CLOSED
    case.closed_at = timezone.now()
    case.close_reason = reason
    case.save(update_fields=["status", "closed_at", "close_reason"])
    case.follow_ups.filter(done_at__isnull=True).delete()
    event_record(
        kind=TimelineEvent.Kind.CASE_CLOSED,
        dong_id=case.household.dong_id,
        household=case.household,
        actor=actor,
        subject=case,
        summary=str(case.get_close_reason_display()),
    )
    return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, expected_version: int | None = None) -> Case:
    """Re-open a closed case (the household's situation worsened again) and schedule a
    follow-up."""
    case = _locked_case(actor, case, expected_version)
    if case.status != Case.Status.CLOSED:
        raise DomainError("case_not_closed", _("This case is open."))
    if (
        Case.objects.filter(household_id=case.household_id, status=Case.Status.OPEN)
        .exclude(pk=case.pk)
        .exists()
    ):
        raise DomainError("case_already_open", _("This household already has an open case."))
    case.status = Case.Status.OPEN
    case.closed_at = None
    case.close_reason = ""
    case.save(update_fields=["status", "closed_at", "close_reason"])
    version_bump(case)
    follow_up_schedule(case, after=timezone.localdate())
    event_record(
        kind=TimelineEvent.Kind.CASE_REOPENED,
        dong_id=case.household.dong_id,
        household=case.household,
        actor=actor,
        subject=case,
    )
    return case


@transaction.atomic
def goal_add(
    *,
    actor: User,
    case: Case,
    domain: str,
    description: str,
    target_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Goal:
    """Add a goal to the individual service plan."""
    case = _locked_case(actor, case, expected_version)
    if case.status != Case.Status.OPEN:
        raise DomainError("case_not_open", _("The case is closed."))
    if domain not in Domain.values:
        raise DomainError("invalid_domain", _("Choose the need domain."), field="domain")
    if not description.strip():
        raise DomainError("goal_required", _("Describe the goal."), field="description")
    goal = Goal.objects.create(
        case=case, domain=domain, description=description.strip()[:300], target_on=target_on
    )
    version_bump(case)
    event_record(
        kind=TimelineEvent.Kind.PLAN_UPDATED,
        dong_id=case.household.dong_id,
        household=case.household,
        actor=actor,
        subject=goal,
        summary=f"+ {goal.get_domain_display()}: {goal.description}",
    )
    return goal


@transaction.atomic
def goal_update_status(
    *, actor: User, goal: Goal, status: str, expected_version: int | None = None
) -> Goal:
    case = _locked_case(actor, goal.case, expected_version)
    if status not in Goal.Status.values:
        raise DomainError("invalid_status", _("Unknown goal status."), field="status")
    goal = Goal.objects.get(pk=goal.pk)
    if goal.status == status:
        return goal
    goal.status = status
    goal.save(update_fields=["status"])
    version_bump(case)
    event_record(
        kind=TimelineEvent.Kind.PLAN_UPDATED,
        dong_id=case.household.dong_id,
        household=case.household,
        actor=actor,
        subject=goal,
        summary=f"{goal.get_domain_display()}: {goal.description} → {goal.get_status_display()}",
    )
    return goal


@transaction.atomic
def conference_record(
    *,
    actor: User,
    case: Case,
    held_on: dt.date,
    participants: str,
    notes: str = "",
    decisions: str = "",
    level: str = Conference.Level.DONG,
    expected_version: int | None = None,
) -> Conference:
    """Record a case conference (dong team, or the gu's integrated case conference)."""
    case = _locked_case(actor, case, expected_version)
    if level not in Conference.Level.values:
        raise DomainError("invalid_level", _("Choose the level."), field="level")
    if held_on is None or held_on > timezone.localdate():
        raise DomainError(
            "invalid_date", _("A conference is recorded after it was held."), field="held_on"
        )
    if not participants.strip():
        raise DomainError(
            "participants_required", _("List the participants."), field="participants"
        )
    conference = Conference.objects.create(
        case=case,
        level=level,
        held_on=held_on,
        participants=participants.strip()[:300],
        notes=notes.strip(),
        decisions=decisions.strip(),
        recorded_by=actor,
    )
    version_bump(case)
    event_record(
        kind=TimelineEvent.Kind.CONFERENCE_HELD,
        dong_id=case.household.dong_id,
        household=case.household,
        actor=actor,
        subject=conference,
        summary=f"{conference.get_level_display()} {held_on.isoformat()}",
    )
    return conference
