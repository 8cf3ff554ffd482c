"""The engine under every calendar: open time as sorted UTC segments in flat windows.

Time is cut into *blocks* of at most seven local days that never straddle a new year
(days 1-7 of a year, 8-14, ..., and a last block of one or two days). A
:class:`Window` holds the open segments of a run of consecutive blocks as integer
microseconds since the epoch, with the open time before and after each, so
``elapsed`` and ``add`` are one or two bisections whatever the span: five years cost
what a day costs. Windows cover only the blocks questions needed, so holidays (and the
calendars of a union) are never consulted about dates no answer depends on; a search
that runs off a window's end grows it by a block, and windows that come to touch are
joined. A search that runs on (a calendar that opens rarely, or never) grows its window
by twice as many blocks each time, so reaching the horizon costs what one span of
:data:`HORIZON` costs, not one join per block.

Bounds: a search looks at most :data:`HORIZON` (about 100 years) away from where it
starts, and ``elapsed`` and ``intervals`` accept spans of at most :data:`HORIZON`; beyond
either, :class:`~servicekit.errors.BeyondHorizonError`. Local dates must lie in years 2 to
9998 (a margin inside what ``datetime`` holds, for zone offsets); outside them, the same
error.

A window is an immutable view of the first ``count`` entries of append-only lists, so
growing one appends in place (under a lock) while readers of the old view see exactly
what they saw; threads share a timeline safely. Segments are half-open
``[start, end)``; an open interval that runs across a block boundary is split there,
and ``next_close`` and ``intervals`` join the pieces again.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable
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
_MAX_CACHED_BLOCKS = 16_384
_FIRST_ORDINAL, _END_ORDINAL = date(2, 1, 1).toordinal(), date(9999, 1, 1).toordinal()
_FIRST_BLOCK, _END_BLOCK = 2 * _BLOCKS_PER_YEAR, 9999 * _BLOCKS_PER_YEAR  # years 2 to 9998


def step_date(day: date, days: int) -> date:
    """``day`` plus ``days``; :class:`BeyondHorizonError` outside years 2 to 9998."""
    ordinal = day.toordinal() + days
    if not _FIRST_ORDINAL <= ordinal < _END_ORDINAL:
        raise BeyondHorizonError(
            f"{days} days from {day} is outside the years servicekit calendars handle"
        )
    return date.fromordinal(ordinal)


def block_of_date(day: date) -> int:
    """Index of the block holding local ``day``."""
    day_of_year = day.toordinal() - date(day.year, 1, 1).toordinal()
    return day.year * _BLOCKS_PER_YEAR + day_of_year // 7


def block_dates(block: int) -> tuple[date, date]:
    """First local date of ``block`` and the first date after it."""
    year, chunk = divmod(block, _BLOCKS_PER_YEAR)
    if not 2 <= year <= 9998:
        raise BeyondHorizonError(f"year {year} is outside what servicekit calendars handle")
    first = date(year, 1, 1) + timedelta(days=7 * chunk)
    return first, min(first + timedelta(days=7), date(year + 1, 1, 1))


@attrs.frozen(eq=False)
class Window:
    """Open segments of blocks ``[first, end)``, which span ``[start_us, end_us)``.

    The lists may run on past ``count`` (a wider view appended to them); this view
    reads only their first ``count`` entries.
    """

    first: int
    end: int
    start_us: int
    end_us: int
    count: int
    total: int  # open time in the whole window
    starts: list[int]
    ends: list[int]
    before: list[int]  # open time in [start_us, starts[j])
    after: list[int]  # open time in [start_us, ends[j])

    def open_before(self, us: int) -> int:
        """Open time in ``[start_us, us)``, for ``start_us <= us <= end_us``."""
        j = bisect_right(self.starts, us, 0, self.count) - 1
        if j < 0:
            return 0
        if us >= self.ends[j]:
            return self.after[j]
        return self.before[j] + us - self.starts[j]

    def segments(self) -> list[Segment]:
        return list(zip(self.starts[: self.count], self.ends[: self.count], strict=True))


_NOWHERE = Window(0, 0, 0, 0, 0, 0, [], [], [], [])


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
        # Disjoint windows sorted by start, with their starts for bisection.
        self._index: tuple[tuple[int, ...], tuple[Window, ...]] = ((), ())
        self._recent = _NOWHERE  # the window that answered last
        self._lock = threading.Lock()

    # -- blocks and windows -------------------------------------------------------------

    def midnight(self, day: date) -> int:
        """Microseconds of local midnight starting ``day`` (resolved with fold=0)."""
        return to_us(datetime.combine(day, time(), self.tz))

    def _block_start(self, block: int) -> int:
        return self.midnight(block_dates(block)[0])

    def _block_of(self, us: int) -> int:
        """The block holding instant ``us``."""
        block = block_of_date(from_us(us, self.tz).date())
        while us < self._block_start(block):
            block -= 1
        while us >= self._block_start(block + 1):
            block += 1
        return block

    def _segments(self, first: int, end: int) -> list[Segment]:
        """Open segments of blocks ``[first, end)``."""
        if first >= end:
            return []
        first_day, end_day = block_dates(first)[0], block_dates(end)[0]
        return self._segments_of(
            first_day, end_day, self._block_start(first), self._block_start(end)
        )

    def _covering(self, a: int, b: int) -> Window:
        """A window spanning ``[a, b)`` (``a < b``); it becomes the most recent."""
        starts, windows = self._index
        i = bisect_right(starts, a) - 1
        if i >= 0 and b <= windows[i].end_us:
            self._recent = windows[i]
            return windows[i]
        return self._join(self._block_of(a), self._block_of(b - 1) + 1, None)

    def _join(self, first: int, end: int, base: Window | None) -> Window:
        """One window over blocks ``[first, end)`` and ``base`` (which it must touch),
        joined with the kept windows that touch them; it becomes the most recent.
        Indices into ``base`` stay valid when ``first >= base.first``: the result then
        starts where ``base`` does."""
        with self._lock:
            _, windows = self._index
            low, high = first, end
            if base is not None:
                low, high = min(low, base.first), max(high, base.end)
            # Growing ``base`` to the right keeps its start, so indices into it stay
            # valid. A kept window can end where ``base`` starts when ``base`` is a stale
            # view (another thread joined past it and a third cut that back): it stays
            # apart, as joining it would shift the result's indices.
            keeps_start = base is not None and first >= base.first
            parts = [] if base is None else [base]
            for window in windows:
                touches = low <= window.end and window.first <= high
                before = keeps_start and window.first < low
                if touches and not before and window is not base and not _overlap(window, base):
                    parts.append(window)
            parts.sort(key=lambda window: window.first)
            low = min([low, *(window.first for window in parts)])
            high = max([high, *(window.end for window in parts)])
            joined = self._concatenate(low, high, parts)
            kept = [w for w in windows if w not in parts and not _overlap(w, joined)]
            if sum(w.end - w.first for w in kept) + high - low > _MAX_CACHED_BLOCKS:
                kept = []
            kept = sorted([*kept, joined], key=lambda window: window.first)
            self._index = (tuple(w.start_us for w in kept), tuple(kept))
            self._recent = joined
            return joined

    def _concatenate(self, low: int, high: int, parts: list[Window]) -> Window:
        """Blocks ``[low, high)``: ``parts`` (sorted, disjoint) and fresh blocks between.
        Appends to the first part's lists when nothing was appended past its view."""
        head = parts[0] if parts and parts[0].first == low else None
        reuse = head is not None and len(head.starts) == head.count
        cursor = head.end if head is not None and reuse else low
        pieces: list[Segment] = []  # built before anything is appended: building may raise
        for part in parts[1:] if reuse else parts:
            pieces += self._segments(cursor, part.first)
            pieces += part.segments()
            cursor = part.end
        pieces += self._segments(cursor, high)
        if head is not None and reuse:
            starts, ends, before, after = head.starts, head.ends, head.before, head.after
            total = head.total
        else:
            starts, ends, before, after = [], [], [], []
            total = 0
        for start, stop in pieces:
            starts.append(start)
            ends.append(stop)
            before.append(total)
            total += stop - start
            after.append(total)
        return Window(
            first=low,
            end=high,
            start_us=self._block_start(low),
            end_us=self._block_start(high),
            count=len(starts),
            total=total,
            starts=starts,
            ends=ends,
            before=before,
            after=after,
        )

    def _later(self, window: Window, us: int, step: int = 1) -> Window | None:
        """``window`` and the ``step`` blocks after it (fewer at the horizon); ``None``
        once past the horizon after ``us``. Indices into ``window`` stay valid in the
        result."""
        limit = self._block_of(us) + _HORIZON_BLOCKS + 1
        if window.end >= limit:
            return None
        end = min(window.end + step, limit)
        if window.end < _END_BLOCK:  # the first block beyond raises BeyondHorizonError
            end = min(end, _END_BLOCK)
        return self._join(window.end, end, window)

    def _earlier(self, window: Window, us: int, duration: int) -> Window:
        """``window`` joined with the fewest blocks before it that hold ``duration`` of
        open time before ``us``. Joining on the left copies the window, so the blocks are
        counted first and joined once. Raises at the horizon before ``us``."""
        available = window.open_before(us)
        first, limit, step = window.first, self._block_of(us) - _HORIZON_BLOCKS, 1
        while available < duration:
            if first <= limit:
                raise _unreachable(available, from_us(us, self.tz), -duration)
            earlier = max(first - step, limit)
            if first > _FIRST_BLOCK:  # else the block before raises BeyondHorizonError
                earlier = max(earlier, _FIRST_BLOCK)
            segments = self._segments(earlier, first)
            available += sum(stop - start for start, stop in segments)
            first, step = earlier, 2 * step
        return self._join(first, window.first, window)

    def open_dates(self, day: date, count: int) -> frozenset[date]:
        """The local dates with open time among the ``count`` dates after ``day``
        (before it when negative), clipped to years 2 to 9998; built in one join."""
        ordinal = day.toordinal()
        first, end = (ordinal + 1, ordinal + count + 1) if count > 0 else (ordinal + count, ordinal)
        first, end = max(first, _FIRST_ORDINAL), min(end, _END_ORDINAL)
        found: set[date] = set()
        if first >= end:
            return frozenset(found)
        low = self.midnight(date.fromordinal(first))
        high = self.midnight(date.fromordinal(end)) if end < _END_ORDINAL else None
        for start, stop in self.intervals(low, high if high is not None else low + _HORIZON_US):
            opened = from_us(start, self.tz).date().toordinal()
            closed = from_us(stop - 1, self.tz).date().toordinal()
            found.update(map(date.fromordinal, range(max(opened, first), min(closed, end - 1) + 1)))
        return frozenset(found)

    def _at(self, us: int) -> Window:
        window = self._recent
        if window.start_us <= us < window.end_us:
            return window
        return self._covering(us, us + 1)

    # -- operations (all in microseconds) ---------------------------------------------

    def is_open(self, us: int) -> bool:
        window = self._at(us)
        j = bisect_right(window.starts, us, 0, window.count) - 1
        return j >= 0 and us < window.ends[j]

    def elapsed(self, a: int, b: int) -> int:
        """Open time in ``[a, b)``; negative when ``b < a``."""
        if b < a:
            return -self.elapsed(b, a)
        if b - a > _HORIZON_US:
            raise _too_wide(a, b, self.tz)
        window = self._recent
        if not (window.start_us <= a and b <= window.end_us):
            window = self._covering(a, max(b, a + 1))
        return window.open_before(b) - window.open_before(a)

    def add(self, us: int, duration: int) -> int:
        """The earliest ``x >= us`` with ``elapsed(us, x) == duration`` (> 0)."""
        if duration > _HORIZON_US:
            raise _too_long(duration)
        window, step = self._at(us), 1
        target = window.open_before(us) + duration
        while window.total < target:
            later = self._later(window, us, step)
            if later is None:
                available = window.total - target + duration
                raise _unreachable(available, from_us(us, self.tz), duration)
            window, step = later, 2 * step
        j = bisect_left(window.after, target, 0, window.count)
        return window.starts[j] + target - window.before[j]

    def subtract(self, us: int, duration: int) -> int:
        """The latest ``x <= us`` with ``elapsed(x, us) == duration`` (> 0)."""
        if duration > _HORIZON_US:
            raise _too_long(duration)
        window = self._at(us)
        if window.open_before(us) < duration:
            window = self._earlier(window, us, duration)
        target = window.open_before(us) - duration
        j = bisect_right(window.before, target, 0, window.count) - 1
        return window.starts[j] + target - window.before[j]

    def next_open(self, us: int) -> int:
        """``us`` if open, else the start of the next open segment."""
        window = self._at(us)
        j = bisect_right(window.starts, us, 0, window.count) - 1
        if j >= 0 and us < window.ends[j]:
            return us
        step = 1
        while j + 1 == window.count:
            later = self._later(window, us, step)
            step *= 2
            if later is None:
                raise NeverOpensError(
                    f"calendar does not open within {HORIZON.days} days after "
                    f"{from_us(us, self.tz)}"
                )
            window = later
        return window.starts[j + 1]

    def next_close(self, us: int) -> int:
        """End of the merged open interval containing ``us``, else of the next one."""
        opening = self.next_open(us)
        window = self._at(opening)
        j = bisect_right(window.starts, opening, 0, window.count) - 1
        step = 1
        while True:
            while j + 1 < window.count and window.starts[j + 1] == window.ends[j]:
                j += 1
            if j + 1 < window.count or window.ends[j] < window.end_us:
                return window.ends[j]
            # The interval may go on in the next blocks.
            later = self._later(window, opening, step)
            step *= 2
            if later is None:
                raise BeyondHorizonError(
                    f"calendar stays open without a break for over {HORIZON.days} days "
                    f"after {from_us(us, self.tz)}"
                )
            window = later

    def intervals(self, a: int, b: int) -> list[Segment]:
        """Merged open intervals clipped to ``[a, b)``."""
        result: list[Segment] = []
        if b <= a:
            return result
        if b - a > _HORIZON_US:
            raise _too_wide(a, b, self.tz)
        window = self._covering(a, b)
        starts, ends = window.starts, window.ends
        for j in range(max(bisect_right(starts, a, 0, window.count) - 1, 0), window.count):
            if starts[j] >= b:
                break
            start, end = max(starts[j], a), min(ends[j], b)
            if start >= end:
                continue
            if result and result[-1][1] == start:
                result[-1] = (result[-1][0], end)
            else:
                result.append((start, end))
        return result


def _overlap(window: Window, other: Window | None) -> bool:
    return other is not None and window.first < other.end and other.first < window.end


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


def _too_long(duration: int) -> Exception:
    return BeyondHorizonError(
        f"duration {timedelta(microseconds=duration)} exceeds the {HORIZON.days}-day horizon"
    )


def _too_wide(a: int, b: int, tz: ZoneInfo) -> Exception:
    """The error for a span ``[a, b)`` longer than the horizon (named in microseconds
    when its ends are outside what ``datetime`` holds)."""
    try:
        ends = f"{from_us(a, tz)} to {from_us(b, tz)}"
    except BeyondHorizonError:
        ends = f"{a} to {b} microseconds after 1970"
    return BeyondHorizonError(f"the span {ends} exceeds the {HORIZON.days}-day horizon")
