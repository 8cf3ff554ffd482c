"""KPI speed: CSAT and NPS over 1,000,000 scores (Python list, NumPy array, pandas
Series), checked against a plain pandas computation on the same data, and first reply
times in business hours for 100,000 tickets, checked against a direct per-ticket
``calendar.elapsed``. Targets: under 0.3 s per million scores from a list, under 3 s
for the tickets. Run with ``make bench``.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from servicekit import BusinessCalendar, Ticket
from servicekit.kpi import csat, first_reply_times, nps
from servicekit.tickets import Replied


def best_of(runs: int, work: Callable[[], Any]) -> tuple[Any, float]:
    best, answer = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        answer = work()
        best = min(best, time.perf_counter() - start)
    return answer, best


def scores() -> None:
    rng = random.Random(11)
    ratings = [rng.randint(1, 5) for _ in range(1_000_000)]
    answers = [rng.randint(0, 10) for _ in range(1_000_000)]
    series = pd.Series(answers)
    expected_nps = ((series >= 9).mean() - (series <= 6).mean()) * 100
    expected_csat = (pd.Series(ratings) >= 4).mean()
    forms: list[tuple[str, Any]] = [
        ("list", answers),
        ("NumPy array", np.array(answers)),
        ("pandas Series", series),
    ]
    for label, data in forms:
        result, seconds = best_of(3, functools.partial(nps, data))
        assert abs(result.score - expected_nps) < 1e-9
        print(f"nps over 1,000,000 scores from a {label}: {seconds:.3f} s")
    result, seconds = best_of(3, lambda: csat(ratings))
    assert abs(result.value - expected_csat) < 1e-12
    print(f"csat over 1,000,000 ratings from a list: {seconds:.3f} s (target under 0.3 s)")
    _, pandas_seconds = best_of(3, lambda: ((series >= 9).mean() - (series <= 6).mean()) * 100)
    print(f"  (plain pandas NPS on the Series, no checks or interval: {pandas_seconds:.3f} s)")


def tickets() -> None:
    calendar = BusinessCalendar(tz="America/New_York", weekly={"mon-fri": ["09:00-17:00"]})
    rng = random.Random(5)
    start = datetime(2026, 1, 5, 14, tzinfo=UTC)
    built = []
    for n in range(100_000):
        created = start + timedelta(seconds=rng.randint(0, 90 * 86_400))
        t = Ticket.create(id=f"T-{n}", at=created, requester=f"c-{n % 5000}")
        replied = created + timedelta(seconds=rng.randint(60, 5 * 86_400))
        built.append(t.apply(Replied(at=replied, by="agent")))
    # Timed first, so each ticket's facts are derived inside the measurement.
    summary, seconds = best_of(1, lambda: first_reply_times(built, calendar=calendar))
    replies = [(t.created_at, t.facts.first_public_agent_reply_at) for t in built]
    expected = sorted(calendar.elapsed(start, reply) for start, reply in replies if reply)
    assert (summary.min, summary.max, summary.count) == (expected[0], expected[-1], len(expected))
    print(
        f"first reply times in business hours, 100,000 tickets: {seconds:.2f} s "
        f"(target under 3 s; p50 {summary.median}, p90 {summary.percentile(90)})"
    )


if __name__ == "__main__":
    scores()
    tickets()
