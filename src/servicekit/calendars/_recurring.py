"""Recurring closures from a ``dateutil.rrule``: "first Monday of each month, 09:00-10:00".

This is the only module that imports ``dateutil.rrule``.

Only the *date* of each occurrence counts, and ``dateutil`` expands a rule one period
at a time from its ``dtstart``, without a bound: a rule that yields many times a day,
that never advances (``INTERVAL=0``) or that can never match (``BYMONTH=2;BYMONTHDAY=30``)
would take minutes or forever. So a rule is checked once, at construction:

- its frequency is ``DAILY`` or coarser and it yields at most
  :data:`MAX_OCCURRENCES_PER_DAY` occurrence per date (one time of day);
- ``INTERVAL`` is at least 1, ``COUNT`` at most :data:`MAX_COUNT`, ``BYEASTER`` only
  with ``FREQ=YEARLY``;
- it yields some date at all.

The Gregorian calendar repeats every 400 years (146,097 days, a whole number of weeks),
so a rule without ``COUNT`` or ``BYEASTER`` yields the same dates from a ``dtstart``
moved by a multiple of ``400 * INTERVAL`` years: expansion starts within one such cycle
of the year asked about, whatever the rule's ``dtstart``, and continues from there for
the years after it.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from datetime import MAXYEAR, date, datetime, timedelta
from typing import Any

import attrs
from dateutil.rrule import DAILY, YEARLY, rrule, rrulestr

from servicekit._checks import short
from servicekit.calendars._hours import DAY, WallInterval, parse_day
from servicekit.errors import InvalidCalendarError

MAX_OCCURRENCES_PER_DAY = 1
"""How many occurrences a closure rule may yield on one date: only dates count, so one
time of day (the hours closed are given by ``closed``)."""

MAX_COUNT = 100 * 366
"""The largest ``COUNT`` a closure rule may have: a horizon of daily occurrences."""

_CYCLE_YEARS = 400  # the Gregorian calendar repeats after 400 years


def _closed_hours(value: object) -> tuple[WallInterval, ...]:
    if value is None:
        return (WallInterval(0, DAY),)
    if isinstance(value, tuple) and all(isinstance(v, WallInterval) for v in value):
        return value
    return parse_day(value, "closed")


def _rule(value: object) -> rrule:
    if isinstance(value, str):
        if "DTSTART" not in value.upper():
            raise InvalidCalendarError("rule", f"{short(value)} needs an explicit DTSTART")
        try:
            with warnings.catch_warnings():  # COUNT with UNTIL warns: RFC 5545 forbids it
                warnings.simplefilter("error", DeprecationWarning)
                parsed = rrulestr(value)
        except (ValueError, TypeError, OverflowError, KeyError, IndexError, Warning) as exc:
            raise InvalidCalendarError(
                "rule", f"{short(value)} is not an RFC 5545 rule: {short(str(exc))}"
            ) from exc
        if not isinstance(parsed, rrule):
            raise InvalidCalendarError("rule", f"{short(value)} must be a single RRULE")
        return _expandable(parsed)
    if not isinstance(value, rrule):
        raise InvalidCalendarError("rule", f"expected a dateutil rrule, got {short(value)}")
    return _expandable(value)


def _part(rule: rrule, name: str) -> Any:
    """A part of a parsed rule (``dateutil`` keeps them in private attributes, the same
    since version 2.0, and offers no public accessor)."""
    return getattr(rule, f"_{name}")


def _cycle(rule: rrule) -> int | None:
    """Years after which ``rule`` yields the same dates again, or ``None`` (``COUNT``
    and ``BYEASTER`` tie it to its ``dtstart``)."""
    if _part(rule, "count") is not None or _part(rule, "byeaster") is not None:
        return None
    return _CYCLE_YEARS * int(_part(rule, "interval"))


def _expandable(rule: rrule) -> rrule:
    """``rule`` if it can be expanded within the bounds of the module docstring."""

    def refuse(why: str) -> InvalidCalendarError:
        line = str(rule).rpartition("\n")[2]  # its RRULE line: the DTSTART line is fine
        return InvalidCalendarError("rule", f"{short(line)} {why}")

    if _part(rule, "freq") > DAILY:
        raise refuse(
            "repeats more often than daily; only the date of an occurrence counts, so use "
            "FREQ=DAILY or coarser and give the hours in 'closed'"
        )
    if _part(rule, "interval") < 1:
        raise refuse("has INTERVAL below 1 and would never advance")
    per_day = 1
    for part in ("byhour", "byminute", "bysecond"):
        per_day *= len(_part(rule, part) or ())
    if per_day > MAX_OCCURRENCES_PER_DAY:
        raise refuse(
            f"yields {per_day} occurrences a day; at most {MAX_OCCURRENCES_PER_DAY} "
            "(only the date counts: give the hours in 'closed')"
        )
    count = _part(rule, "count")
    if count is not None and count > MAX_COUNT:
        raise refuse(f"has COUNT above {MAX_COUNT}")
    if count is not None and _part(rule, "until") is not None:
        raise refuse("has both COUNT and UNTIL, which RFC 5545 forbids")
    if _part(rule, "byeaster") is not None and _part(rule, "freq") != YEARLY:
        raise refuse("uses BYEASTER, which servicekit expands with FREQ=YEARLY only")
    if next(iter(_probe(rule)), None) is None:
        raise refuse("never yields a date")
    return rule


def _periodic(rule: rrule) -> rrule:
    """``rule`` with ``COUNT`` replaced by the ``UNTIL`` of its last occurrence, found
    from the occurrences in one cycle (each cycle holds as many), so that it repeats."""
    count = _part(rule, "count")
    if count is None or _part(rule, "byeaster") is not None:
        return rule
    endless = rule.replace(count=None)
    cycle = _cycle(endless)
    assert cycle is not None  # for mypy: no COUNT, no BYEASTER
    start = _part(endless, "dtstart")
    if start.year + cycle > MAXYEAR:
        return rule
    first: list[datetime] = []
    for occurrence in endless:  # one cycle holds at least one: _expandable probed it
        if occurrence >= start.replace(year=start.year + cycle) or len(first) == count:
            break
        first.append(occurrence)
    laps, index = divmod(count - 1, len(first))
    if start.year + laps * cycle > MAXYEAR:
        return endless
    last = first[index]
    last = last.replace(year=last.year + laps * cycle)
    until = _part(endless, "until")
    if until is not None and until < last:
        return endless
    return endless.replace(until=last)


def _probe(rule: rrule) -> rrule:
    """A rule with the dates of ``rule`` (ignoring ``UNTIL``) whose expansion ends within
    two cycles: ``dateutil`` looks for a match up to year 9999 before giving up."""
    cycle = _cycle(rule)
    start = _part(rule, "dtstart")
    if cycle is None:  # COUNT bounds it, or a yearly BYEASTER rule: few periods a year
        return rule.replace(until=None)
    if _part(rule, "freq") == DAILY:
        # A daily rule takes no date from its DTSTART, so any start a whole number of
        # intervals later yields the same dates after it: one cycle before year 9999.
        step = int(_part(rule, "interval"))
        target = date(max(MAXYEAR - cycle, start.year), 1, 1).toordinal()
        days = (target - start.toordinal()) // step * step
        return rule.replace(dtstart=start + timedelta(days=max(days, 0)), until=None)
    shift = max(0, (MAXYEAR - 2 * cycle - start.year) // cycle + 1) * cycle
    if start.year + shift > MAXYEAR - cycle:
        shift -= cycle
    return rule.replace(dtstart=start.replace(year=start.year + shift), until=None)


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
    _expansion: _Expansion = attrs.field(init=False, repr=False)

    @_expansion.default
    def _new_expansion(self) -> _Expansion:
        return _Expansion(self.rule)

    def occurs_on(self, day: date) -> bool:
        """Whether the rule yields ``day`` (occurrences are expanded a year at a time,
        from at most one 400-year cycle before it; see the module docstring)."""
        return day in self._expansion.year(day.year)

    def __reduce__(self) -> tuple[Any, ...]:
        # The expansion (a lock and a dateutil iterator) is rebuilt, not pickled.
        return (RecurringClosure, (self.rule, self.closed))

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


class _Expansion:
    """The dates a rule yields, by year: one ``dateutil`` iterator that moves forward
    and keeps what it passed, restarted a cycle before a year too far ahead of it.
    Thread-safe (a lock around the iterator)."""

    def __init__(self, rule: rrule) -> None:
        self._rule = _periodic(rule)
        self._cycle = _cycle(self._rule)
        self._years: dict[int, frozenset[date]] = {}
        self._lock = threading.Lock()
        self._iterator: Iterator[datetime] | None = None
        self._pending: datetime | None = None  # the next occurrence, not yet filed
        self._done = 0  # the years up to this one are complete (with the current iterator)

    def year(self, year: int) -> frozenset[date]:
        found = self._years.get(year)
        if found is not None:
            return found
        with self._lock:
            if year not in self._years:
                self._expand(year)
            return self._years[year]

    def _expand(self, year: int) -> None:
        start = _part(self._rule, "dtstart").year
        if year < start:
            self._years[year] = frozenset()
            return
        fresh = self._iterator is None or year <= self._done
        cycle = self._cycle
        if cycle is not None and (fresh or year - self._done > cycle) and year - start > cycle:
            # Restart within a cycle before ``year``.
            shift = (year - 1 - start) // cycle * cycle
            moved = _part(self._rule, "dtstart").replace(year=start + shift)
            self._restart(iter(self._rule.replace(dtstart=moved)), start + shift)
            fresh = False
        if fresh:
            self._restart(iter(self._rule), start - 1)
        assert self._iterator is not None  # for mypy: _restart set it
        filed: dict[int, set[date]] = {}
        while self._pending is not None and self._pending.year <= year:
            filed.setdefault(self._pending.year, set()).add(self._pending.date())
            self._pending = next(self._iterator, None)
        for done in range(self._done + 1, year + 1):
            self._years[done] = frozenset(filed.get(done, ()))
        self._done = year

    def _restart(self, iterator: Iterator[datetime], done: int) -> None:
        """Expand from ``iterator``, whose first occurrence starts the year after ``done``
        (the year it starts in is incomplete, unless it is the rule's own)."""
        self._iterator, self._done = iterator, done
        self._pending = next(iterator, None)
