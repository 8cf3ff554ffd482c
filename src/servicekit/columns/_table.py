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


class Grid:
    """``np.searchsorted(values, queries, side)`` for many queries at once.

    A million random queries are a million cache-missing binary searches. Cells of
    equal width over ``[low, high)`` hold the answer at each cell's start, so a query
    takes one lookup and then steps past the few values inside its cell (at most
    ``steps``, the most any cell holds). Values bunched into few cells (more than 6 in
    one), short columns and queries outside ``[low, high)`` use ``searchsorted``.
    """

    def __init__(self, values: Array, low: int, high: int, side: str) -> None:
        np, _ = numpy_and_pandas()
        self.values, self.low, self.high, self.side = values, low, high, side
        cells = min(4 * len(values) + 1, 1 << 22)
        # A power-of-two width, so a query's cell is a shift, not a division.
        self.shift = max(-(-(high - low) // cells) - 1, 0).bit_length()
        cells = ((high - low - 1) >> self.shift) + 1
        edges = low + (np.arange(cells + 1, dtype=np.int64) << self.shift)
        self.first = np.searchsorted(values, edges, side=side)
        inside = np.bincount((values[(values >= low) & (values < high)] - low) >> self.shift)
        self.steps = int(inside.max()) if len(inside) else 0
        self.padded = np.append(values, np.iinfo(np.int64).max)

    def search(self, queries: Array) -> Array:
        """``np.searchsorted(values, queries, side)``."""
        np, _ = numpy_and_pandas()
        small = len(queries) < 4096 or self.steps > 6
        if small or int(queries.min()) < self.low or int(queries.max()) >= self.high:
            return np.searchsorted(self.values, queries, side=self.side)
        j = self.first[(queries - self.low) >> self.shift]
        for _ in range(self.steps):
            j += self.padded[j] <= queries if self.side == "right" else self.padded[j] < queries
        return j


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
        self._starts_grid: Grid | None = None
        self._after_grid: Grid | None = None
        # Segment j at index j + 1, after an empty one at ``low`` (for instants before
        # the first segment), so open time is three lookups and no branch.
        self._starts1 = np.append(np.int64(self.low), self.starts)
        self._lengths1 = np.append(np.int64(0), self.ends - self.starts)
        self._before1 = np.append(np.int64(0), self.before)

    def segment_of(self, us: Array) -> Array:
        """Index of the last segment starting at or before each instant (-1: none)."""
        result: Array = self._starts_search().search(us) - 1
        return result

    def _starts_search(self) -> Grid:
        """``searchsorted(starts, us, "right")``, built on first use."""
        if self._starts_grid is None:
            self._starts_grid = Grid(self.starts, self.low, self.high, "right")
        return self._starts_grid

    def first_reaching(self, total: Array) -> Array:
        """Index of the first segment whose running total (``after``) reaches each
        amount of open time (``searchsorted(after, total, "left")``)."""
        if self._after_grid is None:
            self._after_grid = Grid(self.after, 0, self.total + 1, "left")
        result: Array = self._after_grid.search(total)
        return result

    def open_before(self, us: Array) -> Array:
        """Open time in ``[low, us)`` for instants within the table."""
        np, _ = numpy_and_pandas()
        j = self._starts_search().search(us)  # segment_of(us) + 1: an index into the "1" arrays
        result: Array = us - self._starts1[j]
        np.minimum(result, self._lengths1[j], out=result)
        result += self._before1[j]
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
