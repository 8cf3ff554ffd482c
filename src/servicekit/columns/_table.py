"""A calendar's open segments over a span as NumPy arrays, and the searches on them.

Every columns operation is a few ``searchsorted`` calls on one table: the sorted open
segments (UTC microseconds) with the open time before and after each, taken from the
calendar's own timeline (:func:`~servicekit.calendars._segments.open_segments`), so the
answers are the scalar API's to the microsecond.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from servicekit._time import from_us
from servicekit.calendars import Calendar
from servicekit.calendars._segments import open_segments
from servicekit.columns._deps import numpy_and_pandas
from servicekit.columns._instants import Array


class Table:
    """Open segments of ``calendar`` over at least ``[low, high)`` (microseconds)."""

    def __init__(self, calendar: Calendar, low: int, high: int) -> None:
        np, _ = numpy_and_pandas()
        found = open_segments(calendar, low, high)
        self.low, self.high = found.start_us, found.end_us
        self.starts = np.asarray(found.starts, dtype=np.int64)
        self.ends = np.asarray(found.ends, dtype=np.int64)
        self.before = np.asarray(found.before, dtype=np.int64)
        self.after = self.before + (self.ends - self.starts)
        self.count = len(self.starts)
        self.total = int(self.after[-1]) if self.count else 0

    def segment_of(self, us: Array) -> Array:
        """Index of the last segment starting at or before each instant (-1: none)."""
        np, _ = numpy_and_pandas()
        return np.searchsorted(self.starts, us, side="right") - 1

    def open_before(self, us: Array) -> Array:
        """Open time in ``[low, us)`` for instants within the table."""
        np, _ = numpy_and_pandas()
        if not self.count:
            return np.zeros(len(us), np.int64)
        j = self.segment_of(us)
        k = np.maximum(j, 0)
        within = np.minimum(us - self.starts[k], self.ends[k] - self.starts[k])
        return np.where(j < 0, 0, self.before[k] + within)

    def is_open(self, us: Array) -> Array:
        """Whether each instant lies in a segment."""
        np, _ = numpy_and_pandas()
        if not self.count:
            return np.zeros(len(us), bool)
        j = self.segment_of(us)
        return (j >= 0) & (us < self.ends[np.maximum(j, 0)])

    def merged_ends(self) -> Array:
        """For each segment, the end of the run of touching segments it belongs to."""
        np, _ = numpy_and_pandas()
        if not self.count:
            return self.ends
        breaks = np.flatnonzero(self.starts[1:] != self.ends[:-1])  # last of each run
        last = np.append(breaks, self.count - 1)
        run = np.searchsorted(last, np.arange(self.count), side="left")
        return self.ends[last][run]


def instant(us: int) -> datetime:
    """A UTC ``datetime`` for a scalar call."""
    return from_us(int(us), UTC)


def duration(us: int) -> timedelta:
    """A ``timedelta`` for a scalar call."""
    return timedelta(microseconds=int(us))
