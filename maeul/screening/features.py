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


def _aggregate(t: ir.Table, key: str, as_of: ir.DateValue, codes: Sequence[str]) -> ir.Table:
    """Per key × signal, as of ``as_of`` (a literal or a column of ``t``): the long features,
    keyed by ``cell = key × len(codes) + the code's index`` (integers group faster than
    strings; a code not in ``codes`` is dropped here)."""
    import ibis  # noqa: PLC0415

    k = len(codes)
    # dates compared as dates: DuckDB skips the Parquet row groups outside the horizon
    t = t.filter(t.observed_on < as_of, t.observed_on >= as_of - ibis.interval(days=HORIZON_DAYS))
    index = ibis.memtable(
        {"signal": list(codes), "code_index": np.arange(k, dtype=np.int64)},
        schema={"signal": "string", "code_index": "int64"},
    )
    t = t.inner_join(index, "signal")
    month = t.observed_on.year() * 12 + t.observed_on.month()
    t = t.select(
        cell=t[key].cast("int64") * k + t.code_index,
        month=month.cast("int64"),
        age=as_of.delta(t.observed_on, unit="day"),
        value=t.value,
    )
    # one event per household × signal × month, however many sources reported it
    ev = t.group_by(["cell", "month"]).agg(age=t.age.max(), value=t.value.max())
    ev = ev.mutate(w=(ev.age.cast("float64") * (-math.log(2) / HALF_LIFE_DAYS)).exp())
    return ev.group_by("cell").agg(
        weight=ev.w.sum(),
        events=ev.count(),
        last_days=ev.age.min(),
        span_days=ev.age.max() - ev.age.min(),
        value=ev.value.max(where=ev.age <= VALUE_DAYS).fill_null(0),
        value_now=ev.value.max(where=ev.age <= RECENT_DAYS).fill_null(0),
    )


def household_signals(events: ir.Table, *, as_of: dt.date, codes: Sequence[str]) -> ir.Table:
    """Long features per household × signal as of one day (a screening run)."""
    import ibis  # noqa: PLC0415

    return _aggregate(events, "household", ibis.literal(as_of, type="date"), codes)


def point_signals(events: ir.Table, points: ir.Table, codes: Sequence[str]) -> ir.Table:
    """Long features per point (``point``, ``household``, ``as_of``): each outcome of the
    training set seen with the signals observed before its own day."""
    joined = events.inner_join(points, "household")
    return _aggregate(joined, "point", joined.as_of, codes)


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


def _rows(keys_of_cells: np.ndarray, keys: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The rows (``keys``: given, or the keys present, sorted) and the row of each cell (-1:
    not among the rows). Keys that are dense integers (database ids, point numbers) are
    looked up in a table, without sorting; sparse ones by a sort."""
    cells = keys_of_cells
    if keys is None:
        if len(cells) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        lo, hi = int(cells.min()), int(cells.max())
        if hi - lo < 4 * len(cells) + 1024:
            present = np.zeros(hi - lo + 1, dtype=bool)
            present[cells - lo] = True
            keys = np.flatnonzero(present) + lo
            return keys, (np.cumsum(present) - 1)[cells - lo]
        keys, row = np.unique(cells, return_inverse=True)
        return keys, row.astype(np.int64)
    keys = np.asarray(keys, dtype=np.int64)
    row = np.full(len(cells), -1, dtype=np.int64)
    if len(keys) == 0 or len(cells) == 0:
        return keys, row
    lo, hi = int(keys.min()), int(keys.max())
    if hi - lo < 4 * len(keys) + 1024:
        table = np.full(hi - lo + 1, -1, dtype=np.int64)
        table[keys[::-1] - lo] = np.arange(len(keys) - 1, -1, -1)  # a repeated key: its first row
        inside = (cells >= lo) & (cells <= hi)
        row[inside] = table[cells[inside] - lo]
        return keys, row
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    pos = np.clip(np.searchsorted(sorted_keys, cells), 0, len(keys) - 1)
    found = sorted_keys[pos] == cells
    row[found] = order[pos[found]]
    return keys, row


def to_matrix(long: pa.Table, *, codes: Sequence[str], keys: np.ndarray | None = None) -> Features:
    """Spread the long features (``_aggregate``'s cells) into a matrix. ``codes``: the
    columns, as given to the query; ``keys``: the rows (default: the keys present, sorted; a
    key with no signal has an empty row). An empty signal: weight and events 0, last and span
    ``HORIZON_DAYS + 1`` and 0, value 0. The per-household columns are sums and counts over
    the cells of each row (``np.bincount``: a fraction of a second for millions of cells)."""
    k, p = len(codes), len(PER_SIGNAL)
    cell = long["cell"].to_numpy() if long.num_rows else np.zeros(0, dtype=np.int64)
    cell_key = cell // max(k, 1)
    keys, row = _rows(cell_key, keys)
    ok = row >= 0
    if not ok.all():
        cell, cell_key, row = cell[ok], cell_key[ok], row[ok]
    ci = cell - cell_key * k
    n = len(keys)
    width = k * p + len(PER_HOUSEHOLD)
    template = np.zeros(width, dtype=np.float64)
    template[2 : k * p : p] = HORIZON_DAYS + 1
    X = np.empty((n, width), dtype=np.float64)
    X[:] = template
    flat_view = X.reshape(-1)
    base = row * width + ci * p
    parts = {}
    for j, part in enumerate(PER_SIGNAL):
        vals = long[part].to_numpy() if long.num_rows else np.zeros(0)
        if not ok.all():
            vals = vals[ok]
        flat_view[base + j] = vals
        parts[part] = vals
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
    if not codes:
        return to_matrix(_empty(), codes=codes, keys=households)
    long = household_signals(events, as_of=as_of, codes=codes).to_pyarrow()
    return to_matrix(long, codes=codes, keys=households)


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
    if not codes:
        return to_matrix(_empty(), codes=codes, keys=np.arange(len(households)))
    long = point_signals(events, ibis.memtable(points), codes).to_pyarrow()
    return to_matrix(long, codes=codes, keys=np.arange(len(households)))


def _empty() -> pa.Table:
    import pyarrow as pa  # noqa: PLC0415

    return pa.table({"cell": pa.array([], pa.int64())})
