"""Monthly indicator series per dong and for the gu, and the effect of opening a hub on each.

The months are counted by the indicators app's own measures (`indicator_values`, the same
numbers as the Ministry table for the same month), so a series and the table never disagree;
linkages are further split public / private by the kind of the linkage each event records.
Aggregates are not personal data: a dong's staff see their dong row by row and the gu total,
and the effects (estimated over every dong of the gu) like the gu total.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.areas.models import Area, Hub
from maeul.cases.models import Linkage
from maeul.errors import NotFound
from maeul.evaluation.did import (
    DidResult,
    Panel,
    PanelError,
    estimate_did,
    month_label,
)
from maeul.evaluation.models import ReportRun
from maeul.indicators.selectors import (
    EVENT_INDICATORS,
    INDICATORS,
    indicator_areas,
    indicator_values,
)
from maeul.people.models import BenefitReceipt, TimelineEvent

PUBLIC_KINDS = (Linkage.Kind.PUBLIC_BENEFIT, Linkage.Kind.EMERGENCY_AID)
PRIVATE_KINDS = (Linkage.Kind.PRIVATE_RESOURCE, Linkage.Kind.PARTNER_REFERRAL)
#: Every indicator of the Ministry's set, then the linkages split by who provides them.
SERIES = (
    *INDICATORS,
    ("linkages_public", _("Service linkages: public")),
    ("linkages_private", _("Service linkages: private")),
)
SERIES_KEYS = tuple(key for key, _label in SERIES)
MAX_MONTHS = 60
CACHE_SECONDS = 15 * 60


def month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(index: int) -> dt.date:
    return month_start(index + 1) - dt.timedelta(days=1)


@dataclass
class Series:
    """Values per month: `values[dong id or None for the gu][key][k]` for `months[k]`."""

    gu: Area
    dongs: list[Area]  # every dong of the gu (the estimation's units)
    visible: list[Area]  # the dongs the user sees row by row
    months: list[int]
    values: dict[int | None, dict[str, list[int]]]
    hubs: dict[int, Hub] = field(default_factory=dict)  # dong id → its hub

    @property
    def labels(self) -> list[str]:
        return [month_label(m) for m in self.months]

    def opened_month(self, dong_id: int) -> int | None:
        hub = self.hubs.get(dong_id)
        if hub is None or hub.opened_on is None:
            return None
        return hub.opened_on.year * 12 + hub.opened_on.month - 1

    def openings(self) -> dict[int, list[Area]]:
        """Month → dongs whose hub opened in it (the marks on the gu's charts)."""
        result: dict[int, list[Area]] = defaultdict(list)
        for dong in self.dongs:
            opened = self.opened_month(dong.pk)
            if opened is not None:
                result[opened].append(dong)
        return dict(sorted(result.items()))


def series_months(*, gu: Area, today: dt.date) -> list[int]:
    """From the first month in which the gu's record holds every kind of act the indicators
    count (before it a series would start at zero for want of records, not of work) to the
    last complete month before today, at most the last MAX_MONTHS."""
    firsts = TimelineEvent.objects.filter(dong__parent=gu).aggregate(
        **{kind: Min("occurred_at", filter=Q(kind=kind)) for kind in EVENT_INDICATORS}
    )
    last = today.year * 12 + today.month - 2
    known = [first for first in firsts.values() if first is not None]
    if not known:
        return []
    first = max(known)
    start = max(first.year * 12 + first.month - 1, last - MAX_MONTHS + 1)
    return list(range(start, last + 1))


def _series_key(gu: Area, months: list[int]) -> str:
    """The cache key of a gu's series: any new event, receipt or staff change makes a new key
    (and the cached series expires anyway after CACHE_SECONDS)."""
    stamp = (
        TimelineEvent.objects.filter(dong__parent=gu).aggregate(n=Max("id"))["n"],
        BenefitReceipt.objects.aggregate(n=Max("id"))["n"],
        User.objects.filter(hired_on__isnull=False).aggregate(n=Count("id"), m=Max("id")),
    )
    digest = hashlib.sha256(repr(stamp).encode()).hexdigest()[:24]
    return f"evaluation:series:{gu.pk}:{months[0] if months else 0}:{len(months)}:{digest}"


def _linkage_split(dong_ids: list[int], months: list[int]) -> dict[tuple[int, int, str], int]:
    """(dong, month, "public"/"private") → linkages provided, by the kind of the linkage."""
    if not months:
        return {}
    kind = Linkage.objects.filter(pk=OuterRef("subject_id")).values("kind")[:1]
    rows = (
        TimelineEvent.objects.filter(
            dong_id__in=dong_ids,
            kind=TimelineEvent.Kind.LINKAGE_PROVIDED,
            subject_type="linkage",
            occurred_at__date__gte=month_start(months[0]),
            occurred_at__date__lte=month_end(months[-1]),
        )
        .annotate(month=TruncMonth("occurred_at"), linkage_kind=Subquery(kind))
        .values("dong_id", "month", "linkage_kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[tuple[int, int, str], int] = defaultdict(int)
    for r in rows:
        month = r["month"]
        index = month.year * 12 + month.month - 1
        side = (
            "public"
            if r["linkage_kind"] in PUBLIC_KINDS
            else "private"
            if r["linkage_kind"] in PRIVATE_KINDS
            else ""
        )
        if side:
            result[(r["dong_id"], index, side)] += r["n"]
    return result


def indicator_series(
    *,
    user: User,
    today: dt.date,
    months: list[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Series:
    """Every indicator per month for every dong of the user's gu and the gu total."""
    gu, visible = indicator_areas(user=user)
    dongs = list(Area.objects.filter(parent=gu, level=Area.Level.DONG).order_by("code"))
    if months is None:
        months = series_months(gu=gu, today=today)
    cache_key = _series_key(gu, months)
    cached = cache.get(cache_key)
    if cached is None:
        cached = _count_months(gu, dongs, months, progress)
        cache.set(cache_key, cached, CACHE_SECONDS)
    hubs = {h.dong_id: h for h in Hub.objects.filter(dong__in=dongs)}
    return Series(gu=gu, dongs=dongs, visible=visible, months=months, values=cached, hubs=hubs)


def _count_months(
    gu: Area,
    dongs: list[Area],
    months: list[int],
    progress: Callable[[int, int], None] | None = None,
) -> dict[int | None, dict[str, list[int]]]:
    keys = [None, *(d.pk for d in dongs)]
    values: dict[int | None, dict[str, list[int]]] = {
        k: {key: [0] * len(months) for key in SERIES_KEYS} for k in keys
    }
    for position, month in enumerate(months):
        counted = indicator_values(gu=gu, start=month_start(month), end=month_end(month))
        for k in keys:
            for key, value in counted[k].items():
                values[k][key][position] = value
        if progress is not None:
            progress(position + 1, len(months))
    position_of = {m: i for i, m in enumerate(months)}
    for (dong_id, month, side), n in _linkage_split([d.pk for d in dongs], months).items():
        i = position_of.get(month)
        if i is not None and dong_id in values:
            values[dong_id][f"linkages_{side}"][i] += n
            values[None][f"linkages_{side}"][i] += n
    return values


def series_panel(series: Series, key: str) -> Panel:
    """One indicator as the estimator's panel: dongs × months, treated from the hub's opening
    month (a dong without an opened hub is never treated)."""
    y = np.array([series.values[d.pk][key] for d in series.dongs], dtype=float).reshape(
        len(series.dongs), len(series.months)
    )
    return Panel(
        units=[d.code for d in series.dongs],
        months=list(series.months),
        y=y,
        treated_from=[series.opened_month(d.pk) for d in series.dongs],
    )


@dataclass
class Effect:
    key: str
    label: str
    result: DidResult | None
    error: str = ""


def hub_effects(series: Series, keys: tuple[str, ...] = SERIES_KEYS) -> list[Effect]:
    """The effect of opening a hub on each indicator (Callaway–Sant'Anna, not-yet-treated
    dongs as comparison); an indicator that cannot be estimated says why."""
    labels = dict(SERIES)
    effects = []
    for key in keys:
        try:
            result = estimate_did(series_panel(series, key))
        except PanelError as exc:
            effects.append(
                Effect(key=key, label=str(labels[key]), result=None, error=str(exc.message))
            )
        else:
            effects.append(Effect(key=key, label=str(labels[key]), result=result))
    return effects


# --- report runs ---------------------------------------------------------------------------------


def report_runs_visible_to(user: User) -> QuerySet[ReportRun]:
    """The reports of the user's gu: all of them for the gu team and administrators, their own
    for dong staff (whose reports hold their dong and the gu total, as their pages do)."""
    gu, _dongs = indicator_areas(user=user)
    runs = ReportRun.objects.filter(gu=gu).select_related("requested_by").defer("xlsx", "pdf")
    if user.is_dong_staff:
        runs = runs.filter(requested_by=user)
    return runs


def report_run_get(*, user: User, run_id: int) -> ReportRun:
    run = report_runs_visible_to(user).filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    return run


def report_file(*, user: User, run_id: int, kind: str) -> tuple[bytes, ReportRun]:
    """The built workbook or PDF of a finished report (NotFound otherwise)."""
    run = report_run_get(user=user, run_id=run_id)
    data = ReportRun.objects.filter(pk=run.pk).values_list(kind, flat=True).first()
    if run.status != ReportRun.Status.DONE or not data:
        raise NotFound()
    return bytes(data), run


# --- the si/do view ------------------------------------------------------------------------------


@dataclass
class GuRank:
    gu: Area
    totals: dict[str, int]
    effects: dict[str, Effect]
    ranks: dict[str, int] = field(default_factory=dict)


RANKED = ("targets", "case_households", "blind_spots", "site_visits", "linkages", "resources")


def sido_ranking(
    *, user: User, today: dt.date, start: dt.date, end: dt.date
) -> tuple[Area | None, list[GuRank]]:
    """Every gu of the user's si/do side by side: the indicator totals of a period ranked (1 =
    highest), and the effect of its hubs on each indicator. Aggregates only. Gu team and
    administrators (dong staff see their gu on the other pages)."""
    gu, _dongs = indicator_areas(user=user)
    if user.is_dong_staff:
        raise NotFound()
    sido = gu.parent
    gus = (
        [gu]
        if sido is None
        else list(Area.objects.filter(parent=sido, level=Area.Level.SIGUNGU).order_by("code"))
    )
    rows = []
    for other in gus:
        dongs = list(Area.objects.filter(parent=other, level=Area.Level.DONG).order_by("code"))
        totals = indicator_values(gu=other, start=start, end=end)[None]
        months = series_months(gu=other, today=today)
        key = _series_key(other, months)
        values = cache.get(key)
        if values is None:
            values = _count_months(other, dongs, months)
            cache.set(key, values, CACHE_SECONDS)
        hubs = {h.dong_id: h for h in Hub.objects.filter(dong__in=dongs)}
        series = Series(gu=other, dongs=dongs, visible=[], months=months, values=values, hubs=hubs)
        effects = {e.key: e for e in hub_effects(series, RANKED)} if months else {}
        rows.append(GuRank(gu=other, totals=totals, effects=effects))
    for key in RANKED:
        ordered = sorted(rows, key=lambda r: -r.totals.get(key, 0))
        for position, row in enumerate(ordered, start=1):
            row.ranks[key] = position
    return sido, rows
