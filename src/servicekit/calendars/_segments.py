"""The open segments of a calendar over a span, for callers that work on whole arrays.

``servicekit.columns`` answers business-time questions for millions of instants at once
with ``searchsorted`` over a table of open segments and their running totals. That
table is exactly what a calendar's timeline already keeps in its windows; this module
hands it out (read-only copies of a window's lists) so nothing is computed twice.
"""

from __future__ import annotations

from datetime import date

import attrs

from servicekit.calendars._calendar import Calendar


@attrs.frozen(kw_only=True)
class OpenSegments:
    """Open time within ``[start_us, end_us)`` (UTC microseconds, whole blocks).

    ``starts[j]``/``ends[j]`` are sorted, disjoint, half-open segments (pieces that
    touch at a block boundary are *not* merged); ``before[j]`` is the open time in
    ``[start_us, starts[j])``.
    """

    start_us: int
    end_us: int
    starts: list[int]
    ends: list[int]
    before: list[int]


def open_segments(calendar: Calendar, start_us: int, end_us: int) -> OpenSegments:
    """The open segments of ``calendar`` over (at least) ``[start_us, end_us)``.

    The span is the window the calendar's timeline builds or keeps for it, so it may
    reach further on both sides; the calendar is consulted only about the dates of
    that span (a :class:`HolidaySet` must cover them).

    Raises:
        BeyondHorizonError: the span leaves the years servicekit calendars handle.

    >>> from datetime import datetime, UTC
    >>> from servicekit._time import to_us
    >>> from servicekit.calendars import BusinessCalendar
    >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    >>> monday = to_us(datetime(2026, 3, 9, tzinfo=UTC))
    >>> table = open_segments(cal, monday, monday + 1)
    >>> table.start_us <= monday < table.end_us, len(table.starts), table.before[:2]
    (True, 5, [0, 28800000000])
    """
    window = calendar._timeline()._covering(start_us, max(end_us, start_us + 1))
    count = window.count
    return OpenSegments(
        start_us=window.start_us,
        end_us=window.end_us,
        starts=window.starts[:count],
        ends=window.ends[:count],
        before=window.before[:count],
    )


def opens_on(calendar: Calendar, day: date) -> bool:
    """Whether local ``day`` has open hours, as ``add_business_days`` counts dates.

    >>> from servicekit.calendars import BusinessCalendar
    >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    >>> opens_on(cal, date(2026, 3, 6)), opens_on(cal, date(2026, 3, 7))
    (True, False)
    """
    return calendar._opens_on(day)
