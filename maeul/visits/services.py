"""Writes on visits: plan a visit (with the overlap check across teams), record its outcome,
cancel it. Each service runs in one transaction and writes the timeline event the indicators
count (site visits = VISIT_COMPLETED events)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

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
from maeul.visits.selectors import OverlapWarning, visit_joinable, visit_overlaps

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


def _check_members(members: list[User], household: Household) -> None:
    for member in members:
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
    _check_members(member_list, household)
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


# --- The shared calendar: a visit that collides with another planned visit of the household
# (another team's, a partner institution's) becomes a joint visit or is flagged, never doubled.


@dataclass
class Scheduled:
    """What `visit_schedule` did: `planned` a new visit (with the overlap `warnings`: flagged),
    `joined` the members to a visit already planned (a joint visit), or found the `existing`
    visit with every member on it already (nothing written)."""

    visit: Visit
    action: str  # "planned" | "joined" | "existing"
    warnings: list[OverlapWarning] = field(default_factory=list)


@transaction.atomic
def visit_join(
    *,
    actor: User,
    visit: Visit,
    members: Iterable[User],
    lead=None,
    case=None,
) -> tuple[Visit, bool]:
    """Add members to a planned visit (it becomes a joint visit: all of them at the door at
    once), and the lead or case they came for. Members already on it are left as they are;
    returns the visit and whether anything changed. Hub staff may add anyone who may see the
    household; anyone else only themselves, or to a visit they are a member of."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    household = visit.household
    household_require_visible(user=actor, household=household)
    if visit.status != Visit.Status.PLANNED:
        raise DomainError("not_planned", _("This visit is not planned any more."))
    member_list = list(dict.fromkeys(members)) or [actor]
    current = set(visit.members.values_list("pk", flat=True))
    if not (
        actor.is_hub_staff or actor.pk in current or all(m.pk == actor.pk for m in member_list)
    ):
        raise PermissionDenied(_("Only hub staff or a member of the visit can add members."))
    _check_members(member_list, household)
    if lead is not None and lead.household_id != household.pk:
        raise DomainError("invalid_lead", _("The lead is about another household."), field="lead")
    if case is not None:
        case_check_for_visit(case=case, household=household)
    added = [m for m in member_list if m.pk not in current]
    changed = bool(added)
    if added:
        visit.members.add(*added)
    if lead is not None:
        if visit.lead_id is None:
            visit.lead = lead
            visit.save(update_fields=["lead"])
            changed = True
        lead_visit_planned(lead=lead)
    if case is not None:
        if visit.case_id is None:
            visit.case = case
            visit.save(update_fields=["case"])
            changed = True
        follow_up_visit_planned(case=case, visit=visit)
    if added:
        event_record(
            kind=TimelineEvent.Kind.VISIT_PLANNED,
            dong_id=household.dong_id,
            household=household,
            actor=actor,
            subject=visit,
            summary=f"{visit.planned_on.isoformat()} {visit.get_kind_display()} · "
            + str(_("joint visit"))
            + " + "
            + ", ".join(m.label for m in added),
        )
    return visit, changed


@transaction.atomic
def visit_schedule(
    *,
    actor: User,
    household: Household,
    planned_on: dt.date,
    members: Iterable[User] = (),
    kind: str = Visit.Kind.INITIAL,
    lead=None,
    case=None,
    team: str | None = None,
    merge: bool = True,
) -> Scheduled:
    """Plan a visit on the shared calendar. A visit of the household already planned that day
    with every member on it is the one (nothing is doubled: planning twice is harmless). Else
    a visit already planned within JOIN_DAYS (any team, partner institutions included) gets
    the members as a joint visit (`merge`), on its own date; with `merge=False`, or when there
    is none, a new visit is planned and other teams' visits within 14 days are returned as
    warnings (flagged)."""
    household_require_visible(user=actor, household=household)
    if planned_on is None:
        raise DomainError("date_required", _("The date is required."), field="planned_on")
    member_list = list(dict.fromkeys(members)) or [actor]
    found = visit_joinable(household=household, planned_on=planned_on)
    if found is not None:
        on_it = {m.pk for m in found.members.all()}
        same = found.planned_on == planned_on and all(m.pk in on_it for m in member_list)
        if merge or same:
            visit, changed = visit_join(
                actor=actor, visit=found, members=member_list, lead=lead, case=case
            )
            return Scheduled(visit=visit, action="joined" if changed else "existing")
    visit, warnings = visit_plan(
        actor=actor,
        household=household,
        planned_on=planned_on,
        members=member_list,
        kind=kind,
        lead=lead,
        case=case,
        team=team,
    )
    return Scheduled(visit=visit, action="planned", warnings=warnings)


@transaction.atomic
def visit_merge(*, actor: User, keep: Visit, other: Visit) -> Visit:
    """Two planned visits of one household (a flagged collision) become one joint visit: the
    other's members, lead and case follow-up move to `keep`, the other is cancelled."""
    if not actor.is_hub_staff:
        raise PermissionDenied(_("Only hub staff can merge visits."))
    if keep.pk == other.pk:
        raise DomainError("same_visit", _("Choose two different visits."))
    other = Visit.objects.select_for_update().get(pk=other.pk)
    household_require_visible(user=actor, household=other.household)
    if other.household_id != keep.household_id:
        raise DomainError("other_household", _("The visits are for different households."))
    if other.status != Visit.Status.PLANNED:
        raise DomainError("not_planned", _("This visit is not planned any more."))
    members = list(other.members.all())
    follow_ups_release(visit=other)
    other.status = Visit.Status.CANCELLED
    other.save(update_fields=["status"])
    visit, _changed = visit_join(
        actor=actor, visit=keep, members=members, lead=other.lead, case=other.case
    )
    return visit
