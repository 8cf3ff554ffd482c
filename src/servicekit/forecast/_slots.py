"""The slots of a calendar: local wall-clock intervals of a fixed length inside its open
hours, and the contacts counted in each."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs

from servicekit._checks import collection, finite, of_kind
from servicekit._time import from_us, require_aware, to_us
from servicekit.calendars import Calendar
from servicekit.durations import checked_duration, format_duration
from servicekit.errors import InvalidInputError, ServicekitError, short
from servicekit.tickets import Ticket

MAX_SLOTS = 20_000
"""The most slots one series may hold (a year of half hours around the clock is
17,520); more raise :class:`~servicekit.errors.InvalidInputError`."""

MAX_DAYS = 740
"""The longest span, in days, a series may cover (about two years)."""

DAY_SECONDS = 86_400
_US = 1_000_000
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def check_slot_length(value: object) -> timedelta:
    """A slot length: at least a minute, whole minutes, dividing a day evenly."""
    length = checked_duration("slot", value, positive=True)
    seconds = length.total_seconds()
    if length % timedelta(minutes=1) or seconds > DAY_SECONDS or DAY_SECONDS % seconds:
        raise InvalidInputError(
            "slot must be whole minutes that divide a day evenly (15m, 30m, 1h), "
            f"got {short(value)}"
        )
    return length


def check_day(name: str, value: object) -> date:
    """A ``date`` (not a ``datetime``)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInputError(f"{name} must be a date, got {short(value)}")
    return value


def check_days(name: str, value: object) -> int:
    """A whole number of days, 1 to :data:`MAX_DAYS`."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DAYS:
        raise InvalidInputError(
            f"{name} must be a whole number of days, 1 to {MAX_DAYS}, got {short(value)}"
        )
    return value


@attrs.frozen(kw_only=True)
class Slot:
    """One slot: a local date and a wall-clock cell of that date, and the open time in it.

    Attributes:
        day: the local date of the cell.
        start: the cell's wall-clock start, from local midnight (``09:30`` is 9.5 h).
        open_time: the real time the calendar is open in the cell: the slot length,
            less closed parts; 0 to 2 slot lengths (the hour clocks go back repeats
            its wall-clock cells, and both runs count in one slot).
        opens_at: the first open instant of the cell, in the calendar's zone.
    """

    day: date
    start: timedelta
    open_time: timedelta
    opens_at: datetime

    @property
    def weekday(self) -> int:
        """The cell's weekday, Monday 0 to Sunday 6."""
        return self.day.weekday()

    @property
    def label(self) -> str:
        """``"Mon 2026-03-09 09:30"``."""
        seconds = int(self.start.total_seconds())
        return (
            f"{_DAY_NAMES[self.weekday]} {self.day.isoformat()} "
            f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
        )


