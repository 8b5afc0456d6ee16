"""The two scorers and how they are judged.

- **The rule** (as the national system began): the number of active signals.
- **The model**: LightGBM trained on past visit outcomes with a temporal hold-out (the last
  fifth of the training outcomes, by date, stops the boosting and calibrates it), then
  calibrated by Platt scaling on that slice, so a score reads as a probability of need.
  Its labels are biased: hubs visited whom the old rule listed. Each training outcome is
  weighted by how under-represented its rule score is among the visited compared with the
  population (inverse probability of being visited given the rule score, capped), so the
  model does not learn only what separates households the rule already ranked high.
- **The fast path**: the booster compiled by lleaves; LightGBM's own ``predict`` is the
  reference it must equal (tests check 1e-9).

Parameters are LightGBM's usual defaults for tabular data, not tuned to any generator."""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from maeul.screening.features import PER_SIGNAL, Features

if TYPE_CHECKING:  # LightGBM loads when a model is trained or read, not with the URLs
    import lightgbm as lgb

PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.1,  # half the trees of 0.05 for the same hold-out: scoring is per tree
    "num_leaves": 31,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "seed": 7,
    "deterministic": True,
    # one thread: the training set is small (the visited households), and LightGBM's OpenMP
    # threads spin-wait — on a shared machine two of them ran ten times slower than one
    "num_threads": 1,
    "force_col_wise": True,
}
MAX_ROUNDS = 400
EARLY_STOP = 30
WEIGHT_CAP = 10.0
#: the inverse-probability weights are tempered (raised to this power): full weights lean on
#: the few visited households the old rule ranked low and add more variance than they remove
#: bias (docs/screening.md, "Trap 4", gives the figures)
WEIGHT_POWER = 0.5


def rule_scores(features: Features) -> np.ndarray:
    """The baseline rule: the number of active signals."""
    return features.active.astype(np.float64)


def visit_weights(train_active: np.ndarray, population_active: np.ndarray) -> np.ndarray:
    """Inverse probability of being visited given the rule score: the share of the population
    at each score over the share of the visited, capped at ``WEIGHT_CAP``, tempered by
    ``WEIGHT_POWER``, mean 1."""
    top = int(max(train_active.max(initial=0), population_active.max(initial=0))) + 1
    visited = np.bincount(np.minimum(train_active, top - 1), minlength=top) / max(
        len(train_active), 1
    )
    pop = np.bincount(np.minimum(population_active, top - 1), minlength=top) / max(
        len(population_active), 1
    )
    ratio = np.where(visited > 0, pop / np.maximum(visited, 1e-12), 1.0)
    w = np.clip(ratio[train_active], 1 / WEIGHT_CAP, WEIGHT_CAP) ** WEIGHT_POWER
    return w / w.mean()


