"""Linkages: a public benefit, a private resource, a referral to a partner institution or
emergency aid, from proposed to provided or declined.

A referral to a partner is a state machine the partner works in its portal: received (stored
as `proposed`) → accepted or declined (a reason from the list, and text) → served (stored as
`provided`: the date and what was provided) or returned; the hub may withdraw it while it is
open. Each referral has a deadline to answer (`due_at`); `referrals_chase`, run daily by the
worker, reminds the partner of a referral left unanswered past it, and escalates it to the case
worker a day later."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.accounts.permissions import require_hub_staff
from maeul.cases.models import (
    Assessment,
    Case,
    Linkage,
)
from maeul.discovery.notify import bilingual, notify_contact
from maeul.errors import DomainError, NotFound
from maeul.people.models import Consent, Domain, Household, Programme, TimelineEvent
from maeul.people.selectors import (
    household_consents_to,
    household_require_visible,
    households_visible_to,
)
from maeul.people.services import benefit_start, event_record
from maeul.resources.models import PartnerInstitution, Resource, Service
from maeul.resources.selectors import partners_in_reach, resources_in_reach, services_in_reach

#: Allowed linkage status transitions (proposed → requested → provided; declined from the
#: first two). Provided and declined are final.
LINKAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    Linkage.Status.PROPOSED: frozenset({Linkage.Status.REQUESTED, Linkage.Status.DECLINED}),
    Linkage.Status.REQUESTED: frozenset({Linkage.Status.PROVIDED, Linkage.Status.DECLINED}),
    Linkage.Status.PROVIDED: frozenset(),
    Linkage.Status.DECLINED: frozenset(),
}
S = Linkage.Status
#: A referral's transitions (received = proposed, served = provided).
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.PROVIDED, S.RETURNED, S.WITHDRAWN}),
}
#: The partner answers and reports the outcome; the hub may only withdraw a referral.
PARTNER_TARGETS = frozenset({S.ACCEPTED, S.DECLINED, S.PROVIDED, S.RETURNED})
HUB_REFERRAL_TARGETS = frozenset({S.WITHDRAWN})
#: Days a partner has to answer a referral, unless the hub sets another deadline.
REFERRAL_ANSWER_DAYS = 3
#: After the reminder, a referral still unanswered goes to the case worker this much later.
ESCALATE_AFTER = dt.timedelta(days=1)


@transaction.atomic
def linkage_propose(
    *,
    actor: User,
    household: Household,
    kind: str,
    programme: str = "",
    resource: Resource | None = None,
    partner: PartnerInstitution | None = None,
    description: str = "",
    amount: int | None = None,
    case: Case | None = None,
    assessment: Assessment | None = None,
    due_on: dt.date | None = None,
    domain: str = "",
    service: Service | None = None,
) -> Linkage:
    """Propose a service for a household: a public benefit (a programme), a private resource, a
    referral to a partner institution, or emergency aid. Only a partner or resource within the
    actor's reach (`partners_in_reach`, `resources_in_reach`: their dongs and the gu above) can
    be linked; any other is treated as not existing (NotFound), whoever calls."""
    require_hub_staff(actor)
    household_require_visible(user=actor, household=household)
    if kind not in Linkage.Kind.values:
        raise DomainError("invalid_kind", _("Choose the kind of linkage."), field="kind")
    if domain and domain not in Domain.values:
        raise DomainError("invalid_domain", _("Unknown need domain."), field="domain")
    if service is not None:
        if not services_in_reach(actor).filter(pk=service.pk).exists():
            raise NotFound(_("Unknown service."))
        if partner is None and kind == Linkage.Kind.PARTNER_REFERRAL:
            partner = service.organization
        if partner is not None and partner.pk != service.organization_id:
            raise DomainError(
                "invalid_service", _("The service is of another organisation."), field="service"
            )
        if domain and service.domains and domain not in service.domains:
            raise DomainError(
                "invalid_domain", _("The service does not meet that need."), field="domain"
            )
    if partner is not None and not partners_in_reach(actor).filter(pk=partner.pk).exists():
        raise NotFound(_("Unknown partner."))
    if resource is not None and not resources_in_reach(actor).filter(pk=resource.pk).exists():
        raise NotFound(_("Unknown resource."))
    if kind == Linkage.Kind.PARTNER_REFERRAL and partner is None:
        raise DomainError(
            "partner_required", _("A referral needs a partner institution."), field="partner"
        )
    if kind == Linkage.Kind.PARTNER_REFERRAL:
        # Giving a partner the household's details is provision to a third party (PIPA
        # art. 17): it needs the household's consent to referrals.
        if not household_consents_to(household, Consent.Scope.REFERRAL):
            raise DomainError(
                "referral_consent_required",
                _("The household has not consented to referrals to partner institutions."),
                field="partner",
            )
    if kind == Linkage.Kind.PUBLIC_BENEFIT and programme not in Programme.values:
        raise DomainError(
            "programme_required", _("A public benefit needs a programme."), field="programme"
        )
    if programme and programme not in Programme.values:
        raise DomainError("invalid_programme", _("Unknown programme."), field="programme")
    if kind == Linkage.Kind.PRIVATE_RESOURCE and resource is None and not description.strip():
        raise DomainError(
            "resource_required",
            _("Choose the resource or describe it."),
            field="resource",
        )
    if amount is not None and amount < 0:
        raise DomainError("invalid_amount", _("The amount cannot be negative."), field="amount")
    now = timezone.now()
    due_at = None
    if kind == Linkage.Kind.PARTNER_REFERRAL:
        if due_on is not None and due_on < timezone.localdate():
            raise DomainError(
                "invalid_due", _("The answer cannot be due in the past."), field="due_on"
            )
        due_at = (
            dt.datetime.combine(due_on, dt.time(18), tzinfo=timezone.get_current_timezone())
            if due_on is not None
            else now + dt.timedelta(days=REFERRAL_ANSWER_DAYS)
        )
    if case is not None and case.household_id != household.pk:
        raise DomainError("invalid_case", _("The case is of another household."), field="case")
    if assessment is not None and assessment.household_id != household.pk:
        raise DomainError(
            "invalid_assessment", _("The assessment is of another household."), field="assessment"
        )
    linkage = Linkage.objects.create(
        household=household,
        dong_id=household.dong_id,
        case=case,
        assessment=assessment,
        kind=kind,
        programme=programme,
        resource=resource,
        partner=partner,
        description=description.strip()[:300],
        amount=amount,
        domain=domain,
        service=service,
        proposed_by=actor,
        proposed_at=now,
        due_at=due_at,
    )
    event_record(
        kind=TimelineEvent.Kind.LINKAGE_PROPOSED,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=linkage,
        amount=amount,
        summary=linkage_label(linkage),
    )
    return linkage


def linkage_label(linkage: Linkage) -> str:
    parts = [str(linkage.get_kind_display())]
    if linkage.programme:
        parts.append(str(Programme(linkage.programme).label))
    if linkage.partner is not None:
        parts.append(linkage.partner.name)
    if linkage.resource is not None:
        parts.append(linkage.resource.name)
    if linkage.description:
        parts.append(linkage.description)
    return " · ".join(parts)


def linkage_may_update(actor: User, linkage: Linkage) -> bool:
    """Hub staff of the household's area, or the partner the referral was made to."""
    if actor.is_partner:
        return (
            actor.partner_id is not None
            and linkage.kind == Linkage.Kind.PARTNER_REFERRAL
            and linkage.partner_id == actor.partner_id
        )
    return (
        actor.is_hub_staff and households_visible_to(actor).filter(pk=linkage.household_id).exists()
    )


