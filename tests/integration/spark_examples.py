"""The Spark examples of ``docs/howto/dask-spark.md`` (which includes this file), run
for real by ``tests/integration/test_spark.py`` against a local Spark session."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd
from pyspark.sql import DataFrame

from servicekit import columns
from servicekit.calendars import Calendar
from servicekit.kpi import CSATTally, Proportion, ServiceLevelTally


# [service-level]
def service_level(calls: DataFrame) -> Proportion:
    """Service level over a table of calls (``wait_s``, ``abandoned``): one tally
    per partition, merged."""

    def zero() -> ServiceLevelTally:
        return ServiceLevelTally(threshold="20s", convention="abandoned_fail")

    def count(rows: Iterable[Any]) -> Iterable[ServiceLevelTally]:
        listed = list(rows)  # an iterator: read it once, then twice from the list
        answered = [row.wait_s for row in listed if not row.abandoned]
        abandoned = [row.wait_s for row in listed if row.abandoned]
        return [zero().update(answered, abandoned)]

    tallies = calls.select("wait_s", "abandoned").rdd.mapPartitions(count)
    merged: ServiceLevelTally = tallies.fold(zero(), lambda a, b: a.merge(b))
    return merged.result()


# [service-level-end]


# [csat]
def csat(surveys: DataFrame) -> Proportion:
    """CSAT over a column with unrated rows (nulls): skipped and counted in ``missing``."""

    def count(rows: Iterable[Any]) -> Iterable[CSATTally]:
        return [CSATTally().update([row.rating for row in rows])]

    tallies = surveys.select("rating").rdd.mapPartitions(count)
    merged: CSATTally = tallies.fold(CSATTally(), lambda a, b: a.merge(b))
    return merged.result()


# [csat-end]


# [business-time]
def business_time(tickets: DataFrame, cal: Calendar) -> DataFrame:
    """Adds ``reply_business_s`` (business seconds from ``created`` to ``replied``)
    and ``due`` (``created`` plus 4 business hours) with ``mapInPandas``.

    Spark hands timestamps to pandas as naive wall times in the session zone: run with
    ``spark.sql.session.timeZone`` set to ``UTC`` and localize them to UTC.
    """

    def batches(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in frames:
            created = frame["created"].dt.tz_localize("UTC")
            replied = frame["replied"].dt.tz_localize("UTC")
            spent = columns.elapsed(cal, created, replied)
            due = columns.add(cal, created, pd.Timedelta(hours=4))
            yield frame.assign(
                reply_business_s=spent.dt.total_seconds(),
                due=due.dt.tz_convert("UTC").dt.tz_localize(None),
            )

    schema = f"{tickets.schema.simpleString()[7:-1]}, reply_business_s double, due timestamp"
    return tickets.mapInPandas(batches, schema=schema)


# [business-time-end]
