"""A slow, obviously correct business-time reference, for tests, never for production.

:class:`ReferenceCalendar` expands every local date of a window into UTC intervals
straight from a :class:`~servicekit.BusinessCalendar`'s configuration (weekly hours,
overrides, holidays, closures), merges them, and answers by walking that list: no
blocks, no prefix sums, no bisection. It has the calendar's call names, so a property
test can compare the two on any input inside the window.

>>> from datetime import datetime, timedelta
>>> from zoneinfo import ZoneInfo
>>> from servicekit import BusinessCalendar
>>> cal = BusinessCalendar(tz="Europe/London", weekly={"mon-fri": ["09:00-17:00"]})
>>> t = datetime(2026, 3, 27, 16, tzinfo=ZoneInfo("Europe/London"))  # Friday, before BST
>>> ReferenceCalendar(cal, around=t).add(t, timedelta(hours=2)) == cal.add(t, timedelta(hours=2))
True
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from servicekit._checks import instant, whole
from servicekit.calendars import BusinessCalendar
from servicekit.errors import InvalidInputError, InvalidTypeError, short

MAX_DAYS = 3_660
"""Days either side of ``around`` a :class:`ReferenceCalendar` may cover: it steps day by
day, so ten years is about the most a test can wait for."""

__all__ = ["ReferenceCalendar"]

Interval = tuple[datetime, datetime]
ZERO = timedelta(0)


def _day_hours(cal: BusinessCalendar, day: date) -> list[tuple[int, int]]:
    """Seconds-since-midnight intervals starting on ``day``, from the raw config."""
    if day in cal.overrides:
        return [(iv.start, iv.end) for iv in cal.overrides[day]]
    if day in cal.holidays:
        return []
    hours = [(iv.start, iv.end) for iv in cal.weekly[day.weekday()]]
    for closure in cal.closures:
        if closure.occurs_on(day):
            for cut in closure.closed:
                kept = []
                for start, end in hours:
                    if start < cut.start:
                        kept.append((start, min(end, cut.start)))
                    if end > cut.end:
                        kept.append((max(start, cut.end), end))
                hours = kept
    return hours


class ReferenceCalendar:
    """The open intervals of ``cal`` for local dates within ``days`` of ``around``,
    answering ``is_open``, ``elapsed``, ``add``, ``subtract``, ``next_open`` and
    ``next_close`` like the calendar (results in UTC).

    Raises:
        InvalidInputError: an instant, or a result, outside the window (build one
            with more ``days``).
    """

    def __init__(self, cal: BusinessCalendar, around: datetime, days: int = 120) -> None:
        if not isinstance(cal, BusinessCalendar):
            raise InvalidTypeError(f"cal must be a BusinessCalendar, got {short(cal)}")
        days = whole("days", days, low=1, high=MAX_DAYS)
        centre = instant(around, "around").astimezone(cal.tz).date()
        raw: list[Interval] = []
        for offset in range(-days, days + 1):
            day = centre + timedelta(days=offset)
            midnight = datetime.combine(day, time(), cal.tz)
            for start_s, end_s in _day_hours(cal, day):
                opening = (midnight + timedelta(seconds=start_s)).astimezone(UTC)
                closing = (midnight + timedelta(seconds=end_s)).astimezone(UTC)
                if opening < closing:
                    raw.append((opening, closing))
        raw.sort()
        self.intervals: list[Interval] = []
        for start, end in raw:
            if self.intervals and start <= self.intervals[-1][1]:
                last = self.intervals[-1]
                self.intervals[-1] = (last[0], max(end, last[1]))
            else:
                self.intervals.append((start, end))
        # Only answers between these bounds are trustworthy.
        self.low = datetime.combine(centre - timedelta(days=days - 2), time(), cal.tz)
        self.high = datetime.combine(centre + timedelta(days=days - 2), time(), cal.tz)

    def _inside(self, t: datetime) -> None:
        # Aware arithmetic in Python is wall-clock arithmetic: callers convert to UTC first.
        if not self.low <= t <= self.high:
            raise InvalidInputError(f"{t} is outside the reference window; pass more days=")

    def is_open(self, t: datetime) -> bool:
        """Whether ``t`` is inside an open interval."""
        t = t.astimezone(UTC)
        self._inside(t)
        return any(start <= t < end for start, end in self.intervals)

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        """Open time between ``a`` and ``b`` (negative when ``b < a``)."""
        a, b = a.astimezone(UTC), b.astimezone(UTC)
        self._inside(a)
        self._inside(b)
        if b < a:
            return -self.elapsed(b, a)
        return sum((max(ZERO, min(end, b) - max(start, a)) for start, end in self.intervals), ZERO)

    def add(self, t: datetime, d: timedelta) -> datetime:
        """Walk forward from ``t`` through the intervals until ``d`` is used up."""
        t = t.astimezone(UTC)
        left = d
        for opening, end in self.intervals:
            if end <= t:
                continue
            start = max(opening, t)
            if end - start >= left:
                result = start + left
                self._inside(result)
                return result
            left -= end - start
        raise InvalidInputError("the reference window is too small; pass more days=")

    def subtract(self, t: datetime, d: timedelta) -> datetime:
        """Walk backward from ``t`` until ``d`` is used up (landing on an opening)."""
        t = t.astimezone(UTC)
        left = d
        for start, closing in reversed(self.intervals):
            if start >= t:
                continue
            end = min(closing, t)
            if end - start > left:
                return end - left
            if end - start == left:
                self._inside(start)
                return start
            left -= end - start
        raise InvalidInputError("the reference window is too small; pass more days=")

    def next_open(self, t: datetime) -> datetime:
        """``t`` if open, else the next opening."""
        t = t.astimezone(UTC)
        for start, end in self.intervals:
            if end > t:
                result = max(start, t)
                self._inside(result)
                return result
        raise InvalidInputError("the reference window is too small; pass more days=")

    def next_close(self, t: datetime) -> datetime:
        """The end of the open interval at or after ``t``."""
        t = t.astimezone(UTC)
        for _, end in self.intervals:
            if end > t:
                self._inside(end)
                return end
        raise InvalidInputError("the reference window is too small; pass more days=")
