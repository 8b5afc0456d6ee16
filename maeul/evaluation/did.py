"""Difference-in-differences under staggered adoption: Callaway & Sant'Anna (2021).

A hub opens in some dongs in one month and in others later; its effect may grow as the team
settles. Two-way fixed effects then compare late openers with early ones already treated and
weigh effects negatively (Goodman-Bacon 2021), so the effect is estimated group by group:
ATT(g, t) compares the change from g-1 to t of the units first treated at g with the same
change among units not yet treated at t (or never treated), and the group-time effects are
averaged over the treated unit-months, as the question asks: "the average effect on the
treated over all treated unit-months on or after their treatment date in the panel".

Inference from each cell's influence function (clustered by unit: a dong's months are not
independent draws); the aggregate's weights are the panel's treated unit-months, which the
estimand fixes, so they add no variance. Pre-treatment cells use the period-on-period ("varying")
base, as CS's default; their joint Wald test is the pre-trend check.

Numpy (Django only for translated messages): the command, the pages, the reports and the bench call the same code.
Why not the `differences` package is in docs/evaluation.md (and a test checks that both give the
same group-time effects and aggregate on a balanced panel).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from scipy import stats

from maeul.errors import DomainError

METHOD_NOT_YET = "callaway-santanna-2021 att(g,t), not-yet-treated controls, weighted by treated unit-months, unit-clustered analytic se, t(units-1) interval"
METHOD_NEVER = "callaway-santanna-2021 att(g,t), never-treated controls, weighted by treated unit-months, unit-clustered analytic se, t(units-1) interval"
CONTROLS = ("not_yet_treated", "never_treated")
PRE_WINDOW = 12  # months before treatment the pre-trend check tests
_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")


class PanelError(DomainError):
    """The panel cannot be estimated as given (bad rows, no treated or no comparison units)."""


def month_index(text: str) -> int:
    """'2025-07' → months since year 0; raises ValueError on anything else."""
    m = _MONTH.match(text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(text)
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass
class Panel:
    """Units × months. `y[i, k]` is NaN where unit i has no row for month `months[k]`;
    `treated_from[i]` is a month index, or None for a unit never treated."""

    units: list[str]
    months: list[int]
    y: np.ndarray
    treated_from: list[int | None]


def panel_from_rows(rows: Iterable[tuple[str, int, int | None, float]]) -> Panel:
    """Rows (unit, month index, treated_from month index or None, outcome)."""
    values: dict[tuple[str, int], float] = {}
    treated: dict[str, int | None] = {}
    for unit, month, start, outcome in rows:
        if unit in treated and treated[unit] != start:
            raise PanelError(
                "treated_from_inconsistent", f"unit {unit}: treated_from differs between its rows"
            )
        treated[unit] = start
        if (unit, month) in values:
            raise PanelError(
                "duplicate_row", f"unit {unit}, period {month_label(month)}: more than one row"
            )
        if not math.isfinite(outcome):
            raise PanelError(
                "bad_outcome", f"unit {unit}, period {month_label(month)}: outcome is not a number"
            )
        values[(unit, month)] = outcome
    if not values:
        raise PanelError("empty_panel", _("the panel has no rows"))
    units = sorted(treated)
    months = sorted({m for _, m in values})
    upos = {u: i for i, u in enumerate(units)}
    mpos = {m: k for k, m in enumerate(months)}
    y = np.full((len(units), len(months)), np.nan)
    for (unit, month), outcome in values.items():
        y[upos[unit], mpos[month]] = outcome
    return Panel(units=units, months=months, y=y, treated_from=[treated[u] for u in units])


def read_panel_csv(text: str) -> Panel:
    """CSV with the header `unit,period,treated_from,outcome` (period and treated_from as
    YYYY-MM, treated_from empty for a unit never treated). Errors name the line. Blank lines
    are skipped and extra columns ignored (as csv.DictReader does); a month's text is parsed
    once (a panel repeats a few dozen of them over hundreds of thousands of rows)."""
    reader = csv.reader(io.StringIO(text))
    names = [h.strip() for h in next(reader, [])]
    needed = {"unit", "period", "treated_from", "outcome"}
    if not needed <= set(names):
        missing = ", ".join(sorted(needed - set(names)))
        raise PanelError(
            "bad_header", f"the header lacks: {missing} (expected unit,period,treated_from,outcome)"
        )
    at = {name: names.index(name) for name in needed}
    i_unit, i_period, i_from, i_outcome = (
        at["unit"],
        at["period"],
        at["treated_from"],
        at["outcome"],
    )
    width = max(at.values()) + 1
    months: dict[str, int] = {}

    def month(value: str) -> int:
        index = months.get(value)
        if index is None:
            index = months[value] = month_index(value)
        return index

    def parsed() -> Iterable[tuple[str, int, int | None, float]]:
        for line, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            unit = row[i_unit].strip()
            if not unit:
                raise PanelError("bad_unit", f"line {line}: unit is empty")
            period_text = row[i_period].strip()
            try:
                period = month(period_text)
            except ValueError:
                raise PanelError(
                    "bad_period", f"line {line}: period {period_text!r} is not YYYY-MM"
                ) from None
            start: int | None = None
            from_text = row[i_from].strip()
            if from_text:
                try:
                    start = month(from_text)
                except ValueError:
                    raise PanelError(
                        "bad_treated_from",
                        f"line {line}: treated_from {from_text!r} is not YYYY-MM or empty",
                    ) from None
            outcome_text = row[i_outcome].strip()
            try:
                outcome = float(outcome_text)
            except ValueError:
                raise PanelError(
                    "bad_outcome", f"line {line}: outcome {outcome_text!r} is not a number"
                ) from None
            if not math.isfinite(outcome):
                raise PanelError(
                    "bad_outcome", f"line {line}: outcome {outcome_text!r} is not a number"
                )
            yield unit, period, start, outcome

    return panel_from_rows(parsed())


@dataclass
class Estimate:
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    weight: float  # treated unit-months behind it

    def covers(self, value: float) -> bool:
        return self.ci_low <= value <= self.ci_high


@dataclass
class PreTrend:
    """Joint Wald test that every pre-treatment event-time effect is zero."""

    wald: float
    df: int
    p_value: float
    flagged: bool


@dataclass
class DidResult:
    overall: Estimate
    event_study: dict[int, Estimate]  # months since treatment → effect
    pre_trend: PreTrend | None
    n_units: int
    n_periods: int
    n_treated_units: int
    method: str
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, float | int | str]:
        """The command's contract: exactly these keys."""
        return {
            "estimate": self.overall.estimate,
            "ci_low": self.overall.ci_low,
            "ci_high": self.overall.ci_high,
            "se": self.overall.se,
            "n_units": self.n_units,
            "n_periods": self.n_periods,
            "method": self.method,
        }


