"""servicekit's business-hour arithmetic against businesstimedelta and pandas.

All three run in one process on the same 2,000 random instants (Mon-Fri 09:00-17:00,
New York); the script checks that their answers agree, then prints per-operation
times and ratios. Run it with ``make bench``. Times vary by machine; ratios are what
to quote.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

import businesstimedelta
import pandas as pd

from servicekit import BusinessCalendar
from servicekit._time import from_us, to_us  # the conversions every public call makes

NY = ZoneInfo("America/New_York")
COUNT = 2_000
REPEAT = 5
ADD = timedelta(hours=37)


def race(runs: dict[str, Callable[[], list[Any]]]) -> dict[str, tuple[float, list[Any]]]:
    """Each run's best of ``REPEAT`` rounds, and its answers. Rounds interleave the runs,
    so a slow spell of this noisy machine hits them all and the ratios hold."""
    best = dict.fromkeys(runs, float("inf"))
    answers: dict[str, list[Any]] = {}
    for _ in range(REPEAT):
        for label, run in runs.items():
            start = time.perf_counter()
            answers[label] = run()
            best[label] = min(best[label], time.perf_counter() - start)
    for label, seconds in best.items():
        print(f"  {label:<44} {seconds / COUNT * 1e6:10.1f} us/op")
    return {label: (best[label], answers[label]) for label in runs}


def once(label: str, run: Callable[[], list[Any]]) -> float:
    """One timed pass, for costs that only the first pass pays."""
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    print(f"  {label:<44} {seconds / COUNT * 1e6:10.1f} us/op")
    return seconds


def naive(t: datetime) -> datetime:
    return t.astimezone(NY).replace(tzinfo=None)


def main() -> None:
    rng = random.Random(20261123)
    base = datetime(2026, 1, 5, tzinfo=NY)
    starts = [base + timedelta(seconds=rng.randrange(0, 300 * 86_400)) for _ in range(COUNT)]
    starts = [datetime.combine(s.date(), s.time(), NY) for s in starts]  # wall times, fold=0
    naive_starts = [naive(s) for s in starts]

    cal = BusinessCalendar(tz=NY, weekly={"mon-fri": ["09:00-17:00"]})
    workday = businesstimedelta.WorkDayRule(
        start_time=clock(9), end_time=clock(17), working_days=[0, 1, 2, 3, 4]
    )
    bt_rules = businesstimedelta.Rules([workday])
    bt_delta = businesstimedelta.BusinessTimeDelta(bt_rules, hours=37)
    pd_offset = pd.offsets.CustomBusinessHour(n=37, start="09:00", end="17:00")

    print(f"add {ADD} of business time to {COUNT} instants (best of {REPEAT} passes)")
    once("servicekit, first pass on a fresh calendar", lambda: [cal.add(s, ADD) for s in starts])
    add = race(
        {
            "servicekit BusinessCalendar.add": lambda: [cal.add(s, ADD) for s in starts],
            "businesstimedelta": lambda: [s + bt_delta for s in naive_starts],
            "pandas CustomBusinessHour": lambda: [
                (pd.Timestamp(s) + pd_offset).to_pydatetime() for s in naive_starts
            ],
            "floor: datetime -> integer -> datetime only": lambda: [
                from_us(to_us(s), NY) for s in starts
            ],
        }
    )
    (ours_s, ours), (bt_s, bt), (pd_s, pds), (round_trip, _) = add.values()
    # Peers roll a result that lands on a close to the next opening; so may we, on request.
    for name, theirs in (("businesstimedelta", bt), ("pandas", pds)):
        disagree = [
            (s, o, p)
            for s, o, p in zip(naive_starts, ours, theirs, strict=True)
            if naive(o) != p.replace(tzinfo=None)
            and naive(cal.next_open(o)) != p.replace(tzinfo=None)
        ]
        assert not disagree, f"{name} disagrees on {len(disagree)} instants, e.g. {disagree[:3]}"
    print(
        f"  answers agree; ratios: {pd_s / ours_s:.0f}x faster than pandas, "
        f"{bt_s / ours_s:.0f}x faster than businesstimedelta"
    )
    print(
        f"  the conversions every add needs cost {round_trip / COUNT * 1e6:.2f} us; "
        f"50x businesstimedelta would leave {bt_s / 50 / COUNT * 1e6:.2f} us for the whole add"
    )

    span = timedelta(days=400)
    print(f"elapsed over a {span.days}-day span from each instant")
    ends = [s + span for s in starts]
    elapsed = race(
        {
            "servicekit BusinessCalendar.elapsed": lambda: [
                cal.elapsed(a, b) for a, b in zip(starts, ends, strict=True)
            ],
            "businesstimedelta Rules.difference": lambda: [
                bt_rules.difference(naive(a), naive(b)) for a, b in zip(starts, ends, strict=True)
            ],
            "floor: both ends to integers only": lambda: [
                (to_us(a), to_us(b)) for a, b in zip(starts, ends, strict=True)
            ],
        }
    )
    (ours_s, ours_e), (bt_s, bt_e), (two_ends, _) = elapsed.values()
    for o, b in zip(ours_e, bt_e, strict=True):
        assert o == timedelta(hours=b.hours, seconds=b.seconds), (o, b)
    print(f"  answers agree; ratio: {bt_s / ours_s:.0f}x faster than businesstimedelta")
    print(
        f"  the conversions every elapsed needs cost {two_ends / COUNT * 1e6:.2f} us; "
        f"1000x businesstimedelta would leave {bt_s / 1000 / COUNT * 1e6:.2f} us"
    )

    print("elapsed cost versus span (servicekit alone)")
    spans = race(
        {
            "elapsed over 1 day": lambda: [cal.elapsed(s, s + timedelta(days=1)) for s in starts],
            "elapsed over 5 years": lambda: [
                cal.elapsed(s, s + timedelta(days=5 * 365)) for s in starts
            ],
        }
    )
    (one_day, _), (five_years, _) = spans.values()
    fresh = BusinessCalendar(tz=NY, weekly={"mon-fri": ["09:00-17:00"]})
    cold = once(
        "elapsed over 5 years, fresh calendar, one pass",
        lambda: [fresh.elapsed(s, s + timedelta(days=5 * 365)) for s in starts],
    )
    print(
        f"  5 years costs {five_years / one_day:.2f}x one day "
        f"({cold / one_day:.2f}x on the first pass, which builds the dates it needs)"
    )


if __name__ == "__main__":
    main()