@attrs.frozen(kw_only=True)
class SlotGrid:
    """The slots of a calendar over whole local days: what every series is laid on.

    Attributes:
        calendar: the calendar whose open hours the slots cover.
        slot: the slots' wall-clock length.
        start: the first local date.
        days: how many local dates.
        slots: the open slots, in time order.
    """

    calendar: Calendar
    slot: timedelta
    start: date
    days: int
    slots: tuple[Slot, ...]
    _pieces: tuple[tuple[int, int, int], ...] = attrs.field(repr=False, eq=False)
    _index: dict[tuple[date, int], int] = attrs.field(repr=False, eq=False)

    @property
    def end(self) -> date:
        """The first local date after the grid."""
        return self.start + timedelta(days=self.days)

    @property
    def cells_per_day(self) -> int:
        """Wall-clock cells in one day (48 for half hours)."""
        return DAY_SECONDS // int(self.slot.total_seconds())

    def window(self, start: date, days: int) -> SlotGrid | None:
        """The slots of ``days`` dates from ``start`` as a grid of their own, when this
        grid covers them (cheaper than building them again), else ``None``."""
        if start < self.start or start + timedelta(days=days) > self.end:
            return None
        end = start + timedelta(days=days)
        low = bisect.bisect_left(self.slots, start, key=_day)
        high = bisect.bisect_left(self.slots, end, key=_day)
        slots = self.slots[low:high]
        first = bisect.bisect_left(self._pieces, start, key=self._piece_day)
        last = bisect.bisect_left(self._pieces, end, key=self._piece_day)
        return SlotGrid(
            calendar=self.calendar,
            slot=self.slot,
            start=start,
            days=days,
            slots=slots,
            pieces=tuple((a, b, at - low) for a, b, at in self._pieces[first:last]),
            index={(s.day, int(s.start.total_seconds())): n for n, s in enumerate(slots)},
        )

    def _piece_day(self, piece: tuple[int, int, int]) -> date:
        return self.slots[piece[2]].day

    def find(self, day: date, start: timedelta) -> int | None:
        """The index of the slot of ``day`` starting at wall clock ``start``, if open."""
        return self._index.get((day, int(start.total_seconds())))

    def slot_of(self, instant: datetime) -> int | None:
        """The index of the slot holding ``instant``, or ``None`` when closed or outside."""
        us = to_us(instant, "instant")
        return self._slot_of_us(us)

    def _slot_of_us(self, us: int) -> int | None:
        at = bisect.bisect_right(self._pieces, (us, math.inf, math.inf)) - 1
        if at >= 0:
            begin, end, index = self._pieces[at]
            if begin <= us < end:
                return index
        return None


def _day(item: Slot) -> date:
    return item.day


def _cut(t: int, end: int, tz: ZoneInfo, length: int) -> tuple[int, date, int]:
    """From ``t`` (us, open), the end of its wall-clock cell (at most ``end``), its
    local date and its wall-clock start in seconds: cells end where the wall clock
    reaches the next multiple of ``length``, or where the zone's offset changes."""
    local = from_us(t, tz)
    offset = local.utcoffset()
    wall_us = (local.hour * 3600 + local.minute * 60 + local.second) * _US + local.microsecond
    into = wall_us % (length * _US)
    label = (wall_us - into) // _US
    cut = min(t + length * _US - into, end)
    if from_us(cut - 1, tz).utcoffset() != offset:  # a transition inside: find it
        low, high = t, cut - 1  # offset(low) == offset, offset(high) != offset
        while high - low > 1:
            middle = (low + high) // 2
            if from_us(middle, tz).utcoffset() == offset:
                low = middle
            else:
                high = middle
        cut = high
    return cut, local.date(), label


