"""Elapsed time and deadlines in integer microseconds, in business or calendar hours."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from servicekit._time import from_us, to_us
from servicekit.calendars import Calendar
from servicekit.errors import InvalidInputError


class Meter:
    """Measures ``[a, b)`` on a calendar, or in real time when there is none.

    ``elapsed(a, b)`` is the time counted in ``[a, b)``; ``add(a, amount)`` the
    earliest instant with ``amount`` (> 0) counted since ``a``; ``next_open(a)`` the
    first instant at or after ``a`` that counts. All three are bound straight to the
    calendar's integer engine (no datetime round trip, no extra call).
    """

    __slots__ = ("add", "calendar", "elapsed", "next_open")

    def __init__(self, calendar: Calendar | None) -> None:
        self.calendar = calendar
        self.elapsed: Callable[[int, int], int]
        self.add: Callable[[int, int], int]
        self.next_open: Callable[[int], int]
        if calendar is None:
            self.elapsed, self.add, self.next_open = _real_elapsed, _real_add, _real_next_open
        else:
            timeline = calendar._timeline()
            self.elapsed, self.add = timeline.elapsed, timeline.add
            self.next_open = timeline.next_open

    def business_days(self, start: int, days: int) -> int:
        """``calendar.add_business_days(start, days)`` in microseconds since the epoch."""
        if self.calendar is None:
            raise InvalidInputError("a business-day target needs the policy's calendar")
        at = self.calendar.add_business_days(from_us(start, self.calendar.tz), days)
        return to_us(at)


def _real_elapsed(a: int, b: int) -> int:
    return b - a


def _real_add(a: int, amount: int) -> int:
    return a + amount


def _real_next_open(a: int) -> int:
    return a


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
