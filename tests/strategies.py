"""Hypothesis strategies shared by the test suite: calendars in DST-heavy zones and
instants concentrated around their transitions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import WEEKLY, rrule
from hypothesis import strategies as st

from servicekit.calendars import BusinessCalendar, RecurringClosure, WallInterval
from servicekit.calendars._hours import DAY

ZONES = (
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "America/Santiago",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "UTC",
)
YEAR = 2026
MINUTE = 60


def transitions(zone: ZoneInfo, year: int = YEAR) -> list[datetime]:
    """UTC instants in ``year`` at which ``zone``'s offset changes (found hourly)."""
    found = []
    t = datetime(year, 1, 1, tzinfo=UTC)
    previous = t.astimezone(zone).utcoffset()
    while t.year == year:
        t += timedelta(minutes=30)
        offset = t.astimezone(zone).utcoffset()
        if offset != previous:
            found.append(t)
            previous = offset
    return found


_TRANSITIONS = {name: transitions(ZoneInfo(name)) for name in ZONES}


@st.composite
def day_hours(draw: st.DrawFn) -> list[tuple[int, int]]:
    """0-3 disjoint, non-touching intervals inside one day (seconds)."""
    count = draw(st.integers(0, 3))
    points = draw(
        st.lists(
            st.integers(0, 24 * 4).map(lambda q: q * 15 * MINUTE),
            min_size=2 * count,
            max_size=2 * count,
            unique=True,
        )
    )
    points.sort()
    return [(points[i], points[i + 1]) for i in range(0, len(points), 2)]


def _spec(start: int, end: int) -> WallInterval:
    return WallInterval(start, end)


@st.composite
def calendars(draw: st.DrawFn, zones: tuple[str, ...] = ZONES) -> BusinessCalendar:
    """Random weekly hours (split days, overnight shifts, 24:00 closes), holidays,
    overrides and a recurring closure, in zones with unusual DST."""
    tz = draw(st.sampled_from(zones))
    week = [draw(day_hours()) for _ in range(7)]
    if not any(week):
        week[0] = [(9 * 3600, 17 * 3600)]
    # Turn some last intervals that close at midnight into overnight shifts.
    for index in range(7):
        following = week[(index + 1) % 7]
        limit = following[0][0] if following else DAY
        if week[index] and week[index][-1][1] == DAY and draw(st.booleans()):
            start, _ = week[index][-1]
            longest = min(limit, start - MINUTE)  # an interval lasts under 24 hours
            if longest >= MINUTE:
                spill = draw(st.integers(1, longest // MINUTE)) * MINUTE
                week[index][-1] = (start, DAY + spill)
    weekly = {
        name: [_spec(s, e) for s, e in hours]
        for name, hours in zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), week, strict=True)
    }
    holidays = draw(
        st.frozensets(st.dates(date(YEAR - 1, 12, 1), date(YEAR + 1, 2, 1)), max_size=12)
    )
    overrides = {}
    for day in draw(
        st.lists(st.dates(date(YEAR, 1, 1), date(YEAR, 12, 31)), max_size=3, unique=True)
    ):
        hours = draw(day_hours())
        if not any(iv.end > DAY for iv in weekly[_name(day - timedelta(days=1))]):
            overrides[day] = [_spec(s, e) for s, e in hours]
    closures = []
    if draw(st.booleans()):
        weekday = draw(st.integers(0, 6))
        start = draw(st.integers(0, 22)) * 3600
        closures.append(
            RecurringClosure(
                rrule(WEEKLY, byweekday=weekday, interval=2, dtstart=datetime(YEAR - 1, 12, 1)),  # noqa: DTZ001 - floating dates
                closed=[WallInterval(start, start + 2 * 3600)],
            )
        )
    return BusinessCalendar(
        tz=tz, weekly=weekly, holidays=holidays, overrides=overrides, closures=closures
    )


def _name(day: date) -> str:
    return ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]


@st.composite
def instants(draw: st.DrawFn, calendar: BusinessCalendar) -> datetime:
    """An instant in ``YEAR`` (microseconds included), often within days of a DST change,
    expressed in the calendar's zone or in UTC."""
    anchors = _TRANSITIONS[calendar.tz.key] or [datetime(YEAR, 6, 1, tzinfo=UTC)]
    near = draw(st.booleans())
    if near:
        anchor = draw(st.sampled_from(anchors))
        t = anchor + timedelta(
            microseconds=draw(st.integers(-4 * 86_400_000_000, 4 * 86_400_000_000))
        )
    else:
        t = datetime(YEAR, 1, 15, tzinfo=UTC) + timedelta(
            microseconds=draw(st.integers(0, 330 * 86_400_000_000))
        )
    if draw(st.booleans()):
        t = t.replace(second=0, microsecond=0, minute=t.minute // 15 * 15)
    return t.astimezone(calendar.tz) if draw(st.booleans()) else t


def weekly_open_time(calendar: BusinessCalendar) -> timedelta:
    return timedelta(seconds=sum(iv.end - iv.start for day in calendar.weekly for iv in day))


@st.composite
def durations_for(draw: st.DrawFn, calendar: BusinessCalendar) -> timedelta:
    """A positive duration up to two weeks of the calendar's open time."""
    limit = weekly_open_time(calendar) * 2 // timedelta(microseconds=1)
    return timedelta(microseconds=draw(st.integers(1, max(1, limit))))
