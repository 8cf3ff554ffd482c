"""Business-time arithmetic agrees with the slow oracle and obeys its algebra."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from servicekit.calendars import BusinessCalendar
from servicekit.testing.reference import ReferenceCalendar
from servicekit.testing.strategies import calendars, durations, instants

ZERO = timedelta(0)
Case = tuple[BusinessCalendar, datetime, timedelta]


def utc(t: datetime) -> datetime:
    """Compare instants in UTC: PEP 495 makes inter-zone ``==`` False for any datetime
    whose wall time is ambiguous, even when the instants are the same."""
    return t.astimezone(UTC)


@st.composite
def calendar_and_instants(
    draw: st.DrawFn, count: int = 2
) -> tuple[BusinessCalendar, list[datetime]]:
    cal = draw(calendars())
    return cal, [draw(instants(cal)) for _ in range(count)]


@st.composite
def calendar_instant_duration(draw: st.DrawFn) -> Case:
    cal = draw(calendars())
    return cal, draw(instants(cal)), draw(durations(cal))


class TestAgainstOracle:
    @given(calendar_and_instants(2))
    def test_elapsed(self, case: tuple[BusinessCalendar, list[datetime]]) -> None:
        cal, (a, b) = case
        assert ReferenceCalendar(cal, a, days=400).elapsed(a, b) == cal.elapsed(a, b)

    @given(calendar_and_instants(1))
    def test_is_open_next_open_next_close(
        self, case: tuple[BusinessCalendar, list[datetime]]
    ) -> None:
        cal, (t,) = case
        oracle = ReferenceCalendar(cal, t)
        assert oracle.is_open(t) == cal.is_open(t)
        assert utc(oracle.next_open(t)) == utc(cal.next_open(t))
        assert utc(oracle.next_close(t)) == utc(cal.next_close(t))

    @given(calendar_instant_duration())
    def test_add(self, case: Case) -> None:
        cal, t, d = case
        assert utc(ReferenceCalendar(cal, t).add(t, d)) == utc(cal.add(t, d))

    @given(calendar_instant_duration())
    def test_subtract(self, case: Case) -> None:
        cal, t, d = case
        assert utc(ReferenceCalendar(cal, t).subtract(t, d)) == utc(cal.subtract(t, d))

    @given(calendar_and_instants(2))
    def test_intervals(self, case: tuple[BusinessCalendar, list[datetime]]) -> None:
        cal, (a, b) = case
        oracle = ReferenceCalendar(cal, a, days=400)
        a, b = utc(a), utc(b)
        expected = [(max(s, a), min(e, b)) for s, e in oracle.intervals if max(s, a) < min(e, b)]
        assert expected == [(utc(s), utc(e)) for s, e in cal.intervals(a, b)]


class TestAlgebra:
    @given(calendar_and_instants(3))
    def test_elapsed_is_additive(self, case: tuple[BusinessCalendar, list[datetime]]) -> None:
        cal, (a, b, c) = case
        assert cal.elapsed(a, b) + cal.elapsed(b, c) == cal.elapsed(a, c)

    @given(calendar_and_instants(2))
    def test_elapsed_is_antisymmetric(self, case: tuple[BusinessCalendar, list[datetime]]) -> None:
        cal, (a, b) = case
        assert cal.elapsed(a, b) == -cal.elapsed(b, a)

    @given(calendar_instant_duration())
    def test_add_then_elapsed_round_trips(self, case: Case) -> None:
        cal, t, d = case
        due = cal.add(t, d)
        assert utc(due) >= utc(t)
        assert cal.elapsed(t, due) == d
        assert due.tzinfo == cal.tz

    @given(calendar_instant_duration(), st.data())
    def test_add_composes(self, case: Case, data: st.DataObject) -> None:
        cal, t, d1 = case
        d2 = data.draw(durations(cal))
        start = cal.next_open(t)
        assert utc(cal.add(cal.add(start, d1), d2)) == utc(cal.add(start, d1 + d2))

    @given(calendar_instant_duration(), st.data())
    def test_add_is_monotonic(self, case: Case, data: st.DataObject) -> None:
        cal, t, d1 = case
        d2 = data.draw(durations(cal))
        assert (utc(cal.add(t, d1)) <= utc(cal.add(t, d2))) == (d1 <= d2) or d1 == d2

    @given(calendar_instant_duration())
    def test_subtract_inverts_add_on_open_instants(self, case: Case) -> None:
        cal, t, d = case
        start = cal.next_open(t)
        assert utc(cal.subtract(cal.add(start, d), d)) == utc(start)

    @given(calendar_instant_duration())
    def test_results_never_fall_inside_closed_time(self, case: Case) -> None:
        cal, t, d = case
        due = cal.add(t, d)
        # A due instant is open, or the close ending open time just before it.
        assert cal.is_open(due) or cal.elapsed(due - timedelta(microseconds=1), due) == timedelta(
            microseconds=1
        )
        assert cal.is_open(cal.subtract(t, d))

    @given(calendar_and_instants(1))
    def test_negative_and_zero_durations(
        self, case: tuple[BusinessCalendar, list[datetime]]
    ) -> None:
        cal, (t,) = case
        assert utc(cal.add(t, ZERO)) == utc(t)
        assert cal.add(t, -timedelta(hours=3)) == cal.subtract(t, timedelta(hours=3))


class TestLongSpans:
    def test_five_years_of_elapsed_matches_sum_of_years(self) -> None:
        ny = ZoneInfo("America/New_York")
        cal = BusinessCalendar(tz=ny, weekly={"mon-fri": ["09:00-17:00"]})
        years = [datetime(y, 1, 1, tzinfo=ny) for y in range(2024, 2030)]
        pieces = sum((cal.elapsed(a, b) for a, b in pairwise(years)), ZERO)
        assert cal.elapsed(years[0], years[-1]) == pieces
        weekdays = sum(
            1
            for n in range((years[-1] - years[0]).days)
            if (years[0] + timedelta(days=n)).weekday() < 5
        )
        assert pieces == timedelta(hours=8) * weekdays

    def test_adding_a_year_of_business_hours_inverts(self) -> None:
        ny = ZoneInfo("America/New_York")
        cal = BusinessCalendar(tz=ny, weekly={"mon-fri": ["09:00-17:00"]})
        start = datetime(2026, 1, 5, 9, tzinfo=ny)
        due = cal.add(start, timedelta(hours=2080))
        assert due == datetime(2027, 1, 1, 17, tzinfo=ny)
        assert cal.subtract(due, timedelta(hours=2080)) == start
