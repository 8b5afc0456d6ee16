"""Synthetic panels with a known effect, for the estimator's tests and the bench."""

from __future__ import annotations

import numpy as np

from maeul.evaluation.did import Panel, month_label

START = 2021 * 12  # 2021-01


def staggered_panel(
    *,
    n_units: int,
    n_months: int,
    cohorts: list[int | None],
    effect: float = 1.0,
    growth: float = 0.0,
    pre_trend: float = 0.0,
    seed: int = 0,
) -> tuple[Panel, float]:
    """Units assigned round-robin to `cohorts` (months after START when treated; None = never).
    Outcome: unit level + common trend + noise; from its treatment month a unit gains
    `effect + growth * months_since`; `pre_trend` adds a trend of its own to treated units before
    treatment (parallel trends broken). Returns the panel and the true average effect over the
    treated unit-months in it."""
    rng = np.random.default_rng(seed)
    g = np.array([np.inf if c is None else c for c in cohorts], dtype=float)[
        np.arange(n_units) % len(cohorts)
    ]
    t = np.arange(n_months)
    y = (
        rng.normal(0, 1, n_units)[:, None]
        + 0.08 * t[None, :]
        + rng.normal(0, 0.5, (n_units, n_months))
    )
    since = t[None, :] - g[:, None]
    post = since >= 0
    y = y + np.where(post, effect + growth * np.where(post, since, 0), 0.0)
    treated = np.isfinite(g)
    y = y + np.where(treated[:, None] & ~post, pre_trend * t[None, :], 0.0)
    true = float((effect + growth * since[post]).mean()) if post.any() else 0.0
    panel = Panel(
        units=[f"u{i:05d}" for i in range(n_units)],
        months=list(range(START, START + n_months)),
        y=y,
        treated_from=[None if not np.isfinite(x) else START + int(x) for x in g],
    )
    return panel, true


def panel_csv(panel: Panel) -> str:
    lines = ["unit,period,treated_from,outcome"]
    for i, unit in enumerate(panel.units):
        start = panel.treated_from[i]
        tf = "" if start is None else month_label(start)
        for k, month in enumerate(panel.months):
            if not np.isnan(panel.y[i, k]):
                lines.append(f"{unit},{month_label(month)},{tf},{panel.y[i, k]:.6f}")
    return "\n".join(lines) + "\n"
