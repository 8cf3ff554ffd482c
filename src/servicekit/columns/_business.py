"""The scalar calendar API over columns: ``elapsed``, ``add``, ``subtract``, ``is_open``,
``next_open``, ``next_close`` and ``add_business_days``, with array operations only.

Each call takes one table of the calendar's open segments over the span its column
needs (:class:`~servicekit.columns._table.Table`) and answers every row with
``searchsorted``; where an answer lies past that span (``add`` running past the last
instant, say), the row that reaches furthest is asked of the scalar API once and the
table widened to its answer. Rows whose answer lies within a year of the 100-year
horizon are confirmed by the scalar API, which raises exactly where it would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from servicekit.calendars import HORIZON, Calendar
from servicekit.calendars._segments import opens_on
from servicekit.columns._deps import numpy_and_pandas
from servicekit.columns._instants import (
    Array,
    aligned,
    durations,
    durations_out,
    flags_out,
    instants,
    instants_out,
    integers,
    spread,
)
from servicekit.columns._table import Table, duration, instant
from servicekit.errors import InvalidInputError, NeverOpensError, short

_DAY_US = 86_400_000_000
_HORIZON_US = HORIZON // timedelta(microseconds=1)
_FAR_US = _HORIZON_US - 366 * _DAY_US  # answers further away are confirmed one by one
_PROBE_US = 16 * 3_600_000_000  # beyond any UTC offset tzdata has ever used
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _calendar(value: object) -> Calendar:
    if not isinstance(value, Calendar):
        raise InvalidInputError(f"cal must be a calendar, got {short(value)}")
    return value


def _confirm(rows: Array, result: Array, call: Callable[[int], int]) -> None:
    """Answer ``rows`` with the scalar API (a bounded number near the horizon)."""
    for row in rows.tolist():
        result[row] = call(row)


def elapsed(cal: Calendar, start: Any, end: Any) -> Any:
    """Business time in ``[start, end)`` per row: ``cal.elapsed`` over columns.

    Negative where ``end < start``; NaT where either is missing. ``start`` and ``end``
    are tz-aware pandas Series/DatetimeIndex (any zone), NumPy ``datetime64`` arrays
    (UTC), or one tz-aware ``datetime`` broadcast against the other.

    Returns:
        ``timedelta64[us]`` in the kind of the first column (Series with its index,
        TimedeltaIndex, or NumPy array).

    Raises:
        NaiveDatetimeError: a naive column. InvalidInputError: a column that is not
        datetimes, mismatched lengths or indexes.

    >>> import pandas as pd
    >>> from servicekit import BusinessCalendar
    >>> cal = BusinessCalendar(tz="America/New_York", weekly={"mon-fri": ["09:00-17:00"]})
    >>> start = pd.Series(pd.to_datetime(["2026-03-06 16:00", "2026-03-09 10:00", None]))
    >>> start = start.dt.tz_localize("America/New_York")
    >>> elapsed(cal, start, pd.Timestamp("2026-03-09 10:00", tz="America/New_York"))
    0   0 days 02:00:00
    1   0 days 00:00:00
    2               NaT
    dtype: timedelta64[us]
    """
    np, _ = numpy_and_pandas()
    cal = _calendar(cal)
    first, last = instants(start, "start"), instants(end, "end")
    length, like = aligned(first, last)
    a, a_missing = spread(first, length)
    b, b_missing = spread(last, length)
    missing = a_missing | b_missing
    result = np.zeros(length, np.int64)
    if length and not missing.all():
        if missing.any():  # stand-ins from a present row, so the table spans only data
            a, b = np.where(missing, a[~missing][0], a), np.where(missing, b[~missing][0], b)
        low, high = min(int(a.min()), int(b.min())), max(int(a.max()), int(b.max()))
        table = Table(cal, low, high + 1)
        result = table.open_before(b)
        result -= table.open_before(a)
    return durations_out(like, result, missing)


def _forward(cal: Calendar, us: Array, amount: Array | int) -> Array:
    """``cal.add`` for positive amounts (one per row, or one for every row)."""
    np, _ = numpy_and_pandas()
    table = Table(cal, int(us.min()), int(us.max()) + 1)
    target = table.open_before(us)
    target += amount
    if int(target.max()) > table.total:
        row = int(np.argmax(target))
        step = amount if isinstance(amount, int) else amount[row]
        furthest = cal.add(instant(us[row]), duration(step))
        table = Table(cal, int(us.min()), int(instants(furthest, "t").values[0]) + 1)
        target = table.open_before(us) + amount
    j = table.first_reaching(target)
    target += table.starts[j]
    target -= table.before[j]
    return target


def _backward(cal: Calendar, us: Array, amount: Array | int) -> Array:
    """``cal.subtract`` for positive amounts (one per row, or one for every row)."""
    np, _ = numpy_and_pandas()
    table = Table(cal, int(us.min()), int(us.max()) + 1)
    target = table.open_before(us) - amount
    if int(target.min()) < 0:
        row = int(np.argmin(target))
        step = amount if isinstance(amount, int) else amount[row]
        earliest = cal.subtract(instant(us[row]), duration(step))
        table = Table(cal, int(instants(earliest, "t").values[0]), int(us.max()) + 1)
        target = table.open_before(us) - amount
    j = np.searchsorted(table.before, target, side="right") - 1
    result: Array = table.starts[j] + target - table.before[j]
    return result


def _shifted(cal: Calendar, us: Array, d: Array | int) -> Array:
    """``us`` moved by ``d`` business time (signed; zero stays), present rows only."""
    if isinstance(d, int):  # one duration for every row: no masks, no copies
        if d > 0:
            return _forward(cal, us, d)
        return _backward(cal, us, -d) if d < 0 else us.copy()
    result = us.copy()
    later, earlier = d > 0, d < 0
    if later.all():
        return _forward(cal, us, d)
    if later.any():
        result[later] = _forward(cal, us[later], d[later])
    if earlier.any():
        result[earlier] = _backward(cal, us[earlier], -d[earlier])
    return result


def _shift(cal: Calendar, t: Any, amount: Any, sign: int) -> Any:
    np, _ = numpy_and_pandas()
    cal = _calendar(cal)
    times, spans = instants(t, "t"), durations(amount, "duration")
    length, like = aligned(times, spans)
    us, t_missing = spread(times, length)
    scalar = cal.add if sign > 0 else cal.subtract
    d: Array | int
    if spans.kind == "scalar" and not t_missing.any():
        missing = t_missing
        d = int(spans.values[0]) * sign
        huge = np.arange(min(length, 1) if abs(d) > _HORIZON_US else 0)
    else:
        d, d_missing = spread(spans, length)
        missing = t_missing | d_missing
        d = np.where(missing, 0, d) * sign
        huge = np.flatnonzero(np.abs(d) > _HORIZON_US)
    moved = np.broadcast_to(d, (length,))

    def one(row: int) -> int:
        return _us(scalar(instant(us[row]), duration(moved[row] * sign)))

    if len(huge):  # the scalar API raises for these
        _confirm(huge[:1], us.copy(), one)
    result = _shifted(cal, us, d) if length else us.copy()
    reach = max(int(result.max()) - int(us.min()), int(us.max()) - int(result.min()), 0)
    if length and reach > _FAR_US:
        _confirm(np.flatnonzero(np.abs(result - us) > _FAR_US), result, one)
    return instants_out(like, result, missing, cal.tz)


def _us(value: Any) -> int:
    return int(instants(value, "t").values[0])


def add(cal: Calendar, t: Any, duration: Any) -> Any:
    """``cal.add(t, duration)`` per row: the earliest instant with ``duration`` of
    business time since ``t`` (a result on a close *is* that close); a negative
    duration subtracts, zero returns ``t``.

    Args:
        cal: any calendar (unions and intersections included).
        t: tz-aware pandas Series/DatetimeIndex, NumPy ``datetime64`` (UTC), or one
            tz-aware ``datetime``.
        duration: a ``timedelta`` for every row, or a timedelta64 Series,
            TimedeltaIndex or NumPy array (microseconds; finer parts are floored).

    Returns:
        Instants in ``cal.tz`` (pandas, microsecond unit) or ``datetime64[us]`` UTC
        (NumPy); NaT where ``t`` or ``duration`` is missing.

    Raises:
        NeverOpensError, BeyondHorizonError: as the scalar API, for the first row
            that cannot be answered.

    >>> import pandas as pd
    >>> from datetime import timedelta
    >>> from servicekit import BusinessCalendar
    >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    >>> t = pd.DatetimeIndex(["2026-03-06 16:00", "2026-03-06 12:00"], tz="UTC")
    >>> add(cal, t, timedelta(hours=4))
    DatetimeIndex(['2026-03-09 12:00:00+00:00', '2026-03-06 16:00:00+00:00'], \
dtype='datetime64[us, UTC]', freq=None)
    """
    return _shift(cal, t, duration, 1)


def subtract(cal: Calendar, t: Any, duration: Any) -> Any:
    """``cal.subtract(t, duration)`` per row: the latest instant with ``duration`` of
    business time before ``t`` (lands on an opening, never on the previous close); a
    negative duration adds. Arguments and results as :func:`add`.

    >>> import pandas as pd
    >>> from datetime import timedelta
    >>> from servicekit import BusinessCalendar
    >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    >>> t = pd.Series(pd.DatetimeIndex(["2026-03-09 10:00"], tz="UTC"))
    >>> subtract(cal, t, timedelta(hours=1))
    0   2026-03-09 09:00:00+00:00
    dtype: datetime64[us, UTC]
    """
    return _shift(cal, t, duration, -1)


def is_open(cal: Calendar, t: Any) -> Any:
    """``cal.is_open(t)`` per row (a closing instant is not open).

    Returns:
        pandas' nullable ``boolean`` (``<NA>`` where ``t`` is missing), or a NumPy
        masked array for a NumPy input.

    >>> import pandas as pd
    >>> from servicekit import BusinessCalendar
    >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    >>> is_open(cal, pd.DatetimeIndex(["2026-03-06 16:59", "2026-03-06 17:00", None], tz="UTC"))
    Index([True, False, <NA>], dtype='boolean')
    """
    np, _ = numpy_and_pandas()
    cal = _calendar(cal)
    times = instants(t, "t")
    length, like = aligned(times)
    us, missing = spread(times, length)
    flags = np.zeros(length, bool)
    if length and not missing.all():
        present = us[~missing]
        table = Table(cal, int(present.min()), int(present.max()) + 1)
        flags = table.is_open(np.where(missing, present[0], us))
    return flags_out(like, flags, missing)


def _next_open(cal: Calendar, us: Array) -> Array:
    np, _ = numpy_and_pandas()
    table = Table(cal, int(us.min()), int(us.max()) + 1)
    j = table.segment_of(us)
    opened = table.is_open(us)
    if (~opened & (j + 1 >= table.count)).any():
        furthest = int(us[~opened].max())
        found = _us(cal.next_open(instant(furthest)))
        table = Table(cal, int(us.min()), found + 1)
        j = table.segment_of(us)
    following = table.starts[np.minimum(j + 1, table.count - 1)]
    result: Array = np.where(opened, us, following)
    far = np.flatnonzero(result - us > _FAR_US)
    _confirm(far, result, lambda row: _us(cal.next_open(instant(us[row]))))
    return result


def _rows(cal: Any, t: Any, step: Callable[[Calendar, Array], Array]) -> Any:
    _np, _ = numpy_and_pandas()
    cal = _calendar(cal)
    times = instants(t, "t")
    length, like = aligned(times)
    us, missing = spread(times, length)
    result = us.copy()
    if length and not missing.all():
        result[~missing] = step(cal, us[~missing])
    return instants_out(like, result, missing, cal.tz)


def next_open(cal: Calendar, t: Any) -> Any:
    """``cal.next_open(t)`` per row: ``t`` if open, else the next opening.

    Returns and raises as :func:`add`.

    >>> import pandas as pd
    >>> from servicekit import BusinessCalendar
    >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    >>> next_open(cal, pd.DatetimeIndex(["2026-03-07 12:00", "2026-03-09 10:00"], tz="UTC"))
    DatetimeIndex(['2026-03-09 09:00:00+00:00', '2026-03-09 10:00:00+00:00'], \
dtype='datetime64[us, UTC]', freq=None)
    """
    return _rows(cal, t, _next_open)


def _next_close(cal: Calendar, us: Array) -> Array:
    np, _ = numpy_and_pandas()
    opening = _next_open(cal, us)
    table = Table(cal, int(opening.min()), int(opening.max()) + 1)
    closes = table.merged_ends()[table.segment_of(opening)]
    if (closes >= table.high).any():  # the last run may go on past the table
        row = int(np.argmax(opening))
        found = _us(cal.next_close(instant(us[row])))
        table = Table(cal, int(opening.min()), found + 1)
        closes = table.merged_ends()[table.segment_of(opening)]
    far = np.flatnonzero(closes - us > _FAR_US)
    _confirm(far, closes, lambda row: _us(cal.next_close(instant(us[row]))))
    result: Array = closes
    return result


def next_close(cal: Calendar, t: Any) -> Any:
    """``cal.next_close(t)`` per row: the end of the (merged) open interval holding
    ``t``, else of the next one. Returns and raises as :func:`add`.

    >>> import pandas as pd
    >>> from servicekit import BusinessCalendar
    >>> cal = BusinessCalendar(tz="UTC", weekly={"mon": ["22:00-24:00"], "tue": ["00:00-06:00"]})
    >>> next_close(cal, pd.DatetimeIndex(["2026-03-09 23:00"], tz="UTC"))
    DatetimeIndex(['2026-03-10 06:00:00+00:00'], dtype='datetime64[us, UTC]', freq=None)
    """
    return _rows(cal, t, _next_close)


def _offsets(us: Array, cal: Calendar) -> Array:
    """UTC offset (microseconds) of ``cal.tz`` at each instant."""
    np, pd = numpy_and_pandas()
    index = pd.DatetimeIndex(us.astype(np.int64).view("datetime64[us]"))
    local = index.tz_localize("UTC").tz_convert(cal.tz).tz_localize(None).as_unit("us")
    offsets: Array = local.to_numpy().view("int64") - us
    return offsets


def _resolved(wall: Array, cal: Calendar) -> Array:
    """Local wall times (microseconds) as instants, resolved as ``datetime(...,
    tzinfo=zone)`` resolves them (fold=0): in a gap or an overlap, the offset before
    the transition applies (so 02:30 in a one-hour spring-forward gap is 03:30)."""
    np, _ = numpy_and_pandas()
    early, late = _offsets(wall - _PROBE_US, cal), _offsets(wall + _PROBE_US, cal)
    first, second = wall - early, wall - late
    keeps_early = _offsets(first, cal) == early
    keeps_late = _offsets(second, cal) == late
    result: Array = np.where(keeps_early | ~keeps_late, first, second)
    return result


def _nth_open_day(cal: Calendar, days: Array, n: Array, direction: int) -> Array:
    """The ``n``-th date after (``direction`` 1) or before (-1) each local day that has
    open hours, as days since 1970-01-01; days are counted as the scalar API counts
    them, up to :data:`HORIZON` days away."""
    np, _ = numpy_and_pandas()
    mirrored = days * direction
    low, high = int(mirrored.min()) + 1, int(mirrored.max()) + 1

    def opens(day: int) -> bool:
        return opens_on(cal, date.fromordinal(day * direction + _EPOCH_ORDINAL))

    found = [day for day in range(low, high) if opens(day)]
    need = np.searchsorted(np.asarray(found, dtype=np.int64), mirrored, side="right") + n
    limit = high - 1 + HORIZON.days
    while len(found) < int(need.max()) and high <= limit:  # bounded by the horizon
        if opens(high):
            found.append(high)
        high += 1
    table = np.asarray(found, dtype=np.int64)
    reached = table[np.minimum(need, len(table)) - 1] if len(table) else mirrored
    short = (need > len(table)) | (reached - mirrored > HORIZON.days)
    result: Array = np.where(short, -(2**62), reached * direction)
    return result


def add_business_days(cal: Calendar, t: Any, n: Any) -> Any:
    """``cal.add_business_days(t, n)`` per row: the same local wall time on the
    ``n``-th next date with open hours (negative ``n`` counts back), then
    ``next_open``; ``n == 0`` is ``next_open(t)``.

    Args:
        cal: any calendar.
        t: instants, as for :func:`add`.
        n: an ``int`` for every row, or a column of whole numbers (a nullable integer
            Series may have missing values).

    Returns and raises as :func:`add` (``NeverOpensError`` when fewer than ``|n|``
    dates with open hours lie within :data:`~servicekit.calendars.HORIZON`).

    >>> import pandas as pd
    >>> from servicekit import BusinessCalendar
    >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    >>> add_business_days(cal, pd.DatetimeIndex(["2026-03-06 15:00"], tz="UTC"), 1)
    DatetimeIndex(['2026-03-09 15:00:00+00:00'], dtype='datetime64[us, UTC]', freq=None)
    """
    np, _ = numpy_and_pandas()
    cal = _calendar(cal)
    times, counts = instants(t, "t"), integers(n, "n")
    length, like = aligned(times, counts)
    us, t_missing = spread(times, length)
    steps, n_missing = spread(counts, length)
    missing = t_missing | n_missing
    result = us.copy()
    rows = np.flatnonzero(~missing)
    beyond = rows[np.abs(steps[rows]) > HORIZON.days]
    if len(beyond):  # fewer dates than that lie within the horizon
        row = int(beyond[0])
        raise NeverOpensError(
            f"no {abs(int(steps[row]))} dates with open hours within {HORIZON.days} days "
            f"of {instant(us[row]).astimezone(cal.tz)}"
        )
    if len(rows):
        present, step = us[rows], steps[rows]
        wall = present + _offsets(present, cal)
        day = wall // _DAY_US
        target = day.copy()
        for direction in (1, -1):
            chosen = step * direction > 0
            if chosen.any():
                target[chosen] = _nth_open_day(cal, day[chosen], np.abs(step[chosen]), direction)
        short = np.flatnonzero(target == -(2**62))
        if len(short):  # the scalar API raises NeverOpensError for these
            row = int(rows[short[0]])
            cal.add_business_days(instant(us[row]), int(steps[row]))
        moved = np.where(
            step == 0, present, _resolved(target * _DAY_US + wall - day * _DAY_US, cal)
        )
        result[rows] = _next_open(cal, moved)
    return instants_out(like, result, missing, cal.tz)
