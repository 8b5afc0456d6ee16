"""The report a gu sends: the Ministry's indicator table for a period and the effect of the
hubs on each indicator, as an Excel workbook (XlsxWriter) and a PDF (WeasyPrint, Noto CJK).

`report_summary` gathers the figures once, from the same selectors as the pages
(`indicator_table` for the table, `indicator_series` + `hub_effects` for the effects), into a
JSON-able dict kept on the run; both files are written from it, so they cannot disagree with
each other or with the pages."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import xlsxwriter
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from maeul.accounts.models import User
from maeul.evaluation.charts import event_chart
from maeul.evaluation.did import month_label
from maeul.evaluation.selectors import hub_effects, indicator_series
from maeul.evaluation.staffing import staffing
from maeul.indicators.selectors import INDICATORS, indicator_table

EVENT_WINDOW = 12


def report_summary(
    *,
    user: User,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Every figure of the report. `progress(done, total)` after each step."""
    rows = indicator_table(user=user, start=start, end=end)
    table = [
        {
            "code": row.area.code,
            "area": row.area.display_name,
            "total": row.is_total,
            "values": {key: row.values[key] for key, _label in INDICATORS},
        }
        for row in rows
    ]
    series = indicator_series(user=user, today=today, progress=progress)
    effects = []
    for effect in hub_effects(series):
        item: dict = {"key": effect.key, "label": effect.label, "error": effect.error}
        if effect.result is not None:
            o = effect.result.overall
            pre = effect.result.pre_trend
            item.update(
                estimate=o.estimate,
                ci_low=o.ci_low,
                ci_high=o.ci_high,
                se=o.se,
                unit_months=int(o.weight),
                pre_trend_p=None if pre is None else pre.p_value,
                pre_trend_flagged=None if pre is None else pre.flagged,
                method=effect.result.method,
                events=[
                    [e, est.estimate, est.ci_low, est.ci_high]
                    for e, est in effect.result.event_study.items()
                    if -EVENT_WINDOW <= e <= EVENT_WINDOW
                ],
            )
        effects.append(item)
    standard, source, staff_rows = staffing(user=user, today=today)
    return {
        "staffing": {
            "standard": standard.as_dict(),
            "default": standard.is_default,
            "source": source,
            "rows": [
                {
                    "code": r.dong.code,
                    "dong": r.dong.display_name,
                    "workers": r.workers,
                    "open_cases": r.open_cases,
                    "follow_ups": r.follow_ups_due,
                    "visits": r.visits,
                    "needed": r.needed,
                    "gap": r.gap,
                }
                for r in staff_rows
            ],
        },
        "gu": series.gu.display_name,
        "gu_code": series.gu.code,
        "period": [start.isoformat(), end.isoformat()],
        "months": [series.labels[0], series.labels[-1]] if series.months else [],
        "openings": [
            [month_label(m), [d.display_name for d in dongs]]
            for m, dongs in series.openings().items()
        ],
        "indicators": [[key, str(label)] for key, label in INDICATORS],
        "table": table,
        "effects": effects,
        "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }


def build_xlsx(summary: dict) -> bytes:
    """Three sheets: the indicator table (areas × indicators, the gu total first), the
    effects (estimate, interval, standard error, dong-months, pre-trend check), and staffing
    (each dong's caseload against the gu's standard)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format(
        {"bold": True, "bg_color": "#e6f2ee", "border": 1, "text_wrap": True, "valign": "top"}
    )
    cell = book.add_format({"border": 1})
    number = book.add_format({"border": 1, "num_format": "#,##0"})
    decimal = book.add_format({"border": 1, "num_format": "#,##0.00"})
    bold_number = book.add_format({"border": 1, "num_format": "#,##0", "bold": True})
    start, end = summary["period"]

    sheet = book.add_worksheet(_("Indicators")[:31])
    sheet.write(
        0,
        0,
        _("%(gu)s: performance indicators %(start)s – %(end)s")
        % {"gu": summary["gu"], "start": start, "end": end},
        title,
    )
    headers = [_("Area code"), _("Area"), *(label for _key, label in summary["indicators"])]
    sheet.write_row(2, 0, headers, head)
    rows = sorted(summary["table"], key=lambda r: not r["total"])
    for i, row in enumerate(rows, start=3):
        sheet.write(i, 0, row["code"], cell)
        sheet.write(i, 1, row["area"] + (f" ({_('gu total')})" if row["total"] else ""), cell)
        for j, (key, _label) in enumerate(summary["indicators"], start=2):
            sheet.write_number(i, j, row["values"][key], bold_number if row["total"] else number)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 1 + len(summary["indicators"]), 13)
    sheet.set_row(2, 45)
    sheet.freeze_panes(3, 2)

    sheet = book.add_worksheet(_("Effects")[:31])
    months = summary["months"]
    sheet.write(
        0,
        0,
        _("%(gu)s: effect of opening a hub, per dong and month") % {"gu": summary["gu"]},
        title,
    )
    if months:
        sheet.write(
            1,
            0,
            _("Months %(first)s – %(last)s; 95%% confidence intervals.")
            % {"first": months[0], "last": months[-1]},
        )
    headers = [
        _("Indicator"),
        _("Effect per dong and month"),
        _("Interval low"),
        _("Interval high"),
        _("Standard error"),
        _("Dong-months"),
        _("Pre-trend check p"),
        _("Pre-trend flagged"),
        _("Note"),
    ]
    sheet.write_row(3, 0, headers, head)
    for i, effect in enumerate(summary["effects"], start=4):
        sheet.write(i, 0, effect["label"], cell)
        if effect.get("error"):
            sheet.write(i, 8, effect["error"], cell)
            continue
        for j, key in enumerate(("estimate", "ci_low", "ci_high", "se"), start=1):
            sheet.write_number(i, j, effect[key], decimal)
        sheet.write_number(i, 5, effect["unit_months"], number)
        if effect["pre_trend_p"] is None:
            sheet.write(i, 6, _("not testable"), cell)
        else:
            sheet.write_number(i, 6, effect["pre_trend_p"], decimal)
            sheet.write(i, 7, _("yes") if effect["pre_trend_flagged"] else _("no"), cell)
    method = next((e["method"] for e in summary["effects"] if e.get("method")), "")
    sheet.write(5 + len(summary["effects"]), 0, _("Method:") + " " + method)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 8, 14)
    sheet.set_row(3, 45)
    _staffing_sheet(book, summary, title=title, head=head, cell=cell, number=number)
    book.close()
    return out.getvalue()


def staffing_headers() -> list[str]:
    return [
        _("Area code"),
        _("Dong"),
        _("Visiting workers"),
        _("Open cases"),
        _("Follow-ups due last month"),
        _("Visits last month"),
        _("Workers the caseload implies"),
        _("Short (+) or over (−)"),
    ]


STAFFING_KEYS = ("workers", "open_cases", "follow_ups", "visits", "needed", "gap")


def _staffing_sheet(book, summary: dict, *, title, head, cell, number) -> None:
    """The caseload of each dong against the gu's standard, as on the staffing page."""
    staff = summary.get("staffing")
    if not staff:
        return
    sheet = book.add_worksheet(_("Staffing")[:31])
    std = staff["standard"]
    sheet.write(0, 0, _("%(gu)s: staffing by caseload") % {"gu": summary["gu"]}, title)
    line = _(
        "Standard per visiting worker: %(cases)s open cases; %(follow_ups)s follow-ups and "
        "%(visits)s visits a month."
    ) % {"cases": std["open_cases"], "follow_ups": std["follow_ups"], "visits": std["visits"]}
    if staff["default"]:
        line += " " + _("(default: the gu has not set its standard)")
    else:
        line += " " + _("Set by %(who)s on %(when)s.") % {
            "who": std["set_by"] or "—",
            "when": (std["set_at"] or "")[:16].replace("T", " "),
        }
    sheet.write(1, 0, line)
    sheet.write_row(3, 0, staffing_headers(), head)
    for i, row in enumerate(staff["rows"], start=4):
        sheet.write(i, 0, row["code"], cell)
        sheet.write(i, 1, row["dong"], cell)
        for j, key in enumerate(STAFFING_KEYS, start=2):
            sheet.write_number(i, j, row[key], number)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 7, 13)
    sheet.set_row(3, 45)


def build_pdf(summary: dict) -> bytes:
    """A4 landscape: the table, the effects table, and the event study of each indicator."""
    effects = []
    for effect in summary["effects"]:
        item = dict(effect)
        if effect.get("events"):
            item["svg"] = event_chart(
                title=effect["label"],
                points=[tuple(p) for p in effect["events"]],
                overall=(effect["estimate"], effect["ci_low"], effect["ci_high"]),
                x_label=_("months since the hub opened"),
                width=420,
                height=200,
            )
        effects.append(item)
    rows = sorted(summary["table"], key=lambda r: not r["total"])
    for row in rows:
        row["cells"] = [row["values"][key] for key, _label in summary["indicators"]]
    html = render_to_string(
        "evaluation/report_pdf.html",
        {
            "summary": summary,
            "rows": rows,
            "effects": effects,
            "labels": [label for _key, label in summary["indicators"]],
            "staffing_headers": staffing_headers()[1:],
            "staffing_rows": [
                [row["dong"], *(row[key] for key in STAFFING_KEYS)]
                for row in summary.get("staffing", {}).get("rows", [])
            ],
        },
    )
    return HTML(string=html).write_pdf()
