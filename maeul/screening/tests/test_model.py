"""The scorers: the compiled fast path equals LightGBM's own predict, the measures on known
numbers, and ``screen_evaluate`` with its JSON and its refusals of bad input."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from maeul.screening import features as F
from maeul.screening.model import auc, precision_recall_at_k, train
from maeul.screening.synth import generate

TODAY = dt.date(2026, 1, 1)
SPLIT = dt.date(2025, 7, 1)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    syn = generate(households=2500, today=TODAY, seed=5)
    return syn, syn.write(tmp_path_factory.mktemp("screening"), fmt="csv")


def test_fast_scorer_equals_lightgbm_to_1e_9(synthetic, tmp_path):
    syn, _ = synthetic
    events = F.read_signals(F.connect(), syn.signals)
    codes = F.signal_codes(events)
    out = syn.outcomes
    feats = F.features_at_points(
        events,
        households=out["household"].to_numpy(),
        days=out["observed_on"].to_numpy().astype("datetime64[D]"),
        codes=codes,
    )
    model = train(feats, out["in_need"].to_numpy(), out["observed_on"].to_numpy(), rounds=25)
    model.compiled(cache_dir=tmp_path)
    everyone = F.features_as_of(events, as_of=SPLIT, codes=codes)
    reference = model.raw(everyone.X)
    fast = model.raw_fast(everyone.X)
    assert len(fast) == len(everyone.keys) > 1000
    np.testing.assert_allclose(fast, reference, rtol=0, atol=1e-9)
    np.testing.assert_allclose(model.predict_fast(everyone.X), model.predict(everyone.X), atol=1e-9)


def test_measures_on_known_numbers():
    score = np.array([0.9, 0.8, 0.7, 0.1])
    y = np.array([1, 0, 1, 0])
    assert precision_recall_at_k(score, y, 2) == (0.5, 0.5)
    assert auc(score, y) == 0.75
    # ties at the cut count by their expected share: 1 sure hit + 1 of 3 tied (1 in need)
    tied = np.array([3, 1, 1, 1])
    assert precision_recall_at_k(tied, np.array([1, 1, 0, 0]), 2) == pytest.approx((2 / 3, 2 / 3))
    assert auc(np.ones(4), y) == 0.5


def test_screen_evaluate_prints_the_contract(synthetic, capsys):
    syn, paths = synthetic
    call_command(
        "screen_evaluate",
        "--signals",
        str(paths["signals"]),
        "--outcomes",
        str(paths["outcomes"]),
        "--split-date",
        SPLIT.isoformat(),
        "--k",
        "40",
        "--json",
    )
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"model", "rule", "k", "n_test"}
    assert set(out["model"]) == set(out["rule"]) == {"precision_at_k", "auc"}
    assert out["k"] == 40 and out["n_test"] > 40
    assert 0 <= out["model"]["precision_at_k"] <= 1 and 0 <= out["rule"]["auc"] <= 1
    later = syn.outcomes.filter(syn.outcomes["observed_on"] >= SPLIT)
    assert out["n_test"] == later["household"].n_unique()


@pytest.mark.parametrize(
    ("outcomes", "message"),
    [
        ("household,observed_on\n1,2025-01-01\n", "missing column.*in_need"),
        ("household,observed_on,in_need\n1,2025-13-01,1\n", "line 2: observed_on '2025-13-01'"),
        (
            "household,observed_on,in_need\n1,2025-01-01,yes\n",
            "line 2: in_need 'yes' is not 1 or 0",
        ),
        ("household,observed_on,in_need\n1,2025-01-01,1\n", "no outcome on or after"),
    ],
)
def test_bad_outcomes_are_refused_with_a_clear_error(tmp_path, outcomes, message):
    signals = tmp_path / "s.csv"
    signals.write_text("household,signal,observed_on,value\n1,job_loss,2025-01-01,\n")
    bad = tmp_path / "o.csv"
    bad.write_text(outcomes)
    with pytest.raises(CommandError, match=message):
        call_command(
            "screen_evaluate",
            "--signals",
            str(signals),
            "--outcomes",
            str(bad),
            "--split-date",
            SPLIT.isoformat(),
            "--k",
            "5",
        )


def test_bad_signals_and_arguments_are_refused(synthetic, tmp_path):
    _, paths = synthetic
    bad = tmp_path / "s.csv"
    bad.write_text("household,code,observed_on,value\n1,job_loss,2025-01-01,\n")
    with pytest.raises(CommandError, match="signals: missing column.*signal"):
        call_command(
            "screen_evaluate",
            "--signals",
            str(bad),
            "--outcomes",
            str(paths["outcomes"]),
            "--split-date",
            "2025-07-01",
            "--k",
            "5",
        )
    with pytest.raises(CommandError, match="not a date"):
        call_command(
            "screen_evaluate",
            "--signals",
            str(paths["signals"]),
            "--outcomes",
            str(paths["outcomes"]),
            "--split-date",
            "July",
            "--k",
            "5",
        )
    with pytest.raises(CommandError, match="no such file"):
        call_command(
            "screen_evaluate",
            "--signals",
            str(tmp_path / "none.csv"),
            "--outcomes",
            str(paths["outcomes"]),
            "--split-date",
            "2025-07-01",
            "--k",
            "5",
        )
    bad.write_text("household,signal,observed_on,value\n1,job_loss,yesterday,\n")
    with pytest.raises(CommandError, match="signals"):
        call_command(
            "screen_evaluate",
            "--signals",
            str(bad),
            "--outcomes",
            str(paths["outcomes"]),
            "--split-date",
            "2025-07-01",
            "--k",
            "5",
        )


def test_yields_are_shrunk_toward_the_wider_share_and_score_by_noisy_or():
    from maeul.screening.report import YIELD_PRIOR, yield_scores, yield_table

    codes = ["a", "b"]
    p = len(F.PER_SIGNAL)
    X = np.zeros((4, 2 * p + len(F.PER_HOUSEHOLD)))
    X[:, 2::p][:, :2] = F.HORIZON_DAYS + 1
    X[0, 2] = X[1, 2] = 10  # a active on rows 0, 1 (both in need)
    X[2, p + 2] = X[3, p + 2] = 10  # b active on rows 2, 3 (neither)
    feats = F.Features(keys=np.arange(4), codes=codes, X=X, active=np.array([1, 1, 1, 1]))
    table = yield_table(
        features=feats, y=np.array([1, 1, 0, 0]), dong=[1, 1, 1, 2], band=["65+"] * 4
    )
    assert table["overall"] == 0.5
    assert table["signal"]["a"] == pytest.approx((2 + YIELD_PRIOR * 0.5) / (2 + YIELD_PRIOR))
    b = table["signal"]["b"]
    assert table["cell"][("b", 2, "65+")] == pytest.approx(YIELD_PRIOR * b / (1 + YIELD_PRIOR))
    # a cell never seen counts at the signal's yield; no active signal: 0
    X2 = X.copy()
    X2[3, 2] = 10  # row 3 now has a and b
    X2[0, 2] = F.HORIZON_DAYS + 1  # row 0 none
    feats2 = F.Features(keys=np.arange(4), codes=codes, X=X2, active=np.array([0, 1, 1, 2]))
    s = yield_scores(features=feats2, dong=[1, 3, 1, 2], band=["65+"] * 4, table=table)
    assert s[0] == 0
    assert s[1] == pytest.approx(table["signal"]["a"])  # dong 3: not seen
    ya, yb = table["signal"]["a"], table["cell"][("b", 2, "65+")]  # a never seen in dong 2
    assert s[3] == pytest.approx(1 - (1 - ya) * (1 - yb))
