"""Baseline forecasts per slot: seasonal naive and the k-week average of the same slot,
holidays read as a chosen like day; and the forecast as a staffing table's input."""

from __future__ import annotations

import bisect
from collections.abc import Container
from datetime import date, timedelta
from typing import Any

import attrs

from servicekit.calendars import BusinessCalendar
from servicekit.calendars._hours import weekday_indexes
from servicekit.errors import ConfigError, InvalidInputError, ServicekitError, short
from servicekit.forecast._slots import (
    SlotCounts,
    SlotGrid,
    check_day,
    check_days,
    slot_grid,
)
from servicekit.staffing import DurationLike, StaffingTable, TargetLike, staffing_table

MAX_WEEKS = 52
"""The most weeks a :func:`weekly_average` averages."""

EXTRA_WEEKS = 3
"""How many more like days a baseline looks back past a reference slot that was closed."""

_HOUR = timedelta(hours=1)


def _like(value: object) -> int | None:
    if value == "skip":
        return None
    try:
        days = weekday_indexes(value, "like") if isinstance(value, str) else ()
    except ConfigError:
        days = ()
    if len(days) != 1:
        raise InvalidInputError(
            f"like must be 'skip' or one weekday ('sun', 'sat', ...), got {short(value)}"
        )
    return days[0]


@attrs.frozen
class Profiles:
    """Which history days stand for which weekday: a holiday is ``like``'s weekday, or
    no weekday at all (skipped)."""

    holidays: Container[date]
    like: int | None
    days: dict[int, list[date]]

    @classmethod
    def of(cls, history: SlotCounts, holidays: object, like: object) -> Profiles:
        calendar = history.grid.calendar
        chosen: Container[date]
        if holidays is None:
            chosen = calendar.holidays if isinstance(calendar, BusinessCalendar) else frozenset()
        elif isinstance(holidays, Container) and not isinstance(holidays, str | bytes):
            chosen = holidays
        else:
            raise InvalidInputError(f"holidays must be a set of dates, got {short(holidays)}")
        index = _like(like)
        days: dict[int, list[date]] = {weekday: [] for weekday in range(7)}
        profiles = cls(chosen, index, days)
        for offset in range(history.grid.days):
            day = history.grid.start + timedelta(days=offset)
            profile = profiles.reference_profile(day)
            if profile is not None:
                days[profile].append(day)
        return profiles

    def _is_holiday(self, day: date) -> bool:
        try:
            return day in self.holidays
        except ServicekitError:  # a HolidaySet beyond its years: not a known holiday
            return False

    def reference_profile(self, day: date) -> int | None:
        """The weekday a history day counts as, or ``None`` when it is skipped."""
        if self._is_holiday(day):
            return self.like
        return day.weekday()

    def target_profile(self, day: date) -> int:
        """The weekday a forecast day is forecast as."""
        if self.like is not None and self._is_holiday(day):
            return self.like
        return day.weekday()

    def references(self, profile: int, before: date, count: int) -> list[date]:
        """The ``count`` latest history days standing for ``profile`` before ``before``."""
        days = self.days[profile]
        end = bisect.bisect_left(days, before)
        return days[max(0, end - count) : end][::-1]


def rates_for(
    history: SlotCounts,
    references: list[date],
    start: timedelta,
    weeks: int,
) -> float | None:
    """The mean rate (contacts per hour open) of the slot ``start`` on the first
    ``weeks`` of the ``references`` days on which it was open, or ``None``."""
    index, rates = history.grid._index, history.rates
    seconds = int(start.total_seconds())
    found: list[float] = []
    for reference in references:
        at = index.get((reference, seconds))
        if at is not None:
            found.append(rates[at])
            if len(found) == weeks:
                break
    return sum(found) / len(found) if found else None


