"""Pages of the evaluation: monthly series with the hubs' openings, the effect of opening a hub
on each indicator with its interval and event study, and the reports (hub staff and the gu)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maeul.accounts.audit import audit_read
from maeul.benefits.counterfactual import counterfactuals
from maeul.benefits.models import Region
from maeul.benefits.rules import PROGRAMMES
from maeul.benefits.rules.evaluate import parse_period
from maeul.benefits.selectors import (
    current_period,
    gu_id_of_dong,
    household_payload,
    local_parameters_cached,
    rules_system_for_gu,
)
from maeul.benefits.whatif import ordinance_whatif
from maeul.errors import DomainError
from maeul.evaluation.charts import COLOURS, Line, Mark, event_chart, line_chart
from maeul.evaluation.did import month_index, month_label
from maeul.evaluation.models import ReportRun
from maeul.evaluation.selectors import (
    INDICATORS,
    MAX_MONTHS,
    RANKED,
    SERIES,
    Series,
    hub_effects,
    indicator_series,
    report_file,
    report_runs_visible_to,
    sido_ranking,
)
from maeul.evaluation.services import report_start
from maeul.people.models import Programme
from maeul.people.selectors import household_get
from maeul.web import parse_date, parse_id, staff_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EVENT_WINDOW = 12
WHATIF_LISTED = 100  # gainers and losers listed by name (the counts cover all)  # months either side of the opening shown in the event study


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


# Reports ------------------------------------------------------------------------------------------


def _report_context(request: HttpRequest) -> dict:
    runs = list(report_runs_visible_to(request.user)[:10])  # type: ignore[arg-type]
    active = next((r for r in runs if r.status in ReportRun.ACTIVE), None)
    return {"runs": runs, "active": active}


@staff_required
@require_http_methods(["GET", "POST"])
def reports_page(request: HttpRequest) -> HttpResponse:
    """Ask for the report of a period (built in the background, progress polled) and download
    the finished ones as Excel and PDF."""
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    start_text = request.POST.get("start") or last_month_end.replace(day=1).isoformat()
    end_text = request.POST.get("end") or last_month_end.isoformat()
    error = ""
    if request.method == "POST":
        try:
            report_start(
                actor=request.user,  # type: ignore[arg-type]
                start=parse_date(start_text),
                end=parse_date(end_text),
                language=translation.get_language() or "ko",
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            return redirect("evaluation:reports")
    return render(
        request,
        "evaluation/reports.html",
        {**_report_context(request), "start": start_text, "end": end_text, "error": error},
    )


@staff_required
def report_status(request: HttpRequest) -> HttpResponse:
    """The fragment the reports page polls every 2 s while a report is being built; when the
    polled run has ended the page is loaded again (HX-Redirect) to list its files."""
    context = _report_context(request)
    response = render(request, "evaluation/_report_status.html", context)
    polled = request.GET.get("run", "")
    if polled.isdigit() and (context["active"] is None or context["active"].pk != int(polled)):
        response["HX-Redirect"] = reverse("evaluation:reports")
    return response


@staff_required
def report_download(request: HttpRequest, run_id: int, kind: str) -> HttpResponse:
    data, run = report_file(user=request.user, run_id=run_id, kind=kind)  # type: ignore[arg-type]
    content_type = XLSX if kind == "xlsx" else "application/pdf"
    response = HttpResponse(data, content_type=content_type)
    name = f"indicators_{run.gu.code}_{run.period_start}_{run.period_end}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# What-if of an ordinance line and one household's counterfactual ----------------------------------


@staff_required
def whatif_page(request: HttpRequest) -> HttpResponse:
    """Before a gu changes an ordinance line: the registry swept under the proposed value
    beside the line in force. Gu team and administrators (who may change the lines)."""
    if not request.user.is_gu_level:  # type: ignore[union-attr]
        raise Http404
    parameters = list(local_parameters_cached())
    programme_labels = dict(Programme.choices)
    chosen = request.GET.get("parameter", "")
    value = request.GET.get("value", "").strip()
    period = request.GET.get("period", "").strip() or current_period()
    result, error = None, ""
    if chosen or value:
        try:
            result = ordinance_whatif(
                actor=request.user, parameter=chosen, value=value, period=period
            )  # type: ignore[arg-type]
        except DomainError as exc:
            error = str(exc.message)
        else:
            for row in result.programmes:
                row["label"] = programme_labels.get(row["programme"], row["programme"])
            ids = [
                h for h, _d, _p in result.gainers[:WHATIF_LISTED] + result.losers[:WHATIF_LISTED]
            ]
            if ids:
                audit_read(
                    request=request, household_ids=ids, action="list", purpose="ordinance what-if"
                )
    return render(
        request,
        "evaluation/whatif.html",
        {
            "parameters": parameters,
            "chosen": chosen,
            "value": value,
            "period": period,
            "result": result,
            "error": error,
            "gainers": [
                (h, d, [programme_labels.get(p, p) for p in ps])
                for h, d, ps in (result.gainers if result else [])[:WHATIF_LISTED]
            ],
            "losers": [
                (h, d, [programme_labels.get(p, p) for p in ps])
                for h, d, ps in (result.losers if result else [])[:WHATIF_LISTED]
            ],
            "listed": WHATIF_LISTED,
        },
    )


@staff_required
def counterfactual_fragment(request: HttpRequest, household_id: int) -> HttpResponse:
    """Beside a benefit's explanation on the household page (loaded by htmx): the single
    change that would make the household entitled, and to how much."""
    household = household_get(user=request.user, household_id=household_id)  # type: ignore[arg-type]
    programme = request.GET.get("programme", "")
    if programme not in PROGRAMMES:
        raise Http404
    audit_read(request=request, household_id=household.pk, purpose="benefits counterfactual")
    period = request.GET.get("period", "") or current_period()
    try:
        period = parse_period(period)
    except ValueError:
        period = current_period()
    payload = household_payload(household, period=period)
    changes = counterfactuals(
        payload, system=rules_system_for_gu(gu_id_of_dong(household.dong)), programmes=[programme]
    ).get(programme, [])
    regions = dict(Region.choices)
    rows = [{"change": c, "region": regions.get(c.region, c.region)} for c in changes]
    return render(request, "evaluation/_counterfactual.html", {"changes": rows})


# The si/do view ------------------------------------------------------------------------------------


@staff_required
def sido_page(request: HttpRequest) -> HttpResponse:
    """The si/do view: its gus ranked on the indicators of the last twelve complete months and
    the effect of their hubs (gu team and administrators)."""
    today = timezone.localdate()
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = (end.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    sido, rows = sido_ranking(user=request.user, today=today, start=start, end=end)  # type: ignore[arg-type]
    labels = dict(INDICATORS)
    table = [
        {
            "gu": r.gu,
            "cells": [
                {
                    "value": r.totals.get(key, 0),
                    "rank": r.ranks.get(key),
                    "effect": r.effects.get(key).result if r.effects.get(key) else None,  # type: ignore[union-attr]
                }
                for key in RANKED
            ],
        }
        for r in rows
    ]
    return render(
        request,
        "evaluation/sido.html",
        {
            "sido": sido,
            "table": table,
            "headers": [labels[k] for k in RANKED],
            "start": start,
            "end": end,
        },
    )
