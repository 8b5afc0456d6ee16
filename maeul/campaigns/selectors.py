"""Reads of campaigns and their targets. Targets start from `targets_visible_to(user)`, built
on `households_visible_to(user)`: a dong official sees only her dong's targets, a volunteer
only the targets assigned to her among her own households."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast

from maeul.accounts.models import SafetyNetMember, User
from maeul.areas.models import Area
from maeul.campaigns.models import Campaign, Target
from maeul.errors import NotFound
from maeul.people.models import BenefitReceipt, Household, Resident
from maeul.people.selectors import dong_ids_of, households_visible_to
from maeul.visits.models import Visit


def targets_visible_to(user: User) -> QuerySet[Target]:
    """Hub staff: the targets in the households they may see; a volunteer: those assigned to
    her, among her households; anyone else none."""
    if not user.is_authenticated or not user.is_active:
        return Target.objects.none()
    targets = Target.objects.filter(household__in=households_visible_to(user))
    if user.is_hub_staff:
        return targets
    if user.is_volunteer:
        return targets.filter(assignee=user)
    return Target.objects.none()


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    """Staff: campaigns of their dongs and of their gu; a volunteer: those with a target
    assigned to her."""
    if not user.is_authenticated or not user.is_active:
        return Campaign.objects.none()
    if user.is_hub_staff:
        dongs = dong_ids_of(user)
        gus = Area.objects.filter(pk__in=dongs).values("parent_id")
        return Campaign.objects.filter(Q(area_id__in=dongs) | Q(area_id__in=gus))
    if user.is_volunteer:
        return Campaign.objects.filter(pk__in=targets_visible_to(user).values("campaign_id"))
    return Campaign.objects.none()


def campaign_get(*, user: User, campaign_id: int) -> Campaign:
    campaign = (
        campaigns_visible_to(user)
        .select_related("area", "instrument", "created_by")
        .filter(pk=campaign_id)
        .first()
    )
    if campaign is None:
        raise NotFound()
    return campaign


def target_get(*, user: User, target_id: int) -> Target:
    target = (
        targets_visible_to(user)
        .select_related("campaign", "campaign__instrument", "household", "dong", "tong", "ban")
        .select_related("assignee", "visit")
        .prefetch_related("household__members")
        .filter(pk=target_id)
        .first()
    )
    if target is None:
        raise NotFound()
    return target


def campaign_targets(*, user: User, campaign: Campaign) -> QuerySet[Target]:
    return targets_visible_to(user).filter(campaign=campaign)


@dataclass(frozen=True)
class Funnel:
    """Households at each stage; each stage is a subset of the one before."""

    targets: int
    reached: int
    in_need: int
    linked: int

    def as_dict(self) -> dict[str, int]:
        return {
            "targets": self.targets,
            "reached": self.reached,
            "in_need": self.in_need,
            "linked": self.linked,
        }

    @property
    def reached_pct(self) -> int:
        return round(100 * self.reached / self.targets) if self.targets else 0


def _stage_counts() -> dict:
    return {
        "targets": Count("id"),
        "reached": Count("id", filter=Q(outcome__in=Target.REACHED)),
        "in_need": Count("id", filter=Q(outcome__in=Target.IN_NEED)),
        "linked": Count("id", filter=Q(outcome__in=Target.LINKED)),
    }


def funnel_of(targets: QuerySet[Target]) -> Funnel:
    row = targets.aggregate(**_stage_counts())
    return Funnel(**{k: row[k] or 0 for k in ("targets", "reached", "in_need", "linked")})


def funnels_for(*, user: User, campaign_ids: Sequence[int]) -> dict[int, Funnel]:
    """The funnel of each campaign over the targets the user may see, in one query."""
    rows = (
        targets_visible_to(user)
        .filter(campaign_id__in=list(campaign_ids))
        .values("campaign_id")
        .annotate(**_stage_counts())
    )
    funnels = {cid: Funnel(0, 0, 0, 0) for cid in campaign_ids}
    for row in rows:
        funnels[row["campaign_id"]] = Funnel(
            row["targets"], row["reached"], row["in_need"], row["linked"]
        )
    return funnels


def campaign_progress(*, user: User, campaign: Campaign) -> dict[str, list[dict]]:
    """Counts per outcome by dong, by team and by tong/ban (coverage: reached of targets)."""
    targets = campaign_targets(user=user, campaign=campaign)
    outcome_counts = {
        o: Count("id", filter=Q(outcome=o)) for o in Target.Outcome.values
    } | _stage_counts()

    def rows(*fields: str, order: tuple[str, ...] = ()) -> list[dict]:
        result = []
        grouped = targets.values(*fields, *order).annotate(**outcome_counts)
        for row in grouped.order_by(*(order or fields)):
            row["coverage"] = round(100 * row["reached"] / row["targets"]) if row["targets"] else 0
            result.append(row)
        return result

    by_dong = rows("dong_id", "dong__name", order=("dong__code",))
    by_team = [
        {
            **r,
            "team_label": Visit.Team(r["team"]).label
            if r["team"] in Visit.Team.values
            else r["team"],
        }
        for r in rows("team")
        if r["team"]
    ]
    by_tong = rows(
        "dong__name",
        "tong__name",
        "ban__name",
        order=("dong__code", "tong__code", "ban__code"),
    )
    return {"dong": by_dong, "team": by_team, "tong": by_tong}


@dataclass(frozen=True)
class TargetFilters:
    """How a target list is built from the registry (all optional, combined with AND)."""

    dong_ids: tuple[int, ...] = ()
    groups: tuple[str, ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    living_alone: bool = False
    programmes: tuple[str, ...] = ()
    tong_ids: tuple[int, ...] = ()
    ban_ids: tuple[int, ...] = ()

    def as_dict(self) -> dict:
        return {
            "dong_ids": list(self.dong_ids),
            "groups": list(self.groups),
            "age_min": self.age_min,
            "age_max": self.age_max,
            "living_alone": self.living_alone,
            "programmes": list(self.programmes),
            "tong_ids": list(self.tong_ids),
            "ban_ids": list(self.ban_ids),
        }


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def households_matching(
    *, user: User, campaign: Campaign, filters: TargetFilters, today: dt.date
) -> QuerySet[Household]:
    """Registry households within the user's scope and the campaign's area that match the
    filters: any of the groups; a member aged age_min..age_max today; one member only
    (living alone); a benefit of one of the programmes running today; the tongs/bans."""
    households = households_visible_to(user).filter(anonymised_at__isnull=True)
    area = campaign.area
    if area.level == Area.Level.DONG:
        households = households.filter(dong_id=area.pk)
    else:
        households = households.filter(dong__parent_id=area.pk)
    if filters.dong_ids:
        households = households.filter(dong_id__in=filters.dong_ids)
    if filters.tong_ids:
        households = households.filter(tong_id__in=filters.tong_ids)
    if filters.ban_ids:
        households = households.filter(ban_id__in=filters.ban_ids)
    if filters.groups:
        # JSON "contains" is not available on SQLite: compare the JSON text ("senior_alone").
        households = households.annotate(_groups_text=Cast("groups", TextField()))
        group_q = Q()
        for group in filters.groups:
            group_q |= Q(_groups_text__contains=f'"{group}"')
        households = households.filter(group_q)
    if filters.age_min is not None or filters.age_max is not None:
        members = Resident.objects.filter(birth_date__isnull=False)
        if filters.age_min is not None:
            members = members.filter(birth_date__lte=_years_before(today, filters.age_min))
        if filters.age_max is not None:
            members = members.filter(birth_date__gt=_years_before(today, filters.age_max + 1))
        households = households.filter(pk__in=members.values("household_id"))
    if filters.living_alone:
        single = (
            Resident.objects.values("household_id")
            .annotate(n=Count("id"))
            .filter(n=1)
            .values("household_id")
        )
        households = households.filter(pk__in=single)
    if filters.programmes:
        running = BenefitReceipt.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=today),
            programme__in=filters.programmes,
            started_on__lte=today,
        )
        households = households.filter(pk__in=running.values("household_id"))
    return households


def areas_for_filters(*, user: User, campaign: Campaign) -> dict[str, list[Area]]:
    """The dongs and tongs a target list can be narrowed to (within the user's dongs)."""
    dongs = dong_ids_of(user) if user.is_hub_staff else []
    if campaign.area.level == Area.Level.DONG:
        dongs = [d for d in dongs if d == campaign.area_id]
    return {
        "dongs": list(Area.objects.filter(pk__in=dongs).order_by("code")),
        "tongs": list(
            Area.objects.filter(parent_id__in=dongs, level=Area.Level.TONG)
            .select_related("parent")
            .order_by("parent__code", "code")
        ),
    }


def my_targets(*, user: User, outcomes: Iterable[str] = ()) -> QuerySet[Target]:
    """The targets assigned to the user across running campaigns (the phone list)."""
    targets = targets_visible_to(user).filter(assignee=user)
    if outcomes:
        targets = targets.filter(outcome__in=list(outcomes))
    return targets.select_related("campaign", "household", "tong", "ban").prefetch_related(
        "household__members"
    )


def campaign_workers(*, user: User, campaign: Campaign) -> QuerySet[User]:
    """Who targets can be given to: hub staff and safety-net volunteers of the campaign's
    dongs that the user works in."""
    dongs = set(dong_ids_of(user))
    if campaign.area.level == Area.Level.DONG:
        dongs &= {campaign.area_id}
    return (
        User.objects.filter(is_active=True)
        .filter(Q(home_area_id__in=dongs) | Q(home_area_id=campaign.area_id))
        .exclude(role="partner")
        .order_by("role", "full_name", "username")
    )


def campaign_safety_net(*, user: User, campaign: Campaign) -> list[dict]:
    """The campaign's named safety-net members of the user's dongs, each with the targets
    given to her (that the user may see) and how many of those were reached."""
    members = list(
        campaign.safety_net.filter(dong_id__in=dong_ids_of(user))
        .select_related("dong", "tong")
        .order_by("dong__code", "team", "name")
    )
    counts = {
        row["member_id"]: row
        for row in campaign_targets(user=user, campaign=campaign)
        .filter(member__in=members)
        .values("member_id")
        .annotate(**_stage_counts())
    }
    return [
        {"member": m, **{k: counts.get(m.pk, {}).get(k, 0) for k in ("targets", "reached")}}
        for m in members
    ]


def safety_net_choices(
    *, user: User, campaign: Campaign | None = None
) -> QuerySet[SafetyNetMember]:
    """The safety-net members a campaign may name: still active, of the user's dongs (and of
    the campaign's, once it exists)."""
    dongs = set(dong_ids_of(user))
    if campaign is not None:
        if campaign.area.level == Area.Level.DONG:
            dongs &= {campaign.area_id}
        else:
            dongs &= set(Area.objects.filter(parent=campaign.area).values_list("pk", flat=True))
    return (
        SafetyNetMember.objects.filter(dong_id__in=dongs, left_on__isnull=True)
        .select_related("dong", "tong")
        .order_by("dong__code", "team", "tong__code", "name")
    )
