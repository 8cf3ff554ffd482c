"""Columns and tallies on a real local Spark session equal one in-memory pass."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from servicekit import BusinessCalendar, columns, kpi

pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)

CAL = BusinessCalendar(
    tz="America/New_York",
    weekly={"mon-fri": ["09:00-17:00"]},
    holidays={date(2026, 7, 3), date(2026, 9, 7)},
)


def test_pyspark_and_pyarrow_are_installed() -> None:
    import pyarrow  # noqa: PLC0415
    import pyspark  # noqa: PLC0415

    assert pyspark.__version__ >= "3.5"
    assert pyarrow.__version__


def tickets_frame(rows: int = 2_000) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    start = pd.Timestamp("2026-01-01", tz="UTC").value // 1000
    created = start + rng.integers(0, 300 * 86_400_000_000, rows)
    replied = created + rng.integers(0, 5 * 86_400_000_000, rows)

    def utc(us: Any) -> Any:
        return pd.DatetimeIndex(us.view("datetime64[us]")).as_unit("us")

    frame = pd.DataFrame({"id": np.arange(rows), "created": utc(created), "replied": utc(replied)})
    frame.loc[::97, "replied"] = pd.NaT  # unanswered tickets
    return frame


def test_business_time_with_map_in_pandas(spark: Any) -> None:
    from tests.integration.spark_examples import business_time  # noqa: PLC0415

    frame = tickets_frame()
    rows = business_time(spark.createDataFrame(frame).repartition(4), CAL).collect()
    result = pd.DataFrame([row.asDict() for row in rows])
    assert spark.createDataFrame(frame).repartition(4).rdd.getNumPartitions() == 4
    result = result.sort_values("id").reset_index(drop=True)
    created = frame["created"].dt.tz_localize("UTC")
    replied = frame["replied"].dt.tz_localize("UTC")
    expected = columns.elapsed(CAL, created, replied).dt.total_seconds()
    pd.testing.assert_series_equal(result["reply_business_s"], expected, check_names=False)
    due = columns.add(CAL, created, timedelta(hours=4))
    got_due = pd.DatetimeIndex(result["due"]).as_unit("us").tz_localize("UTC")
    assert list(got_due) == list(due)
    sample = frame.iloc[:50]
    for row in sample.itertuples():
        if pd.isna(row.replied):
            continue
        start = row.created.tz_localize("UTC").to_pydatetime()
        end = row.replied.tz_localize("UTC").to_pydatetime()
        assert result.loc[row.Index, "reply_business_s"] == CAL.elapsed(start, end).total_seconds()


def test_tallies_merge_across_partitions(spark: Any) -> None:
    from tests.integration.spark_examples import csat, service_level  # noqa: PLC0415

    rng = np.random.default_rng(3)
    waits = rng.integers(0, 90, 3_000).tolist()
    abandoned = (rng.random(3_000) < 0.1).tolist()
    calls = spark.createDataFrame(
        pd.DataFrame({"wait_s": waits, "abandoned": abandoned})
    ).repartition(5)
    expected = kpi.service_level(
        [w for w, a in zip(waits, abandoned, strict=True) if not a],
        [w for w, a in zip(waits, abandoned, strict=True) if a],
        threshold="20s",
        convention="abandoned_fail",
    )
    assert service_level(calls) == expected

    ratings = [None if i % 7 == 0 else 1 + i % 5 for i in range(1_000)]
    surveys = spark.createDataFrame([(r,) for r in ratings], "rating int").repartition(3)
    result = csat(surveys)
    assert result == kpi.csat(ratings)
    assert result.missing == 143
