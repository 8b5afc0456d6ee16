"""Features of each household from its crisis signals, written once as an Ibis expression:
DuckDB runs it embedded (the default), PySpark runs the same expression on a cluster (a
national run partitions the events by district; tests/test_spark.py checks the two agree).

Rules the features follow (docs/screening.md, "Features"):

- **Only the past.** Features as of a day use the events observed strictly before it, and
  none older than ``HORIZON_DAYS`` (three years).
- **One event, one count.** The same signal of a household in the same month is one event,
  whichever source reported it and however many times (its earliest report dates it, its
  largest value is kept): two agencies reporting the same arrears do not double it.
- **Recency decays.** Each event weighs ``2^(-age / HALF_LIFE_DAYS)``: a signal three years
  old weighs under 2 %, so no flag is permanent.
- Per household × signal: decayed weight, events, days since the last, days from first to
  last (how long it has lasted), the largest value of the last year and of the last
  ``RECENT_DAYS`` (months in arrears or an amount: how deep it was, how deep it is now).
- Per household, across its signals (``PER_HOUSEHOLD``): the number of **active** signals
  (observed in the last ``ACTIVE_DAYS``), which is the baseline rule's score and the condition
  to be listed at all; distinct signals of the last 30, ``RECENT_DAYS`` and 365 days; total
  decayed weight; days since its latest signal; events in all. A tree
  cannot add up twenty-five columns by itself: these give it the breadth of a crisis.

The signal codes are learned from the data (``signal_codes``); nothing here lists them."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # Ibis, DuckDB and Arrow load when features are built, not with the URLs
    import ibis.expr.types as ir
    import pyarrow as pa

HORIZON_DAYS = 1095
HALF_LIFE_DAYS = 180
ACTIVE_DAYS = 180
VALUE_DAYS = 365
#: per signal, in this order (``Features.names``)
PER_SIGNAL = ("weight", "events", "last_days", "span_days", "value", "value_now")
RECENT_DAYS = 90
#: per household, across its signals, after the per-signal columns (``Features.names``)
PER_HOUSEHOLD = (
    "active",
    "signals_30",
    "signals_90",
    "signals_365",
    "weight",
    "last_days",
    "events",
)
COLUMNS = ("household", "signal", "observed_on", "value")


class InputError(ValueError):
    """The signals or outcomes given cannot be read: says which file and what is wrong."""


def connect(threads: int | None = None) -> Any:
    """The embedded DuckDB backend."""
    import ibis  # noqa: PLC0415 — heavy, loaded when features are built

    con = ibis.duckdb.connect()
    con.raw_sql("SET enable_progress_bar = false")
    con.raw_sql("SET preserve_insertion_order = false")
    if threads:
        con.raw_sql(f"SET threads = {int(threads)}")
    return con


def read_signals(con: Any, source: Any) -> ir.Table:
    """The events table from a Parquet or CSV path, an Arrow table or a Polars frame, typed
    ``household`` int64, ``signal`` string, ``observed_on`` date, ``value`` float64 (empty:
    no value). A missing column is an ``InputError``."""
    import ibis  # noqa: PLC0415
    import ibis.expr.types as ir  # noqa: PLC0415

    if isinstance(source, (str, Path)):
        path = str(source)
        if not Path(path).exists():
            raise InputError(f"{path}: no such file")
        if path.endswith(".parquet"):
            t = con.read_parquet(path)
        else:
            t = con.read_csv(path, all_varchar=True)
    elif isinstance(source, ir.Table):
        t = source
    else:
        t = ibis.memtable(source)
    missing = [c for c in COLUMNS if c not in t.columns]
    if missing:
        raise InputError(
            f"signals: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}"
        )
    value = t.value
    if value.type().is_string():
        value = value.nullif("")
    return t.select(
        household=t.household.cast("int64"),
        signal=t.signal.cast("string"),
        observed_on=t.observed_on.cast("date"),
        value=value.cast("float64"),
    )


def signal_codes(events: ir.Table) -> list[str]:
    """The signal codes present in the data, sorted: the model's vocabulary."""
    return sorted(str(c) for c in events.select("signal").distinct().to_pyarrow()["signal"])


def _aggregate(t: ir.Table, key: str, as_of: ir.DateValue) -> ir.Table:
    """Per key × signal, as of ``as_of`` (a literal or a column of ``t``)."""
    age = as_of.delta(t.observed_on, unit="day")
    t = t.mutate(age=age, month=t.observed_on.year() * 12 + t.observed_on.month())
    t = t.filter(t.age > 0, t.age <= HORIZON_DAYS)
    # one event per household × signal × month, however many sources reported it
    ev = t.group_by([key, "signal", "month"]).agg(age=t.age.max(), value=t.value.max())
    ev = ev.mutate(w=(ev.age.cast("float64") * (-math.log(2) / HALF_LIFE_DAYS)).exp())
    return ev.group_by([key, "signal"]).agg(
        weight=ev.w.sum(),
        events=ev.count(),
        last_days=ev.age.min(),
        span_days=ev.age.max() - ev.age.min(),
        value=ev.value.max(where=ev.age <= VALUE_DAYS),
        value_now=ev.value.max(where=ev.age <= RECENT_DAYS),
    )


def household_signals(events: ir.Table, *, as_of: dt.date) -> ir.Table:
    """Long features per household × signal as of one day (a screening run)."""
    import ibis  # noqa: PLC0415

    return _aggregate(events, "household", ibis.literal(as_of, type="date"))


