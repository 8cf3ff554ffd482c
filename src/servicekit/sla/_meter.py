"""Elapsed time and deadlines in integer microseconds, in business or calendar hours."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from servicekit.calendars import Calendar


class Meter:
    """Measures ``[a, b)`` on a calendar, or in real time when there is none.

    ``elapsed(a, b)`` is the time counted in ``[a, b)``; ``add(a, amount)`` the
    earliest instant with ``amount`` (> 0) counted since ``a``. Both are bound straight
    to the calendar's integer engine (no datetime round trip, no extra call).
    """

    __slots__ = ("add", "elapsed")

    def __init__(self, calendar: Calendar | None) -> None:
        self.elapsed: Callable[[int, int], int]
        self.add: Callable[[int, int], int]
        if calendar is None:
            self.elapsed, self.add = _real_elapsed, _real_add
        else:
            timeline = calendar._timeline()
            self.elapsed, self.add = timeline.elapsed, timeline.add


def _real_elapsed(a: int, b: int) -> int:
    return b - a


def _real_add(a: int, amount: int) -> int:
    return a + amount


Spans = tuple[tuple[int, int], ...]
"""Sub-intervals ``[a, b)`` during which a clock counts, in order."""


def running_totals(meter: Meter, spans: Spans) -> tuple[int, ...]:
    """Time counted by the end of each span."""
    totals, total = [], 0
    for a, b in spans:
        total += meter.elapsed(a, b)
        totals.append(total)
    return tuple(totals)


def counted(totals: tuple[int, ...]) -> int:
    """All the time counted, from :func:`running_totals`."""
    return totals[-1] if totals else 0


def crossing(meter: Meter, spans: Spans, totals: tuple[int, ...], amount: int) -> int | None:
    """The first instant at which ``amount`` (> 0) had been counted, if it was."""
    index = bisect_left(totals, amount)
    if index == len(totals):
        return None
    before = totals[index - 1] if index else 0
    return meter.add(spans[index][0], amount - before)
