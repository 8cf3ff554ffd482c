"""servicekit.columns against the scalar calendar API and pandas, on a million rows.

One process, Mon-Fri 09:00-17:00 New York with US holidays, random instants (to the
microsecond) over two years:

- ``columns.elapsed`` against a loop of ``cal.elapsed`` (targets: 30x, under 1 s);
- ``columns.add`` of 37 business hours against a loop of ``cal.add`` (30x) and against
  pandas' ``CustomBusinessHour`` on the same instants (500x);
- 100,000 wide-table tickets to SLA attainment by week, end to end (target: 5 s), with
  ``columns.sla_clocks_from_timestamps`` against building tickets and evaluating each
  (``tickets_from_timestamps`` + ``sla_clocks``; clocks checked equal on a sample).

The scalar loops and pandas run on a subsample (their datetimes prepared beforehand,
not timed) and are scaled per row; rounds interleave the contestants so a slow spell
of a shared machine hits them all. Answers are checked equal on the subsample. Run
with ``python benchmarks/columns_speed.py`` (``--part calendar`` or ``--part sla`` for
one half); ratios are what to quote.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from servicekit import BusinessCalendar, HolidaySet, columns
from servicekit.conditions import where
from servicekit.sla import PolicySet, SLAPolicy

NY = ZoneInfo("America/New_York")
ROWS = 1_000_000
SAMPLE = 100_000  # rows the scalar loop runs on (scaled to ROWS)
PANDAS_SAMPLE = 5_000  # rows pandas runs on (scaled to ROWS)
TICKETS = 100_000
SLA_SAMPLE = 5_000  # tickets the per-ticket path runs on (scaled)
PRIORITIES = ("low", "normal", "high", "urgent")
ROUNDS = 3
ADD = timedelta(hours=37)


def best_of(
    runs: dict[str, Callable[[], Any]], scale: dict[str, float], rows: int = ROWS
) -> dict[str, float]:
    """Each run's best time over ``ROUNDS`` interleaved rounds, scaled to ``rows``."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(ROUNDS):
        for label, run in runs.items():
            start = time.perf_counter()
            run()
            best[label] = min(best[label], (time.perf_counter() - start) * scale[label])
    for label, seconds in best.items():
        print(f"  {label:<48} {seconds:8.3f} s per {rows:,} rows")
    return best


YEARS = range(2024, 2028)


def in_ny(us: Any) -> Any:
    """UTC microseconds as a New York Series."""
    utc = pd.DatetimeIndex(us.view("datetime64[us]")).tz_localize("UTC")
    return pd.Series(utc).dt.tz_convert(NY)


def main(part: str) -> None:
    cal = BusinessCalendar(
        tz=NY,
        weekly={"mon-fri": ["09:00-17:00"]},
        holidays=HolidaySet.from_country("US", years=YEARS),
    )
    rng = np.random.default_rng(20261201)
    low = pd.Timestamp("2025-01-01", tz="UTC").value // 1000
    first = rng.integers(low, low + 2 * 365 * 86_400_000_000, ROWS)
    second = first + rng.integers(0, 10 * 86_400_000_000, ROWS)
    if part in ("all", "calendar"):
        elapsed_and_add(cal, in_ny(first), in_ny(second))
    if part in ("all", "sla"):
        attainment(cal, rng, first[:TICKETS])


def elapsed_and_add(cal: BusinessCalendar, starts: Any, ends: Any) -> None:
    """The calendar races: elapsed, then add."""
    sample_starts = [t.to_pydatetime() for t in starts.iloc[:SAMPLE]]
    sample_ends = [t.to_pydatetime() for t in ends.iloc[:SAMPLE]]
    columns.elapsed(cal, starts.iloc[:10], ends.iloc[:10])  # the calendar's first windows

    print(f"elapsed over {ROWS:,} rows (scalar loop on {SAMPLE:,} rows, scaled)")
    times = best_of(
        {
            "columns.elapsed": lambda: columns.elapsed(cal, starts, ends),
            "loop of cal.elapsed": lambda: [
                cal.elapsed(a, b) for a, b in zip(sample_starts, sample_ends, strict=True)
            ],
        },
        {"columns.elapsed": 1.0, "loop of cal.elapsed": ROWS / SAMPLE},
    )
    got = columns.elapsed(cal, starts, ends).iloc[:SAMPLE]
    want = [cal.elapsed(a, b) for a, b in zip(sample_starts, sample_ends, strict=True)]
    assert [x.to_pytimedelta() for x in got] == want
    ours, loop = times["columns.elapsed"], times["loop of cal.elapsed"]
    print(f"  answers agree on {SAMPLE:,} rows; {loop / ours:.0f}x the scalar loop, {ours:.2f} s")

    naive = [t.replace(tzinfo=None) for t in sample_starts[:PANDAS_SAMPLE]]
    holidays = sorted(HolidaySet.from_country("US", years=YEARS))
    offset = pd.offsets.CustomBusinessHour(n=37, start="09:00", end="17:00", holidays=holidays)
    print(
        f"add {ADD} of business time to {ROWS:,} rows (scalar loop on {SAMPLE:,}, pandas "
        f"on {PANDAS_SAMPLE:,}, scaled)"
    )
    times = best_of(
        {
            "columns.add": lambda: columns.add(cal, starts, ADD),
            "loop of cal.add": lambda: [cal.add(t, ADD) for t in sample_starts],
            "pandas CustomBusinessHour": lambda: [pd.Timestamp(t) + offset for t in naive],
        },
        {
            "columns.add": 1.0,
            "loop of cal.add": ROWS / SAMPLE,
            "pandas CustomBusinessHour": ROWS / PANDAS_SAMPLE,
        },
    )
    due = columns.add(cal, starts, ADD).iloc[:SAMPLE]
    assert [x.to_pydatetime() for x in due] == [cal.add(t, ADD) for t in sample_starts]
    theirs = [pd.Timestamp(t) + offset for t in naive]
    rolled = columns.next_open(cal, due.iloc[:PANDAS_SAMPLE])  # pandas rolls a close over
    assert [x.tz_localize(None) for x in rolled] == theirs
    ours = times["columns.add"]
    print(
        f"  answers agree; {times['loop of cal.add'] / ours:.0f}x the scalar loop, "
        f"{times['pandas CustomBusinessHour'] / ours:.0f}x pandas, {ours:.2f} s"
    )