def linkage_targets(actor: User, linkage: Linkage) -> set[str]:
    """The statuses this actor may move the linkage to now."""
    if linkage.kind == Linkage.Kind.PARTNER_REFERRAL:
        allowed = set(REFERRAL_TRANSITIONS.get(linkage.status, frozenset()))
        return allowed & set(PARTNER_TARGETS if actor.is_partner else HUB_REFERRAL_TARGETS)
    if actor.is_partner:
        return set()
    return set(LINKAGE_TRANSITIONS.get(linkage.status, frozenset()))


def _check_outcome(
    linkage: Linkage, status: str, reason: str, note: str, served_on: dt.date | None
) -> dt.date | None:
    if linkage.kind != Linkage.Kind.PARTNER_REFERRAL:
        return served_on
    if status == S.DECLINED:
        if reason not in Linkage.DeclineReason.values:
            raise DomainError(
                "reason_required", _("Choose why the referral is declined."), field="reason"
            )
        if reason == Linkage.DeclineReason.OTHER and not note:
            raise DomainError("note_required", _("Say why the referral is declined."), field="note")
    if status == S.RETURNED and not note:
        raise DomainError("note_required", _("Say why the referral is returned."), field="note")
    if status == S.PROVIDED:
        if not note:
            raise DomainError("note_required", _("Say what was provided."), field="note")
        today = timezone.localdate()
        served_on = served_on or today
        if served_on > today or served_on < timezone.localdate(linkage.proposed_at):
            raise DomainError(
                "invalid_served_on",
                _("The service date must be between the referral and today."),
                field="served_on",
            )
    return served_on