def point_signals(events: ir.Table, points: ir.Table) -> ir.Table:
    """Long features per point (``point``, ``household``, ``as_of``): each outcome of the
    training set seen with the signals observed before its own day."""
    joined = events.inner_join(points, "household")
    return _aggregate(joined, "point", joined.as_of)


@dataclass
class Features:
    """A feature matrix: one row per key (household or point), ``names`` its columns."""

    keys: np.ndarray
    codes: list[str]
    X: np.ndarray
    active: np.ndarray  # active signals per row: the rule's score

    @property
    def names(self) -> list[str]:
        per_signal = [f"{code}:{part}" for code in self.codes for part in PER_SIGNAL]
        return per_signal + [f"household:{part}" for part in PER_HOUSEHOLD]

    def column(self, code: str, part: str) -> np.ndarray:
        i = self.codes.index(code) * len(PER_SIGNAL) + PER_SIGNAL.index(part)
        return self.X[:, i]

    def household(self, part: str) -> np.ndarray:
        return self.X[:, len(self.codes) * len(PER_SIGNAL) + PER_HOUSEHOLD.index(part)]


def to_matrix(
    long: pa.Table, *, key: str, codes: Sequence[str], keys: np.ndarray | None = None
) -> Features:
    """Pivot the long features to a matrix. ``codes``: the columns (a code of the data not in
    them is dropped; a code with no event is all empty); ``keys``: the rows (default: the keys
    present, sorted; a key with no signal has an empty row). An empty signal: weight and events
    0, last and span ``HORIZON_DAYS + 1`` and 0, value 0."""
    col_keys = long[key].to_numpy(zero_copy_only=False).astype(np.int64)
    if keys is None:
        # rows: the keys present, sorted (a sort, not a hash: faster on millions of keys)
        order = np.argsort(col_keys, kind="stable")
        sk = col_keys[order]
        first = np.ones(len(sk), dtype=bool)
        first[1:] = sk[1:] != sk[:-1]
        keys = sk[first]
        row = np.empty(len(sk), dtype=np.int64)
        row[order] = np.cumsum(first) - 1
        found = np.ones(len(sk), dtype=bool)
    else:
        keys = np.asarray(keys, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        if len(keys):
            pos = np.clip(np.searchsorted(sorted_keys, col_keys), 0, len(keys) - 1)
            found = sorted_keys[pos] == col_keys
            row = order[pos]
        else:
            found = np.zeros(len(col_keys), dtype=bool)
            row = np.zeros(len(col_keys), dtype=np.int64)
    code_index = {c: i for i, c in enumerate(codes)}
    sig = long["signal"].combine_chunks().dictionary_encode()
    dict_codes = sig.dictionary.to_pylist()
    lookup = np.array([code_index.get(c, -1) for c in dict_codes] + [-1], dtype=np.int64)
    ci = lookup[sig.indices.fill_null(len(dict_codes)).to_numpy()]
    ok = found & (ci >= 0)
    row, ci = row[ok], ci[ok]
    n, k, p = len(keys), len(codes), len(PER_SIGNAL)
    width = k * p + len(PER_HOUSEHOLD)
    X = np.zeros((n, width), dtype=np.float64)
    X[:, 2 : k * p : p] = HORIZON_DAYS + 1
    flat_view = X.reshape(-1)
    base = row * width + ci * p
    parts = {}
    for j, part in enumerate(PER_SIGNAL):
        vals = np.asarray(long[part].to_numpy(zero_copy_only=False), dtype=np.float64)[ok]
        vals = np.nan_to_num(vals, nan=0.0)
        flat_view[base + j] = vals
        parts[part] = vals
    # per household, across its signals: sums over the long rows, the minimum over the matrix
    last = parts["last_days"]
    active = np.bincount(row[last < ACTIVE_DAYS], minlength=n)
    extra = X[:, k * p :]
    extra[:, 0] = active
    extra[:, 1] = np.bincount(row[last < 30], minlength=n)
    extra[:, 2] = np.bincount(row[last < RECENT_DAYS], minlength=n)
    extra[:, 3] = np.bincount(row[last < VALUE_DAYS], minlength=n)
    extra[:, 4] = np.bincount(row, weights=parts["weight"], minlength=n)
    extra[:, 5] = X[:, 2 : k * p : p].min(axis=1, initial=HORIZON_DAYS + 1)
    extra[:, 6] = np.bincount(row, weights=parts["events"], minlength=n)
    return Features(keys=keys, codes=list(codes), X=X, active=active.astype(np.int32))


def features_as_of(
    events: ir.Table,
    *,
    as_of: dt.date,
    codes: Sequence[str],
    households: np.ndarray | None = None,
) -> Features:
    """The features of every household (or of ``households``) as of a day."""
    long = household_signals(events, as_of=as_of).to_pyarrow()
    return to_matrix(long, key="household", codes=codes, keys=households)


def features_at_points(
    events: ir.Table, *, households: np.ndarray, days: np.ndarray, codes: Sequence[str]
) -> Features:
    """The features of each (household, day) pair, in the order given (row i: pair i)."""
    import ibis  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    points = pa.table(
        {
            "point": pa.array(np.arange(len(households), dtype=np.int64)),
            "household": pa.array(np.asarray(households, dtype=np.int64)),
            "as_of": pa.array(np.asarray(days, dtype="datetime64[D]")),
        }
    )
    long = point_signals(events, ibis.memtable(points)).to_pyarrow()
    return to_matrix(long, key="point", codes=codes, keys=np.arange(len(households)))
