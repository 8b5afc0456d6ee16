"""The human safety net's roster (seed 003: 1,160 residents in three teams): members by team,
kind and tong/ban with their activity, and the hand-over of a volunteer's care households
when she leaves — each household's consent to be visited by the new volunteer recorded
(`people.services.consent_record`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import SafetyNetMember, User
from maeul.accounts.permissions import require_hub_staff
from maeul.errors import DomainError
from maeul.people.models import Consent, Household
from maeul.people.selectors import dong_ids_of, households_visible_to
from maeul.people.services import care_volunteer_assign, care_volunteer_release, consent_record


def roster(
    *, user: User, team: str = "", kind: str = "", tong_id: int | None = None
) -> QuerySet[SafetyNetMember]:
    """The safety-net members of the user's dongs, with their activity: reports made, care
    visits done and households looked after (for members who sign in)."""
    members = SafetyNetMember.objects.filter(
        dong_id__in=dong_ids_of(user) if user.is_hub_staff else []
    )
    if team:
        members = members.filter(team=team)
    if kind:
        members = members.filter(kind=kind)
    if tong_id:
        members = members.filter(tong_id=tong_id)
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
