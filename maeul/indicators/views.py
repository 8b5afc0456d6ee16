"""The indicator dashboard and its CSV export (hub staff and the gu team only)."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from maeul.errors import DomainError, NotFound
from maeul.indicators.forms import PRESETS, PeriodsForm
from maeul.indicators.selectors import INDICATORS, indicator_areas, indicator_compare

CHART_WIDTH = 640
CHART_LABEL = 130
CHART_BAR = 9


def _chart(rows: list[dict], key: str) -> dict:
    """Geometry of a horizontal bar chart of one indicator across the dongs (A and B bars)."""
    dongs = [r for r in rows if not r["is_total"]]
    peak = max([1] + [max(r["values"][key]["a"], r["values"][key]["b"]) for r in dongs])
    span = CHART_WIDTH - CHART_LABEL - 90
    bars = []
    for n, row in enumerate(dongs):
        cell = row["values"][key]
        y = 8 + n * (2 * CHART_BAR + 10)
        bars.append(
            {
                "label": row["area"].display_name,
                "a": cell["a"],
                "b": cell["b"],
                "y": y,
                "y_b": y + CHART_BAR,
                "y_text": y + CHART_BAR + 3,
                "wa": round(span * cell["a"] / peak, 1),
                "wb": round(span * cell["b"] / peak, 1),
                "xa_text": CHART_LABEL + round(span * cell["a"] / peak, 1) + 4,
                "xb_text": CHART_LABEL + round(span * cell["b"] / peak, 1) + 4,
            }
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": 16 + len(bars) * (2 * CHART_BAR + 10),
        "x0": CHART_LABEL,
        "label": dict(INDICATORS)[key],
    }


def _direction(change: int) -> str:
    return "up" if change > 0 else "down" if change < 0 else ""


def _periods(form: PeriodsForm):
    data = form.cleaned_data
    return (data["a_start"], data["a_end"]), (data["b_start"], data["b_end"])


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Ministry indicators per dong and for the gu, period A against period B."""
    try:
        indicator_areas(user=request.user)
    except NotFound as exc:
        raise Http404 from exc
    form = PeriodsForm.from_query(request.GET, today=timezone.localdate())
    rows, chart = [], None
    if form.is_valid():
        a, b = _periods(form)
        try:
            rows = indicator_compare(user=request.user, a=a, b=b)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            chart = _chart(rows, form.cleaned_data["chart"])
    ordered = [r for r in rows if r["is_total"]] + [r for r in rows if not r["is_total"]]
    for row in ordered:
        row["cells"] = [
            {
                **row["values"][key],
                "key": key,
                "label": label,
                "direction": _direction(row["values"][key]["change"]),
            }
            for key, label in INDICATORS
        ]
    return render(
        request,
        "indicators/dashboard.html",
        {
            "form": form,
            "rows": ordered,
            "indicators": INDICATORS,
            "chart": chart,
            "presets": PRESETS,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The dashboard's table as CSV (UTF-8 with BOM, so that Excel reads the Korean names)."""
    try:
        indicator_areas(user=request.user)
    except NotFound as exc:
        raise Http404 from exc
    form = PeriodsForm.from_query(request.GET, today=timezone.localdate())
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    a, b = _periods(form)
    rows = indicator_compare(user=request.user, a=a, b=b)
    filename = f"indicators_{a[0]}_{a[1]}_vs_{b[0]}_{b[1]}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Area code"),
            _("Area"),
            _("Indicator"),
            _("Period A %(start)s–%(end)s") % {"start": a[0], "end": a[1]},
            _("Period B %(start)s–%(end)s") % {"start": b[0], "end": b[1]},
            _("Change"),
            _("Change (%)"),
        ]
    )
    for row in rows:
        for key, label in INDICATORS:
            cell = row["values"][key]
            writer.writerow(
                [
                    row["area"].code,
                    row["area"].name,
                    str(label),
                    cell["a"],
                    cell["b"],
                    cell["change"],
                    "" if cell["pct"] is None else cell["pct"],
                ]
            )
    return response