@transaction.atomic
def linkage_update(
    *,
    actor: User,
    linkage: Linkage,
    status: str,
    reason: str = "",
    note: str = "",
    served_on: dt.date | None = None,
) -> Linkage:
    """Move a linkage on. Public benefits, resources and aid: proposed → requested → provided
    (or declined before provided), by hub staff. A referral: its partner accepts or declines it
    (with a reason from the list, and text), then reports it served (date, what was provided)
    or returned; the hub may withdraw it while open. Any other move is refused. A public
    benefit provided starts the household's benefit record."""
    if not linkage_may_update(actor, linkage):
        raise NotFound()
    linkage = Linkage.objects.select_for_update().select_related("household").get(pk=linkage.pk)
    if status not in Linkage.Status.values:
        raise DomainError("invalid_status", _("Unknown status."), field="status")
    if status not in linkage_targets(actor, linkage):
        raise DomainError(
            "invalid_transition",
            _("A linkage cannot go from %(old)s to %(new)s.")
            % {"old": linkage.status_label, "new": Linkage.Status(status).label},
            field="status",
        )
    note = note.strip()
    served_on = _check_outcome(linkage, status, reason, note, served_on)
    linkage.status = status
    linkage.updated_at = timezone.now()
    fields = ["status", "updated_at"]
    if linkage.kind == Linkage.Kind.PARTNER_REFERRAL:
        if status == S.DECLINED:
            linkage.decline_reason = reason
        if status == S.PROVIDED:
            linkage.served_on = served_on
        if note:
            linkage.outcome_note = note
        fields += ["decline_reason", "served_on", "outcome_note"]
    linkage.save(update_fields=fields)
    kinds: dict[str, str] = {
        Linkage.Status.PROVIDED: TimelineEvent.Kind.LINKAGE_PROVIDED,
        Linkage.Status.DECLINED: TimelineEvent.Kind.LINKAGE_DECLINED,
    }
    kind = kinds.get(status)
    if kind is not None:
        event_record(
            kind=kind,
            dong_id=linkage.household.dong_id,
            household=linkage.household,
            actor=actor,
            subject=linkage,
            amount=linkage.amount,
            summary=linkage_label(linkage),
        )
    if status == S.PROVIDED and linkage.kind == Linkage.Kind.PUBLIC_BENEFIT and linkage.programme:
        # "People subject to welfare" counts benefit records: a benefit provided starts one.
        benefit_start(
            actor=actor,
            household=linkage.household,
            programme=linkage.programme,
            started_on=timezone.localdate(),
            monthly_amount=linkage.amount,
        )
    return linkage


# Deadlines: reminders and escalation ------------------------------------------------------


def _referral_text(linkage: Linkage, *, escalated: bool) -> tuple[str, str]:
    def subject() -> str:
        if escalated:
            return str(_("[maeul] A referral was not answered: no. %(id)s") % {"id": linkage.pk})
        return str(_("[maeul] A referral waits for your answer: no. %(id)s") % {"id": linkage.pk})

    def body() -> str:
        values = {
            "id": linkage.pk,
            "partner": linkage.partner.name if linkage.partner else "",
            "date": timezone.localtime(linkage.proposed_at).strftime("%Y-%m-%d"),
            "due": timezone.localtime(linkage.due_at).strftime("%Y-%m-%d %H:%M")
            if linkage.due_at
            else "",
        }
        if escalated:
            return str(
                _(
                    "Referral no. %(id)s to %(partner)s, sent on %(date)s, is still unanswered "
                    "after its deadline (%(due)s) and a reminder. Please call the partner or "
                    "refer the household elsewhere."
                )
                % values
            )
        return str(
            _(
                "Referral no. %(id)s, sent to %(partner)s on %(date)s, was due to be answered "
                "by %(due)s. Please accept or decline it in the partner portal."
            )
            % values
        )

    return bilingual(subject).split("\n\n")[0], bilingual(body)


def _household_withheld(linkage: Linkage) -> list[str]:
    household = linkage.household
    return [household.address, household.address_detail] + [m.name for m in household.members.all()]


@transaction.atomic
def referrals_chase(*, now: dt.datetime | None = None) -> dict[str, int]:
    """A system job (run daily by the worker, `manage.py referrals_chase`): remind the partner
    of each referral still unanswered past its deadline, and escalate to the case worker (the
    case's manager, else who referred) each one still unanswered a day after the reminder.
    Messages name the referral by number, never the household."""
    now = now or timezone.now()
    waiting = (
        Linkage.objects.select_for_update(of=("self",))
        .filter(
            kind=Linkage.Kind.PARTNER_REFERRAL,
            status=Linkage.Status.PROPOSED,
            due_at__lt=now,
            escalated_at__isnull=True,
        )
        .select_related("partner", "household", "case__manager", "proposed_by")
        .order_by("due_at", "id")
    )
    reminded = escalated = 0
    for linkage in waiting:
        if linkage.reminded_at is None:
            subject, body = _referral_text(linkage, escalated=False)
            contacts = linkage.partner.contacts.filter(is_active=True) if linkage.partner else []
            for contact in contacts:
                notify_contact(
                    email=contact.email,
                    phone=contact.phone,
                    purpose="referral_reminder",
                    subject=subject,
                    body=body,
                    about=linkage,
                    withhold=_household_withheld(linkage),
                )
            Linkage.objects.filter(pk=linkage.pk).update(reminded_at=now)
            reminded += 1
        elif now >= linkage.reminded_at + ESCALATE_AFTER:
            worker = linkage.case.manager if linkage.case is not None else linkage.proposed_by
            subject, body = _referral_text(linkage, escalated=True)
            notify_contact(
                email=worker.email,
                phone=worker.phone,
                purpose="referral_escalation",
                subject=subject,
                body=body,
                about=linkage,
                withhold=_household_withheld(linkage),
            )
            Linkage.objects.filter(pk=linkage.pk).update(escalated_at=now)
            escalated += 1
    return {"reminded": reminded, "escalated": escalated}
