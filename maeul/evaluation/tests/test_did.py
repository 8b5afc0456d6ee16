"""The estimator: a planted effect recovered within its interval under staggered adoption with
effects growing over time, zero covered when there is none, a planted pre-trend flagged, the
same numbers as the `differences` package, and bad panels refused with a clear message."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from maeul.evaluation.did import PanelError, estimate_did, panel_from_rows, read_panel_csv
from maeul.evaluation.tests.synthetic import panel_csv, staggered_panel

STAGGERED = [12, 20, 28, None]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_recovers_growing_staggered_effect_within_interval(seed):
    panel, true = staggered_panel(
        n_units=240, n_months=36, cohorts=STAGGERED, effect=1.0, growth=0.1, seed=seed
    )
    result = estimate_did(panel)
    assert result.overall.covers(true), (true, result.overall)
    assert result.overall.ci_low > 0
    # effects grow: later months since opening larger than the first
    assert result.event_study[6].estimate > result.event_study[0].estimate


def test_twfe_would_be_biased_where_this_is_not():
    """The reason for CS: with effects growing over time, a two-way fixed-effects regression
    lands away from the true average; the group-time estimator does not."""
    panel, true = staggered_panel(
        n_units=240, n_months=36, cohorts=[6, 18, 30, None], growth=0.2, seed=4
    )
    n, t = panel.y.shape
    frame = pd.DataFrame(
        {
            "y": panel.y.ravel(),
            "unit": np.repeat(np.arange(n), t),
            "month": np.tile(np.arange(t), n),
        }
    )
    starts = np.array([10**6 if s is None else s - panel.months[0] for s in panel.treated_from])
    frame["d"] = (frame["month"].to_numpy() >= starts[frame["unit"].to_numpy()]).astype(float)
    demeaned = frame[["y", "d"]] - frame.groupby("unit")[["y", "d"]].transform("mean")
    demeaned = demeaned - demeaned.groupby(frame["month"]).transform("mean")
    twfe = float((demeaned["y"] * demeaned["d"]).sum() / (demeaned["d"] ** 2).sum())
    result = estimate_did(panel)
    assert result.overall.covers(true)
    assert abs(twfe - true) > 5 * result.overall.se


def test_interval_covers_zero_without_effect():
    panel, true = staggered_panel(n_units=200, n_months=30, cohorts=STAGGERED, effect=0.0, seed=6)
    result = estimate_did(panel)
    assert true == 0.0
    assert result.overall.covers(0.0), result.overall


def test_intervals_cover_at_their_rate():
    """A 95% interval misses one panel in twenty: over 40 panels without an effect zero is
    covered in at least 35 (binomial: fewer happens once in about 50 suites at a true 95%),
    and over 40 with a growing staggered effect the true effect likewise."""
    for kwargs in ({"effect": 0.0}, {"effect": 1.0, "growth": 0.1}):
        covered = 0
        for seed in range(40):
            panel, true = staggered_panel(
                n_units=100, n_months=30, cohorts=STAGGERED, seed=100 + seed, **kwargs
            )
            covered += estimate_did(panel).overall.covers(true)
        assert covered >= 35, (kwargs, covered)


def test_planted_pre_trend_is_flagged():
    panel, _ = staggered_panel(n_units=200, n_months=30, cohorts=STAGGERED, pre_trend=0.1, seed=8)
    result = estimate_did(panel)
    assert result.pre_trend is not None
    assert result.pre_trend.flagged
    assert result.pre_trend.p_value < 0.001


def test_no_pre_trend_is_not_flagged():
    panel, _ = staggered_panel(n_units=200, n_months=30, cohorts=STAGGERED, growth=0.1, seed=9)
    result = estimate_did(panel)
    assert result.pre_trend is not None
    assert not result.pre_trend.flagged


def test_never_treated_controls_also_recover_effect():
    panel, true = staggered_panel(n_units=240, n_months=36, cohorts=STAGGERED, growth=0.1, seed=10)
    result = estimate_did(panel, control="never_treated")
    assert result.overall.covers(true)
    assert "never-treated" in result.method


def test_all_units_eventually_treated_uses_not_yet_treated():
    panel, true = staggered_panel(
        n_units=200, n_months=36, cohorts=[10, 20, 30], growth=0.05, seed=11
    )
    result = estimate_did(panel)
    # the last cohort has no comparison unit after month 30: those months are left out, said so
    assert any("without any comparison" in note for note in result.notes)
    assert result.overall.ci_low > 0
    with pytest.raises(PanelError) as err:
        estimate_did(panel, control="never_treated")
    assert err.value.code == "no_never_treated"


def test_same_numbers_as_the_differences_package():
    from differences import ATTgt

    panel, _ = staggered_panel(n_units=60, n_months=16, cohorts=[6, 10, None], growth=0.1, seed=12)
    n, t = panel.y.shape
    frame = pd.DataFrame(
        {
            "unit": np.repeat(np.arange(n), t),
            "period": np.tile(np.arange(t), n),
            "cohort": np.repeat(
                [np.nan if s is None else float(s - panel.months[0]) for s in panel.treated_from], t
            ),
            "y": panel.y.ravel(),
        }
    ).set_index(["unit", "period"])
    att = ATTgt(data=frame, cohort_column="cohort")
    att.fit(formula="y", est_method="reg", control_group="not_yet_treated", progress_bar=False)
    theirs = att.aggregate("simple")
    ours = estimate_did(panel)
    assert ours.overall.estimate == pytest.approx(float(theirs.iloc[0, 0]), abs=1e-9)
    events = att.aggregate("event")
    for e in (-5, -1, 0, 3, 5):
        row = events.loc[e]
        assert ours.event_study[e].estimate == pytest.approx(float(row.iloc[0]), abs=1e-9)
        # theirs adds the variance of estimated cohort shares; ours fixes the weights (the
        # estimand's treated unit-months) and adds the n/(n-1) small-sample factor
        assert ours.event_study[e].se == pytest.approx(float(row.iloc[1]), rel=0.05)


def test_unbalanced_panel_uses_what_is_there():
    panel, true = staggered_panel(n_units=240, n_months=36, cohorts=STAGGERED, growth=0.1, seed=13)
    rng = np.random.default_rng(0)
    panel.y[rng.random(panel.y.shape) < 0.05] = np.nan
    result = estimate_did(panel)
    assert result.overall.covers(true)


def test_command_prints_the_json_contract(tmp_path, capsys):
    panel, true = staggered_panel(n_units=120, n_months=30, cohorts=STAGGERED, growth=0.1, seed=14)
    path = tmp_path / "p.csv"
    path.write_text(panel_csv(panel))
    call_command("evaluate_did", "--panel", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"estimate", "ci_low", "ci_high", "se", "n_units", "n_periods", "method"}
    assert out["n_units"] == 120 and out["n_periods"] == 30
    assert out["ci_low"] <= true <= out["ci_high"]
    assert out["ci_low"] < out["estimate"] < out["ci_high"]
    assert "callaway-santanna" in out["method"]
    # the same as reading the panel back in Python
    again = estimate_did(read_panel_csv(path.read_text()))
    assert out["estimate"] == pytest.approx(again.overall.estimate, abs=1e-9)


def test_command_text_output_shows_pre_trend(tmp_path, capsys):
    panel, _ = staggered_panel(n_units=120, n_months=30, cohorts=STAGGERED, pre_trend=0.1, seed=15)
    path = tmp_path / "p.csv"
    path.write_text(panel_csv(panel))
    call_command("evaluate_did", "--panel", str(path))
    assert "FLAGGED" in capsys.readouterr().out


GOOD = "unit,period,treated_from,outcome\n"


@pytest.mark.parametrize(
    "text,message",
    [
        ("unit,month,outcome\na,2025-01,1\n", "header lacks: period, treated_from"),
        (GOOD + "a,2025-13,,1\n", "line 2: period '2025-13' is not YYYY-MM"),
        (GOOD + "a,2025-01,July,1\n", "line 2: treated_from 'July' is not YYYY-MM or empty"),
        (GOOD + "a,2025-01,,abc\n", "line 2: outcome 'abc' is not a number"),
        (GOOD + "a,2025-01,,nan\n", "line 2: outcome 'nan' is not a number"),
        (GOOD + ",2025-01,,1\n", "line 2: unit is empty"),
        (GOOD + "a,2025-01,,1\na,2025-01,,2\n", "more than one row"),
        (GOOD + "a,2025-01,2025-02,1\na,2025-02,,2\n", "treated_from differs"),
        (GOOD, "the panel has no rows"),
        (GOOD + "a,2025-01,,1\na,2025-02,,2\nb,2025-01,,1\nb,2025-02,,3\n", "no unit is treated"),
        (
            GOOD + "a,2025-01,2025-01,1\na,2025-02,2025-01,2\nb,2025-01,,1\nb,2025-02,,3\n",
            "no unit is treated",
        ),
    ],
)
def test_bad_panel_is_refused_with_a_clear_error(tmp_path, text, message):
    path = tmp_path / "p.csv"
    path.write_text(text)
    with pytest.raises(CommandError) as err:
        call_command("evaluate_did", "--panel", str(path), "--json")
    assert message in str(err.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read the panel"):
        call_command("evaluate_did", "--panel", str(tmp_path / "nope.csv"), "--json")


def test_treated_without_comparison_month_is_refused():
    rows = [("a", 1, 1, 0.0), ("a", 2, 1, 1.0), ("b", 1, 2, 0.0), ("b", 2, 2, 1.0)]
    with pytest.raises(PanelError) as err:
        estimate_did(panel_from_rows(rows))
    assert err.value.code == "no_comparison"
