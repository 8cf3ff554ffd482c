"""Recurring closures from a ``dateutil.rrule``: "first Monday of each month, 09:00-10:00".

This is the only module that imports ``dateutil.rrule``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import attrs
from dateutil.rrule import rrule, rrulestr

from servicekit.calendars._hours import DAY, WallInterval, parse_day
from servicekit.errors import InvalidCalendarError


def _closed_hours(value: object) -> tuple[WallInterval, ...]:
    if value is None:
        return (WallInterval(0, DAY),)
    if isinstance(value, tuple) and all(isinstance(v, WallInterval) for v in value):
        return value
    return parse_day(value, "closed")


def _rule(value: object) -> rrule:
    if isinstance(value, str):
        if "DTSTART" not in value.upper():
            raise InvalidCalendarError("rule", f"{value!r} needs an explicit DTSTART")
        try:
            parsed = rrulestr(value)
        except (ValueError, TypeError) as exc:
            raise InvalidCalendarError("rule", f"{value!r} is not an RFC 5545 rule: {exc}") from exc
        if not isinstance(parsed, rrule):
            raise InvalidCalendarError("rule", f"{value!r} must be a single RRULE")
        return parsed
    if not isinstance(value, rrule):
        raise InvalidCalendarError("rule", f"expected a dateutil rrule, got {value!r}")
    return value


@attrs.frozen(eq=False)
class RecurringClosure:
    """Hours closed on every date a ``dateutil.rrule`` yields.

    Give the rule an explicit ``dtstart`` (and ``wkst`` where weeks matter); only the
    *date* of each occurrence is used. ``closed`` lists the wall-clock hours closed on
    that date (``None``: the whole day). Overrides win over closures.

    >>> from dateutil.rrule import MONTHLY, MO, rrule
    >>> first_monday = rrule(MONTHLY, byweekday=MO(1), dtstart=datetime(2026, 1, 1))
    >>> staff_meeting = RecurringClosure(first_monday, closed=["09:00-10:00"])
    >>> staff_meeting.occurs_on(date(2026, 2, 2)), staff_meeting.occurs_on(date(2026, 2, 9))
    (True, False)
    """

    rule: rrule = attrs.field(converter=_rule)
    closed: tuple[WallInterval, ...] = attrs.field(default=None, converter=_closed_hours)
    _years: dict[int, frozenset[date]] = attrs.field(init=False, factory=dict, repr=False)

    def occurs_on(self, day: date) -> bool:
        """Whether the rule yields ``day`` (occurrences are expanded a year at a time)."""
        occurrences = self._years.get(day.year)
        if occurrences is None:
            first = next(iter(self.rule), None)  # bounds must share dtstart's tzinfo
            tz = first.tzinfo if first else None
            start = datetime.combine(date(day.year, 1, 1), time(), tz)
            end = datetime.combine(date(day.year + 1, 1, 1), time(), tz) - timedelta(microseconds=1)
            occurrences = frozenset(o.date() for o in self.rule.between(start, end, inc=True))
            self._years[day.year] = occurrences
        return day in occurrences

    def to_dict(self) -> dict[str, object]:
        """Plain form: the rule as RFC 5545 text and the closed hours."""
        closed = [str(i) for i in self.closed]
        return {"rule": str(self.rule), "closed": None if closed == ["00:00-24:00"] else closed}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RecurringClosure):
            return NotImplemented
        return str(self.rule) == str(other.rule) and self.closed == other.closed

    def __hash__(self) -> int:
        return hash((str(self.rule), self.closed))