@attrs.frozen(kw_only=True)
class Forecast:
    """Contacts expected in each slot of a :class:`SlotGrid`.

    Attributes:
        method: what made it (``"seasonal naive"``, ``"4-week average"``).
        grid: the forecast's slots.
        values: contacts per slot, aligned with ``grid.slots``; ``None`` where no
            reference slot was open (a slot the history never saw).
    """

    method: str
    grid: SlotGrid
    values: tuple[float | None, ...]

    @property
    def total(self) -> float:
        """Contacts expected over all slots that have a forecast."""
        return sum(value for value in self.values if value is not None)

    @property
    def missing(self) -> int:
        """Slots without a forecast."""
        return sum(value is None for value in self.values)

    def calls(self) -> list[float]:
        """Contacts per wall-clock cell of every day, closed cells included (0), each at
        its slot's rate for a whole cell: the input :func:`staffing_table` expects
        (``start`` 0, ``interval`` the slot length). A slot open for part of its cell
        is staffed for its rate while open; one holding the repeated hour of a DST
        change counts half each time.

        Raises:
            InvalidInputError: a slot has no forecast (named).
        """
        per_day = self.grid.cells_per_day
        calls = [0.0] * (self.grid.days * per_day)
        for item, value in zip(self.grid.slots, self.values, strict=True):
            if value is None:
                raise InvalidInputError(f"slot {item.label} has no forecast: no history for it")
            cell = (item.day - self.grid.start).days * per_day + int(item.start / self.grid.slot)
            calls[cell] += value * (self.grid.slot / item.open_time)
        return calls

    def to_staffing(
        self,
        *,
        aht: DurationLike,
        target: TargetLike,
        service_level: float = 0.8,
        max_occupancy: float | None = None,
        shrinkage: float = 0.0,
        patience: DurationLike | None = None,
    ) -> StaffingTable:
        """The staffing table of this forecast, one row per cell of every day.

        Arguments are :func:`~servicekit.staffing.staffing_table`'s.

        >>> from datetime import date
        >>> from servicekit.calendars import BusinessCalendar
        >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
        >>> from servicekit.forecast import contacts_per_slot
        >>> history = contacts_per_slot([], calendar=cal, start=date(2026, 3, 2), days=7,
        ...                             slot="1h", counts=[])
        >>> table = seasonal_naive(history, start=date(2026, 3, 9)).to_staffing(
        ...     aht="5m", target="1m")
        >>> len(table.rows), table.interval
        (168, datetime.timedelta(seconds=3600))
        """
        return staffing_table(
            self.calls(),
            interval=self.grid.slot,
            aht=aht,
            target=target,
            service_level=service_level,
            max_occupancy=max_occupancy,
            shrinkage=shrinkage,
            patience=patience,
        )

    def to_rows(self) -> list[dict[str, Any]]:
        """One plain dict per slot (``day``, ``start``, ``open_time``, ``forecast``)."""
        return [
            {"day": s.day, "start": s.start, "open_time": s.open_time, "forecast": v}
            for s, v in zip(self.grid.slots, self.values, strict=True)
        ]

    def explain(self) -> str:
        """Contacts expected per day, for a person."""
        per_day: dict[date, float] = {}
        for item, value in zip(self.grid.slots, self.values, strict=True):
            per_day[item.day] = per_day.get(item.day, 0.0) + (value or 0.0)
        lines = [f"{self.method}: {self.total:.0f} contacts over {self.grid.days} days"]
        lines += [f"  {day:%a %Y-%m-%d}  {total:8.1f}" for day, total in per_day.items()]
        if self.missing:
            lines.append(f"  {self.missing} slots have no history and no forecast")
        return "\n".join(lines)


def _forecast(
    history: SlotCounts,
    *,
    start: date,
    days: int,
    weeks: int,
    holidays: object,
    like: object,
    method: str,
) -> Forecast:
    if not isinstance(history, SlotCounts):
        raise InvalidInputError(f"history must be SlotCounts, got {short(history)}")
    origin = check_day("start", start)
    span = check_days("days", days)
    if origin < history.grid.start + timedelta(days=1):
        raise InvalidInputError(
            f"start {origin} leaves no history: the history begins {history.grid.start}"
        )
    profiles = Profiles.of(history, holidays, like)
    grid = history.grid.window(origin, span) or slot_grid(
        history.grid.calendar, start=origin, days=span, slot=history.grid.slot
    )
    references: dict[int, list[date]] = {}
    values = []
    for item in grid.slots:
        profile = profiles.target_profile(item.day)
        if profile not in references:
            references[profile] = profiles.references(profile, origin, weeks + EXTRA_WEEKS)
        rate = rates_for(history, references[profile], item.start, weeks)
        values.append(None if rate is None else rate * (item.open_time / _HOUR))
    return Forecast(method=method, grid=grid, values=tuple(values))


