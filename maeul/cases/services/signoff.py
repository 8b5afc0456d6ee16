"""The team lead's sign-off of a case plan or a case closure (integrated case management):
the case worker asks, the team lead (a welfare manager of the dong, or the gu's case team)
approves or returns it with a comment. An approved closure closes the case: no other path
(page, API, service) closes one."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import Role, User
from maeul.cases.concurrency import version_bump, version_check
from maeul.cases.models import Case, SignOff
from maeul.cases.selectors import cases_visible_to
from maeul.cases.services.management import case_close_approved
from maeul.errors import DomainError, NotFound, PermissionDenied

#: Who signs off: the dong's welfare manager (team lead) and the gu's integrated-case team.
LEAD_ROLES = frozenset({Role.WELFARE_MANAGER, Role.GU_TEAM})


def is_team_lead(user: User) -> bool:
    return user.is_authenticated and user.role in LEAD_ROLES


@transaction.atomic
def signoff_request(
    *,
    actor: User,
    case: Case,
    subject: str,
    note: str = "",
    close_reason: str = "",
    expected_version: int | None = None,
) -> SignOff:
    """Ask the team lead to sign off the case's plan, or its closure (with the reason): the
    one way to close a case."""
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise NotFound()
    case = Case.objects.select_for_update().get(pk=case.pk)
    version_check(case, expected_version)
    if subject not in SignOff.Subject.values:
        raise DomainError("invalid_subject", _("Plan or closure?"), field="subject")
    if case.status != Case.Status.OPEN:
        raise DomainError("case_not_open", _("This case is already closed."))
    if subject == SignOff.Subject.PLAN and not case.goals.exists():
        raise DomainError("plan_empty", _("The plan has no goal yet."), field="subject")
    if subject == SignOff.Subject.CLOSURE and close_reason not in Case.CloseReason.values:
        raise DomainError(
            "invalid_reason", _("Choose the reason for closing."), field="close_reason"
        )
    try:
        with transaction.atomic():
            signoff = SignOff.objects.create(
                case=case,
                subject=subject,
                close_reason=close_reason if subject == SignOff.Subject.CLOSURE else "",
                requested_by=actor,
                requested_at=timezone.now(),
                note=note.strip(),
            )
    except IntegrityError as exc:
        raise DomainError(
            "signoff_pending", _("A sign-off of this is already waiting."), field="subject"
        ) from exc
    version_bump(case)
    return signoff


def signoffs_waiting(*, user: User) -> QuerySet[SignOff]:
    """What waits for this team lead's sign-off (none for anyone else)."""
    if not is_team_lead(user):
        return SignOff.objects.none()
    return (
        SignOff.objects.filter(case__in=cases_visible_to(user), status=SignOff.Status.PENDING)
        .exclude(requested_by=user)
        .select_related("case", "case__household", "case__manager", "requested_by")
        .prefetch_related("case__household__members")
        .order_by("requested_at", "id")
    )


@transaction.atomic
def signoff_decide(
    *,
    actor: User,
    signoff: SignOff,
    approve: bool,
    comment: str = "",
    expected_version: int | None = None,
) -> SignOff:
    """Approve, or return with a comment. A closure approved closes the case."""
    if not cases_visible_to(actor).filter(pk=signoff.case_id).exists():
        raise NotFound()
    if not is_team_lead(actor):
        raise PermissionDenied(_("Only the team lead signs off."))
    case = Case.objects.select_for_update().select_related("household").get(pk=signoff.case_id)
    version_check(case, expected_version)
    signoff = SignOff.objects.select_for_update().get(pk=signoff.pk)
    if signoff.status != SignOff.Status.PENDING:
        raise DomainError("signoff_decided", _("This sign-off was already decided."))
    if signoff.requested_by_id == actor.pk:
        raise PermissionDenied(_("Someone else signs off what you asked for."))
    comment = comment.strip()
    if not approve and not comment:
        raise DomainError("comment_required", _("Say why it is returned."), field="comment")
    signoff.status = SignOff.Status.APPROVED if approve else SignOff.Status.RETURNED
    signoff.decided_by, signoff.decided_at, signoff.comment = actor, timezone.now(), comment
    signoff.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    if approve and signoff.subject == SignOff.Subject.CLOSURE:
        case_close_approved(actor=actor, case=case, signoff=signoff)
    version_bump(case)
    return signoff
