"""Elapsed time and deadlines in integer microseconds, in business or calendar hours."""

from __future__ import annotations

from bisect import bisect_left

from servicekit.calendars import Calendar


class Meter:
    """Measures ``[a, b)`` on a calendar, or in real time when there is none."""

    __slots__ = ("_timeline",)

    def __init__(self, calendar: Calendar | None) -> None:
        # The calendar's integer engine: the same arithmetic as Calendar.elapsed/add,
        # without a datetime round trip per call.
        self._timeline = None if calendar is None else calendar._timeline()

    def elapsed(self, a: int, b: int) -> int:
        return b - a if self._timeline is None else self._timeline.elapsed(a, b)

    def add(self, a: int, amount: int) -> int:
        """The earliest instant with ``amount`` (> 0) measured since ``a``."""
        return a + amount if self._timeline is None else self._timeline.add(a, amount)


Spans = tuple[tuple[int, int], ...]
"""Sub-intervals ``[a, b)`` during which a clock counts, in order."""


def running_totals(meter: Meter, spans: Spans) -> tuple[int, ...]:
    """Time counted by the end of each span."""
    totals, total = [], 0
    for a, b in spans:
        total += meter.elapsed(a, b)
        totals.append(total)
    return tuple(totals)


def crossing(meter: Meter, spans: Spans, totals: tuple[int, ...], amount: int) -> int | None:
    """The first instant at which ``amount`` (> 0) had been counted, if it was."""
    index = bisect_left(totals, amount)
    if index == len(totals):
        return None
    before = totals[index - 1] if index else 0
    return meter.add(spans[index][0], amount - before)