def seasonal_naive(
    history: SlotCounts,
    *,
    start: date,
    days: int = 7,
    holidays: Container[date] | None = None,
    like: str = "skip",
) -> Forecast:
    """Each slot as the same slot on the latest like day before ``start`` (last week's
    Monday 09:30 for every Monday 09:30 ahead), scaled by open time.

    Only history before ``start`` is read, so ``start`` inside the history is an
    honest forecast from that origin. A reference slot that was closed is passed over
    for the like day before it (up to :data:`EXTRA_WEEKS` more).

    Args:
        history: contacts per slot, from :func:`contacts_per_slot`.
        start: the first local date to forecast; the history must begin before it.
        days: local dates to forecast.
        holidays: the dates read as ``like`` (default: the calendar's holidays).
        like: ``"skip"`` (a holiday in the history is no reference; one ahead is
            forecast as its own weekday) or a weekday (``"sun"``: a holiday is a
            Sunday, in the history and ahead).

    Raises:
        InvalidInputError: ``history`` is not :class:`SlotCounts`, ``start`` leaves no
            history, a bad ``days`` or ``like``.

    >>> from datetime import date, datetime
    >>> from zoneinfo import ZoneInfo
    >>> from servicekit.calendars import BusinessCalendar
    >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-11:00"]})
    >>> created = [datetime(2026, 3, 2, 9, 10, tzinfo=ZoneInfo("UTC"))] * 3
    >>> from servicekit.forecast import contacts_per_slot
    >>> history = contacts_per_slot(created, calendar=cal, start=date(2026, 3, 2), days=7,
    ...                             slot="1h")
    >>> seasonal_naive(history, start=date(2026, 3, 9)).values[:3]
    (3.0, 0.0, 0.0)
    """
    return _forecast(
        history,
        start=start,
        days=days,
        weeks=1,
        holidays=holidays,
        like=like,
        method="seasonal naive",
    )


def weekly_average(
    history: SlotCounts,
    *,
    start: date,
    days: int = 7,
    weeks: int = 4,
    holidays: Container[date] | None = None,
    like: str = "skip",
) -> Forecast:
    """Each slot as the mean rate of the same slot on the ``weeks`` latest like days
    before ``start`` (fewer when the history is shorter), scaled by open time.

    Taylor (2008, Management Science 54:253-265) found that beyond two or three days
    ahead such a simple average of the same period is hard to beat; :func:`backtest`
    shows whether that holds on your data.

    Args:
        weeks: how many like days to average, 1 to :data:`MAX_WEEKS`.
        history, start, days, holidays, like: as :func:`seasonal_naive`.

    Raises:
        InvalidInputError: as :func:`seasonal_naive`, or a bad ``weeks``.

    >>> from datetime import date, datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from servicekit.calendars import BusinessCalendar
    >>> cal = BusinessCalendar(tz="UTC", weekly={"mon": ["09:00-10:00"]})
    >>> monday = datetime(2026, 3, 2, 9, 10, tzinfo=ZoneInfo("UTC"))
    >>> created = [monday] * 2 + [monday + timedelta(weeks=1)] * 4
    >>> from servicekit.forecast import contacts_per_slot
    >>> history = contacts_per_slot(created, calendar=cal, start=date(2026, 3, 2), days=14,
    ...                             slot="1h")
    >>> weekly_average(history, start=date(2026, 3, 16), weeks=2).values
    (3.0,)
    """
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise InvalidInputError(
            f"weeks must be a whole number 1 to {MAX_WEEKS}, got {short(weeks)}"
        )
    return _forecast(
        history,
        start=start,
        days=days,
        weeks=weeks,
        holidays=holidays,
        like=like,
        method=f"{weeks}-week average",
    )
