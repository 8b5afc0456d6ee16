"""Server-side SVG charts (no script, no CDN: the page's CSP allows neither): the funnel and
coverage per tong/ban as horizontal bars. Labels are escaped; the result is safe markup."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOURS = ("#2f7d6d", "#3f8fb0", "#d08a1c", "#b8453a")


def hbars(
    rows: Sequence[tuple[str, int, int]],
    *,
    title: str,
    width: int = 640,
    label_width: int = 170,
    bar_height: int = 22,
    percent: bool = False,
) -> SafeString:
    """Bars of `value` out of `total` per label; `percent` writes value/total as a percentage,
    else the value and its share of the first row."""
    gap = 8
    top = 8
    height = top + len(rows) * (bar_height + gap) + 4
    span = width - label_width - 90
    biggest = max((total for _label, _value, total in rows), default=0) or 1
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    first = rows[0][1] if rows else 0
    for index, (label, value, total) in enumerate(rows):
        y = top + index * (bar_height + gap)
        scale = total if percent else biggest
        full = span * (total / biggest if not percent else 1)
        filled = span * (value / scale) if scale else 0
        colour = BAR_COLOURS[index % len(BAR_COLOURS)] if not percent else BAR_COLOURS[0]
        if percent:
            text = f"{round(100 * value / total) if total else 0}% ({value:,}/{total:,})"
        else:
            share = f" · {round(100 * value / first)}%" if first and index else ""
            text = f"{value:,}{share}"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
            f'font-size="13" fill="#333">{escape(label)}</text>'
        )
        if percent:
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{full:.1f}" height="{bar_height}" '
                f'fill="#e4ece9" rx="3"/>'
            )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{filled:.1f}" height="{bar_height}" '
            f'fill="{colour}" rx="3"/>'
        )
        parts.append(
            f'<text x="{label_width + max(filled, full if percent else filled) + 6:.1f}" '
            f'y="{y + bar_height * 0.7:.1f}" font-size="12" fill="#555">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
