"""Writes on visits: plan a visit (with the overlap check across teams), record its outcome,
cancel it. Each service runs in one transaction and writes the timeline event the indicators
count (site visits = VISIT_COMPLETED events)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import Role, User
from maeul.cases.services.follow_ups import (
    case_check_for_visit,
    case_for_visit,
    follow_up_visit_planned,
    follow_up_visit_recorded,
    follow_ups_release,
)
from maeul.discovery.services import lead_visit_planned
from maeul.errors import DomainError, PermissionDenied
from maeul.people.models import Domain, Household, TimelineEvent
from maeul.people.selectors import household_require_visible, households_visible_to
from maeul.people.services import event_record
from maeul.visits.models import Visit
from maeul.visits.selectors import OverlapWarning, visit_overlaps

#: Outcomes after which a case follow-up counts as done: the worker met the household or
#: learnt that it refuses or has moved. "Not at home" leaves the follow-up pending.
FOLLOW_UP_DONE_OUTCOMES = frozenset({Visit.Outcome.MET, Visit.Outcome.REFUSED, Visit.Outcome.MOVED})


def team_of(user: User) -> str:
    """The visiting team a user belongs to (DOMAIN.md: hub team, visiting nurse, gu team,
    safety net, partner institution)."""
    if user.role == Role.VISITING_NURSE:
        return Visit.Team.NURSE
    if user.role in (Role.GU_TEAM, Role.ADMINISTRATOR):
        return Visit.Team.GU
    if user.role == Role.VOLUNTEER:
        return Visit.Team.SAFETY_NET
    if user.role == Role.PARTNER:
        return Visit.Team.PARTNER
    return Visit.Team.HUB


@transaction.atomic
def visit_plan(
    *,
    actor: User,
    household: Household,
    planned_on: dt.date,
    members: Iterable[User] = (),
    kind: str = Visit.Kind.INITIAL,
    lead=None,
    case=None,
    team: str | None = None,
) -> tuple[Visit, list[OverlapWarning]]:
    """Plan a visit for a day. A household already visited or planned by another team within
    14 days is flagged (DOMAIN.md: "no two agencies visiting the same household the same week
    without knowing it"): the plan is saved and the warnings are returned."""
    household_require_visible(user=actor, household=household)
    if planned_on is None:
        raise DomainError("date_required", _("The date is required."), field="planned_on")
    if kind not in Visit.Kind.values:
        raise DomainError("invalid_kind", _("Unknown kind of visit."), field="kind")
    team = team or team_of(actor)
    if team not in Visit.Team.values:
        raise DomainError("invalid_team", _("Unknown team."), field="team")
    member_list = list(dict.fromkeys(members)) or [actor]
    for member in member_list:
        if (
            not member.is_active
            or not households_visible_to(member).filter(pk=household.pk).exists()
        ):
            raise DomainError(
                "invalid_member",
                _("%(name)s may not see this household and cannot visit it.")
                % {"name": member.label},
                field="members",
            )
    if lead is not None and lead.household_id != household.pk:
        raise DomainError("invalid_lead", _("The lead is about another household."), field="lead")
    if case is not None:
        case_check_for_visit(case=case, household=household)

    warnings = visit_overlaps(household=household, planned_on=planned_on, team=team)
    visit = Visit.objects.create(
        household=household,
        dong_id=household.dong_id,
        lead=lead,
        case=case,
        kind=kind,
        team=team,
        planned_on=planned_on,
        planned_by=actor,
    )
    visit.members.set(member_list)
    if case is not None:
        follow_up_visit_planned(case=case, visit=visit)
    if lead is not None:
        lead_visit_planned(lead=lead)
    event_record(
        kind=TimelineEvent.Kind.VISIT_PLANNED,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=visit,
        summary=f"{planned_on.isoformat()} {visit.get_kind_display()} · "
        + ", ".join(m.label for m in member_list),
    )
    return visit, warnings


@transaction.atomic
def visit_record(
    *,
    actor: User,
    visit: Visit,
    outcome: str,
    notes: str = "",
    observed_needs: Iterable[str] = (),
) -> Visit:
    """Record what happened on a planned visit. Every recorded visit is a site visit, the
    household met or not (Ministry indicator "site visits", re-visits included). A follow-up
    of a case that this visit served is marked done and the next one is scheduled."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    household_require_visible(user=actor, household=visit.household)
    if not (actor.is_hub_staff or visit.members.filter(pk=actor.pk).exists()):
        raise PermissionDenied(_("Only a member of the visit can record it."))
    if visit.status != Visit.Status.PLANNED:
        raise DomainError("not_planned", _("This visit is not planned any more."))
    if outcome not in Visit.Outcome.values:
        raise DomainError("invalid_outcome", _("Choose the outcome."), field="outcome")
    needs = list(dict.fromkeys(observed_needs))
    unknown = [n for n in needs if n not in Domain.values]
    if unknown:
        raise DomainError(
            "invalid_domain",
            _("Unknown need domain: %(domain)s") % {"domain": ", ".join(unknown)},
            field="observed_needs",
        )
    visit.status = Visit.Status.DONE
    visit.outcome = outcome
    visit.notes = notes.strip()
    visit.observed_needs = needs
    visit.done_at = timezone.now()
    visit.save(update_fields=["status", "outcome", "notes", "observed_needs", "done_at"])
    event_record(
        kind=TimelineEvent.Kind.VISIT_COMPLETED,
        dong_id=visit.household.dong_id,
        household=visit.household,
        actor=actor,
        subject=visit,
        summary=f"{visit.get_kind_display()} · {visit.get_outcome_display()}",
    )
    if visit.case_id is not None:
        follow_up_visit_recorded(
            actor=actor, visit=visit, served=outcome in FOLLOW_UP_DONE_OUTCOMES
        )
    return visit


@transaction.atomic
def visit_cancel(*, actor: User, visit: Visit) -> Visit:
    """Cancel a planned visit; a follow-up it was to serve becomes free for another visit.
    A cancelled visit is not an event of the household (nothing happened to it)."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    household_require_visible(user=actor, household=visit.household)
    if not (actor.is_hub_staff or visit.planned_by_id == actor.pk):
        raise PermissionDenied(_("Only hub staff or the planner can cancel a visit."))
    if visit.status != Visit.Status.PLANNED:
        raise DomainError("not_planned", _("This visit is not planned any more."))
    visit.status = Visit.Status.CANCELLED
    visit.save(update_fields=["status"])
    follow_ups_release(visit=visit)
    return visit


def visit_case_for(*, user: User, case_id: int | None, household: Household):
    """The case a planned visit is to serve, if `user` may see it and it is `household`'s."""
    return case_for_visit(user=user, case_id=case_id, household=household)


def visits_erase_text(*, household_id: int) -> None:
    """Retention (PIPA art. 21): the notes of the household's visits go; kind, team, dates and
    outcomes stay for the indicators."""
    Visit.objects.filter(household_id=household_id).update(notes="")