def slot_grid(calendar: Calendar, *, start: date, days: int, slot: object = "30m") -> SlotGrid:
    """The open slots of ``calendar`` on ``days`` local dates from ``start``.

    A slot is a wall-clock cell of length ``slot`` (``09:00-09:30``) in the calendar's
    zone, kept when the calendar is open for some of it; its ``open_time`` is how long
    (holidays, overrides and closures are the calendar's, so respected). DST: the
    cells of a spring-forward gap do not exist that day; the hour clocks go back runs
    twice through the same cells, and each such slot holds both runs (an
    ``open_time`` of twice the length). Forecasts compare slots by rate (contacts per
    hour open), so both stay right.

    Args:
        calendar: any :class:`~servicekit.calendars.Calendar`.
        start: the first local date.
        days: local dates to cover, 1 to :data:`MAX_DAYS`.
        slot: the cell length: whole minutes dividing a day (``"15m"``, ``"30m"``, ``"1h"``).

    Raises:
        InvalidInputError: a bad argument, or more than :data:`MAX_SLOTS` slots.

    >>> from datetime import date
    >>> from servicekit.calendars import BusinessCalendar
    >>> cal = BusinessCalendar(tz="Europe/Berlin", weekly={"mon-sat": ["09:00-15:30"]},
    ...                        holidays={date(2026, 4, 6)})
    >>> grid = slot_grid(cal, start=date(2026, 4, 6), days=7)
    >>> len(grid.slots), grid.slots[0].label, grid.slots[-1].label
    (65, 'Tue 2026-04-07 09:00', 'Sat 2026-04-11 15:00')
    """
    if not isinstance(calendar, Calendar):
        raise InvalidInputError(f"calendar must be a Calendar, got {short(calendar)}")
    first = check_day("start", start)
    count = check_days("days", days)
    length = check_slot_length(slot)
    tz = calendar.tz
    try:
        begin = datetime.combine(first, time(), tz)
        finish = datetime.combine(first + timedelta(days=count), time(), tz)
    except OverflowError as exc:
        raise InvalidInputError(f"start {first} plus {count} days is beyond the calendar") from exc
    seconds = int(length.total_seconds())
    slots: list[Slot] = []
    open_us: list[int] = []
    pieces: list[tuple[int, int, int]] = []
    index: dict[tuple[date, int], int] = {}
    for opened, closed in calendar.intervals(begin, finish):
        t, end = to_us(opened), to_us(closed)
        while t < end:
            cut, day, label = _cut(t, end, tz, seconds)
            key = (day, label)
            at = index.get(key)
            if at is None:
                if len(slots) >= MAX_SLOTS:
                    raise InvalidInputError(
                        f"{count} days of {format_duration(length)} slots is more than "
                        f"{MAX_SLOTS:,} slots; use longer slots or fewer days"
                    )
                at = index[key] = len(slots)
                slots.append(
                    Slot(
                        day=day,
                        start=timedelta(seconds=label),
                        open_time=timedelta(0),
                        opens_at=from_us(t, tz),
                    )
                )
                open_us.append(0)
            open_us[at] += cut - t
            if pieces and pieces[-1][1] == t and pieces[-1][2] == at:
                pieces[-1] = (pieces[-1][0], cut, at)
            else:
                pieces.append((t, cut, at))
            t = cut
    done = tuple(
        attrs.evolve(s, open_time=timedelta(microseconds=us))
        for s, us in zip(slots, open_us, strict=True)
    )
    return SlotGrid(
        calendar=calendar,
        slot=length,
        start=first,
        days=count,
        slots=done,
        pieces=tuple(pieces),
        index=index,
    )


def _weight(value: object, position: int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInputError(f"counts[{position}] must be a number, got {short(value)}")
    if value < 0:
        raise InvalidInputError(f"counts[{position}] cannot be negative, got {short(value)}")
    return float(value)


def _instant(value: object, position: int) -> int:
    if isinstance(value, Ticket):
        value = value.created_at
    if not isinstance(value, datetime):
        raise InvalidInputError(
            f"instants[{position}] must be an aware datetime or a Ticket, got {short(value)}"
        )
    try:
        return to_us(require_aware(value, f"instants[{position}]"))
    except ServicekitError:
        raise
    except (OverflowError, ValueError) as exc:  # an offset beyond datetime's range
        raise InvalidInputError(f"instants[{position}]: {short(value)} has no instant") from exc


@attrs.frozen(kw_only=True)
class SlotCounts:
    """Contacts counted in each slot of a :class:`SlotGrid`.

    Attributes:
        grid: the slots.
        counts: contacts per slot, aligned with ``grid.slots``.
        closed: contacts inside the covered dates but while the calendar was closed
            (not in any slot).
        outside: contacts before or after the covered dates.
    """

    grid: SlotGrid
    counts: tuple[float, ...]
    closed: float
    outside: float
    rates: tuple[float, ...] = attrs.field(init=False, repr=False, eq=False)
    """Contacts per hour open in each slot."""

    def __attrs_post_init__(self) -> None:  # checks first, then the rates
        of_kind(self.grid, SlotGrid, "grid")
        counts = tuple(finite("counts", n, low=0) for n in collection(self.counts, "counts"))
        if len(counts) != len(self.grid.slots):
            raise InvalidInputError(
                f"counts: {len(counts)} values for {len(self.grid.slots)} slots"
            )
        finite("closed", self.closed, low=0)
        finite("outside", self.outside, low=0)
        hour = timedelta(hours=1)
        rates = tuple(
            count / (item.open_time / hour)
            for count, item in zip(counts, self.grid.slots, strict=True)
        )
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "rates", rates)

    @property
    def total(self) -> float:
        """Contacts in the slots."""
        return sum(self.counts)

    def rate(self, index: int) -> float:
        """Contacts per hour open in slot ``index``."""
        return self.rates[index]

    def to_rows(self) -> list[dict[str, object]]:
        """One plain dict per slot (``day``, ``start``, ``open_time``, ``contacts``)."""
        return [
            {"day": s.day, "start": s.start, "open_time": s.open_time, "contacts": c}
            for s, c in zip(self.grid.slots, self.counts, strict=True)
        ]


