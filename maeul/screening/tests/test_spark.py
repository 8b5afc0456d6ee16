"""The same Ibis expression on PySpark (local mode) gives the same features as on DuckDB: a
national run can partition by district on a cluster. Deselect with ``-m "not spark"`` where
Java is absent (it is skipped by itself then); CI has Java 17 and runs it."""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pytest

from maeul.screening import features as F
from maeul.screening.synth import generate

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(shutil.which("java") is None, reason="PySpark needs Java"),
]


@pytest.fixture(scope="module")
def spark():
    pyspark_sql = pytest.importorskip("pyspark.sql")
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("maeul-screening-test")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_pyspark_gives_the_same_features_as_duckdb(spark, tmp_path):
    import ibis

    syn = generate(households=300, today=dt.date(2026, 1, 1), seed=11)
    path = tmp_path / "signals.parquet"
    syn.signals.with_columns(syn.signals["signal"].cast(str)).write_parquet(path)
    as_of = dt.date(2025, 7, 1)
    outcomes = syn.outcomes.head(40)
    households = outcomes["household"].to_numpy()
    days = outcomes["observed_on"].to_numpy().astype("datetime64[D]")

    duck = F.read_signals(F.connect(), path)
    codes = F.signal_codes(duck)
    expected = F.features_as_of(duck, as_of=as_of, codes=codes)
    expected_points = F.features_at_points(duck, households=households, days=days, codes=codes)

    sparkcon = ibis.pyspark.connect(spark)
    events = F.read_signals(sparkcon, path)
    assert F.signal_codes(events) == codes
    got = F.features_as_of(events, as_of=as_of, codes=codes)
    got_points = F.features_at_points(events, households=households, days=days, codes=codes)

    assert len(expected.keys) > 100
    np.testing.assert_array_equal(got.keys, expected.keys)
    np.testing.assert_allclose(got.X, expected.X, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(got.active, expected.active)
    np.testing.assert_allclose(got_points.X, expected_points.X, rtol=1e-12, atol=1e-12)
