"""Columns and tallies per partition on Dask DataFrames equal one in-memory pass."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import dask.dataframe
import numpy as np
import pandas as pd

from servicekit import BusinessCalendar, columns, kpi
from servicekit.sla import SLAPolicy

CAL = BusinessCalendar(
    tz="Europe/London",
    weekly={"mon-fri": ["09:00-17:30"], "sat": ["10:00-14:00"]},
    holidays={date(2026, 5, 4), date(2026, 12, 25)},
)
from_pandas: Any = dask.dataframe.from_pandas  # dask's own annotations are partial
POLICY = SLAPolicy(
    "standard",
    calendar=CAL,
    targets={p: {"first_reply": "4h", "resolution": "16h"} for p in ("low", "normal", "high")},
)
NOW = datetime(2027, 1, 15, tzinfo=UTC)


def frame(rows: int = 1_500) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    start = pd.Timestamp("2026-01-01", tz="UTC").value // 1000
    created = start + rng.integers(0, 330 * 86_400_000_000, rows)
    replied = created + rng.integers(0, 4 * 86_400_000_000, rows)
    solved = replied + rng.integers(0, 6 * 86_400_000_000, rows)

    def london(us: Any) -> Any:
        utc = pd.DatetimeIndex(us.view("datetime64[us]")).tz_localize("UTC")
        return utc.tz_convert("Europe/London")

    data = pd.DataFrame(
        {
            "id": [f"T-{i}" for i in range(rows)],
            "created": london(created),
            "replied": london(replied),
            "solved": london(solved),
            "priority": rng.choice(["low", "normal", "high"], rows),
            "csat": rng.choice([1.0, 2.0, 3.0, 4.0, 5.0, np.nan], rows),
        }
    )
    data.loc[::13, "replied"] = pd.NaT
    return data


def merged(tallies: list[Any]) -> Any:
    return functools.reduce(lambda a, b: a.merge(b), tallies)


def test_calendar_columns_per_partition() -> None:
    data = frame()
    ddf = from_pandas(data, npartitions=5)
    assert ddf.npartitions == 5
    spent = ddf.map_partitions(
        lambda part: columns.elapsed(CAL, part["created"], part["replied"]),
        meta=("spent", "timedelta64[us]"),
    ).compute(scheduler="sync")
    due = ddf.map_partitions(
        lambda part: columns.add(CAL, part["created"], timedelta(hours=4)),
        meta=("due", "datetime64[us, Europe/London]"),
    ).compute(scheduler="sync")
    pd.testing.assert_series_equal(
        spent, columns.elapsed(CAL, data["created"], data["replied"]), check_names=False
    )
    pd.testing.assert_series_equal(
        due, columns.add(CAL, data["created"], timedelta(hours=4)), check_names=False
    )
    row = data.iloc[2]
    assert due.iloc[2] == CAL.add(row["created"].to_pydatetime(), timedelta(hours=4))


def test_tallies_merge_across_partitions() -> None:
    data = frame()
    ddf = from_pandas(data, npartitions=4)
    parts = ddf.map_partitions(
        lambda part: pd.Series([kpi.CSATTally().update(part["csat"])]), meta=(None, "object")
    ).compute(scheduler="sync")
    total = merged(list(parts)).result()
    assert total == kpi.csat(data["csat"])
    assert total.missing == int(data["csat"].isna().sum()) > 0


def test_tickets_and_sla_attainment_per_partition() -> None:
    data = frame(600)
    ddf = from_pandas(data, npartitions=3)

    def attainment(part: pd.DataFrame) -> pd.Series:
        found = columns.tickets_from_timestamps(
            part, created="created", first_reply="replied", solved="solved", id="id",
            priority="priority",
        )  # fmt: skip
        clocks = [clock for t in found for clock in POLICY.evaluate(t, now=NOW).clocks]
        return pd.Series([kpi.SLAAttainmentTally().update(clocks)])

    parts = ddf.map_partitions(attainment, meta=(None, "object")).compute(scheduler="sync")
    everything = columns.tickets_from_timestamps(
        data, created="created", first_reply="replied", solved="solved", id="id",
        priority="priority",
    )  # fmt: skip
    clocks = [clock for t in everything for clock in POLICY.evaluate(t, now=NOW).clocks]
    assert merged(list(parts)).result() == kpi.sla_attainment(clocks)
    table = columns.sla_clocks(everything, POLICY, now=NOW)
    achieved = (table["state"] == "achieved").sum()
    assert achieved == kpi.sla_attainment(clocks).achieved
