from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def cell(value: object, fmt: str) -> str:
    """A table cell: scores with two decimals, shares and rates with one, counts grouped."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    number = float(value)  # type: ignore[arg-type]
    if fmt == "pct":
        return f"{number:.1f}"
    if fmt == "int" and number == int(number):
        return f"{int(number):,}"
    if fmt == "int":
        return f"{number:.1f}"
    return f"{number:.2f}"


@register.filter
def won(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"
