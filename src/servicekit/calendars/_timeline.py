"""The engine under every calendar: open time as sorted UTC segments, a year at a time.

A :class:`Window` holds the open segments of a run of whole local years as integer
microseconds since the epoch, with the open time before each segment. ``elapsed`` and
``add`` are then one or two bisections whatever the span: five years cost what a day
costs. Windows are built lazily, only over the years a question needs, because holidays
are known per year (a :class:`HolidaySet` covers whole years): a window never
consults a year nobody asked about. A window grows by a year when a search runs off
its end, and merges with the question's years when they touch it.

Windows are immutable; a timeline swaps in new ones, so threads share it without locks
(at worst two threads build the same year). Segments are half-open ``[start, end)``;
an open interval that runs across the end of a build is split there, and
``next_close`` and ``intervals`` join the pieces again.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

import attrs

from servicekit._time import from_us, to_us
from servicekit.errors import BeyondHorizonError, NeverOpensError

Segment = tuple[int, int]

HORIZON = timedelta(days=100 * 366)
"""How far any search looks: about 100 years. Beyond it, an answer is an error."""

_HORIZON_US = HORIZON // timedelta(microseconds=1)
_HORIZON_YEARS = 101
_FIRST_YEAR, _LAST_YEAR = 2, 9998
_MAX_CACHED_YEARS = 400


@attrs.frozen(eq=False)
class Window:
    """Open segments of local years ``[first, end)``, which span ``[start_us, end_us)``."""

    first: int
    end: int
    start_us: int
    end_us: int
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    before: tuple[int, ...]  # open time in [start_us, starts[j])
    after: tuple[int, ...]  # open time in [start_us, ends[j])
    total: int  # open time in the whole window

    def open_before(self, us: int) -> int:
        """Open time in ``[start_us, us)``, for ``start_us <= us <= end_us``."""
        j = bisect_right(self.starts, us) - 1
        if j < 0:
            return 0
        if us >= self.ends[j]:
            return self.after[j]
        return self.before[j] + us - self.starts[j]


_NOWHERE = Window(0, 0, 0, 0, (), (), (), (), 0)


def _window(first: int, end: int, start_us: int, end_us: int, pieces: list[Segment]) -> Window:
    after = tuple(accumulate(stop - start for start, stop in pieces))
    return Window(
        first=first,
        end=end,
        start_us=start_us,
        end_us=end_us,
        starts=tuple(start for start, _ in pieces),
        ends=tuple(stop for _, stop in pieces),
        before=(0, *after[:-1]) if after else (),
        after=after,
        total=after[-1] if after else 0,
    )


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
        self._runs: tuple[Window, ...] = ()  # disjoint windows, kept for reuse
        self._recent = _NOWHERE  # the window that answered last

    # -- windows ----------------------------------------------------------------------

    def midnight(self, day: date) -> int:
        """Microseconds of local midnight starting ``day`` (resolved with fold=0)."""
        return to_us(datetime.combine(day, time(), self.tz))

    def _year_start(self, year: int) -> int:
        return self.midnight(date(year, 1, 1))

    def _year_of(self, us: int) -> int:
        """The local year holding instant ``us``."""
        year = from_us(us, self.tz).year
        while year > _FIRST_YEAR and us < self._year_start(year):
            year -= 1
        while year < _LAST_YEAR and us >= self._year_start(year + 1):
            year += 1
        return year

    def _segments(self, first: int, end: int) -> list[Segment]:
        """Open segments of local years ``[first, end)``."""
        if first >= end:
            return []
        if first < _FIRST_YEAR or end > _LAST_YEAR + 1:
            year = first if first < _FIRST_YEAR else end - 1
            raise BeyondHorizonError(f"year {year} is outside what servicekit calendars handle")
        first_day, end_day = date(first, 1, 1), date(end, 1, 1)
        return self._segments_of(first_day, end_day, self._year_start(first), self._year_start(end))

    def _build(self, first: int, end: int, base: Window | None) -> Window:
        """A window over years ``[first, end)``, joined to ``base`` if given (they must
        overlap or touch), then kept in place of the windows it overlaps."""
        if base is None:
            pieces = self._segments(first, end)
        else:
            first, end = min(first, base.first), max(end, base.end)
            pieces = self._segments(first, base.first)
            pieces += zip(base.starts, base.ends, strict=True)
            pieces += self._segments(base.end, end)
        window = _window(first, end, self._year_start(first), self._year_start(end), pieces)
        kept = [w for w in self._runs if w is not base and (w.end <= first or end <= w.first)]
        if sum(w.end - w.first for w in kept) + end - first > _MAX_CACHED_YEARS:
            kept = []
        self._runs = (*kept, window)
        return window

    def _covering(self, a: int, b: int) -> Window:
        """A window spanning ``[a, b)`` (``a < b``), which becomes the most recent."""
        for window in self._runs:
            if window.start_us <= a and b <= window.end_us:
                break
        else:
            first, last = self._year_of(a), self._year_of(b - 1)
            base = next((w for w in self._runs if w.first <= last + 1 and first <= w.end), None)
            window = self._build(first, last + 1, base)
        self._recent = window
        return window

    def _later(self, window: Window, us: int) -> Window | None:
        """``window`` and the year after it; ``None`` once past the horizon after ``us``.
        Indices into ``window`` stay valid in the result."""
        if window.end - self._year_of(us) > _HORIZON_YEARS:
            return None
        return self._build(window.end, window.end + 1, window)

    def _earlier(self, window: Window, us: int) -> Window | None:
        """The year before ``window`` and ``window``; ``None`` once past the horizon."""
        if self._year_of(us) - window.first > _HORIZON_YEARS:
            return None
        return self._build(window.first - 1, window.first, window)

    def _at(self, us: int) -> Window:
        window = self._recent
        if window.start_us <= us < window.end_us:
            return window
        return self._covering(us, us + 1)

    # -- operations (all in microseconds) ---------------------------------------------

    def is_open(self, us: int) -> bool:
        window = self._at(us)
        j = bisect_right(window.starts, us) - 1
        return j >= 0 and us < window.ends[j]

    def elapsed(self, a: int, b: int) -> int:
        """Open time in ``[a, b)``; negative when ``b < a``."""
        if b < a:
            return -self.elapsed(b, a)
        window = self._recent
        if not (window.start_us <= a and b <= window.end_us):
            window = self._covering(a, max(b, a + 1))
        return window.open_before(b) - window.open_before(a)

    def add(self, us: int, duration: int) -> int:
        """The earliest ``x >= us`` with ``elapsed(us, x) == duration`` (> 0)."""
        if duration > _HORIZON_US:
            raise _too_long(duration)
        window = self._at(us)
        target = window.open_before(us) + duration
        while window.total < target:
            later = self._later(window, us)
            if later is None:
                available = window.total - target + duration
                raise _unreachable(available, from_us(us, self.tz), duration)
            window = later
        j = bisect_left(window.after, target)
        return window.starts[j] + target - window.before[j]

    def subtract(self, us: int, duration: int) -> int:
        """The latest ``x <= us`` with ``elapsed(x, us) == duration`` (> 0)."""
        if duration > _HORIZON_US:
            raise _too_long(duration)
        window = self._at(us)
        target = window.open_before(us) - duration
        while target < 0:
            earlier = self._earlier(window, us)
            if earlier is None:
                raise _unreachable(target + duration, from_us(us, self.tz), -duration)
            window = earlier
            target = window.open_before(us) - duration
        j = bisect_right(window.before, target) - 1
        return window.starts[j] + target - window.before[j]

    def next_open(self, us: int) -> int:
        """``us`` if open, else the start of the next open segment."""
        window = self._at(us)
        j = bisect_right(window.starts, us) - 1
        if j >= 0 and us < window.ends[j]:
            return us
        while j + 1 == len(window.starts):
            later = self._later(window, us)
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
        j = bisect_right(window.starts, opening) - 1
        while True:
            while j + 1 < len(window.starts) and window.starts[j + 1] == window.ends[j]:
                j += 1
            if j + 1 < len(window.starts) or window.ends[j] < window.end_us:
                return window.ends[j]
            later = self._later(window, opening)  # the interval may go on next year
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
        window = self._covering(a, b)
        starts, ends = window.starts, window.ends
        for j in range(max(bisect_right(starts, a) - 1, 0), len(starts)):
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
