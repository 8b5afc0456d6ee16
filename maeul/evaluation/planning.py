"""Planning the delivery system: the hub model per dong from the five core indexes (seed 001),
and the sphere links a gu records after it.

Hub model. Suyeong-gu's pilots named five core indexes — population, people subject to welfare
per population, accessibility, resident participation, local income and resources — and made a
dong with "a relative lack of [subjects / population], [participation of residents] and [local
resources]" a sphere-type hub linked to an adjacent central dong. maeul counts the indexes from
the registry and scores each 0–100 against the gu's other dongs (min–max; accessibility the
other way round: a shorter distance scores higher). A dong below the gu's median on all three
of subjects/population, participation and resources is suggested sphere-type, linked to the
nearest dong suggested basic; every other dong basic. ``hub_models`` is pure arithmetic on the
indexes, so the scores can be checked by hand (a test does).

Staffing is in `evaluation/staffing.py`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from statistics import median

from django.db.models import Count, Q, Sum

from maeul.accounts.models import SafetyNetMember, User
from maeul.areas.models import Area
from maeul.indicators.selectors import indicator_areas, indicator_values
from maeul.people.models import Household, Resident, TimelineEvent

INDEXES = ("population", "subjects_rate", "accessibility", "participation", "resources")
#: The three whose relative lack makes a dong sphere-type (seed 001).
SPHERE_INDEXES = ("subjects_rate", "participation", "resources")


@dataclass
class DongIndexes:
    """Raw values: residents; people subject to welfare per 1,000 residents; mean distance of
    its households to the dong's centre (km; None without coordinates); safety-net members per
    1,000 residents; local resources found in the last twelve months (KRW)."""

    dong_id: int
    name: str
    lat: float | None
    lon: float | None
    population: float
    subjects_rate: float
    distance_km: float | None
    participation: float
    resources: float


@dataclass
class DongModel:
    indexes: DongIndexes
    scores: dict[str, float] = field(default_factory=dict)
    total: float = 0.0
    weak: list[str] = field(default_factory=list)
    model: str = "basic"
    central_id: int | None = None
    central_name: str = ""


def _km(a: DongIndexes, b: DongIndexes) -> float:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return math.inf
    lat = math.radians((a.lat + b.lat) / 2)  # type: ignore[operator]
    dx = (a.lon - b.lon) * 111.32 * math.cos(lat)  # type: ignore[operator]
    dy = (a.lat - b.lat) * 110.57  # type: ignore[operator]
    return math.hypot(dx, dy)


def _scale(values: list[float | None], *, reverse: bool = False) -> list[float]:
    """Min–max to 0–100 (100 = the gu's best); all equal → 50; unknown → 0."""
    known = [v for v in values if v is not None]
    if not known:
        return [0.0] * len(values)
    low, high = min(known), max(known)
    out = []
    for v in values:
        if v is None:
            out.append(0.0)
        elif high == low:
            out.append(50.0)
        else:
            share = (v - low) / (high - low)
            out.append(round(100 * (1 - share if reverse else share), 1))
    return out


def hub_models(rows: list[DongIndexes]) -> list[DongModel]:
    """Scores, total (mean of the five) and the suggested model of each dong."""
    models = [DongModel(indexes=r) for r in rows]
    columns = {
        "population": _scale([r.population for r in rows]),
        "subjects_rate": _scale([r.subjects_rate for r in rows]),
        "accessibility": _scale([r.distance_km for r in rows], reverse=True),
        "participation": _scale([r.participation for r in rows]),
        "resources": _scale([r.resources for r in rows]),
    }
    for i, m in enumerate(models):
        m.scores = {key: columns[key][i] for key in INDEXES}
        m.total = round(sum(m.scores.values()) / len(INDEXES), 1)
    medians = {key: median(columns[key]) for key in SPHERE_INDEXES} if models else {}
    for m in models:
        m.weak = [key for key in SPHERE_INDEXES if m.scores[key] < medians[key]]
        m.model = "sphere" if len(m.weak) == len(SPHERE_INDEXES) else "basic"
    basics = [m for m in models if m.model == "basic"]
    for m in models:
        if m.model == "sphere" and basics:
            central = min(basics, key=lambda b: (_km(m.indexes, b.indexes), -b.total))
            m.central_id, m.central_name = central.indexes.dong_id, central.indexes.name
        elif m.model == "sphere":
            m.model = "basic"  # no dong to link to
    return models


def dong_indexes(*, gu: Area, today: dt.date) -> list[DongIndexes]:
    """The five raw indexes of every dong of the gu, from the registry (a few GROUP BY queries)."""
    dongs = list(Area.objects.filter(parent=gu, level=Area.Level.DONG).order_by("code"))
    ids = [d.pk for d in dongs]
    residents = dict(
        Resident.objects.filter(household__dong_id__in=ids, household__anonymised_at__isnull=True)
        .values_list("household__dong_id")
        .annotate(n=Count("id"))
        .values_list("household__dong_id", "n")
    )
    targets = indicator_values(gu=gu, start=today, end=today)
    members = dict(
        SafetyNetMember.objects.filter(dong_id__in=ids, joined_on__lte=today)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .values_list("dong_id")
        .annotate(n=Count("id"))
        .values_list("dong_id", "n")
    )
    year_ago = today - dt.timedelta(days=365)
    found = dict(
        TimelineEvent.objects.filter(
            dong_id__in=ids,
            kind=TimelineEvent.Kind.RESOURCE_DISCOVERED,
            occurred_at__date__gt=year_ago,
        )
        .values_list("dong_id")
        .annotate(total=Sum("amount"))
        .values_list("dong_id", "total")
    )
    rows = []
    for dong in dongs:
        points = Household.objects.filter(
            dong=dong, anonymised_at__isnull=True, lat__isnull=False, lon__isnull=False
        ).values_list("lat", "lon")
        distance = None
        if dong.lat is not None and dong.lon is not None:
            centre = DongIndexes(dong.pk, "", dong.lat, dong.lon, 0, 0, None, 0, 0)
            spans = [
                _km(centre, DongIndexes(0, "", lat, lon, 0, 0, None, 0, 0)) for lat, lon in points
            ]
            distance = round(sum(spans) / len(spans), 3) if spans else None
        population = residents.get(dong.pk, 0)
        per_thousand = 1000 / population if population else 0.0
        rows.append(
            DongIndexes(
                dong_id=dong.pk,
                name=dong.display_name,
                lat=dong.lat,
                lon=dong.lon,
                population=population,
                subjects_rate=round(targets[dong.pk]["targets"] * per_thousand, 1),
                distance_km=distance,
                participation=round(members.get(dong.pk, 0) * per_thousand, 1),
                resources=float(found.get(dong.pk) or 0),
            )
        )
    return rows


def hub_model_table(*, user: User, today: dt.date) -> tuple[Area, list[DongModel]]:
    gu, _dongs = indicator_areas(user=user)
    return gu, hub_models(dong_indexes(gu=gu, today=today))