def contacts_per_slot(
    instants: Iterable[datetime | Ticket],
    *,
    calendar: Calendar,
    start: date,
    days: int,
    slot: object = "30m",
    counts: Iterable[float] | None = None,
) -> SlotCounts:
    """Count contacts per slot of ``calendar`` (see :func:`slot_grid`).

    Args:
        instants: when each contact came: aware datetimes, or tickets (their
            creation instant).
        calendar, start, days, slot: the slots, as :func:`slot_grid` builds them.
        counts: optional contacts per instant (a counts column beside a column of
            period starts); each count goes to the slot holding its instant, so use
            slots no finer than the counts' periods. Default: one per instant.

    Returns:
        The counts; contacts in closed hours or outside the dates are counted apart,
        never dropped silently.

    Raises:
        InvalidInputError: a naive or non-datetime instant, a negative or non-number
            count, columns of different lengths, or a bad slot argument.

    >>> from datetime import date, datetime
    >>> from zoneinfo import ZoneInfo
    >>> from servicekit.calendars import BusinessCalendar
    >>> cal = BusinessCalendar(tz="Europe/Berlin", weekly={"mon-fri": ["09:00-17:00"]})
    >>> at = lambda h, m: datetime(2026, 3, 9, h, m, tzinfo=ZoneInfo("Europe/Berlin"))
    >>> counted = contacts_per_slot([at(9, 5), at(9, 25), at(9, 40), at(20, 0)],
    ...                             calendar=cal, start=date(2026, 3, 9), days=7)
    >>> counted.counts[:3], counted.closed, counted.outside
    ((2.0, 1.0, 0.0), 1.0, 0.0)
    """
    grid = slot_grid(calendar, start=start, days=days, slot=slot)
    totals = [0.0] * len(grid.slots)
    closed = outside = 0.0
    low, high = (
        to_us(datetime.combine(grid.start, time(), calendar.tz)),
        to_us(datetime.combine(grid.end, time(), calendar.tz)),
    )
    column: object = instants
    if isinstance(column, str | bytes) or not isinstance(column, Iterable):
        raise InvalidInputError(f"instants must be a column of datetimes, got {short(instants)}")
    weights: Iterable[object]
    if counts is None:
        weights = _ones()
    else:
        given: object = counts
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            raise InvalidInputError(f"counts must be a column of numbers, got {short(counts)}")
        weights = given
    position = -1
    iterator = iter(weights)
    for position, value in enumerate(instants):
        try:
            raw = next(iterator)
        except StopIteration:
            raise InvalidInputError(f"counts has {position} values, fewer than instants") from None
        weight = 1.0 if counts is None else _weight(raw, position)
        us = _instant(value, position)
        at = grid._slot_of_us(us)
        if at is not None:
            totals[at] += weight
        elif low <= us < high:
            closed += weight
        else:
            outside += weight
    if counts is not None and next(iterator, None) is not None:
        raise InvalidInputError(f"counts has more values than the {position + 1} instants")
    return SlotCounts(grid=grid, counts=tuple(totals), closed=closed, outside=outside)


def _ones() -> Iterable[object]:
    while True:
        yield 1.0
