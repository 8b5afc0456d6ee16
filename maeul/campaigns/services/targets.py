"""Writes on a campaign's target list: build it from registry filters, add listed households
(an uploaded file, matched to the registry by `campaigns.target_upload`), and give targets to
hub staff or safety-net volunteers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import SafetyNetMember, User
from maeul.accounts.permissions import require_hub_staff
from maeul.areas.models import Area
from maeul.campaigns.models import Campaign, Target
from maeul.campaigns.selectors import (
    TargetFilters,
    households_matching,
    targets_visible_to,
)
from maeul.campaigns.services.campaigns import campaign_for_work
from maeul.db import bulk_insert
from maeul.errors import DomainError, NotFound
from maeul.people.models import Household
from maeul.people.selectors import households_visible_to


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
    campaign_for_work(actor, campaign)
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
    campaign_for_work(actor, campaign)
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


@transaction.atomic
def targets_assign_pending(
    *, actor: User, campaign: Campaign, assignee: User, tong_id: int | None = None
) -> int:
    """Give the campaign's pending, unassigned targets (of one tong, or all) that the assignee
    may see to her: all of them to a hub worker, her care households to a volunteer."""
    campaign_for_work(actor, campaign)
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


@transaction.atomic
def targets_give_to_member(
    *, actor: User, campaign: Campaign, member: SafetyNetMember, tong_id: int | None = None
) -> int:
    """Give the campaign's pending targets of the member's dong (of one tong, or all) that no
    named member has yet to one of the campaign's named safety-net members. Returns how many."""
    campaign_for_work(actor, campaign)
    if not campaign.safety_net.filter(pk=member.pk).exists():
        raise DomainError(
            "not_named",
            _("%(name)s is not one of this campaign's safety-net members.") % {"name": member.name},
            field="member",
        )
    targets = targets_visible_to(actor).filter(
        campaign=campaign,
        outcome=Target.Outcome.PENDING,
        member__isnull=True,
        dong_id=member.dong_id,
    )
    if tong_id is not None:
        targets = targets.filter(tong_id=tong_id)
    return Target.objects.filter(pk__in=list(targets.values_list("pk", flat=True))).update(
        member=member
    )
