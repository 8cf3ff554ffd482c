"""Elapsed time and deadlines in integer microseconds, in business or calendar hours."""

from __future__ import annotations

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