def attainment(cal: BusinessCalendar, rng: Any, created: Any) -> None:
    """Wide milestones -> clocks -> first-reply attainment by week, end to end, on the
    column path; against tickets plus per-ticket evaluation on a sample (scaled)."""
    print(f"{TICKETS:,} wide-table tickets -> SLA attainment by week, end to end")
    replied = created + rng.integers(0, 3 * 86_400_000_000, TICKETS)
    solved = replied + rng.integers(0, 5 * 86_400_000_000, TICKETS)
    frame = pd.DataFrame(
        {
            "ticket": [f"T-{i}" for i in range(TICKETS)],
            "created": in_ny(created),
            "first_reply": in_ny(replied),
            "solved": in_ny(solved),
            "priority": rng.choice(["low", "normal", "high", "urgent"], TICKETS),
            "channel": rng.choice(["email", "chat", "phone"], TICKETS),
        }
    )
    frame.loc[::50, "first_reply"] = pd.NaT
    frame.loc[::7, "solved"] = pd.NaT
    standard = SLAPolicy(
        "standard",
        calendar=cal,
        targets={p: {"first_reply": "8h", "resolution": "40h"} for p in ("low", "normal")}
        | {p: {"first_reply": "2h", "resolution": "16h"} for p in ("high", "urgent")},
    )
    chat = SLAPolicy(
        "chat",
        applies_to=where("channel", "is", "chat"),
        calendar=cal,
        targets={p: {"first_reply": "1h", "periodic_update": "4h"} for p in PRIORITIES},
    )
    policies = PolicySet([chat, standard])
    now = datetime(2027, 1, 20, tzinfo=UTC)
    names: dict[str, Any] = {
        "created": "created", "first_reply": "first_reply", "solved": "solved", "id": "ticket",
        "priority": "priority", "channel": "channel",
    }  # fmt: skip

    def by_week(clocks: Any) -> Any:
        first_reply = clocks[clocks["metric"] == "first_reply"]
        local = first_reply["started_at"].dt.tz_convert(NY).dt.tz_localize(None)
        week = local.dt.to_period("W-SUN").dt.start_time
        done = first_reply["state"].isin(["achieved", "breached"])
        met = (first_reply["state"] == "achieved")[done]
        return met.groupby(week[done]).agg(["mean", "size"])

    def columnar(part: Any) -> Any:
        return by_week(columns.sla_clocks_from_timestamps(part, policies, now=now, **names))

    def per_ticket(part: Any) -> Any:
        tickets = columns.tickets_from_timestamps(part, **names)
        return by_week(columns.sla_clocks(tickets, policies, now=now))

    sample = frame.iloc[:SLA_SAMPLE]
    fast = columns.sla_clocks_from_timestamps(sample, policies, now=now, **names)
    slow = columns.sla_clocks(columns.tickets_from_timestamps(sample, **names), policies, now=now)
    pd.testing.assert_frame_equal(fast, slow)
    times = best_of(
        {
            "columns.sla_clocks_from_timestamps": lambda: columnar(frame),
            "tickets_from_timestamps + sla_clocks": lambda: per_ticket(sample),
        },
        {
            "columns.sla_clocks_from_timestamps": 1.0,
            "tickets_from_timestamps + sla_clocks": TICKETS / SLA_SAMPLE,
        },
        TICKETS,
    )
    start = time.perf_counter()
    weeks = columnar(frame)
    end = time.perf_counter()
    ours, theirs = (
        times["columns.sla_clocks_from_timestamps"],
        times["tickets_from_timestamps + sla_clocks"],
    )
    print(
        f"  clocks agree on {SLA_SAMPLE:,} tickets; {len(weeks)} weeks; {theirs / ours:.0f}x "
        f"tickets + per-ticket evaluation; {TICKETS:,} tickets end to end {end - start:.2f} s"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--part", choices=["all", "calendar", "sla"], default="all", help="which races to run"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
        main(parser.parse_args().part)
