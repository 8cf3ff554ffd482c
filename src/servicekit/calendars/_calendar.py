"""``BusinessCalendar`` and ``CombinedCalendar``: when a support team is open.

Every operation takes tz-aware datetimes in any zone and answers in the calendar's
zone. The semantics, boundary cases included, are the table in the design document
(``docs/calendars/boundaries.md``): intervals are half-open ``[open, close)``, wall
times resolve as ``datetime(..., tzinfo=ZoneInfo(tz))`` does (fold=0), and business
time is real elapsed time.
"""

from __future__ import annotations

import abc
from collections.abc import Container, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any, Literal
from zoneinfo import ZoneInfo

import attrs

from servicekit._checks import short
from servicekit._time import from_us, micros, to_us, zone
from servicekit.calendars._hours import (
    DAY,
    WallInterval,
    check_spill,
    parse_day,
    parse_weekly,
    subtract,
)
from servicekit.calendars._recurring import RecurringClosure
from servicekit.calendars._timeline import HORIZON, Segment, Timeline, step_date
from servicekit.errors import (
    InvalidCalendarError,
    InvalidInputError,
    InvalidTypeError,
    NeverOpensError,
)

ONE_US = timedelta(microseconds=1)


class Calendar(abc.ABC):
    """What every calendar can answer; see :class:`BusinessCalendar` for examples.

    ``a | b`` is open when either calendar is (follow-the-sun teams), ``a & b`` when
    both are; the result speaks in ``a``'s zone.
    """

    __slots__ = ()

    @property
    @abc.abstractmethod
    def tz(self) -> ZoneInfo:
        """The zone results are expressed in."""

    @abc.abstractmethod
    def _timeline(self) -> Timeline: ...

    @abc.abstractmethod
    def _opens_on(self, day: date) -> bool: ...

    def is_open(self, t: datetime) -> bool:
        """Whether ``t`` lies in an open interval; a closing instant is *not* open.

        >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
        >>> cal.is_open(datetime(2026, 3, 6, 16, 59, tzinfo=ZoneInfo("UTC")))
        True
        >>> cal.is_open(datetime(2026, 3, 6, 17, 0, tzinfo=ZoneInfo("UTC")))
        False
        """
        return self._timeline().is_open(to_us(t, "t"))

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time in ``[start, end)``; ``-elapsed(end, start)`` when ``end < start``.

        Additive: ``elapsed(a, b) + elapsed(b, c) == elapsed(a, c)`` for any instants.

        >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
        >>> friday, monday = date(2026, 3, 6), date(2026, 3, 9)
        >>> at = lambda day, hour: datetime.combine(day, time(hour), ZoneInfo("UTC"))
        >>> cal.elapsed(at(friday, 16), at(monday, 10))
        datetime.timedelta(seconds=7200)
        >>> cal.elapsed(at(monday, 10), at(friday, 16))
        datetime.timedelta(days=-1, seconds=79200)
        """
        return self._timeline().elapsed(to_us(start, "start"), to_us(end, "end")) * ONE_US

    def add(self, t: datetime, duration: timedelta | str) -> datetime:
        """The earliest ``x >= t`` with ``elapsed(t, x) == duration``.

        A result that lands on a close *is* that close ("due Friday 17:00"). A zero
        duration returns ``t``; a negative one subtracts. For the next opening instead,
        write ``cal.next_open(cal.add(t, d))``.

        ``duration`` is a ``timedelta`` or duration text in hours and smaller units
        (``"4h30m"``, ``"PT4H"``, ``"-2h"``). Text with a day or week unit is refused
        unless the calendar is open around the clock: ``"3d"`` would be 72 business
        hours, nine 8-hour working days; write ``"72h"``, or use
        :meth:`add_business_days` for business days. (A ``timedelta`` has no units:
        ``timedelta(days=3)`` is taken as the 72 hours it is.)

        Raises:
            InvalidDurationError: malformed text, or a day or week unit (the message
                says what it would mean and what to write).
            InvalidTypeError: ``duration`` is neither a ``timedelta`` nor text.

        >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
        >>> cal.add(datetime(2026, 3, 6, 16, tzinfo=ZoneInfo("UTC")), timedelta(hours=1))
        datetime.datetime(2026, 3, 6, 17, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC'))
        >>> cal.add(datetime(2026, 3, 6, 16, tzinfo=ZoneInfo("UTC")), "4h")
        datetime.datetime(2026, 3, 9, 12, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC'))
        >>> cal.add(datetime(2026, 3, 6, 16, tzinfo=ZoneInfo("UTC")), "1d")
        Traceback (most recent call last):
        ...
        servicekit.errors.InvalidDurationError: '1d' is 24 business hours, 3 working days on \
this calendar; write '24h', or '1bd' for one business day
        """
        return self._shift(t, _microseconds(duration, self))

    def subtract(self, t: datetime, duration: timedelta | str) -> datetime:
        """The latest ``x <= t`` with ``elapsed(x, t) == duration``: lands on an opening,
        never on the previous close. A negative duration adds. ``duration`` is a
        ``timedelta`` or text without day or week units, as for :meth:`add`.

        >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
        >>> cal.subtract(datetime(2026, 3, 9, 10, tzinfo=ZoneInfo("UTC")), timedelta(hours=1))
        datetime.datetime(2026, 3, 9, 9, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC'))
        """
        return self._shift(t, -_microseconds(duration, self))

    def _shift(self, t: datetime, amount: int) -> datetime:
        """``t`` moved by ``amount`` microseconds of business time (back when negative)."""
        us = to_us(t, "t")
        if amount > 0:
            us = self._timeline().add(us, amount)
        elif amount < 0:
            us = self._timeline().subtract(us, -amount)
        return from_us(us, self.tz)

    def next_open(self, t: datetime) -> datetime:
        """``t`` if open, else the start of the next open interval.

        Raises:
            NeverOpensError: nothing opens within :data:`HORIZON`.

        >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
        >>> cal.next_open(datetime(2026, 3, 7, 12, tzinfo=ZoneInfo("UTC")))
        datetime.datetime(2026, 3, 9, 9, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC'))
        """
        return from_us(self._timeline().next_open(to_us(t, "t")), self.tz)

    def next_close(self, t: datetime) -> datetime:
        """End of the (merged) open interval containing ``t``, else of the next one.

        Raises:
            BeyondHorizonError: the calendar stays open for longer than :data:`HORIZON`
                (a 24/7 calendar never closes).

        >>> shifts = {"mon": ["22:00-24:00"], "tue": ["00:00-06:00"]}
        >>> cal = BusinessCalendar(tz="UTC", weekly=shifts)
        >>> cal.next_close(datetime(2026, 3, 9, 23, tzinfo=ZoneInfo("UTC")))
        datetime.datetime(2026, 3, 10, 6, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC'))
        """
        return from_us(self._timeline().next_close(to_us(t, "t")), self.tz)

    def intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The open intervals clipped to ``[start, end)``, merged and in order.

        >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-12:00", "13:00-17:00"]})
        >>> utc = ZoneInfo("UTC")
        >>> start, end = datetime(2026, 3, 9, 10, tzinfo=utc), datetime(2026, 3, 9, 14, tzinfo=utc)
        >>> spans = cal.intervals(start, end)
        >>> [(a.hour, b.hour) for a, b in spans]
        [(10, 12), (13, 14)]
        """
        segments = self._timeline().intervals(to_us(start, "start"), to_us(end, "end"))
        return [(from_us(a, self.tz), from_us(b, self.tz)) for a, b in segments]

    def add_business_days(self, t: datetime, days: int) -> datetime:
        """Same local wall time on the ``days``-th next date with open hours, then
        :meth:`next_open`. Negative ``days`` count back; ``0`` is ``next_open(t)``.

        >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
        >>> cal.add_business_days(datetime(2026, 3, 6, 15, tzinfo=ZoneInfo("UTC")), 1)
        datetime.datetime(2026, 3, 9, 15, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC'))
        """
        if isinstance(days, bool) or not isinstance(days, int):
            raise InvalidTypeError(f"days must be an int, got {short(days)}")
        if days == 0:
            return self.next_open(t)
        local = from_us(to_us(t, "t"), self.tz)  # BeyondHorizonError outside datetime
        step = 1 if days > 0 else -1
        day = local.date()
        found, known = 0, None
        for ahead in range(1, HORIZON.days + 1):
            if ahead & (ahead - 1) == 0:  # at 1, 2, 4, ... days: the next as many at once
                known = self._open_dates(day, step * min(ahead, HORIZON.days + 1 - ahead))
            day = step_date(day, step)
            found += (day in known) if known is not None else self._opens_on(day)
            if found == abs(days):
                break
        else:
            raise NeverOpensError(
                f"no {abs(days)} dates with open hours within {HORIZON.days} days of {t}"
            )
        wall = datetime.combine(day, local.time().replace(fold=0), self.tz)
        return self.next_open(wall)

    def _open_dates(self, day: date, count: int) -> frozenset[date] | None:
        """Which of the ``count`` local dates after ``day`` (before it when negative)
        have open hours, for a calendar that can tell them at once; else ``None`` and
        ``_opens_on`` answers date by date."""
        return None

    def __or__(self, other: Calendar) -> CombinedCalendar:
        return CombinedCalendar("union", self, other)

    def __and__(self, other: Calendar) -> CombinedCalendar:
        return CombinedCalendar("intersection", self, other)


def _microseconds(duration: object, calendar: Calendar) -> int:
    """``duration`` (a ``timedelta`` or text without day or week units) in microseconds."""
    if isinstance(duration, str):
        from servicekit.calendars._day_units import business_duration  # (an import cycle)

        return micros(business_duration(duration, calendar, allow_negative=True))
    if not isinstance(duration, timedelta):
        raise InvalidTypeError(
            f"duration must be a timedelta or text like '4h', got {short(duration)}"
        )
    return micros(duration)


def _overrides(value: object) -> Mapping[date, tuple[WallInterval, ...]]:
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise InvalidCalendarError("overrides", f"expected a mapping of dates, got {short(value)}")
    parsed = {}
    for day in value:
        if not isinstance(day, date) or isinstance(day, datetime):
            raise InvalidCalendarError("overrides", f"key {short(day)} is not a date")
    for day, specs in sorted(value.items()):
        if not 2 <= day.year <= 9998:  # the years calendars handle (see _timeline)
            raise InvalidCalendarError(
                f"overrides.{day.isoformat()}", "is outside the years 2 to 9998"
            )
        parsed[day] = parse_day(specs, f"overrides.{day.isoformat()}")
    return MappingProxyType(parsed)


def _holidays(value: object) -> Container[date]:
    """The holidays as given, after checking that every date in them is a ``date``: a
    datetime or a string would never match a day, and the calendar would silently stay
    open on the holiday. A mapping (``{date: name}``) is checked by its keys; a
    container that cannot be listed (no ``__iter__``) is taken as it is."""
    if value is None:
        return frozenset()
    if isinstance(value, set | frozenset | list | tuple):
        return frozenset(_days(value))
    if isinstance(value, Mapping):
        _days(value.keys())
        return value
    if not isinstance(value, Container) or isinstance(value, str | bytes):
        raise InvalidCalendarError("holidays", f"expected a container of dates, got {short(value)}")
    if isinstance(value, Iterable):
        _days(value)
    return value


def _days(values: Iterable[object]) -> list[date]:
    days = []
    for day in values:
        if not isinstance(day, date) or isinstance(day, datetime):
            raise InvalidCalendarError(
                "holidays", f"{short(day)} is not a date (a datetime or text never matches)"
            )
        days.append(day)
    return days


def _closures(value: Iterable[RecurringClosure]) -> tuple[RecurringClosure, ...]:
    closures = tuple(value)
    for index, closure in enumerate(closures):
        if not isinstance(closure, RecurringClosure):
            raise InvalidCalendarError(
                f"closures[{index}]", f"{short(closure)} is no RecurringClosure"
            )
    return closures


@attrs.frozen(kw_only=True)
class BusinessCalendar(Calendar):
    """Opening hours in a time zone, with holidays, per-date overrides and closures.

    Args:
        tz: IANA zone name or ``ZoneInfo``; intervals are wall-clock times there.
        weekly: ``{"mon-fri": ["09:00-12:00", "13:00-17:00"], "sat": ["10:00-14:00"]}``;
            keys are ``mon``..``sun`` or ranges (``sun-thu`` wraps); values are
            ``"HH:MM-HH:MM"`` strings or ``(time, time)`` pairs. A close at or before
            its open is overnight and belongs to the day it starts; ``"24:00"`` is a
            valid close; touching intervals merge, overlaps are an error.
        holidays: any ``Container[date]`` (a set, a :class:`HolidaySet`). A holiday
            closes every interval that *starts* on that local date.
        overrides: ``{date: [intervals]}`` replacing a date's hours (``[]`` closes it);
            overrides win over holidays and closures.
        closures: :class:`RecurringClosure` values (hours closed on each date of an rrule).

    Raises:
        InvalidCalendarError: malformed or overlapping intervals, unknown weekday keys.
        UnknownTimeZoneError: ``tz`` is no IANA zone.
        NeverOpensError: no weekday and no override has open hours.

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> cal = BusinessCalendar(tz="America/New_York", weekly={"mon-fri": ["09:00-17:00"]})
    >>> friday_4pm = datetime(2026, 3, 6, 16, 0, tzinfo=ZoneInfo("America/New_York"))
    >>> cal.add(friday_4pm, timedelta(hours=4))
    datetime.datetime(2026, 3, 9, 12, 0, tzinfo=zoneinfo.ZoneInfo(key='America/New_York'))
    >>> cal.elapsed(friday_4pm, cal.add(friday_4pm, timedelta(hours=4)))
    datetime.timedelta(seconds=14400)
    """

    tz: ZoneInfo = attrs.field(converter=zone)
    weekly: tuple[tuple[WallInterval, ...], ...] = attrs.field(converter=parse_weekly)
    holidays: Container[date] = attrs.field(default=None, converter=_holidays)
    overrides: Mapping[date, tuple[WallInterval, ...]] = attrs.field(
        default=None, converter=_overrides, hash=False
    )
    closures: tuple[RecurringClosure, ...] = attrs.field(default=(), converter=_closures)
    _memo: Timeline = attrs.field(init=False, eq=False, hash=False, repr=False)

    @_memo.default
    def _new_timeline(self) -> Timeline:
        return Timeline(self.tz, self._segments_of)

    def __attrs_post_init__(self) -> None:
        if not any(self.weekly) and not any(self.overrides.values()):
            raise NeverOpensError("calendar has no open hours on any weekday or override date")
        for day, hours in self.overrides.items():
            path = f"overrides.{day.isoformat()}"
            check_spill(self._configured(day - timedelta(days=1)), hours, path)
            check_spill(hours, self._configured(day + timedelta(days=1)), path)

    def __reduce__(self) -> tuple[Any, ...]:
        # The memo (caches and a lock) is rebuilt, not pickled; Dask and Spark ship
        # calendars to workers this way.
        fields = (self.tz, self.weekly, self.holidays, dict(self.overrides), self.closures)
        return (_rebuild_business, fields)

    @classmethod
    def always(cls, tz: str | ZoneInfo = "UTC") -> BusinessCalendar:
        """The 24/7 calendar, so calendar hours and business hours share one code path.

        >>> from datetime import datetime, timedelta, UTC
        >>> BusinessCalendar.always().add(datetime(2026, 1, 1, tzinfo=UTC), timedelta(hours=30))
        datetime.datetime(2026, 1, 2, 6, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC'))
        """
        return cls(tz=tz, weekly={"mon-sun": ["00:00-24:00"]})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BusinessCalendar:
        """Build from plain config (as parsed from JSON/TOML); errors name the path.

        >>> cal = BusinessCalendar.from_dict({
        ...     "tz": "Europe/London",
        ...     "weekly": {"mon-fri": ["09:00-17:30"]},
        ...     "holidays": {"country": "GB", "subdiv": "ENG", "years": [2026, 2027]},
        ...     "overrides": {"2026-12-24": ["09:00-13:00"]},
        ... })
        >>> BusinessCalendar.from_dict(cal.to_dict()) == cal
        True
        >>> BusinessCalendar.from_dict(
        ...     {"tz": "UTC", "weekly": {"mon": ["13:00-12:00", "11:00-14:00"]}}
        ... )
        Traceback (most recent call last):
        ...
        servicekit.errors.InvalidCalendarError: weekly.mon: 11:00-14:00 and 13:00-12:00 overlap
        """
        from servicekit.calendars._config import calendar_from_dict

        return calendar_from_dict(cls, data)

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready config that :meth:`from_dict` reads back to an equal calendar."""
        from servicekit.calendars._config import calendar_to_dict

        return calendar_to_dict(self)

    def hours_on(self, day: date) -> tuple[WallInterval, ...]:
        """Wall-clock intervals starting on local ``day``, after overrides, holidays
        and closures.

        >>> from datetime import date
        >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]},
        ...                        holidays={date(2026, 12, 25)})
        >>> [str(i) for i in cal.hours_on(date(2026, 12, 24))], cal.hours_on(date(2026, 12, 25))
        (['09:00-17:00'], ())
        """
        if not isinstance(day, date) or isinstance(day, datetime):
            raise InvalidTypeError(f"day must be a date, got {short(day)}")
        if day in self.overrides:
            return self.overrides[day]
        if day in self.holidays:
            return ()
        hours = self.weekly[day.weekday()]
        for closure in self.closures:
            if hours and closure.occurs_on(day):
                hours = subtract(hours, closure.closed)
        return hours

    def _configured(self, day: date) -> tuple[WallInterval, ...]:
        """Hours before holidays and closures (which only ever remove time)."""
        return self.overrides.get(day, self.weekly[day.weekday()])

    def _timeline(self) -> Timeline:
        return self._memo

    def _opens_on(self, day: date) -> bool:
        return bool(self._day_segments(day))

    def _day_segments(self, day: date) -> list[Segment]:
        midnight = datetime.combine(day, time(), self.tz)
        segments = []
        for interval in self.hours_on(day):
            start = to_us(midnight + timedelta(seconds=interval.start))
            end = to_us(midnight + timedelta(seconds=interval.end))
            if start < end:  # an interval emptied by a DST transition is dropped
                segments.append((start, end))
        return segments

    def _segments_of(self, first: date, end: date, start_us: int, end_us: int) -> list[Segment]:
        eve = first - timedelta(days=1)
        spills = any(interval.end > DAY for interval in self._configured(eve))
        days = [eve] if spills else []
        days += [first + timedelta(days=n) for n in range((end - first).days)]
        raw = sorted(segment for day in days for segment in self._day_segments(day))
        return _clip(_union(raw), start_us, end_us)


def _is_calendar(_: object, attribute: attrs.Attribute[Calendar], value: object) -> None:
    if not isinstance(value, Calendar):
        raise InvalidTypeError(f"{attribute.name} must be a calendar, got {short(value)}")


def _is_operation(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value not in ("union", "intersection"):
        raise InvalidInputError(f"operation must be 'union' or 'intersection', got {short(value)}")


@attrs.frozen
class CombinedCalendar(Calendar):
    """Two calendars joined: ``"union"`` is open when either is, ``"intersection"``
    when both are. Built with ``a | b`` and ``a & b``; answers in ``left``'s zone.

    A date "has open hours" for :meth:`add_business_days` when some open time falls
    within that local date.

    >>> from datetime import datetime, timedelta, UTC
    >>> london = BusinessCalendar(tz="Europe/London", weekly={"mon-fri": ["09:00-17:00"]})
    >>> manila = BusinessCalendar(tz="Asia/Manila", weekly={"mon-fri": ["09:00-17:00"]})
    >>> team = london | manila
    >>> team.elapsed(datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 2, tzinfo=UTC))
    datetime.timedelta(seconds=54000)
    """

    operation: Literal["union", "intersection"] = attrs.field(validator=_is_operation)
    left: Calendar = attrs.field(validator=_is_calendar)
    right: Calendar = attrs.field(validator=_is_calendar)
    _memo: Timeline = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:  # after the validators: left is a calendar
        object.__setattr__(self, "_memo", Timeline(self.tz, self._segments_of))

    def __reduce__(self) -> tuple[Any, ...]:
        return (CombinedCalendar, (self.operation, self.left, self.right))

    @property
    def tz(self) -> ZoneInfo:
        """The zone of ``left``, in which results are expressed."""
        return self.left.tz

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CombinedCalendar:
        """Read ``{"union": [cal, cal]}`` or ``{"intersection": [cal, cal]}``."""
        from servicekit.calendars._config import combined_from_dict

        return combined_from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """Plain config: ``{"union": [left, right]}`` (or ``"intersection"``)."""
        from servicekit.calendars._config import combined_to_dict

        return combined_to_dict(self)

    def _timeline(self) -> Timeline:
        return self._memo

    def _open_dates(self, day: date, count: int) -> frozenset[date] | None:
        return self._memo.open_dates(day, count)

    def _opens_on(self, day: date) -> bool:
        timeline = self._memo
        start, end = timeline.midnight(day), timeline.midnight(day + timedelta(days=1))
        return bool(timeline.intervals(start, end))

    def _segments_of(self, first: date, end: date, start_us: int, end_us: int) -> list[Segment]:
        left = self.left._timeline().intervals(start_us, end_us)
        right = self.right._timeline().intervals(start_us, end_us)
        if self.operation == "union":
            return _union(sorted(left + right))
        return _intersection(left, right)


def _rebuild_business(
    tz: ZoneInfo,
    weekly: tuple[tuple[WallInterval, ...], ...],
    holidays: Container[date],
    overrides: dict[date, tuple[WallInterval, ...]],
    closures: tuple[RecurringClosure, ...],
) -> BusinessCalendar:
    return BusinessCalendar(
        tz=tz, weekly=weekly, holidays=holidays, overrides=overrides, closures=closures
    )


def _union(segments: list[Segment]) -> list[Segment]:
    """Merge sorted segments that overlap or touch."""
    merged: list[Segment] = []
    for start, end in segments:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _intersection(left: list[Segment], right: list[Segment]) -> list[Segment]:
    result: list[Segment] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start, end = max(left[i][0], right[j][0]), min(left[i][1], right[j][1])
        if start < end:
            result.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return _union(result)


def _clip(segments: list[Segment], start: int, end: int) -> list[Segment]:
    return [(max(s, start), min(e, end)) for s, e in segments if s < end and e > start]
