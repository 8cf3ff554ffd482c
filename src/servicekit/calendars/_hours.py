"""Wall-clock opening hours: ``"09:00-17:00"`` intervals, weekday keys and their checks.

An interval is stored as seconds since the local midnight of the day it belongs to:
``0 <= start < end <= start + 86_400``. An ``end`` beyond ``86_400`` is an overnight
interval spilling into the next day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import time

import attrs

from servicekit.errors import InvalidCalendarError, InvalidTypeError, short

DAY = 86_400
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")

IntervalSpec = str | tuple[time, time] | Sequence[time]
"""One opening interval as config gives it: ``"09:00-17:00"`` or ``(time, time)``."""


@attrs.frozen(order=True)
class WallInterval:
    """Opening hours on one local day, in seconds since that day's midnight.

    ``end`` may exceed one day (an overnight interval belongs to the day it starts).
    What a closure leaves of an overnight interval may even start after midnight
    (closing ``20:00-24:00`` of ``20:00-02:00`` leaves ``24:00-02:00``); configured
    hours always open within their day.

    >>> WallInterval.parse("22:00-06:00")
    WallInterval(start=79200, end=108000)
    >>> str(WallInterval.parse("09:00-24:00"))
    '09:00-24:00'
    """

    start: int = attrs.field()
    end: int = attrs.field()

    @end.validator
    def _check(self, _: attrs.Attribute[int], end: int) -> None:
        for value in (self.start, end):
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidTypeError(f"interval bounds are whole seconds, got {short(value)}")
        whole_day = self.start == 0 and end == DAY
        if not (
            0 <= self.start < 2 * DAY and self.start < end and (end - self.start < DAY or whole_day)
        ):
            raise InvalidCalendarError(
                "", f"interval {self.start}s-{end}s must open by the next day and last under 24h"
            )

    @classmethod
    def parse(cls, spec: object, path: str = "") -> WallInterval:
        """Read ``"HH:MM-HH:MM"`` (seconds optional) or a ``(time, time)`` pair.

        A close at or before the open is overnight; ``"24:00"`` is a valid close.
        """
        if isinstance(spec, WallInterval):
            return spec
        if isinstance(spec, str):
            opening, sep, closing = spec.partition("-")
            if not sep:
                raise InvalidCalendarError(path, f"{short(spec)} is not 'HH:MM-HH:MM'")
            start = _clock_seconds(opening.strip(), spec, path)
            end = _clock_seconds(closing.strip(), spec, path)
        elif (
            isinstance(spec, Sequence)
            and len(spec) == 2
            and all(isinstance(part, time) for part in spec)
        ):
            start, end = (p.hour * 3600 + p.minute * 60 + p.second for p in spec)
            if any(p.microsecond or p.tzinfo for p in spec):
                raise InvalidCalendarError(path, f"{short(spec)}: use whole seconds and no tzinfo")
        else:
            raise InvalidCalendarError(
                path, f"{short(spec)} is neither 'HH:MM-HH:MM' nor (time, time)"
            )
        if start == DAY:
            raise InvalidCalendarError(path, f"{short(spec)}: an interval cannot open at 24:00")
        if start == end:
            raise InvalidCalendarError(path, f"{short(spec)} is empty (opens and closes at once)")
        return cls(start, end if end > start else end + DAY)

    def __str__(self) -> str:
        end = self.end - DAY if self.end > DAY else self.end
        return f"{_format_clock(self.start)}-{_format_clock(end)}"


def parse_day(specs: object, path: str) -> tuple[WallInterval, ...]:
    """Parse one day's intervals, merge touching ones, reject overlaps."""
    if isinstance(specs, str | bytes) or not isinstance(specs, Iterable):
        raise InvalidCalendarError(path, f"expected a list of intervals, got {short(specs)}")
    parsed = sorted(WallInterval.parse(spec, f"{path}[{i}]") for i, spec in enumerate(specs))
    merged: list[WallInterval] = []
    for interval in parsed:
        if merged and interval.start < merged[-1].end:
            raise InvalidCalendarError(path, f"{merged[-1]} and {interval} overlap")
        if merged and interval.start == merged[-1].end:
            merged[-1] = WallInterval(merged[-1].start, interval.end)
        else:
            merged.append(interval)
    return tuple(merged)


def parse_weekly(weekly: object, path: str = "weekly") -> tuple[tuple[WallInterval, ...], ...]:
    """Parse ``{"mon-fri": [...], "sat": [...]}`` into seven days, Monday first.

    Days not named are closed. A day named twice, an unknown key, or an overnight
    interval running into the next day's hours is an error.
    """
    if isinstance(weekly, tuple) and len(weekly) == 7:
        weekly = dict(zip(WEEKDAYS, weekly, strict=True))
    if not isinstance(weekly, Mapping):
        raise InvalidCalendarError(path, f"expected a mapping of weekdays, got {short(weekly)}")
    days: list[tuple[WallInterval, ...] | None] = [None] * 7
    for key, specs in weekly.items():
        intervals = parse_day(specs, f"{path}.{key}")
        for index in weekday_indexes(key, path):
            if days[index] is not None:
                raise InvalidCalendarError(path, f"{short(WEEKDAYS[index])} is given twice")
            days[index] = intervals
    week = tuple(day or () for day in days)
    for index, day in enumerate(week):
        check_spill(day, week[(index + 1) % 7], f"{path}.{WEEKDAYS[index]}")
    return week


def weekday_indexes(key: object, path: str) -> list[int]:
    """``"mon"`` -> ``[0]``; ``"mon-fri"`` -> ``[0..4]``; ``"sun-tue"`` wraps to ``[6, 0, 1]``."""
    if not isinstance(key, str):
        raise InvalidCalendarError(path, f"weekday key must be text, got {short(key)}")
    first, sep, last = key.strip().lower().partition("-")
    names = (first, last) if sep else (first,)
    for name in names:
        if name not in WEEKDAYS:
            raise InvalidCalendarError(
                path, f"unknown weekday {short(key)}: use mon..sun or a range like 'mon-fri'"
            )
    start = WEEKDAYS.index(first)
    span = (WEEKDAYS.index(last) - start) % 7 if sep else 0
    return [(start + offset) % 7 for offset in range(span + 1)]


def check_spill(day: Sequence[WallInterval], next_day: Sequence[WallInterval], path: str) -> None:
    """Reject an overnight interval of ``day`` that runs into ``next_day``'s hours."""
    if day and next_day and day[-1].end - DAY > next_day[0].start:
        raise InvalidCalendarError(
            path, f"overnight {day[-1]} overlaps the next day's {next_day[0]}"
        )


def subtract(
    intervals: Sequence[WallInterval], closed: Sequence[WallInterval]
) -> tuple[WallInterval, ...]:
    """``intervals`` minus ``closed`` (both on the same local day)."""
    result = list(intervals)
    for cut in closed:
        kept: list[WallInterval] = []
        for interval in result:
            if interval.start < cut.start:
                kept.append(WallInterval(interval.start, min(interval.end, cut.start)))
            if interval.end > cut.end:
                kept.append(WallInterval(max(interval.start, cut.end), interval.end))
        result = kept
    return tuple(result)


def _clock_seconds(text: str, spec: str, path: str) -> int:
    match = _CLOCK.fullmatch(text)
    if not match:
        raise InvalidCalendarError(path, f"{short(spec)}: {short(text)} is not a time like '09:30'")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if minutes > 59 or seconds > 59 or total > DAY:
        raise InvalidCalendarError(path, f"{short(spec)}: {short(text)} is not a time of day")
    return total


def _format_clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
