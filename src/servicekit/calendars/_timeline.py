"""The engine under every calendar: open time as sorted UTC segments, block by block.

Time is cut into *blocks* of at most seven local days that never straddle a new year
(days 1-7 of a year, 8-14, ..., and a last block of one or two days), so answering a
question about a date consults holidays of that year only. Each block holds its open
segments as integer microseconds since the epoch, with the open time before each
segment. A prefix sum over blocks, grown lazily from the first block asked about,
makes ``elapsed`` and ``add`` cost the same for a day as for five years: two
look-ups and two bisections.

Segments are half-open ``[start, end)``. A merged interval that runs across a block
boundary is split there; ``next_close`` and ``intervals`` join the pieces again.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs

from servicekit._time import from_us, to_us
from servicekit.errors import BeyondHorizonError, NeverOpensError

Segment = tuple[int, int]

HORIZON = timedelta(days=100 * 366)
"""How far any search looks: about 100 years. Beyond it, an answer is an error."""

_HORIZON_US = HORIZON // timedelta(microseconds=1)
_BLOCKS_PER_YEAR = 53
_HORIZON_BLOCKS = 101 * _BLOCKS_PER_YEAR
_RESET_DISTANCE = 20 * _BLOCKS_PER_YEAR
_MAX_CACHED_BLOCKS = 16_384
_DAY_US = 86_400_000_000


def block_of_date(day: date) -> int:
    """Index of the block holding local ``day``."""
    day_of_year = day.toordinal() - date(day.year, 1, 1).toordinal()
    return day.year * _BLOCKS_PER_YEAR + day_of_year // 7


def block_dates(block: int) -> tuple[date, date]:
    """First local date of ``block`` and the first date after it."""
    year, chunk = divmod(block, _BLOCKS_PER_YEAR)
    if not 1 <= year <= 9998:
        raise BeyondHorizonError(f"year {year} is outside what servicekit calendars handle")
    first = date(year, 1, 1) + timedelta(days=7 * chunk)
    return first, min(first + timedelta(days=7), date(year + 1, 1, 1))


@attrs.frozen
class Block:
    """Open segments of one block, clipped to its bounds ``[start, end)``."""

    index: int
    start: int
    end: int
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    before: tuple[int, ...]  # open time in this block before segment j
    after: tuple[int, ...]  # open time in this block up to the end of segment j

    @property
    def total(self) -> int:
        return self.after[-1] if self.after else 0

    def inside(self, us: int) -> int:
        """Open time in ``[self.start, us)`` for ``us`` within the block."""
        j = bisect_right(self.starts, us) - 1
        if j < 0:
            return 0
        return self.before[j] + min(us, self.ends[j]) - self.starts[j]

    def earliest(self, offset: int) -> int:
        """The first instant with ``offset`` (> 0) open time since the block start."""
        j = bisect_left(self.after, offset)
        return self.starts[j] + offset - self.before[j]

    def latest(self, offset: int) -> int:
        """The last instant with ``offset`` (< total) open time since the block start."""
        j = bisect_right(self.before, offset) - 1
        return self.starts[j] + offset - self.before[j]

    def segment_at(self, us: int) -> int | None:
        """Index of the segment containing ``us``, if any."""
        j = bisect_right(self.starts, us) - 1
        return j if j >= 0 and us < self.ends[j] else None


class _Prefix:
    """Open time from the start of block ``origin`` to the start of other blocks.

    ``right[i]`` covers blocks ``[origin, origin + i)``; ``left[i]`` covers
    ``[origin - i, origin)``. Both grow by appending, under the timeline's lock.
    """

    def __init__(self, origin: int) -> None:
        self.origin = origin
        self.right = [0]
        self.left = [0]


class Timeline:
    """Business-time arithmetic over the segments a ``segments_of`` function yields.

    ``segments_of(first_date, end_date, start_us, end_us)`` returns the sorted,
    disjoint, non-touching open segments within ``[start_us, end_us)``, the UTC
    bounds of local dates ``[first_date, end_date)``.
    """

    def __init__(
        self, tz: ZoneInfo, segments_of: Callable[[date, date, int, int], list[Segment]]
    ) -> None:
        self.tz = tz
        self._segments_of = segments_of
        self._blocks: dict[int, Block] = {}
        self._block_of_day: dict[int, int] = {}  # UTC day -> a block overlapping it
        self._prefix: _Prefix | None = None
        self._lock = threading.Lock()

    # -- blocks -----------------------------------------------------------------------

    def midnight(self, day: date) -> int:
        """Microseconds of local midnight starting ``day`` (resolved with fold=0)."""
        return to_us(datetime.combine(day, time(), self.tz))

    def block(self, index: int) -> Block:
        cached = self._blocks.get(index)
        if cached is not None:
            return cached
        first, end = block_dates(index)
        start_us, end_us = self.midnight(first), self.midnight(end)
        segments = self._segments_of(first, end, start_us, end_us)
        before, after, total = [], [], 0
        for seg_start, seg_end in segments:
            before.append(total)
            total += seg_end - seg_start
            after.append(total)
        block = Block(
            index=index,
            start=start_us,
            end=end_us,
            starts=tuple(s for s, _ in segments),
            ends=tuple(e for _, e in segments),
            before=tuple(before),
            after=tuple(after),
        )
        if len(self._blocks) >= _MAX_CACHED_BLOCKS:
            self._blocks.clear()
        self._blocks[index] = block
        return block

    def block_at(self, us: int) -> Block:
        """The block whose bounds contain instant ``us``."""
        day = us // _DAY_US
        index = self._block_of_day.get(day)
        if index is None:
            index = block_of_date(from_us(us, self.tz).date())
            if len(self._block_of_day) >= _MAX_CACHED_BLOCKS:
                self._block_of_day.clear()
            self._block_of_day[day] = index
        block = self.block(index)
        while us < block.start:
            block = self.block(block.index - 1)
        while us >= block.end:
            block = self.block(block.index + 1)
        return block

    def blocks_from(self, index: int, step: int) -> Iterator[Block]:
        """Blocks ``index``, ``index + step``, ... up to the horizon."""
        for offset in range(_HORIZON_BLOCKS):
            yield self.block(index + offset * step)

    # -- prefix sums ------------------------------------------------------------------

    def _prefix_near(self, *blocks: int) -> _Prefix:
        prefix = self._prefix
        if prefix is not None:
            low = prefix.origin - len(prefix.left) - _RESET_DISTANCE
            high = prefix.origin + len(prefix.right) + _RESET_DISTANCE
            if all(low < block < high for block in blocks):
                return prefix
        prefix = _Prefix(min(blocks))
        self._prefix = prefix
        return prefix

    def _cumulative(self, prefix: _Prefix, index: int) -> int:
        """Open time from the start of block ``prefix.origin`` to the start of ``index``."""
        offset = index - prefix.origin
        if offset >= len(prefix.right) or -offset >= len(prefix.left):
            with self._lock:
                while offset >= len(prefix.right):
                    self._extend_right(prefix)
                while -offset >= len(prefix.left):
                    self._extend_left(prefix)
        return prefix.right[offset] if offset >= 0 else -prefix.left[-offset]

    def _extend_right(self, prefix: _Prefix) -> None:
        block = self.block(prefix.origin + len(prefix.right) - 1)
        prefix.right.append(prefix.right[-1] + block.total)

    def _extend_left(self, prefix: _Prefix) -> None:
        block = self.block(prefix.origin - len(prefix.left))
        prefix.left.append(prefix.left[-1] + block.total)

    # -- operations (all in microseconds) ---------------------------------------------

    def is_open(self, us: int) -> bool:
        return self.block_at(us).segment_at(us) is not None

    def elapsed(self, a: int, b: int) -> int:
        """Open time in ``[a, b)``; negative when ``b < a``."""
        if b < a:
            return -self.elapsed(b, a)
        first, last = self.block_at(a), self.block_at(b)
        if first.index == last.index:
            return first.inside(b) - first.inside(a)
        prefix = self._prefix_near(first.index, last.index)
        between = self._cumulative(prefix, last.index) - self._cumulative(prefix, first.index)
        return between + last.inside(b) - first.inside(a)

    def add(self, us: int, duration: int) -> int:
        """The earliest ``x >= us`` with ``elapsed(us, x) == duration`` (> 0)."""
        _check_horizon(duration)
        first = self.block_at(us)
        offset = first.inside(us) + duration
        if offset <= first.total:
            return first.earliest(offset)
        prefix = self._prefix_near(first.index)
        target = self._cumulative(prefix, first.index) + offset
        # The answer lies in block m - 1, m the first block with cumulative(m) >= target.
        if target <= 0:
            m = prefix.origin - (bisect_right(prefix.left, -target) - 1)
        else:
            with self._lock:
                while prefix.right[-1] < target:
                    if prefix.origin + len(prefix.right) - first.index > _HORIZON_BLOCKS:
                        available = prefix.right[-1] - target + duration
                        raise _unreachable(available, from_us(us, self.tz), duration)
                    self._extend_right(prefix)
            m = prefix.origin + bisect_left(prefix.right, target)
        block = self.block(m - 1)
        return block.earliest(target - self._cumulative(prefix, block.index))

    def subtract(self, us: int, duration: int) -> int:
        """The latest ``x <= us`` with ``elapsed(x, us) == duration`` (> 0)."""
        _check_horizon(duration)
        last = self.block_at(us)
        offset = last.inside(us) - duration
        if offset >= 0:
            return last.latest(offset)
        prefix = self._prefix_near(last.index)
        target = self._cumulative(prefix, last.index) + offset
        # The answer lies in block k, the last block with cumulative(k) <= target.
        if target >= 0:
            k = prefix.origin + bisect_right(prefix.right, target) - 1
        else:
            with self._lock:
                while prefix.left[-1] < -target:
                    if last.index - (prefix.origin - len(prefix.left)) > _HORIZON_BLOCKS:
                        available = target + duration + prefix.left[-1]
                        raise _unreachable(available, from_us(us, self.tz), -duration)
                    self._extend_left(prefix)
            k = prefix.origin - bisect_left(prefix.left, -target)
        block = self.block(k)
        return block.latest(target - self._cumulative(prefix, block.index))

    def next_open(self, us: int) -> int:
        """``us`` if open, else the start of the next open segment."""
        block = self.block_at(us)
        j = bisect_right(block.starts, us) - 1
        if j >= 0 and us < block.ends[j]:
            return us
        if j + 1 < len(block.starts):
            return block.starts[j + 1]
        for later in self.blocks_from(block.index + 1, 1):
            if later.starts:
                return later.starts[0]
        raise NeverOpensError(
            f"calendar does not open within {HORIZON.days} days after {from_us(us, self.tz)}"
        )

    def next_close(self, us: int) -> int:
        """End of the merged open interval containing ``us``, else of the next one."""
        opening = self.next_open(us)
        block = self.block_at(opening)
        j = block.segment_at(opening)
        assert j is not None
        end = block.ends[j]
        for later in self.blocks_from(block.index + 1, 1):
            if not (later.starts and later.starts[0] == end):
                return end
            end = later.ends[0]
        raise BeyondHorizonError(
            f"calendar stays open without a break for over {HORIZON.days} days "
            f"after {from_us(us, self.tz)}"
        )

    def intervals(self, a: int, b: int) -> list[Segment]:
        """Merged open intervals clipped to ``[a, b)``."""
        result: list[Segment] = []
        if b <= a:
            return result
        block = self.block_at(a)
        while block.start < b:
            for seg_start, seg_end in zip(block.starts, block.ends, strict=True):
                start, end = max(seg_start, a), min(seg_end, b)
                if start >= end:
                    continue
                if result and result[-1][1] == start:
                    result[-1] = (result[-1][0], end)
                else:
                    result.append((start, end))
            block = self.block(block.index + 1)
        return result


def _unreachable(available: int, start: datetime, duration: int) -> Exception:
    """The error for a search that reached the horizon with ``available`` open time."""
    if available == 0:
        return NeverOpensError(
            f"calendar has no open time within {HORIZON.days} days "
            f"{'after' if duration > 0 else 'before'} {start}"
        )
    return BeyondHorizonError(
        f"{timedelta(microseconds=abs(duration))} of business time "
        f"{'after' if duration > 0 else 'before'} {start} lies beyond the "
        f"{HORIZON.days}-day horizon"
    )


def _check_horizon(duration: int) -> None:
    if duration > _HORIZON_US:
        raise BeyondHorizonError(
            f"duration {timedelta(microseconds=duration)} exceeds the {HORIZON.days}-day horizon"
        )
