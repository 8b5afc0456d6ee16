"""Pages of the evaluation: monthly series with the hubs' openings, the effect of opening a hub
on each indicator with its interval and event study, and the reports (hub staff and the gu)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from maeul.evaluation.charts import COLOURS, Line, Mark, event_chart, line_chart
from maeul.evaluation.did import month_index, month_label
from maeul.evaluation.selectors import (
    INDICATORS,
    MAX_MONTHS,
    SERIES,
    Series,
    hub_effects,
    indicator_series,
)
from maeul.web import parse_id, staff_required

EVENT_WINDOW = 12  # months either side of the opening shown in the event study


def _months(request: HttpRequest) -> tuple[list[int] | None, str]:
    """?start=YYYY-MM&end=YYYY-MM, or None for the default range; an error message if bad."""
    start, end = request.GET.get("start", "").strip(), request.GET.get("end", "").strip()
    if not start and not end:
        return None, ""
    try:
        first, last = month_index(start), month_index(end)
    except ValueError:
        return None, _("Give both months as YYYY-MM.")
    if first > last:
        return None, _("The first month must not be after the last.")
    if last - first + 1 > MAX_MONTHS:
        return None, _("At most %(n)s months.") % {"n": MAX_MONTHS}
    return list(range(first, last + 1)), ""


def _series(request: HttpRequest) -> tuple[Series, str]:
    months, error = _months(request)
    return indicator_series(user=request.user, today=timezone.localdate(), months=months), error  # type: ignore[arg-type]


def _marks(series: Series, dong_id: int | None) -> list[Mark]:
    position = {m: i for i, m in enumerate(series.months)}
    marks = []
    for month, dongs in series.openings().items():
        if month not in position:
            continue
        if dong_id is None:
            marks.append(Mark(position[month], _("%(n)s hubs open") % {"n": len(dongs)}))
        elif any(d.pk == dong_id for d in dongs):
            marks.append(Mark(position[month], _("hub opens")))
    return marks


def series_charts(series: Series, dong_id: int | None) -> list[dict]:
    """One chart per indicator for the gu (None) or a dong; linkages public and private as two
    lines of one chart."""
    values = series.values[dong_id]
    marks = _marks(series, dong_id)
    charts = []
    for key, label in INDICATORS:
        lines = [Line(str(label), values[key])]
        title = str(label)
        if key == "linkages":
            labels = dict(SERIES)
            lines = [
                Line(str(label), values["linkages"], COLOURS[0]),
                Line(str(labels["linkages_public"]), values["linkages_public"], COLOURS[2]),
                Line(str(labels["linkages_private"]), values["linkages_private"], COLOURS[1]),
            ]
        charts.append(
            {
                "key": key,
                "title": title,
                "svg": line_chart(title=title, labels=series.labels, lines=lines, marks=marks),
            }
        )
    return charts


@staff_required
def series_page(request: HttpRequest) -> HttpResponse:
    """Monthly series of every indicator for the gu or one dong, hub openings marked."""
    series, error = _series(request)
    area = series.gu
    dong_id = None
    if request.GET.get("area"):
        wanted = parse_id(request.GET["area"])
        visible = {d.pk: d for d in series.visible}
        if wanted in visible:
            area, dong_id = visible[wanted], wanted
    opened = series.opened_month(dong_id) if dong_id else None
    return render(
        request,
        "evaluation/series.html",
        {
            "series": series,
            "area": area,
            "dong_id": dong_id,
            "opened": month_label(opened) if opened is not None else "",
            "charts": series_charts(series, dong_id) if series.months else [],
            "error": error,
            "start": request.GET.get("start", series.labels[0] if series.months else ""),
            "end": request.GET.get("end", series.labels[-1] if series.months else ""),
            "openings": [(month_label(m), dongs) for m, dongs in series.openings().items()],
        },
    )


def effect_rows(series: Series) -> list[dict]:
    rows = []
    for effect in hub_effects(series):
        row: dict = {
            "key": effect.key,
            "label": effect.label,
            "error": effect.error,
            "result": effect.result,
        }
        result = effect.result
        if result is not None:
            points = [
                (e, est.estimate, est.ci_low, est.ci_high)
                for e, est in result.event_study.items()
                if -EVENT_WINDOW <= e <= EVENT_WINDOW
            ]
            o = result.overall
            row["svg"] = event_chart(
                title=effect.label,
                points=points,
                overall=(o.estimate, o.ci_low, o.ci_high),
                x_label=_("months since the hub opened"),
            )
            row["significant"] = o.ci_low > 0 or o.ci_high < 0
        rows.append(row)
    return rows


@staff_required
def effects_page(request: HttpRequest) -> HttpResponse:
    """The effect of opening a hub on each indicator: estimate, 95% interval, the event study
    and the pre-trend check."""
    series, error = _series(request)
    rows = effect_rows(series) if series.months else []
    return render(
        request,
        "evaluation/effects.html",
        {
            "series": series,
            "rows": rows,
            "error": error,
            "start": request.GET.get("start", series.labels[0] if series.months else ""),
            "end": request.GET.get("end", series.labels[-1] if series.months else ""),
            "openings": [(month_label(m), dongs) for m, dongs in series.openings().items()],
        },
    )
