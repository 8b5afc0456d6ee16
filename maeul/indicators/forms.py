"""The two periods of the indicator dashboard, with presets."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from maeul.errors import DomainError
from maeul.indicators.selectors import INDICATORS, Period, period_check

#: Seed 003 compares the same months before and after the reform; the demo's first wave of
#: hubs opened on 2025-07-01.
REFORM_A = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
REFORM_B = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
PRESETS = (
    ("reform", _("Before / after the reform")),
    ("last_month", _("Last month")),
    ("this_year", _("This year")),
)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _same_day_last_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def preset_periods(name: str, *, today: dt.date) -> tuple[Period, Period]:
    """(A, B) of a preset: last month against the month before; this year so far against the
    same days of last year; the reform's half-years."""
    if name == "last_month":
        b_end = _month_start(today) - dt.timedelta(days=1)
        b_start = _month_start(b_end)
        a_end = b_start - dt.timedelta(days=1)
        return (_month_start(a_end), a_end), (b_start, b_end)
    if name == "this_year":
        b_start = today.replace(month=1, day=1)
        return (b_start.replace(year=b_start.year - 1), _same_day_last_year(today)), (
            b_start,
            today,
        )
    return REFORM_A, REFORM_B


class PeriodsForm(forms.Form):
    a_start = forms.DateField(
        label=_("Period A from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    a_end = forms.DateField(label=_("Period A to"), widget=forms.DateInput(attrs={"type": "date"}))
    b_start = forms.DateField(
        label=_("Period B from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    b_end = forms.DateField(label=_("Period B to"), widget=forms.DateInput(attrs={"type": "date"}))
    chart = forms.ChoiceField(label=_("Chart"), choices=INDICATORS, required=False)

    def clean(self):
        data = super().clean()
        for prefix in ("a", "b"):
            start, end = data.get(f"{prefix}_start"), data.get(f"{prefix}_end")
            if start is None or end is None:
                continue
            try:
                period_check(start, end, field=f"{prefix}_end")
            except DomainError as error:
                self.add_error(f"{prefix}_end", error.message)
        if not data.get("chart"):
            data["chart"] = "site_visits"
        return data

    @classmethod
    def from_query(cls, query, *, today: dt.date) -> PeriodsForm:
        """Bound to the query string; a preset (or no dates at all) fills the four dates."""
        data = {k: query.get(k, "") for k in ("a_start", "a_end", "b_start", "b_end", "chart")}
        preset = query.get("preset", "")
        if preset or not any(data.get(k) for k in ("a_start", "a_end", "b_start", "b_end")):
            (a_start, a_end), (b_start, b_end) = preset_periods(preset or "reform", today=today)
            data.update(
                {
                    "a_start": a_start.isoformat(),
                    "a_end": a_end.isoformat(),
                    "b_start": b_start.isoformat(),
                    "b_end": b_end.isoformat(),
                }
            )
        return cls(data)
