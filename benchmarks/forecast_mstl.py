"""forecast.mstl_forecast against statsmodels' MSTL with its default settings, and its
accuracy against the baselines.

1. Time per fit at the largest inputs ``mstl_forecast`` accepts (``MAX_MSTL_CELLS``
   cells): half hours around the clock for six weeks, quarter hours around the clock
   for three weeks, and hours 08:00-18:00 for twelve weeks, on Poisson counts with a
   daily and weekly pattern. The peer is ``statsmodels.tsa.seasonal.MSTL`` with its
   defaults (two passes, windows 11 and 15, no LOESS jumps) on the very same series,
   projected the same way; runs interleave A B A B, best of each; prints seconds, the
   ratio, and how far the two forecasts differ (mean absolute difference over the mean
   forecast).
2. Accuracy: a rolling-origin backtest (6 weeks warm-up, 4 origins, 7 days ahead) on
   the simulator's Poisson arrivals with known hourly rates, four seeds, hourly and
   half-hourly slots: mean MASE per horizon bucket of MSTL, ETS, seasonal naive and the
   k-week average.

Run: ``.venv/bin/python benchmarks/forecast_mstl.py``.
"""

from __future__ import annotations

import math
import random
import time
import warnings
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from statsmodels.tsa.seasonal import MSTL

from servicekit.calendars import BusinessCalendar
from servicekit.forecast import (
    MAX_MSTL_CELLS,
    SlotCounts,
    backtest,
    contacts_per_slot,
    ets_forecast,
    mstl_forecast,
    seasonal_naive,
    weekly_average,
)
from servicekit.simulation import Arrivals

ROUNDS = 2
UTC = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")
START = date(2026, 1, 5)


def poisson_counts(hours: str, slot: str, weeks: int, seed: int) -> SlotCounts:
    """Counts per slot of a calendar open ``hours`` every day, Poisson with a daily
    rise and fall and quieter weekends."""
    cal = BusinessCalendar(tz=UTC, weekly={"mon-sun": [hours]})
    empty = contacts_per_slot([], calendar=cal, start=START, days=7 * weeks, slot=slot)
    rng = np.random.default_rng(seed)
    instants, counts = [], []
    for item in empty.grid.slots:
        hour = item.start.total_seconds() / 3600
        rate = (2 + 8 * math.sin(math.pi * hour / 24) ** 2) * (0.5 if item.day.weekday() > 4 else 1)
        moment = datetime(item.day.year, item.day.month, item.day.day, tzinfo=UTC) + item.start
        instants.append(moment)
        counts.append(float(rng.poisson(rate)))
    return contacts_per_slot(
        instants, calendar=cal, start=START, days=7 * weeks, slot=slot, counts=counts
    )


def default_mstl(history: SlotCounts, days: int) -> list[float]:
    """statsmodels' MSTL with default settings on the same cells, projected the same way."""
    per_day = history.grid.cells_per_day
    series = np.asarray(history.counts, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model: Any = MSTL(series, periods=(per_day, 7 * per_day))
        fit = model.fit()
    n = len(series)
    seasonal = np.asarray(fit.seasonal).reshape(n, -1)
    steps = np.arange(days * per_day)
    predicted = np.full(len(steps), float(np.asarray(fit.trend)[-7 * per_day :].mean()))
    for column, period in enumerate(model.periods):
        predicted += seasonal[n - period + steps % period, column]
    return [max(0.0, float(v)) for v in predicted]


def speed() -> None:
    print(f"1. Time per fit at the bound ({MAX_MSTL_CELLS:,} cells) against default MSTL")
    for hours, slot, weeks in (
        ("00:00-24:00", "30m", 6),
        ("00:00-24:00", "15m", 3),
        ("08:00-18:00", "1h", 12),
    ):
        history = poisson_counts(hours, slot, weeks, seed=1)
        end = history.grid.end
        best_ours = best_peer = float("inf")
        ours: list[float] = []
        peer: list[float] = []
        for _ in range(ROUNDS):
            began = time.perf_counter()
            forecast = mstl_forecast(history, start=end, days=7, weeks=weeks)
            best_ours = min(best_ours, time.perf_counter() - began)
            ours = [v or 0.0 for v in forecast.values]
            if hours.startswith("00:00"):
                began = time.perf_counter()
                peer = default_mstl(history, 7)
                best_peer = min(best_peer, time.perf_counter() - began)
        assert forecast.method == f"MSTL ({weeks} weeks, statsmodels)", forecast.method
        line = f"   {slot:>3} slots {hours} x {weeks:2} weeks: mstl_forecast {best_ours:5.2f} s"
        if peer:
            assert len(peer) == len(ours)
            differ = float(np.mean(np.abs(np.subtract(ours, peer)))) / max(
                float(np.mean(peer)), 1e-9
            )
            line += (
                f", default MSTL {best_peer:5.2f} s, ratio {best_ours / best_peer:4.2f}; "
                f"forecasts differ by {differ:.1%} of the mean"
            )
        print(line)


def arrivals(weeks: int, seed: int, slot: str) -> SlotCounts:
    rates = {
        "mon-fri": [0.0] * 8 + [6, 10, 14, 16, 14, 12, 12, 10, 8, 6] + [0.0] * 6,
        "sat": [0.0] * 10 + [4, 5, 5, 4] + [0.0] * 10,
    }
    process = Arrivals(weekly=rates, tz=BERLIN)
    rng = random.Random(seed)
    t: datetime | None = datetime(2026, 1, 5, tzinfo=BERLIN)
    end = datetime(2026, 1, 5, tzinfo=BERLIN) + timedelta(weeks=weeks)
    created = []
    while t is not None and (t := process.next_arrival(t, end, rng)) is not None:
        created.append(t)
    cal = BusinessCalendar(tz=BERLIN, weekly={"mon-fri": ["08:00-18:00"], "sat": ["10:00-14:00"]})
    return contacts_per_slot(created, calendar=cal, start=START, days=7 * weeks, slot=slot)


def accuracy() -> None:
    print("2. Backtest MASE (mean of 4 seeds; below 1 beats the in-sample seasonal naive)")
    methods: dict[str, Any] = {
        "mstl": mstl_forecast,
        "ets": ets_forecast,
        "seasonal naive": seasonal_naive,
        "4-week average": weekly_average,
    }
    for slot in ("1h", "30m"):
        scores: dict[tuple[str, str], list[float]] = defaultdict(list)
        for seed in (3, 4, 5, 6):
            result = backtest(arrivals(10, seed, slot), methods, horizon=7, warmup=42, step=7)
            for row in result.rows:
                if row.mase is not None:
                    scores[row.method, row.bucket].append(row.mase)
        buckets = ("day 1", "day 2", "day 3", "days 4-7")
        print(f"   {slot} slots   " + "".join(f"{b:>10}" for b in buckets))
        for name in methods:
            cells = "".join(f"{np.mean(scores[name, b]):10.3f}" for b in buckets)
            print(f"   {name:<15}{cells}")
        for bucket in buckets:
            assert np.mean(scores["mstl", bucket]) < np.mean(scores["seasonal naive", bucket])


if __name__ == "__main__":
    speed()
    accuracy()
