"""Writes of what came of reaching a target household. Reaching a household is a visit
(`visits.services.visit_plan`/`visit_record`, overlap rules included); a household in need
becomes a linkage or a case through `cases.services`; a screening past its cut-off raises the
household's urgency through a high-urgency survey lead (`discovery.bulk`) that says why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.accounts.permissions import require_hub_staff
from maeul.campaigns.instruments import instrument_score
from maeul.campaigns.models import Target
from maeul.campaigns.selectors import (
    targets_visible_to,
)
from maeul.cases.models import Case, Linkage
from maeul.cases.selectors import linkages_visible_to
from maeul.cases.services import case_open, linkage_propose
from maeul.discovery.bulk import NewLead, leads_bulk_register
from maeul.discovery.models import Lead
from maeul.errors import DomainError, NotFound
from maeul.people.models import Domain
from maeul.visits.models import Visit
from maeul.visits.selectors import OverlapWarning
from maeul.visits.services import visit_plan, visit_record

#: What a campaign outcome records on the visit that reached (or tried to reach) the household.
VISIT_OUTCOME = {
    Target.Outcome.UNREACHABLE: Visit.Outcome.NOT_HOME,
    Target.Outcome.REFUSED: Visit.Outcome.REFUSED,
    Target.Outcome.NOT_IN_NEED: Visit.Outcome.MET,
    Target.Outcome.IN_NEED: Visit.Outcome.MET,
}
#: Outcomes recorded on a visit; "linked" comes only from a linkage or a case.
RECORDABLE = frozenset(VISIT_OUTCOME)


def _target_for_work(actor: User, target: Target) -> Target:
    if not targets_visible_to(actor).filter(pk=target.pk).exists():
        raise NotFound()
    return (
        Target.objects.select_for_update(of=("self",))
        .select_related("campaign", "campaign__instrument", "household", "visit")
        .get(pk=target.pk)
    )


def _survey_lead(*, actor: User, target: Target, why: str, now: dt.datetime) -> None:
    household = target.household
    head = household.head
    leads_bulk_register(
        [
            NewLead(
                dong_id=household.dong_id,
                household_id=household.pk,
                source=Lead.Source.SURVEY.value,
                match=(
                    Lead.Match.RRN.value
                    if head is not None and head.rrn_index
                    else Lead.Match.NAME_BIRTH_ADDRESS.value
                ),
                subject_name=head.name if head else "",
                address=household.address,
                description=why[:1000],
                urgency=Lead.Urgency.HIGH.value,
            )
        ],
        actor_id=actor.pk,
        now=now,
    )


@transaction.atomic
def target_record(
    *,
    actor: User,
    target: Target,
    outcome: str,
    notes: str = "",
    answers: Mapping[str, str] | None = None,
    observed_needs: Iterable[str] = (),
    on: dt.date | None = None,
) -> tuple[Target, list[OverlapWarning]]:
    """Record what came of reaching a target household. The contact is a visit: the target's
    planned visit is recorded, or one is planned for the day and recorded at once (the overlap
    check across teams applies and its warnings are returned). A filled-in screening
    instrument is scored; at or past its cut-off the household counts as in need, the
    instrument's domain joins the observed needs and a high-urgency survey lead says why."""
    target = _target_for_work(actor, target)
    if target.outcome == Target.Outcome.LINKED:
        raise DomainError(
            "already_linked", _("This household is already linked to a service."), field="outcome"
        )
    if outcome not in RECORDABLE:
        raise DomainError("invalid_outcome", _("Choose the outcome."), field="outcome")
    instrument = target.campaign.instrument
    needs = list(dict.fromkeys(observed_needs))
    score = None
    if answers:
        if instrument is None:
            raise DomainError(
                "no_instrument", _("This campaign has no screening instrument."), field="answers"
            )
        if outcome not in (Target.Outcome.NOT_IN_NEED, Target.Outcome.IN_NEED):
            raise DomainError(
                "not_visited",
                _("A screening is filled in only with a household that was met."),
                field="answers",
            )
        score = instrument_score(instrument, answers)
        if score.positive:
            outcome = Target.Outcome.IN_NEED
            if instrument.domain in Domain.values and instrument.domain not in needs:
                needs.append(instrument.domain)
    warnings: list[OverlapWarning] = []
    visit = target.visit
    if visit is None or visit.status != Visit.Status.PLANNED:
        visit, warnings = visit_plan(
            actor=actor,
            household=target.household,
            planned_on=on or timezone.localdate(),
            kind=Visit.Kind.CARE if actor.is_volunteer else Visit.Kind.INITIAL,
        )
    visit = visit_record(
        actor=actor,
        visit=visit,
        outcome=VISIT_OUTCOME[Target.Outcome(outcome)],
        notes=notes,
        observed_needs=needs,
    )
    now = timezone.now()
    target.visit = visit
    target.team = visit.team
    target.outcome = outcome
    target.notes = notes.strip()
    target.updated_at = now
    if outcome in Target.REACHED and target.reached_at is None:
        target.reached_at = now
    if score is not None and instrument is not None:
        target.answers = dict(answers or {})
        target.score = score.score
        target.flagged = score.positive
        if score.positive:
            _survey_lead(
                actor=actor,
                target=target,
                now=now,
                why=gettext(
                    "%(campaign)s: %(instrument)s score %(score)s of %(max)s, at or past the "
                    "cut-off %(cutoff)s. Plan a mental-health follow-up."
                )
                % {
                    "campaign": target.campaign.name,
                    "instrument": instrument.name,
                    "score": score.score,
                    "max": score.max_score,
                    "cutoff": score.cutoff,
                },
            )
    target.save()
    return target, warnings


