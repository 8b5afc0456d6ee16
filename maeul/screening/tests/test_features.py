"""Features on small fixed data: known values, one event from two sources counted once,
stale signals weighing little and never listing a household, codes learned from the data."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest

from maeul.screening import features as F
from maeul.screening.model import listed

AS_OF = dt.date(2025, 7, 1)


def _events(rows):
    return pl.DataFrame(
        rows,
        schema={
            "household": pl.Int64,
            "signal": pl.String,
            "observed_on": pl.Date,
            "value": pl.Float64,
        },
        orient="row",
    )


def _features(rows, **kwargs):
    events = F.read_signals(F.connect(), _events(rows))
    codes = F.signal_codes(events)
    return F.features_as_of(events, as_of=AS_OF, codes=codes, **kwargs)


def test_known_features_of_one_household():
    f = _features(
        [
            (1, "electricity_arrears", dt.date(2025, 6, 1), 3.0),  # 30 days before
            (1, "electricity_arrears", dt.date(2025, 4, 2), 1.0),  # 90 days before
            (1, "job_loss", dt.date(2024, 7, 1), None),  # 365 days before: not active
            (1, "electricity_arrears", dt.date(2025, 7, 1), 9.0),  # that day: not yet
            (2, "gas_arrears", dt.date(2025, 5, 2), 2.0),
        ]
    )
    assert f.codes == ["electricity_arrears", "gas_arrears", "job_loss"]
    assert list(f.keys) == [1, 2]
    row = 0
    assert f.column("electricity_arrears", "events")[row] == 2
    assert f.column("electricity_arrears", "last_days")[row] == 30
    assert f.column("electricity_arrears", "span_days")[row] == 60
    assert f.column("electricity_arrears", "value")[row] == 3.0
    expected = 2 ** (-30 / 180) + 2 ** (-90 / 180)
    assert math.isclose(f.column("electricity_arrears", "weight")[row], expected, rel_tol=1e-12)
    assert math.isclose(f.column("job_loss", "weight")[row], 2 ** (-365 / 180), rel_tol=1e-12)
    assert f.column("job_loss", "value")[row] == 0  # no value
    assert f.column("gas_arrears", "events")[row] == 0  # absent signal: empty
    assert f.column("gas_arrears", "last_days")[row] == F.HORIZON_DAYS + 1
    assert list(f.active) == [1, 1]  # the job loss is a year old: not active
    assert f.column("electricity_arrears", "value_now")[row] == 3.0  # of the last 90 days
    # across the household's signals
    assert f.household("active")[row] == 1
    assert f.household("signals_30")[row] == 0  # 30 days is not within the last 30
    assert f.household("signals_90")[row] == 1
    assert f.household("signals_365")[row] == 1  # the job loss is 365 days old
    assert f.household("last_days")[row] == 30
    assert f.household("events")[row] == 3
    assert math.isclose(f.household("weight")[row], expected + 2 ** (-365 / 180), rel_tol=1e-12)
    assert f.household("last_days")[1] == 60 and f.household("events")[1] == 1
    assert len(f.names) == f.X.shape[1] == 3 * len(F.PER_SIGNAL) + len(F.PER_HOUSEHOLD)


def test_the_same_event_from_two_sources_counts_once():
    f = _features(
        [
            (1, "rent_arrears", dt.date(2025, 5, 10), 2.0),
            (1, "rent_arrears", dt.date(2025, 5, 12), 2.0),  # the same, from a second source
            (1, "rent_arrears", dt.date(2025, 6, 10), 3.0),  # the next month: a new event
        ]
    )
    assert f.column("rent_arrears", "events")[0] == 2
    expected = 2 ** (-52 / 180) + 2 ** (-21 / 180)  # the first report dates the event
    assert math.isclose(f.column("rent_arrears", "weight")[0], expected, rel_tol=1e-12)


def test_stale_signals_weigh_little_and_never_list_a_household():
    f = _features(
        [
            (1, "electricity_cut", dt.date(2022, 9, 1), None),
            (1, "health_insurance_arrears", dt.date(2022, 10, 1), 12.0),
            (1, "rent_arrears", dt.date(2019, 1, 1), 9.0),  # beyond the horizon: gone
            (2, "telecom_arrears", dt.date(2025, 6, 1), 1.0),
        ]
    )
    assert "rent_arrears" in f.codes
    assert f.column("rent_arrears", "events")[0] == 0
    assert f.column("electricity_cut", "weight")[0] < 0.02
    assert f.column("health_insurance_arrears", "value")[0] == 0  # older than a year
    assert f.column("health_insurance_arrears", "value_now")[0] == 0  # likewise
    assert f.household("active")[0] == 0 and f.household("signals_365")[0] == 0
    assert list(f.active) == [0, 1]
    # even a model that scores the stale household highest does not list it
    assert list(listed(np.array([0.99, 0.10]), f.active, k=2)) == [1]


def test_codes_are_learned_from_the_data_and_rows_can_be_asked_for():
    f = _features([(5, "Z99_new_kind", dt.date(2025, 6, 1), 1.0)], households=np.array([7, 5]))
    assert f.codes == ["Z99_new_kind"]
    assert list(f.keys) == [7, 5]
    assert list(f.active) == [0, 1]


def test_features_at_points_use_only_signals_before_each_day():
    events = F.read_signals(
        F.connect(),
        _events(
            [
                (1, "job_loss", dt.date(2025, 1, 10), None),
                (1, "gas_cut", dt.date(2025, 3, 10), None),
            ]
        ),
    )
    f = F.features_at_points(
        events,
        households=np.array([1, 1]),
        days=np.array(["2025-02-01", "2025-04-01"], dtype="datetime64[D]"),
        codes=["gas_cut", "job_loss"],
    )
    assert list(f.active) == [1, 2]
    assert f.column("gas_cut", "events")[0] == 0


def test_missing_column_is_a_clear_error():
    with pytest.raises(F.InputError, match="missing column.*observed_on"):
        F.read_signals(F.connect(), pl.DataFrame({"household": [1], "signal": ["x"], "value": [1]}))


def test_sparse_and_dense_household_ids_give_the_same_rows():
    rows = [
        (3, "gas_arrears", dt.date(2025, 6, 1), 2.0),
        (3, "job_loss", dt.date(2025, 3, 1), None),
        (9, "gas_arrears", dt.date(2025, 5, 1), 1.0),
    ]
    far = 5_000_000_000  # ids far apart: found by a sort, not a lookup table
    dense = _features(rows)
    sparse = _features([(far if h == 9 else h, *rest) for h, *rest in rows])
    assert list(dense.keys) == [3, 9] and list(sparse.keys) == [3, far]
    np.testing.assert_array_equal(dense.X, sparse.X)
    asked = _features(
        [(far if h == 9 else h, *rest) for h, *rest in rows], households=np.array([far, 4, 3])
    )
    np.testing.assert_array_equal(asked.X[[2, 0]], dense.X)
    assert asked.household("events")[1] == 0 and asked.active[1] == 0  # 4: no signal