def _lightgbm() -> Any:
    """LightGBM, loaded when a model is trained (it takes seconds: not with the URLs). Its
    OpenMP threads yield the core when they wait, unless the environment says otherwise."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import lightgbm  # noqa: PLC0415

    return lightgbm


@dataclass
class Model:
    booster: lgb.Booster
    codes: list[str]
    platt: tuple[float, float] = (1.0, 0.0)
    rounds: int = 0
    _compiled: Any = field(default=None, repr=False)

    # reference path ----------------------------------------------------------------------
    def raw(self, X: np.ndarray) -> np.ndarray:
        """LightGBM's own prediction (probability before calibration): the reference."""
        return np.asarray(self.booster.predict(X, num_threads=PARAMS["num_threads"]))

    def calibrate(self, p: np.ndarray) -> np.ndarray:
        a, b = self.platt
        logit = np.log(np.clip(p, 1e-12, 1 - 1e-12) / np.clip(1 - p, 1e-12, 1))
        return 1 / (1 + np.exp(-(a * logit + b)))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Calibrated probability of need, through LightGBM's predict."""
        return self.calibrate(self.raw(X))

    # fast path ---------------------------------------------------------------------------
    def compiled(self, cache_dir: Path | None = None) -> Any:
        """The booster compiled to native code by lleaves (cached by the model's text)."""
        if self._compiled is None:
            from maeul.screening.fastpath import Compiler  # noqa: PLC0415 — LLVM, when scoring

            text = self.booster.model_to_string()
            digest = hashlib.sha256(text.encode()).hexdigest()[:16]
            directory = Path(cache_dir or Path(tempfile.gettempdir()) / "maeul-screening")
            directory.mkdir(parents=True, exist_ok=True)
            model_file = directory / f"model-{digest}.txt"
            model_file.write_text(text)
            compiled = Compiler(model_file=str(model_file))
            compiled.compile(cache=str(directory / f"model-{digest}.o"))
            self._compiled = compiled
        return self._compiled

    def raw_fast(self, X: np.ndarray, *, threads: int | None = None) -> np.ndarray:
        """The compiled booster's prediction: equal to ``raw`` (to 1e-9)."""
        model = self.compiled()
        return np.asarray(
            model.predict(
                np.ascontiguousarray(X, dtype=np.float64), n_jobs=threads or os.cpu_count()
            )
        )

    def predict_fast(self, X: np.ndarray) -> np.ndarray:
        return self.calibrate(self.raw_fast(X))

    # explanations ------------------------------------------------------------------------
    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Per row and signal code, how much the signal pushed the score (log-odds, SHAP
        values of LightGBM summed over the signal's features)."""
        per_signal = len(self.codes) * len(PER_SIGNAL)  # the household columns come after
        contrib = np.asarray(
            self.booster.predict(X, pred_contrib=True, num_threads=PARAMS["num_threads"])
        )[:, :per_signal]
        return contrib.reshape(len(X), len(self.codes), len(PER_SIGNAL)).sum(axis=2)


def _platt(raw: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Logistic regression of the outcome on the model's log-odds (Newton's method)."""
    x = np.log(np.clip(raw, 1e-12, 1 - 1e-12) / np.clip(1 - raw, 1e-12, 1))
    a, b = 1.0, 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a * x + b)))
        g = np.array([np.sum((p - y) * x), np.sum(p - y)])
        w = p * (1 - p) + 1e-9
        h = np.array([[np.sum(w * x * x), np.sum(w * x)], [np.sum(w * x), np.sum(w)]])
        h += np.eye(2) * 1e-6
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    if not (math.isfinite(a) and math.isfinite(b)) or a <= 0:
        return 1.0, 0.0
    return float(a), float(b)


def train(
    features: Features,
    y: np.ndarray,
    days: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    rounds: int | None = None,
) -> Model:
    """Train on past outcomes (``days``: each outcome's day): the latest fifth is the
    temporal hold-out for early stopping and calibration."""
    lightgbm = _lightgbm()

    y = np.asarray(y, dtype=np.float64)
    if len(np.unique(y)) < 2:
        raise ValueError("the training outcomes must include households in need and not")
    order = np.argsort(np.asarray(days), kind="stable")
    cut = int(len(order) * 0.8)
    fit, hold = order[:cut], order[cut:]
    if len(np.unique(y[hold])) < 2 or len(np.unique(y[fit])) < 2:
        fit = hold = order
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    names = [n.replace(":", "__") for n in features.names]
    dfit = lightgbm.Dataset(features.X[fit], y[fit], weight=w[fit], feature_name=names)
    dhold = lightgbm.Dataset(features.X[hold], y[hold], weight=w[hold], reference=dfit)
    callbacks = [] if rounds else [lightgbm.early_stopping(EARLY_STOP, verbose=False)]
    booster = lightgbm.train(
        PARAMS,
        dfit,
        num_boost_round=rounds or MAX_ROUNDS,
        valid_sets=[dhold],
        callbacks=callbacks,
    )
    if not rounds and booster.best_iteration:
        booster = lightgbm.Booster(
            model_str=booster.model_to_string(num_iteration=booster.best_iteration)
        )
    model = Model(booster=booster, codes=list(features.codes), rounds=booster.num_trees())
    model.platt = _platt(model.raw(features.X[hold]), y[hold])
    return model


# measures ----------------------------------------------------------------------------------


def precision_recall_at_k(score: np.ndarray, y: np.ndarray, k: int) -> tuple[float, float]:
    """Precision and recall among the ``k`` highest scores; households tied at the cut count
    by their expected share (ties broken at random), so a coarse score gains nothing by
    the order its ties happen to be in."""
    y = np.asarray(y, dtype=np.float64)
    n = len(score)
    if n == 0 or k <= 0:
        return 0.0, 0.0
    k = min(k, n)
    order = np.argsort(-score, kind="stable")
    cut = score[order[k - 1]]
    above = score > cut
    tied = score == cut
    hits = y[above].sum() + (k - above.sum()) * (y[tied].mean() if tied.any() else 0.0)
    positives = y.sum()
    return float(hits / k), float(hits / positives) if positives else 0.0


def auc(score: np.ndarray, y: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted half)."""
    y = np.asarray(y).astype(bool)
    pos, neg = int(y.sum()), int((~y).sum())
    if pos == 0 or neg == 0:
        return float("nan")
    from scipy.stats import rankdata  # noqa: PLC0415 — heavy, only to measure

    ranks = rankdata(score)
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def calibration_bins(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    """Mean predicted probability and observed share in need per decile of the score."""
    if len(p) == 0:
        return []
    order = np.argsort(p, kind="stable")
    out = []
    for part in np.array_split(order, min(bins, len(p))):
        if len(part):
            out.append(
                {
                    "predicted": float(p[part].mean()),
                    "observed": float(np.asarray(y)[part].mean()),
                    "n": int(len(part)),
                }
            )
    return out


def listed(score: np.ndarray, active: np.ndarray, k: int, *, excluded: np.ndarray | None = None):
    """Indices of the ``k`` households to list, best first: only households with at least
    one active signal (a household with only stale signals is never listed, whatever the
    model says) and not ``excluded`` (under case management, visited lately, refused)."""
    ok = np.asarray(active) > 0
    if excluded is not None:
        ok &= ~np.asarray(excluded, dtype=bool)
    candidates = np.flatnonzero(ok)
    order = candidates[np.argsort(-np.asarray(score)[candidates], kind="stable")]
    return order[: max(k, 0)]