@transaction.atomic
def target_plan_visit(
    *, actor: User, target: Target, planned_on: dt.date, members: Iterable[User] = ()
) -> tuple[Target, list[OverlapWarning]]:
    """Plan the visit that is to reach a target (recorded later with `target_record`)."""
    target = _target_for_work(actor, target)
    if target.outcome == Target.Outcome.LINKED:
        raise DomainError("already_linked", _("This household is already linked to a service."))
    visit, warnings = visit_plan(
        actor=actor,
        household=target.household,
        planned_on=planned_on,
        members=members,
        kind=Visit.Kind.CARE if actor.is_volunteer else Visit.Kind.INITIAL,
    )
    target.visit = visit
    target.updated_at = timezone.now()
    target.save(update_fields=["visit", "updated_at"])
    return target, warnings


def _target_in_need(actor: User, target: Target) -> Target:
    require_hub_staff(actor)
    target = _target_for_work(actor, target)
    if target.outcome != Target.Outcome.IN_NEED:
        raise DomainError(
            "not_in_need",
            _("Only a household found in need is linked from a campaign."),
            field="outcome",
        )
    return target


@transaction.atomic
def target_link(
    *,
    actor: User,
    target: Target,
    kind: str,
    programme: str = "",
    description: str = "",
    amount: int | None = None,
) -> Linkage:
    """Link a household found in need to a service (`cases.services.linkage_propose`)."""
    target = _target_in_need(actor, target)
    linkage = linkage_propose(
        actor=actor,
        household=target.household,
        kind=kind,
        programme=programme,
        description=description or target.campaign.name,
        amount=amount,
    )
    target.linkage = linkage
    target.outcome = Target.Outcome.LINKED
    target.updated_at = timezone.now()
    target.save(update_fields=["linkage", "outcome", "updated_at"])
    return linkage


@transaction.atomic
def target_linkage_attach(*, actor: User, target: Target, linkage: Linkage) -> Target:
    """Record that a household found in need was linked through a linkage made elsewhere
    (a referral from the batch matching of `funds.campaign_matching`, say): the target moves
    from "in need" to "linked", so each stage of the funnel stays within the one before. The
    linkage must be one the actor may see, of the target's household, and open or served; a
    target not found in need, or already linked, is refused. A refusal writes nothing."""
    target = _target_in_need(actor, target)
    visible = linkages_visible_to(actor).filter(pk=linkage.pk).first()
    if visible is None:
        raise NotFound()
    if visible.household_id != target.household_id:
        raise DomainError(
            "other_household",
            _("The linkage is of another household."),
            field="linkage",
        )
    if visible.status not in (*Linkage.OPEN_STATUSES, Linkage.Status.PROVIDED):
        raise DomainError(
            "linkage_closed",
            _("A declined, returned or withdrawn linkage does not link the household."),
            field="linkage",
        )
    target.linkage = visible
    target.outcome = Target.Outcome.LINKED
    target.updated_at = timezone.now()
    target.save(update_fields=["linkage", "outcome", "updated_at"])
    return target


@transaction.atomic
def target_case_open(
    *, actor: User, target: Target, kind: str = Case.Kind.GENERAL, manager: User | None = None
) -> Case:
    """Put a household found in need under case management (`cases.services.case_open`)."""
    target = _target_in_need(actor, target)
    case = case_open(actor=actor, household=target.household, kind=kind, manager=manager or actor)
    target.case = case
    target.outcome = Target.Outcome.LINKED
    target.updated_at = timezone.now()
    target.save(update_fields=["case", "outcome", "updated_at"])
    return case
