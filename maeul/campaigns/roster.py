"""The human safety net's roster (seed 003: 1,160 residents in three teams): members by team,
kind, tong/ban and sex with their activity (and the correction of a member's particulars
through `accounts.services.safety_net_member_update`), and the hand-over of a volunteer's
care households when she leaves — each household's consent to be visited by the new volunteer recorded
(`people.services.consent_record`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import SafetyNetMember, User
from maeul.accounts.permissions import require_hub_staff
from maeul.accounts.services import safety_net_member_update
from maeul.areas.models import Area
from maeul.errors import DomainError
from maeul.people.models import Consent, Household
from maeul.people.selectors import dong_ids_of, households_visible_to
from maeul.people.services import care_volunteer_assign, care_volunteer_release, consent_record


def members_visible_to(user: User) -> QuerySet[SafetyNetMember]:
    """The safety-net members of the user's dongs (hub staff only)."""
    return SafetyNetMember.objects.filter(
        dong_id__in=dong_ids_of(user) if user.is_hub_staff else []
    )


def roster(
    *,
    user: User,
    team: str = "",
    kind: str = "",
    tong_id: int | None = None,
    ban_id: int | None = None,
    sex: str = "",
) -> QuerySet[SafetyNetMember]:
    """The safety-net members of the user's dongs, with their activity: reports made, care
    visits done and households looked after (for members who sign in). Filtered by team,
    kind, tong, ban and sex (`"?"`: not recorded)."""
    members = members_visible_to(user)
    if team:
        members = members.filter(team=team)
    if kind:
        members = members.filter(kind=kind)
    if tong_id:
        members = members.filter(tong_id=tong_id)
    if ban_id:
        members = members.filter(ban_id=ban_id)
    if sex:
        members = members.filter(sex="" if sex == "?" else sex)
    return (
        members.select_related("dong", "tong", "ban", "user")
        .annotate(
            reports=Count("user__reported_leads", distinct=True),
            care_visits=Count(
                "user__visits",
                filter=Q(user__visits__kind="care", user__visits__status="done"),
                distinct=True,
            ),
            households=Count("user__care_households", distinct=True),
        )
        .order_by("dong__code", "team", "tong__code", "name")
    )


def roster_areas(*, user: User, tong_id: int | None = None) -> tuple[list[Area], list[Area]]:
    """The tongs of the user's dongs, and the bans of the chosen tong (for the filters)."""
    tongs = list(
        Area.objects.filter(
            level=Area.Level.TONG, parent_id__in=dong_ids_of(user) if user.is_hub_staff else []
        )
        .select_related("parent")
        .order_by("parent__code", "code")
    )
    bans: list[Area] = []
    if tong_id and any(t.pk == tong_id for t in tongs):
        bans = list(Area.objects.filter(level=Area.Level.BAN, parent_id=tong_id).order_by("code"))
    return tongs, bans


def member_update(
    *,
    actor: User,
    member: SafetyNetMember,
    name: str,
    sex: str,
    phone: str,
    team: str,
    kind: str,
    tong: Area | None,
    ban: Area | None,
    left_on: dt.date | None,
) -> SafetyNetMember:
    """Correct a safety-net member's particulars (hub staff of her dong) through accounts'
    `safety_net_member_update`, the table's one writer: the tong lies in her dong and the
    ban in the tong; leaving is dated on or after joining."""
    return safety_net_member_update(
        actor=actor,
        member=member,
        name=name,
        sex=sex,
        phone=phone,
        team=team,
        kind=kind,
        tong=tong,
        ban=ban,
        left_on=left_on,
    )


def roster_counts(*, user: User) -> list[dict]:
    """Members per team and kind in the user's dongs (left and current)."""
    return list(
        SafetyNetMember.objects.filter(
            dong_id__in=dong_ids_of(user) if user.is_hub_staff else [], left_on__isnull=True
        )
        .values("team", "kind")
        .annotate(n=Count("id"))
        .order_by("team", "kind")
    )


@transaction.atomic
def care_hand_over(
    *, actor: User, leaving: User, taking_over: User, consent_given_on: dt.date
) -> int:
    """Hand every care household of a leaving volunteer (within the actor's scope) to another
    volunteer. Each household's consent to visits by the new volunteer is recorded first; the
    leaving volunteer stops seeing them. Returns how many households changed hands."""
    require_hub_staff(actor)
    if leaving.pk == taking_over.pk:
        raise DomainError("same_volunteer", _("Choose another volunteer to take over."))
    households = list(households_visible_to(actor).filter(care_volunteers=leaving).order_by("pk"))
    for household in households:
        consent_record(
            actor=actor,
            household=household,
            purpose=gettext("Care visits by safety-net volunteer %(name)s")
            % {"name": taking_over.label},
            scopes=[Consent.Scope.HUB],
            given_on=consent_given_on,
        )
        care_volunteer_assign(actor=actor, household=household, volunteer=taking_over)
        care_volunteer_release(actor=actor, household=household, volunteer=leaving)
    return len(households)


def care_households_of(*, user: User) -> QuerySet[Household]:
    """A volunteer's own care households (her phone view)."""
    return (
        households_visible_to(user)
        .filter(care_volunteers=user)
        .select_related("care_watch", "tong", "ban")
        .prefetch_related("members")
        .order_by("tong_id", "ban_id", "pk")
    )
