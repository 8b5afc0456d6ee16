"""From files (or frames) of signals and outcomes to a trained model and its hold-out figures:
what ``manage.py screen_evaluate`` prints, what the benchmark measures and what a screening
run in the hub calls with the hub's own records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from maeul.screening import features as F
from maeul.screening.features import InputError
from maeul.screening.model import (
    auc,
    calibration_bins,
    precision_recall_at_k,
    rule_scores,
    train,
    visit_weights,
)

if TYPE_CHECKING:  # Ibis and Polars load when a model is trained, not with the URLs
    import ibis.expr.types as ir
    import polars as pl

    from maeul.screening.model import Model

OUTCOME_COLUMNS = ("household", "observed_on", "in_need")


def read_outcomes(source: Any) -> pl.DataFrame:
    """Outcomes ``household, observed_on, in_need`` (1 or 0) from a CSV or Parquet path or a
    frame; a missing column, a date that is not YYYY-MM-DD or an ``in_need`` other than 0/1
    is an ``InputError`` naming the line."""
    import polars as pl  # noqa: PLC0415

    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.suffix == ".parquet":
            frame = pl.read_parquet(path)
        else:
            try:
                frame = pl.read_csv(path, infer_schema=False)
            except pl.exceptions.PolarsError as exc:
                raise InputError(f"{path}: not a CSV file ({exc})") from exc
    else:
        frame = pl.DataFrame(source)
    missing = [c for c in OUTCOME_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            f"outcomes: missing column(s) {', '.join(missing)}; "
            f"expected {', '.join(OUTCOME_COLUMNS)}"
        )
    frame = frame.select(OUTCOME_COLUMNS).with_row_index("line", offset=2)
    casts = {
        "household": pl.col("household").cast(pl.Int64, strict=False),
        "observed_on": (
            pl.col("observed_on").str.strptime(pl.Date, "%Y-%m-%d", strict=False)
            if frame.schema["observed_on"] == pl.String
            else pl.col("observed_on").cast(pl.Date, strict=False)
        ),
        "in_need": pl.col("in_need").cast(pl.Int64, strict=False),
    }
    typed = frame.with_columns(**casts)
    for name in OUTCOME_COLUMNS:
        bad = typed.filter(pl.col(name).is_null())
        if name == "in_need":
            bad = typed.filter(pl.col(name).is_null() | ~pl.col(name).is_in([0, 1]))
        if bad.height:
            line = bad["line"][0]
            raw = frame.filter(pl.col("line") == line)[name][0]
            raise InputError(
                f"outcomes line {line}: {name} {raw!r} is not "
                + {
                    "household": "a household number",
                    "observed_on": "a date (YYYY-MM-DD)",
                    "in_need": "1 or 0",
                }[name]
            )
    return typed.drop("line")


def active_counts(events: ir.Table, *, as_of: dt.date) -> np.ndarray:
    """Active signals per household with any signal in the active window as of a day (the
    population the visited are compared with for the weights)."""
    import ibis  # noqa: PLC0415

    age = ibis.literal(as_of, type="date").delta(events.observed_on, unit="day")
    t = events.mutate(age=age)
    t = t.filter(t.age > 0, t.age <= F.ACTIVE_DAYS)
    counts = t.group_by("household").agg(n=t.signal.nunique()).to_pyarrow()
    return counts["n"].to_numpy().astype(np.int64)


def fit(
    events: ir.Table,
    outcomes: pl.DataFrame,
    *,
    codes: list[str],
    before: dt.date,
) -> tuple[Model, F.Features, np.ndarray]:
    """Train on the outcomes before ``before``, each seen with the signals observed before its
    own day, weighted against the selection of the visited (``visit_weights``)."""
    import polars as pl  # noqa: PLC0415

    past = outcomes.filter(pl.col("observed_on") < before)
    if past.height == 0:
        raise InputError(f"no outcome before {before.isoformat()} to train on")
    y = past["in_need"].to_numpy()
    if len(np.unique(y)) < 2:
        raise InputError(
            f"the outcomes before {before.isoformat()} are all {int(y[0])}: "
            "the model needs households found in need and not"
        )
    days = past["observed_on"].to_numpy().astype("datetime64[D]")
    feats = F.features_at_points(
        events, households=past["household"].to_numpy(), days=days, codes=codes
    )
    population = active_counts(events, as_of=before)
    weights = visit_weights(feats.active.astype(np.int64), population)
    model = train(feats, y, days, weights=weights)
    return model, feats, y


@dataclass
class Evaluation:
    model: Model
    k: int
    n_test: int
    scores_model: np.ndarray
    scores_rule: np.ndarray
    y: np.ndarray
    households: np.ndarray

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, score in (("model", self.scores_model), ("rule", self.scores_rule)):
            p, r = precision_recall_at_k(score, self.y, self.k)
            out[name] = {"precision_at_k": p, "recall_at_k": r, "auc": auc(score, self.y)}
        out["k"] = self.k
        out["n_test"] = self.n_test
        return out

    def calibration(self) -> list[dict[str, float]]:
        return calibration_bins(self.scores_model, self.y)


def evaluate(
    signals: Any, outcomes: Any, *, split: dt.date, k: int, threads: int | None = None
) -> Evaluation:
    """Train on outcomes before ``split`` (signals before each outcome's day); score every
    household with an outcome on or after ``split`` from the signals before ``split``; a
    household with several later outcomes counts as in need if any found it so."""
    import polars as pl  # noqa: PLC0415

    if k < 1:
        raise InputError("k must be at least 1")
    frame = read_outcomes(outcomes)
    if frame.filter(pl.col("observed_on") >= split).height == 0:
        raise InputError(f"no outcome on or after {split.isoformat()} to test on")
    con = F.connect(threads=threads)
    events = F.read_signals(con, signals)
    try:
        codes = F.signal_codes(events)
    except Exception as exc:  # the backend's own message, with the file's name
        raise InputError(f"signals: {exc}") from exc
    if not codes:
        raise InputError("signals: no rows")
    try:
        return evaluate_events(events, frame, codes=codes, split=split, k=k)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"signals could not be read: {exc}") from exc


def evaluate_events(
    events: ir.Table, frame: pl.DataFrame, *, codes: list[str], split: dt.date, k: int
) -> Evaluation:
    """``evaluate`` on an events table and typed outcomes (a screening run's own records)."""
    import polars as pl  # noqa: PLC0415

    later = (
        frame.filter(pl.col("observed_on") >= split)
        .group_by("household")
        .agg(pl.col("in_need").max())
        .sort("household")
    )
    if later.height == 0:
        raise InputError(f"no outcome on or after {split.isoformat()} to test on")
    model, _, _ = fit(events, frame, codes=codes, before=split)
    test = F.features_as_of(
        events, as_of=split, codes=codes, households=later["household"].to_numpy()
    )
    return Evaluation(
        model=model,
        k=k,
        n_test=later.height,
        scores_model=model.predict(test.X),
        scores_rule=rule_scores(test),
        y=later["in_need"].to_numpy().astype(np.float64),
        households=test.keys,
    )