def _estimate(value: float, psi: np.ndarray, weight: float, n: int, z: float) -> Estimate:
    # n/(n-1): the small-sample factor of cluster-robust variances (few dongs in one gu)
    se = float(math.sqrt(float(psi @ psi) / (n - 1) / n))
    return Estimate(
        estimate=value, se=se, ci_low=value - z * se, ci_high=value + z * se, weight=weight
    )


def _pre_trend(
    pre: list[int],
    event_study: dict[int, Estimate],
    event_psi: dict[int, np.ndarray],
    event_w: dict[int, float],
    n: int,
    alpha: float,
) -> PreTrend | None:
    """Hotelling's T² on the pre-treatment event-time effects (the last PRE_WINDOW months before
    treatment): the Wald statistic on the cluster covariance, scaled to an F, which holds its
    size when the months tested are many for the units (a plain chi² rejects far too often)."""
    if not pre:
        return None
    theta = np.array([event_study[e].estimate for e in pre])
    psi_matrix = np.stack([event_psi[e] / event_w[e] for e in pre], axis=1)
    vcv = psi_matrix.T @ psi_matrix / (n * (n - 1))
    q = int(np.linalg.matrix_rank(vcv))
    if q == 0 or n - q < 1:
        return None
    wald = float(theta @ np.linalg.pinv(vcv) @ theta)
    f_stat = wald * (n - q) / (q * (n - 1))
    p_value = float(stats.f.sf(f_stat, q, n - q))
    return PreTrend(wald=wald, df=q, p_value=p_value, flagged=p_value < alpha)


