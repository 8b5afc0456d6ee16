"""Writes on campaigns themselves: create one (its area, period, instrument, teams, hub staff
and named safety-net members), change its named safety-net members, and the check that the
acting user may work on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import SafetyNetMember, User
from maeul.accounts.permissions import require_hub_staff
from maeul.areas.models import Area
from maeul.campaigns.models import Campaign, Instrument, Target
from maeul.campaigns.selectors import (
    campaigns_visible_to,
)
from maeul.errors import DomainError, NotFound
from maeul.people.selectors import dong_ids_of


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
    area_dongs = _area_dongs(area)
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
    net = _safety_net_checked(actor, area_dongs, safety_net)
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


def _area_dongs(area: Area) -> set[int]:
    if area.level == Area.Level.DONG:
        return {area.pk}
    return set(Area.objects.filter(parent=area).values_list("pk", flat=True))


def _safety_net_checked(
    actor: User, area_dongs: set[int], members: Iterable[SafetyNetMember]
) -> list[SafetyNetMember]:
    """Named safety-net members of a campaign: of its dongs, of the actor's, still active."""
    net = list(dict.fromkeys(members))
    mine = set(dong_ids_of(actor))
    for person in net:
        if person.dong_id not in area_dongs or person.dong_id not in mine:
            raise DomainError(
                "invalid_safety_net",
                _("%(name)s is in the safety net of another dong.") % {"name": person.name},
                field="safety_net",
            )
        if person.left_on is not None:
            raise DomainError(
                "safety_net_left",
                _("%(name)s has left the safety net.") % {"name": person.name},
                field="safety_net",
            )
    return net


@transaction.atomic
def campaign_safety_net_set(
    *, actor: User, campaign: Campaign, members: Iterable[SafetyNetMember]
) -> Campaign:
    """Name the safety-net members who work on a campaign (of its dongs in the actor's scope).
    A member taken off keeps the targets she already reached; her pending ones are freed."""
    campaign_for_work(actor, campaign)
    net = _safety_net_checked(actor, _area_dongs(campaign.area), members)
    mine = set(dong_ids_of(actor))
    # Members of dongs outside the actor's scope stay as they are (a dong official edits
    # her dong's part of a gu-wide campaign).
    kept = [m for m in campaign.safety_net.all() if m.dong_id not in mine]
    campaign.safety_net.set([*kept, *net])
    Target.objects.filter(
        campaign=campaign, outcome=Target.Outcome.PENDING, member__dong_id__in=mine
    ).exclude(member__in=net).update(member=None)
    return campaign


def campaign_for_work(actor: User, campaign: Campaign) -> Campaign:
    require_hub_staff(actor)
    if not campaigns_visible_to(actor).filter(pk=campaign.pk).exists():
        raise NotFound()
    return campaign
