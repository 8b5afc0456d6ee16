"""Server-side SVG charts: monthly series with the hubs' openings marked, and the event study
with its intervals. Plain SVG markup (no script, no external asset), so the same chart shows on
the page, prints, and goes into the PDF report."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#1d2733"
MUTED = "#5b6b7c"
GRID = "#e3e8ee"
HUB = "#1f6f5c"
COLOURS = ("#1f6f5c", "#c0622b", "#3b6fb6", "#8a5aa8")
FONT = "font-family=\"'Noto Sans CJK KR','Noto Sans KR',sans-serif\""


@dataclass
class Line:
    name: str
    values: Sequence[float]
    colour: str = COLOURS[0]


@dataclass
class Mark:
    position: int  # index into the labels
    label: str


def _nice_max(peak: float) -> float:
    if peak <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(peak))
    for step in (1, 2, 2.5, 5, 10):
        if peak <= step * exp:
            return step * exp
    return 10 * exp


def _fmt(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:.3g}"


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    lines: Sequence[Line],
    marks: Sequence[Mark] = (),
    width: int = 480,
    height: int = 220,
) -> SafeString:
    """Lines over months; a dashed vertical line and its label at each mark (a hub opening)."""
    left, right, top, bottom = 48, 12, 34, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    peak = _nice_max(max([0.0, *(max(line.values, default=0) for line in lines)]))

    def x(i: float) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / peak)

    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" {FONT}>',
        f"<title>{escape(title)}</title>",
    ]
    for k in range(5):
        v = peak * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="10" fill="{MUTED}">{_fmt(v)}</text>'
        )
    step = max(1, math.ceil(n / 8))
    for i, label in enumerate(labels):
        if i % step == 0 or (i == n - 1 and i % step > step // 2):
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 14}" text-anchor="middle" font-size="10" '
                f'fill="{MUTED}">{escape(label)}</text>'
            )
    for mark in marks:
        mx = x(mark.position - 0.5) if mark.position > 0 else x(0)
        parts.append(
            f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{top}" y2="{top + plot_h}" stroke="{HUB}" '
            'stroke-dasharray="4 3" stroke-width="1.2"/>'
        )
        parts.append(
            f'<text x="{mx + 3:.1f}" y="{top - 4}" font-size="10" fill="{HUB}">{escape(mark.label)}</text>'
        )
    for line in lines:
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(line.values))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{line.colour}" stroke-width="2" '
            f'stroke-linejoin="round"><title>{escape(line.name)}</title></polyline>'
        )
    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="{MUTED}"/>'
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{MUTED}"/>'
    )
    if len(lines) > 1:
        lx = left + 8
        for line in lines:
            parts.append(f'<rect x="{lx}" y="4" width="9" height="9" fill="{line.colour}"/>')
            parts.append(
                f'<text x="{lx + 12}" y="12" font-size="10" fill="{INK}">{escape(line.name)}</text>'
            )
            lx += 12 + 11 * len(line.name) + 10
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def event_chart(
    *,
    title: str,
    points: Sequence[tuple[int, float, float, float]],
    overall: tuple[float, float, float] | None = None,
    width: int = 480,
    height: int = 240,
    x_label: str = "",
) -> SafeString:
    """Effect by months since opening (e), each with its 95% interval; zero line; the opening
    between e = -1 and e = 0; the overall effect and its band as a shaded strip after it."""
    left, right, top, bottom = 56, 12, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    if not points:
        return mark_safe(
            f'<svg class="chart" viewBox="0 0 {width} 40" width="100%" xmlns="http://www.w3.org/2000/svg" {FONT}>'
            f'<text x="10" y="24" font-size="12" fill="{MUTED}">{escape(title)}</text></svg>'
        )
    es = [p[0] for p in points]
    lo_e, hi_e = min(es) - 0.5, max(es) + 0.5
    values = [v for p in points for v in p[1:]] + ([*overall] if overall else []) + [0.0]
    vmin, vmax = min(values), max(values)
    pad = (vmax - vmin) * 0.08 or 1.0
    vmin, vmax = vmin - pad, vmax + pad

    def x(e: float) -> float:
        return left + plot_w * (e - lo_e) / (hi_e - lo_e)

    def y(v: float) -> float:
        return top + plot_h * (vmax - v) / (vmax - vmin)

    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" {FONT}>',
        f"<title>{escape(title)}</title>",
    ]
    for k in range(5):
        v = vmin + (vmax - vmin) * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="10" fill="{MUTED}">{_fmt(round(v, 2))}</text>'
        )
    if overall:
        est, low, high = overall
        x0 = x(-0.5)
        parts.append(
            f'<rect x="{x0:.1f}" y="{y(high):.1f}" width="{width - right - x0:.1f}" '
            f'height="{max(y(low) - y(high), 1):.1f}" fill="{HUB}" fill-opacity="0.10"/>'
        )
        parts.append(
            f'<line x1="{x0:.1f}" x2="{width - right}" y1="{y(est):.1f}" y2="{y(est):.1f}" stroke="{HUB}" '
            'stroke-opacity="0.5" stroke-dasharray="6 3"/>'
        )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="{INK}"/>'
    )
    parts.append(
        f'<line x1="{x(-0.5):.1f}" x2="{x(-0.5):.1f}" y1="{top}" y2="{top + plot_h}" stroke="{HUB}" '
        'stroke-dasharray="4 3"/>'
    )
    step = max(1, math.ceil(len(es) / 12))
    for e in es:
        if e % step == 0:
            parts.append(
                f'<text x="{x(e):.1f}" y="{height - bottom + 14}" text-anchor="middle" font-size="10" fill="{MUTED}">{e}</text>'
            )
    if x_label:
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="10" fill="{MUTED}">{escape(x_label)}</text>'
        )
    for e, est, low, high in points:
        colour = HUB if e >= 0 else COLOURS[1]
        parts.append(
            f'<line x1="{x(e):.1f}" x2="{x(e):.1f}" y1="{y(high):.1f}" y2="{y(low):.1f}" stroke="{colour}" stroke-width="1.5"/>'
        )
        parts.append(
            f'<circle cx="{x(e):.1f}" cy="{y(est):.1f}" r="3" fill="{colour}"><title>{e}: {_fmt(round(est, 2))} '
            f"[{_fmt(round(low, 2))}, {_fmt(round(high, 2))}]</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