def estimate_did(
    panel: Panel,
    *,
    control: str = "not_yet_treated",
    alpha: float = 0.05,
    pre_trend_alpha: float = 0.05,
) -> DidResult:
    """Callaway–Sant'Anna group-time effects aggregated over the treated unit-months."""
    if control not in CONTROLS:
        raise PanelError("bad_control", f"control must be one of {', '.join(CONTROLS)}")
    y = panel.y
    n, t_count = y.shape
    months = panel.months
    notes: list[str] = []
    # First panel position at or after the treatment month; t_count = not within the panel.
    gpos = np.full(n, np.inf)
    for i, start in enumerate(panel.treated_from):
        if start is not None:
            gpos[i] = int(np.searchsorted(months, start, side="left"))
    always = gpos == 0
    if always.any():
        notes.append(
            f"{int(always.sum())} unit(s) treated on or before the panel's first period: no period before "
            "treatment, left out"
        )
    cohorts = sorted({int(g) for g in gpos[np.isfinite(gpos) & (gpos > 0) & (gpos < t_count)]})
    if not cohorts:
        raise PanelError(
            "no_treated", _("no unit is treated within the panel after a period without treatment")
        )
    never = ~np.isfinite(gpos) | (gpos >= t_count)
    if control == "never_treated" and not never.any():
        raise PanelError(
            "no_never_treated", _("no unit is never treated: use not-yet-treated controls")
        )
    observed = ~np.isnan(y)
    # Student's t on units - 1: with a gu's twenty dongs the normal interval is too narrow
    z = float(stats.t.ppf(1 - alpha / 2, max(n - 1, 1)))

    total_psi = np.zeros(n)
    total_att = 0.0
    total_w = 0.0
    event_psi: dict[int, np.ndarray] = {}
    event_att: dict[int, float] = {}
    event_w: dict[int, float] = {}
    unestimable = 0
    for g in cohorts:
        in_group = gpos == g
        for t in range(1, t_count):
            base = g - 1 if t >= g else t - 1
            both = observed[:, t] & observed[:, base]
            tr = in_group & both
            n_tr = int(tr.sum())
            if n_tr == 0:
                continue
            if control == "never_treated":
                ctrl = never & both
            else:
                ctrl = (gpos > max(t, base)) & ~in_group & both
            n_c = int(ctrl.sum())
            if n_c == 0:
                if t >= g:
                    unestimable += n_tr
                continue
            dy = y[:, t] - y[:, base]
            m_tr = float(dy[tr].mean())
            m_c = float(dy[ctrl].mean())
            att = m_tr - m_c
            psi = np.zeros(n)
            psi[tr] = n / n_tr * (dy[tr] - m_tr)
            psi[ctrl] = -n / n_c * (dy[ctrl] - m_c)
            e = t - g
            event_psi[e] = event_psi.get(e, np.zeros(n)) + n_tr * psi
            event_att[e] = event_att.get(e, 0.0) + n_tr * att
            event_w[e] = event_w.get(e, 0.0) + n_tr
            if t >= g:
                total_psi += n_tr * psi
                total_att += n_tr * att
                total_w += n_tr
    if unestimable:
        notes.append(
            f"{unestimable} treated unit-month(s) without any comparison unit at that month, left out"
        )
    if total_w == 0:
        raise PanelError(
            "no_comparison", _("no treated unit-month has a comparison unit in the same month")
        )
    overall = _estimate(total_att / total_w, total_psi / total_w, total_w, n, z)
    event_study = {
        e: _estimate(event_att[e] / event_w[e], event_psi[e] / event_w[e], event_w[e], n, z)
        for e in sorted(event_w)
    }
    pre_trend = _pre_trend(
        [e for e in sorted(event_w) if e < 0][-PRE_WINDOW:],
        event_study,
        event_psi,
        event_w,
        n,
        pre_trend_alpha,
    )
    return DidResult(
        overall=overall,
        event_study=event_study,
        pre_trend=pre_trend,
        n_units=n,
        n_periods=t_count,
        n_treated_units=int((np.isfinite(gpos) & (gpos > 0) & (gpos < t_count)).sum()),
        method=METHOD_NOT_YET if control == "not_yet_treated" else METHOD_NEVER,
        notes=notes,
    )
