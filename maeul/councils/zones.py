"""Special Support Zones (seed 002), the reads: candidate tongs of the user's gu ranked by the
concentration of vulnerable households and the scarcity of resources, with the criteria and
weights shown; a zone's evaluation before and after selection against the rest of its dong.
Only counts per tong: never a person. Writes are in `services` (zone_select, zone_plan_add)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.councils.models import Zone
from maeul.errors import DomainError, NotFound
from maeul.people.models import Household, TimelineEvent
from maeul.people.selectors import dong_ids_of
from maeul.resources.models import PartnerInstitution, Resource

#: criterion → (label, default weight). Scarcity criteria count against resources.
CRITERIA: dict[str, tuple[object, float]] = {
    "vulnerable": (_("vulnerable households (count)"), 0.35),
    "share": (_("share of vulnerable households"), 0.25),
    "scarcity": (_("scarcity of resources in the dong (per 100 households)"), 0.25),
    "distance": (_("distance from the dong's hub (km)"), 0.15),
}
#: What the evaluation counts per 100 households (seed 002: effectiveness of the zone's work).
OUTCOMES = (
    TimelineEvent.Kind.BLIND_SPOT_DISCOVERED,
    TimelineEvent.Kind.LINKAGE_PROVIDED,
    TimelineEvent.Kind.VISIT_COMPLETED,
)


@dataclass
class Candidate:
    tong: Area
    households: int
    vulnerable: int
    share: float
    groups: dict[str, int]
    resources_per_100: float
    distance_km: float
    score: float = 0.0
    rank: int = 0


def weights_from(data: dict) -> dict[str, float]:
    """The gu's weights from a form (defaults where absent); each 0–1, not all zero."""
    weights = {}
    for key, (_label, default) in CRITERIA.items():
        raw = data.get(key)
        try:
            value = default if raw in (None, "") else float(raw)
        except (TypeError, ValueError) as exc:
            raise DomainError(
                "bad_weight", _("Weights are numbers from 0 to 1."), field=key
            ) from exc
        if not 0 <= value <= 1:
            raise DomainError("bad_weight", _("Weights are numbers from 0 to 1."), field=key)
        weights[key] = value
    if not any(weights.values()):
        raise DomainError("bad_weight", _("At least one weight must be above 0."))
    return weights


def _km(a: Area, b: Area) -> float:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return 0.0
    dy = (a.lat - b.lat) * 111.32  # type: ignore[operator]
    dx = (a.lon - b.lon) * 111.32 * math.cos(math.radians(a.lat))  # type: ignore[arg-type, operator]
    return math.hypot(dx, dy)


def zone_candidates(*, user: User, weights: dict[str, float]) -> list[Candidate]:
    """Every tong of the user's dongs with households, ranked by the weighted sum of the
    criteria standardised across the tongs (z-scores; scarcity and distance count for)."""
    dongs = {d.pk: d for d in Area.objects.filter(pk__in=dong_ids_of(user))}
    tongs = list(Area.objects.filter(parent_id__in=dongs, level=Area.Level.TONG))
    if not tongs:
        return []
    households = Household.objects.filter(tong__in=tongs)
    per_tong = {
        row["tong"]: row
        for row in households.values("tong").annotate(
            n=Count("pk"), vulnerable=Count("pk", filter=~Q(groups=[]))
        )
    }
    group_rows = households.exclude(groups=[]).values_list("tong", "groups")
    groups: dict[int, dict[str, int]] = {}
    for tong_id, names in group_rows:
        for name in names:
            groups.setdefault(tong_id, {})
            groups[tong_id][name] = groups[tong_id].get(name, 0) + 1
    dong_households = dict(
        Household.objects.filter(dong_id__in=dongs).values_list("dong").annotate(n=Count("pk"))
    )
    resources = dict(
        Resource.objects.filter(dong_id__in=dongs).values_list("dong").annotate(n=Count("pk"))
    )
    partners = dict(
        PartnerInstitution.objects.filter(area_id__in=dongs)
        .values_list("area")
        .annotate(n=Count("pk"))
    )
    out = []
    for tong in tongs:
        row = per_tong.get(tong.pk)
        if not row:
            continue
        dong_id = tong.parent_id
        dong = dongs.get(dong_id) if dong_id is not None else None
        if dong is None:
            continue
        found = resources.get(dong_id, 0) + partners.get(dong_id, 0)
        out.append(
            Candidate(
                tong=tong,
                households=row["n"],
                vulnerable=row["vulnerable"],
                share=row["vulnerable"] / row["n"],
                groups=groups.get(tong.pk, {}),
                resources_per_100=100 * found / max(1, dong_households.get(dong_id, 0)),
                distance_km=_km(tong, dong),
            )
        )
    if not out:
        return []
    matrix = np.array(
        [[c.vulnerable, c.share, -c.resources_per_100, c.distance_km] for c in out], dtype=float
    )
    spread = matrix.std(axis=0)
    z = (matrix - matrix.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    scores = z @ np.array([weights[k] for k in CRITERIA])
    for c, s in zip(out, scores, strict=True):
        c.score = float(s)
    out.sort(key=lambda c: (-c.score, c.tong.code))
    for rank, c in enumerate(out, start=1):
        c.rank = rank
    return out


def zones_visible_to(user: User):
    return Zone.objects.filter(dong_id__in=dong_ids_of(user)).select_related("dong")


def zone_get(*, user: User, zone_id: int) -> Zone:
    zone = zones_visible_to(user).filter(pk=zone_id).first()
    if zone is None:
        raise NotFound()
    return zone


def zone_evaluation(zone: Zone, *, months: int = 12) -> list[dict]:
    """Each outcome per 100 households, in the zone and in the rest of its dong, for the
    `months` before selection and after it (to today), and the difference in differences."""
    tong_ids = list(zone.tongs.values_list("pk", flat=True))
    start = zone.selected_on - dt.timedelta(days=30 * months)
    end = zone.selected_on + dt.timedelta(days=30 * months)
    in_zone = Household.objects.filter(dong=zone.dong, tong_id__in=tong_ids).count()
    rest = Household.objects.filter(dong=zone.dong).exclude(tong_id__in=tong_ids).count()
    events = (
        TimelineEvent.objects.filter(
            dong=zone.dong,
            kind__in=OUTCOMES,
            household__isnull=False,
            occurred_at__date__gte=start,
            occurred_at__date__lt=end,
        )
        .annotate(
            zone=Q(household__tong_id__in=tong_ids),
            after=Q(occurred_at__date__gte=zone.selected_on),
        )
        .values("kind", "zone", "after")
        .annotate(n=Count("pk"))
    )
    counts = {(e["kind"], bool(e["zone"]), bool(e["after"])): e["n"] for e in events}

    def rate(n: int, base: int) -> float | None:
        return None if base == 0 else 100 * n / base

    rows = []
    for kind in OUTCOMES:
        cell = {
            (z, a): rate(counts.get((kind, z, a), 0), in_zone if z else rest)
            for z in (True, False)
            for a in (False, True)
        }
        diff = None
        if None not in cell.values():
            diff = (cell[(True, True)] - cell[(True, False)]) - (  # type: ignore[operator]
                cell[(False, True)] - cell[(False, False)]  # type: ignore[operator]
            )
        rows.append(
            {
                "kind": TimelineEvent.Kind(kind).label,
                "zone_before": cell[(True, False)],
                "zone_after": cell[(True, True)],
                "rest_before": cell[(False, False)],
                "rest_after": cell[(False, True)],
                "did": diff,
            }
        )
    return rows
