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
        self._cells: tuple[int, int, Array, int] | tuple[()] | None = None
        big = np.iinfo(np.int64).max
        self._padded = np.append(self.starts, big)  # starts, then one that never comes
        # Segment j at index j + 1, after an empty one at ``low`` (for instants before
        # the first segment), so open time is three lookups and no branch.
        self._starts1 = np.append(np.int64(self.low), self.starts)
        self._lengths1 = np.append(np.int64(0), self.ends - self.starts)
        self._before1 = np.append(np.int64(0), self.before)

    def segment_of(self, us: Array) -> Array:
        """Index of the last segment starting at or before each instant (-1: none).

        ``searchsorted`` over a million random instants is a million cache-missing
        binary searches; a grid over the table's span answers most of each search in
        one lookup (the last segment starting before the instant's cell), then moves
        on past the few segments that start inside the cell."""
        np, _ = numpy_and_pandas()
        if len(us) < 4096 or not self.count:
            return np.searchsorted(self.starts, us, side="right") - 1
        grid = self._grid()
        if grid is None:
            return np.searchsorted(self.starts, us, side="right") - 1
        origin, width, first, steps = grid
        if int(us.min()) < origin:
            return np.searchsorted(self.starts, us, side="right") - 1
        j = first[(np.minimum(us, self.high) - origin) // width]
        for _ in range(steps):  # at most `steps` segments start within one cell
            j += self._padded[j + 1] <= us
        return j

    def _grid(self) -> tuple[int, int, Array, int] | None:
        """Cells of equal width over ``[low, high]``: for each, the last segment
        starting at or before its start, and the most segments starting inside one."""
        if self._cells is not None:
            return self._cells or None
        np, _ = numpy_and_pandas()
        cells = min(4 * self.count + 1, 1 << 22)
        width = max(-(-(self.high - self.low + 1) // cells), 1)
        edges = self.low + width * np.arange(cells + 1, dtype=np.int64)
        first = np.searchsorted(self.starts, edges, side="right") - 1
        inside = np.bincount((self.starts - self.low) // width, minlength=cells + 1)
        steps = int(inside.max())
        self._cells = (self.low, width, first, steps) if steps <= 6 else ()
        return self._cells or None

    def open_before(self, us: Array) -> Array:
        """Open time in ``[low, us)`` for instants within the table."""
        np, _ = numpy_and_pandas()
        j = self.segment_of(us) + 1
        result: Array = self._before1[j] + np.minimum(us - self._starts1[j], self._lengths1[j])
        return result

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
