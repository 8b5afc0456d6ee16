"""Linkages: a public benefit, a private resource, a referral to a partner institution or
emergency aid, from proposed to provided or declined."""

from __future__ import annotations

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
from maeul.errors import DomainError, NotFound
from maeul.people.models import Consent, Household, Programme, TimelineEvent
from maeul.people.selectors import (
    household_consents_to,
    household_require_visible,
    households_visible_to,
)
from maeul.people.services import event_record
from maeul.resources.models import PartnerInstitution, Resource
from maeul.resources.selectors import partners_in_reach, resources_in_reach

#: Allowed linkage status transitions (proposed → requested → provided; declined from the
#: first two). Provided and declined are final.
LINKAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    Linkage.Status.PROPOSED: frozenset({Linkage.Status.REQUESTED, Linkage.Status.DECLINED}),
    Linkage.Status.REQUESTED: frozenset({Linkage.Status.PROVIDED, Linkage.Status.DECLINED}),
    Linkage.Status.PROVIDED: frozenset(),
    Linkage.Status.DECLINED: frozenset(),
}
#: A partner may only say whether it served a referral (and skip "requested").
PARTNER_TARGETS = frozenset({Linkage.Status.PROVIDED, Linkage.Status.DECLINED})


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
) -> Linkage:
    """Propose a service for a household: a public benefit (a programme), a private resource, a
    referral to a partner institution, or emergency aid. Only a partner or resource within the
    actor's reach (`partners_in_reach`, `resources_in_reach`: their dongs and the gu above) can
    be linked; any other is treated as not existing (NotFound), whoever calls."""
    require_hub_staff(actor)
    household_require_visible(user=actor, household=household)
    if kind not in Linkage.Kind.values:
        raise DomainError("invalid_kind", _("Choose the kind of linkage."), field="kind")
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
        proposed_by=actor,
        proposed_at=timezone.now(),
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


@transaction.atomic
def linkage_update(*, actor: User, linkage: Linkage, status: str) -> Linkage:
    """Move a linkage along proposed → requested → provided (or declined before provided).
    A partner contact may mark a referral to their institution provided or declined."""
    if not linkage_may_update(actor, linkage):
        raise NotFound()
    linkage = Linkage.objects.select_for_update().select_related("household").get(pk=linkage.pk)
    if status not in Linkage.Status.values:
        raise DomainError("invalid_status", _("Unknown status."), field="status")
    allowed: set[str] = set(LINKAGE_TRANSITIONS[linkage.status])
    if actor.is_partner:
        allowed = (
            set(PARTNER_TARGETS)
            if linkage.status
            in (
                Linkage.Status.PROPOSED,
                Linkage.Status.REQUESTED,
            )
            else set()
        )
    if status not in allowed:
        raise DomainError(
            "invalid_transition",
            _("A linkage cannot go from %(old)s to %(new)s.")
            % {"old": linkage.get_status_display(), "new": Linkage.Status(status).label},
            field="status",
        )
    linkage.status = status
    linkage.updated_at = timezone.now()
    linkage.save(update_fields=["status", "updated_at"])
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
    return linkage
