"""Writes on assessments, cases (plan, follow-ups, conferences) and linkages. Each service
runs in one transaction and writes the timeline event the indicators count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.accounts.permissions import require_hub_staff
from maeul.cases.models import (
    Assessment,
    Case,
    Conference,
    Domain,
    FollowUp,
    Goal,
    Linkage,
)
from maeul.errors import DomainError, NotFound
from maeul.people.models import Consent, Household, Programme, TimelineEvent
from maeul.people.selectors import household_require_visible, households_visible_to
from maeul.people.services import event_record
from maeul.resources.models import PartnerInstitution, Resource
from maeul.resources.selectors import partners_in_reach, resources_in_reach

CASE_DECISIONS = frozenset({Assessment.Decision.CASE_GENERAL, Assessment.Decision.CASE_INTENSIVE})

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


# --- assessment -------------------------------------------------------------------------


def _clean_needs(needs: Mapping[str, object]) -> dict[str, int]:
    unknown = [key for key in needs if key not in Domain.values]
    if unknown:
        raise DomainError(
            "invalid_domain",
            _("Unknown need domain: %(domain)s") % {"domain": ", ".join(map(str, unknown))},
            field="needs",
        )
    clean: dict[str, int] = {}
    for domain in Domain.values:
        value = needs.get(domain, 0)
        try:
            level = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            level = -1
        if isinstance(value, bool) or level not in (0, 1, 2, 3) or str(value).strip() != str(level):
            raise DomainError(
                "invalid_need_level",
                _("The need level of %(domain)s must be 0, 1, 2 or 3.")
                % {"domain": Domain(domain).label},
                field=f"need_{domain}",
            )
        clean[domain] = level
    return clean


def _is_blind_spot(household: Household, *, today: dt.date) -> bool:
    """In need and receiving nothing (DOMAIN.md "blind spot discovered"): no benefit running
    today, no service provided, and never counted before."""
    if household.benefits.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today), started_on__lte=today
    ).exists():
        return False
    if Linkage.objects.filter(household=household, status=Linkage.Status.PROVIDED).exists():
        return False
    return not TimelineEvent.objects.filter(
        household=household, kind=TimelineEvent.Kind.BLIND_SPOT_DISCOVERED
    ).exists()


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    household: Household,
    needs: Mapping[str, object],
    overall_risk: str,
    decision: str,
    consent_given: bool,
    consent_scopes: Iterable[str] = (),
    consent_date: dt.date | None = None,
    visit=None,
    summary: str = "",
) -> Assessment:
    """Record a needs assessment. Case management needs the household's consent to the use of
    its personal information (PIPA art. 15); the consent is recorded with its scopes. A
    household in need that received nothing before is a blind spot discovered (counted once)."""
    from maeul.discovery.models import Lead

    require_hub_staff(actor)
    household_require_visible(user=actor, household=household)
    clean_needs = _clean_needs(needs)
    if overall_risk not in Assessment.Risk.values:
        raise DomainError("invalid_risk", _("Choose the overall risk."), field="overall_risk")
    if decision not in Assessment.Decision.values:
        raise DomainError("invalid_decision", _("Choose the decision."), field="decision")
    if decision in CASE_DECISIONS and not consent_given:
        raise DomainError(
            "consent_required",
            _("Case management needs the household's consent to the use of personal information."),
            field="consent_given",
        )
    scopes = list(dict.fromkeys(consent_scopes)) or [Consent.Scope.HUB]
    if any(s not in Consent.Scope.values for s in scopes):
        raise DomainError("invalid_scope", _("Unknown consent scope."), field="consent_scopes")
    today = timezone.localdate()
    if consent_given and consent_date is not None and consent_date > today:
        raise DomainError(
            "invalid_consent_date",
            _("The consent date cannot be in the future."),
            field="consent_date",
        )
    if visit is not None and visit.household_id != household.pk:
        raise DomainError("invalid_visit", _("The visit is of another household."), field="visit")

    blind_spot = decision != Assessment.Decision.NO_NEED and _is_blind_spot(household, today=today)
    consent = None
    if consent_given:
        consent = Consent.objects.create(
            household=household,
            purpose=str(_("needs assessment and welfare services of the hub")),
            scopes=scopes,
            given_on=consent_date or today,
            recorded_by=actor,
        )
        event_record(
            kind=TimelineEvent.Kind.CONSENT_GIVEN,
            dong_id=household.dong_id,
            household=household,
            actor=actor,
            subject=consent,
            summary=", ".join(str(Consent.Scope(s).label) for s in scopes),
        )
    assessment = Assessment.objects.create(
        household=household,
        visit=visit,
        assessed_by=actor,
        assessed_at=timezone.now(),
        needs=clean_needs,
        overall_risk=overall_risk,
        consent=consent,
        decision=decision,
        summary=summary.strip(),
    )
    event_record(
        kind=TimelineEvent.Kind.ASSESSMENT_RECORDED,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=assessment,
        summary=f"{assessment.get_overall_risk_display()} · {assessment.get_decision_display()}",
    )
    if blind_spot:
        event_record(
            kind=TimelineEvent.Kind.BLIND_SPOT_DISCOVERED,
            dong_id=household.dong_id,
            household=household,
            actor=actor,
            subject=assessment,
            summary=str(assessment.get_decision_display()),
        )
    Lead.objects.filter(household=household, status__in=Lead.OPEN_STATUSES).update(
        status=Lead.Status.ASSESSED
    )
    return assessment


# --- case --------------------------------------------------------------------------------


def _follow_up_schedule(case: Case, *, after: dt.date) -> FollowUp:
    return FollowUp.objects.create(
        case=case, due_on=after + dt.timedelta(days=case.follow_up_every_days)
    )


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
    _follow_up_schedule(case, after=timezone.localdate())
    event_record(
        kind=TimelineEvent.Kind.CASE_OPENED,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=case,
        summary=f"{case.get_kind_display()} · {manager.label}",
    )
    return case


def _locked_case(actor: User, case: Case) -> Case:
    require_hub_staff(actor)
    household_require_visible(user=actor, household=case.household)
    return Case.objects.select_for_update().select_related("household").get(pk=case.pk)


@transaction.atomic
def case_close(*, actor: User, case: Case, reason: str) -> Case:
    """Close a case with a reason; follow-ups not yet done are dropped from the schedule."""
    case = _locked_case(actor, case)
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
def case_reopen(*, actor: User, case: Case) -> Case:
    """Re-open a closed case (the household's situation worsened again) and schedule a
    follow-up."""
    case = _locked_case(actor, case)
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
    _follow_up_schedule(case, after=timezone.localdate())
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
) -> Goal:
    """Add a goal to the individual service plan."""
    case = _locked_case(actor, case)
    if case.status != Case.Status.OPEN:
        raise DomainError("case_not_open", _("The case is closed."))
    if domain not in Domain.values:
        raise DomainError("invalid_domain", _("Choose the need domain."), field="domain")
    if not description.strip():
        raise DomainError("goal_required", _("Describe the goal."), field="description")
    goal = Goal.objects.create(
        case=case, domain=domain, description=description.strip()[:300], target_on=target_on
    )
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
def goal_update_status(*, actor: User, goal: Goal, status: str) -> Goal:
    case = _locked_case(actor, goal.case)
    if status not in Goal.Status.values:
        raise DomainError("invalid_status", _("Unknown goal status."), field="status")
    goal = Goal.objects.get(pk=goal.pk)
    if goal.status == status:
        return goal
    goal.status = status
    goal.save(update_fields=["status"])
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
) -> Conference:
    """Record a case conference (dong team, or the gu's integrated case conference)."""
    case = _locked_case(actor, case)
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
    event_record(
        kind=TimelineEvent.Kind.CONFERENCE_HELD,
        dong_id=case.household.dong_id,
        household=case.household,
        actor=actor,
        subject=conference,
        summary=f"{conference.get_level_display()} {held_on.isoformat()}",
    )
    return conference


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
    return _follow_up_schedule(case, after=timezone.localdate(now))


# --- linkage -----------------------------------------------------------------------------


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
        from maeul.people.models import Consent
        from maeul.people.selectors import household_consents_to

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
    if linkage.partner_id:
        parts.append(linkage.partner.name)
    if linkage.resource_id:
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
    allowed = set(LINKAGE_TRANSITIONS[linkage.status])
    if actor.is_partner:
        allowed = (
            PARTNER_TARGETS
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
    kind = {
        Linkage.Status.PROVIDED: TimelineEvent.Kind.LINKAGE_PROVIDED,
        Linkage.Status.DECLINED: TimelineEvent.Kind.LINKAGE_DECLINED,
    }.get(status)
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


# --- retention ---------------------------------------------------------------------------


def case_records_erase_text(*, household_id: int) -> None:
    """Retention (PIPA art. 21): the free text of the household's assessments, plan goals,
    conferences and linkages goes; their kinds, dates, dongs, statuses and amounts stay for the
    indicators."""
    Assessment.objects.filter(household_id=household_id).update(summary="")
    Goal.objects.filter(case__household_id=household_id).update(description="")
    Conference.objects.filter(case__household_id=household_id).update(
        participants="", notes="", decisions=""
    )
    Linkage.objects.filter(household_id=household_id).update(description="")
