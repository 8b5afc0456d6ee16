"""The survey round as seed 000's tables (Tables 1–11) and charts, for the page, the Excel
workbook and the PDF. Tables hold raw numbers; each says how to show them (`fmt`)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html import escape

import xlsxwriter
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from maeul.areas.models import Area
from maeul.councils.models import Member, ParticipantType, SurveyRound
from maeul.councils.selectors import (
    round_analysis,
    round_fieldwork,
    round_respondents,
    round_responses,
)
from maeul.councils.survey.analysis import SurveyResult, analyse
from maeul.councils.survey.instrument import INTENT_ITEMS, ITEMS, SCALES, scale_items, text_of

KIND_LABELS = {
    "si": gettext_lazy("si"),
    "gun": gettext_lazy("gun"),
    "gu": gettext_lazy("gu"),
    "eup": gettext_lazy("eup"),
    "myeon": gettext_lazy("myeon"),
    "dong": gettext_lazy("dong"),
}


@dataclass
class Table:
    number: int
    title: str
    columns: list[str]
    rows: list[list]  # first cell: label; then numbers (or None)
    fmt: str = "score"  # score (0.00), pct (0.0 %), int
    note: str = ""
    emphasis: set[int] = field(default_factory=set)  # row indexes shown bold


@dataclass
class Report:
    survey: SurveyRound
    fieldwork: dict
    result: SurveyResult | None
    tables: list[Table]
    charts: list[tuple[str, str]]  # (title, svg markup)
    flagged: list[tuple[str, list[str]]]  # community name, scale titles


def _pct(part: float | None) -> float | None:
    return None if part is None else 100 * part


def build_report(survey: SurveyRound) -> Report:
    fieldwork = round_fieldwork(survey)
    result = round_analysis(survey)
    lang = get_language()
    tables = [
        Table(
            1,
            _("Characteristics of the survey sample"),
            [_("si/gun/gu"), _("eup/myeon/dong"), _("private members"), _("response rate %")],
            [
                [_("Population"), *fieldwork["population"].values(), None],
                [_("Sample"), *fieldwork["sample"].values(), None],
                [
                    _("Response sample"),
                    fieldwork["response"]["gus"],
                    fieldwork["response"]["communities"],
                    fieldwork["response"]["members"],
                    fieldwork["response"]["rate"],
                ],
            ],
            fmt="int",
            note=_("Paper answers imported: %(n)d.") % {"n": fieldwork["response"]["paper"]},
        )
    ]
    people = round_respondents(survey)
    total = people["total"]["n"] or 1
    labels = {
        "gu_type": (_("si/gun/gu"), KIND_LABELS),
        "community_type": (_("eup/myeon/dong"), KIND_LABELS),
        "sex": (_("Sex"), dict(Member.Sex.choices)),
        "position": (
            _("Position"),
            {"executive": _("executive member"), "general": _("general member")},
        ),
        "age": (_("Age"), dict(Member.AgeBand.choices)),
        "affiliation": (_("Affiliation (multiple response)"), dict(ParticipantType.choices)),
    }
    rows2: list[list] = []
    for key, (group, names) in labels.items():
        for value, count in sorted(people[key].items()):
            rows2.append([f"{group} · {names.get(value, value)}", count, 100 * count / total])
    tables.append(
        Table(
            2,
            _("Characteristics of the survey respondents"),
            [_("Frequency"), "%"],
            rows2,
            fmt="int",
        )
    )
    if result is not None:
        tables.append(
            Table(
                3,
                _(
                    "Do you agree, disagree or neither agree nor disagree with the intent of CSSCs? (in %)"
                ),
                [_("Agree"), _("Neither"), _("Disagree")],
                [
                    [
                        text_of(item, lang),
                        _pct(result.items[item.item]["agree"]),
                        _pct(result.items[item.item]["neither"]),
                        _pct(result.items[item.item]["disagree"]),
                    ]
                    for item in INTENT_ITEMS
                ],
                fmt="pct",
                note=_('On a 7-point scale: 5–7 "agree", 4 "neither", 1–3 "disagree"; weighted.'),
            )
        )
        columns = [
            _("Overall"),
            _("Eup"),
            _("Myeon"),
            _("Dong"),
            _("Top 20%"),
            _("Bottom 20%"),
            _("Difference"),
        ]

        def cells(row: dict) -> list:
            return [
                row["mean"],
                *(row["by_type"][t] for t in ("eup", "myeon", "dong")),
                row["top20"],
                row["bottom20"],
                row["gap"],
            ]

        for scale, (number, title) in SCALES.items():
            rows = [[_("Overall"), *cells(result.scales[scale])]]
            rows += [
                [text_of(item, lang), *cells(result.items[item.item])]
                for item in scale_items(scale)
            ]
            tables.append(
                Table(
                    number,
                    _("Perceptions about %(title)s, in 7-point scale")
                    % {"title": str(title).lower() if lang and lang.startswith("en") else title},
                    columns,
                    rows,
                    emphasis={0},
                    note=_(
                        "Quintiles of eup/myeon/dong with at least 3 respondents, ranked by their weighted mean score on the scale."
                    ),
                )
            )
    names = dict(
        Area.objects.filter(code__in=(result.communities if result else {})).values_list(
            "code", "name"
        )
    )
    flagged = []
    if result is not None:
        for code, scales in _flagged_within_gus(survey, result).items():
            flagged.append((names.get(code, code), [str(SCALES[s][1]) for s in scales]))
    charts = _charts(result, lang, names) if result is not None else []
    return Report(survey, fieldwork, result, tables, charts, flagged)


def _flagged_within_gus(survey: SurveyRound, result: SurveyResult) -> dict[str, list[str]]:
    """Bottom-quintile communities over the whole round and, when the round spans several
    gus, within each gu too (seed 000: intensive support within the municipal district)."""
    flagged = result.flagged()
    gus = list(survey.gus.all())
    if len(gus) > 1:
        responses = round_responses(survey)
        for gu in gus:
            codes = list(Area.objects.filter(parent=gu).values_list("code", flat=True))
            part = responses.filter(responses["community"].is_in(codes))
            if part.height:
                own = analyse(items=ITEMS, responses=part, population=survey.population)
                for code, scales in own.flagged().items():
                    flagged.setdefault(code, [])
                    flagged[code] = sorted(set(flagged[code]) | set(scales))
    return dict(sorted(flagged.items()))


# -- charts: server-side SVG -----------------------------------------------------------------


def _bar_chart(
    rows: list[tuple[str, float | None, float | None, float | None]], *, lo: float, hi: float
) -> str:
    """Horizontal bars (overall mean) with the bottom-20 % and top-20 % marks, 7-point axis."""
    label_w, width, bar_h, gap = 270, 640, 14, 12
    span = width - label_w - 50
    height = 28 + len(rows) * (bar_h + gap)

    def x(v: float) -> float:
        return label_w + span * (v - lo) / (hi - lo)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" class="survey-chart">',
        '<style>text{font:12px "Noto Sans CJK KR","Noto Sans KR",sans-serif;fill:#1d2733}.m{fill:#5b6b7c;font-size:10px}</style>',
    ]
    for tick in range(int(lo), int(hi) + 1):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="4" x2="{x(tick):.1f}" y2="{height - 18}" stroke="#e3e8ee"/>'
        )
        parts.append(
            f'<text class="m" x="{x(tick):.1f}" y="{height - 4}" text-anchor="middle">{tick}</text>'
        )
    for n, (label, mean, bottom, top) in enumerate(rows):
        y = 8 + n * (bar_h + gap)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h - 3}" text-anchor="end">{escape(label)}</text>'
        )
        if mean is None:
            continue
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{x(mean) - label_w:.1f}" height="{bar_h}" rx="3" fill="#1f6f5c"/>'
        )
        parts.append(f'<text x="{x(mean) + 4:.1f}" y="{y + bar_h - 3}">{mean:.2f}</text>')
        if bottom is not None and top is not None:
            parts.append(
                f'<line x1="{x(bottom):.1f}" y1="{y + bar_h / 2}" x2="{x(top):.1f}" y2="{y + bar_h / 2}" stroke="#b45309" stroke-width="2"/>'
            )
            parts.append(
                f'<circle cx="{x(bottom):.1f}" cy="{y + bar_h / 2}" r="4" fill="#b91c1c"/>'
            )
            parts.append(f'<circle cx="{x(top):.1f}" cy="{y + bar_h / 2}" r="4" fill="#15803d"/>')
    parts.append("</svg>")
    return "".join(parts)


def _stacked_chart(rows: list[tuple[str, float, float, float]]) -> str:
    label_w, width, bar_h, gap = 40, 640, 16, 10
    span = width - label_w - 10
    height = 30 + len(rows) * (bar_h + gap)
    colours = ("#15803d", "#c2cbd4", "#b91c1c")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" class="survey-chart">',
        '<style>text{font:12px "Noto Sans CJK KR","Noto Sans KR",sans-serif;fill:#1d2733}.w{fill:#fff}</style>',
    ]
    for n, (label, *shares) in enumerate(rows):
        y = 6 + n * (bar_h + gap)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 3}" text-anchor="end">{escape(label)}</text>'
        )
        left = float(label_w)
        for share, colour in zip(shares, colours, strict=True):
            w = span * share
            parts.append(
                f'<rect x="{left:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>'
            )
            if share >= 0.06:
                parts.append(
                    f'<text x="{left + 3:.1f}" y="{y + bar_h - 4}" class="w">{100 * share:.0f}%</text>'
                )
            left += w
    legend_y = height - 8
    for k, (name, colour) in enumerate(
        zip((_("Agree"), _("Neither"), _("Disagree")), colours, strict=True)
    ):
        parts.append(
            f'<rect x="{label_w + k * 110}" y="{legend_y - 10}" width="10" height="10" fill="{colour}"/>'
        )
        parts.append(f'<text x="{label_w + k * 110 + 14}" y="{legend_y}">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _charts(result: SurveyResult, lang: str | None, names: dict[str, str]) -> list[tuple[str, str]]:
    scale_rows = [
        (
            str(title),
            result.scales[s]["mean"],
            result.scales[s]["bottom20"],
            result.scales[s]["top20"],
        )
        for s, (_n, title) in SCALES.items()
        if s in result.scales
    ]
    values = [v for row in scale_rows for v in row[1:] if v is not None]
    lo = max(1.0, float(int(min(values)) if values else 1))
    intent = [
        (
            item.item,
            result.items[item.item]["agree"] or 0.0,
            result.items[item.item]["neither"] or 0.0,
            result.items[item.item]["disagree"] or 0.0,
        )
        for item in INTENT_ITEMS
    ]
    community_rows = [
        (
            names.get(code, code),
            (
                sum(v for v in scores.values() if v is not None)
                / max(1, sum(v is not None for v in scores.values()))
            )
            if any(v is not None for v in scores.values())
            else None,
            None,
            None,
        )
        for code, scores in result.communities.items()
    ]
    return [
        (
            _("Scale means with the bottom and top 20 % (red, green)"),
            _bar_chart(scale_rows, lo=lo, hi=7.0),
        ),
        (_("The intent of CSSCs (Table 3)"), _stacked_chart(intent)),
        (
            _("Mean of the scale scores by eup/myeon/dong"),
            _bar_chart(community_rows, lo=lo, hi=7.0),
        ),
    ]


# -- exports ------------------------------------------------------------------------------------


def report_xlsx(report: Report) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    formats = {
        "score": book.add_format({"num_format": "0.00"}),
        "pct": book.add_format({"num_format": "0.0"}),
        "int": book.add_format({"num_format": "#,##0"}),
    }
    for table in report.tables:
        sheet = book.add_worksheet(f"Table {table.number}")
        sheet.set_column(0, 0, 60)
        sheet.set_column(1, len(table.columns), 12)
        sheet.write(0, 0, f"[Table {table.number}] {table.title}", bold)
        sheet.write_row(2, 1, table.columns, bold)
        for r, row in enumerate(table.rows, start=3):
            sheet.write(r, 0, row[0], bold if (r - 3) in table.emphasis else wrap)
            for c, value in enumerate(row[1:], start=1):
                if value is None:
                    sheet.write_blank(r, c, None)
                else:
                    fmt = (
                        formats["pct"]
                        if (table.number == 1 and c == 4) or (table.number == 2 and c == 2)
                        else formats[table.fmt]
                    )
                    sheet.write_number(r, c, value, fmt)
        if table.note:
            sheet.write(len(table.rows) + 4, 0, table.note)
    if report.result is not None:
        sheet = book.add_worksheet("Communities")
        sheet.write_row(
            0, 0, ["code", *[str(SCALES[s][1]) for s in SCALES if s in report.result.scales]], bold
        )
        for r, (code, scores) in enumerate(report.result.communities.items(), start=1):
            sheet.write(r, 0, code)
            for c, value in enumerate(scores.values(), start=1):
                if value is not None:
                    sheet.write_number(r, c, value, formats["score"])
    book.close()
    return out.getvalue()


def report_pdf(report: Report, *, base_url: str) -> bytes:
    from weasyprint import HTML  # heavy import, only for the PDF

    html = render_to_string("councils/survey_pdf.html", {"report": report})
    return HTML(string=html, base_url=base_url).write_pdf()
