"""Writes on campaigns: create one, build its target list from the registry (or a list of
households), assign targets, and record each household's outcome. Reaching a household is a
visit (`visits.services.visit_plan`/`visit_record`, overlap rules included); a household in
need becomes a linkage or a case through `cases.services`; a screening past its cut-off
raises the household's urgency through a high-urgency survey lead (`discovery.bulk`) that
says why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import SafetyNetMember, User
from maeul.accounts.permissions import require_hub_staff
from maeul.areas.models import Area
from maeul.campaigns.instruments import instrument_score
from maeul.campaigns.models import Campaign, Instrument, Target
from maeul.campaigns.selectors import (
    TargetFilters,
    campaigns_visible_to,
    households_matching,
    targets_visible_to,
)
from maeul.cases.models import Case, Linkage
from maeul.cases.services import case_open, linkage_propose
from maeul.db import bulk_insert
from maeul.discovery.bulk import NewLead, leads_bulk_register
from maeul.discovery.models import Lead
from maeul.errors import DomainError, NotFound
from maeul.people.models import Domain, Household
from maeul.people.selectors import dong_ids_of, households_visible_to
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


def _campaign_areas_allowed(actor: User) -> set[int]:
    dongs = dong_ids_of(actor)
    allowed = set(dongs)
    if actor.is_gu_level and actor.home_area_id is not None:
        allowed.add(actor.home_area_id)
    return allowed


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    name: str,
    purpose: str,
    area: Area,
    starts_on: dt.date,
    ends_on: dt.date,
    instrument: Instrument | None = None,
    teams: Iterable[str] = (),
    staff: Iterable[User] = (),
    safety_net: Iterable[SafetyNetMember] = (),
) -> Campaign:
    """A campaign of a dong (its hub staff) or of the whole gu (the gu team)."""
    require_hub_staff(actor)
    if area.pk not in _campaign_areas_allowed(actor):
        raise DomainError(
            "area_out_of_scope",
            _("A campaign covers your own dong (or, for the gu team, the gu)."),
            field="area",
        )
    name, purpose = name.strip(), purpose.strip()
    if not name:
        raise DomainError("name_required", _("The name is required."), field="name")
    if not purpose:
        raise DomainError("purpose_required", _("Say what the campaign is for."), field="purpose")
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise DomainError(
            "invalid_period", _("The campaign must end on or after its start."), field="ends_on"
        )
    team_list = list(dict.fromkeys(teams))
    if any(t not in SafetyNetMember.Team.values for t in team_list):
        raise DomainError("invalid_team", _("Unknown team."), field="teams")
    area_dongs = (
        {area.pk}
        if area.level == Area.Level.DONG
        else set(Area.objects.filter(parent=area).values_list("pk", flat=True))
    )
    staff_list = list(dict.fromkeys(staff))
    for member in staff_list:
        if (
            not member.is_active
            or not member.is_hub_staff
            or not (set(dong_ids_of(member)) & area_dongs)
        ):
            raise DomainError(
                "invalid_staff",
                _("%(name)s does not work in this campaign's area.") % {"name": member.label},
                field="staff",
            )
    net = list(dict.fromkeys(safety_net))
    for person in net:
        if person.dong_id not in area_dongs:
            raise DomainError(
                "invalid_safety_net",
                _("%(name)s is in the safety net of another dong.") % {"name": person.name},
                field="safety_net",
            )
    campaign = Campaign.objects.create(
        name=name[:120],
        purpose=purpose,
        area=area,
        starts_on=starts_on,
        ends_on=ends_on,
        instrument=instrument,
        teams=team_list,
        created_by=actor,
    )
    campaign.staff.set(staff_list)
    campaign.safety_net.set(net)
    return campaign


def _campaign_for_work(actor: User, campaign: Campaign) -> Campaign:
    require_hub_staff(actor)
    if not campaigns_visible_to(actor).filter(pk=campaign.pk).exists():
        raise NotFound()
    return campaign


def _insert_targets(campaign: Campaign, households: Iterable[Household]) -> int:
    existing = set(Target.objects.filter(campaign=campaign).values_list("household_id", flat=True))
    rows = [
        (campaign.pk, h.pk, h.dong_id, h.tong_id, h.ban_id, Target.Outcome.PENDING.value)
        for h in households
        if h.pk not in existing
    ]
    bulk_insert(Target, ["campaign", "household", "dong", "tong", "ban", "outcome"], rows)
    return len(rows)


@transaction.atomic
def targets_build(
    *,
    actor: User,
    campaign: Campaign,
    filters: TargetFilters,
    today: dt.date | None = None,
) -> int:
    """Add to the campaign every household of the registry in the actor's scope that matches
    the filters (households already on the list stay as they are). Returns how many were
    added. The filters are kept on the campaign so the list can be explained later."""
    _campaign_for_work(actor, campaign)
    households = households_matching(
        user=actor, campaign=campaign, filters=filters, today=today or timezone.localdate()
    ).only("pk", "dong_id", "tong_id", "ban_id")
    added = _insert_targets(campaign, households.iterator())
    built = list(campaign.filters.get("built", []))
    built.append({**filters.as_dict(), "added": added, "by": actor.pk})
    campaign.filters = {**campaign.filters, "built": built}
    campaign.save(update_fields=["filters"])
    return added


@transaction.atomic
def targets_add(*, actor: User, campaign: Campaign, household_ids: Iterable[int]) -> int:
    """Add listed households (an uploaded list, already matched to the registry). Every one
    must be in the actor's scope and the campaign's area, or nothing is added."""
    _campaign_for_work(actor, campaign)
    ids = list(dict.fromkeys(household_ids))
    area = campaign.area
    households = households_visible_to(actor).filter(pk__in=ids)
    if area.level == Area.Level.DONG:
        households = households.filter(dong_id=area.pk)
    else:
        households = households.filter(dong__parent_id=area.pk)
    found = list(households.only("pk", "dong_id", "tong_id", "ban_id"))
    if len(found) != len(ids):
        raise NotFound(_("Some households are not in this campaign's area or your scope."))
    return _insert_targets(campaign, found)


@transaction.atomic
def targets_assign(*, actor: User, targets: Iterable[Target], assignee: User) -> int:
    """Give targets to a hub worker or a safety-net volunteer who may see the households
    (a volunteer: her care households)."""
    require_hub_staff(actor)
    target_list = list(targets)
    visible = set(
        targets_visible_to(actor)
        .filter(pk__in=[t.pk for t in target_list])
        .values_list("pk", flat=True)
    )
    if len(visible) != len(target_list):
        raise NotFound()
    household_ids = {t.household_id for t in target_list}
    if not assignee.is_active or (
        households_visible_to(assignee).filter(pk__in=household_ids).count() != len(household_ids)
    ):
        raise DomainError(
            "invalid_assignee",
            _("%(name)s may not see every one of these households.") % {"name": assignee.label},
            field="assignee",
        )
    return Target.objects.filter(pk__in=visible).update(assignee=assignee)


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


@transaction.atomic
def targets_assign_pending(
    *, actor: User, campaign: Campaign, assignee: User, tong_id: int | None = None
) -> int:
    """Give the campaign's pending, unassigned targets (of one tong, or all) that the assignee
    may see to her: all of them to a hub worker, her care households to a volunteer."""
    _campaign_for_work(actor, campaign)
    if not assignee.is_active or not (assignee.is_hub_staff or assignee.is_volunteer):
        raise DomainError(
            "invalid_assignee",
            _("Targets go to hub staff or safety-net volunteers."),
            field="assignee",
        )
    targets = targets_visible_to(actor).filter(
        campaign=campaign,
        outcome=Target.Outcome.PENDING,
        assignee__isnull=True,
        household__in=households_visible_to(assignee),
    )
    if tong_id is not None:
        targets = targets.filter(tong_id=tong_id)
    return Target.objects.filter(pk__in=list(targets.values_list("pk", flat=True))).update(
        assignee=assignee
    )
