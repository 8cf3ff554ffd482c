"""Golden examples for every documented boundary (docs/calendars/boundaries.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import FR, MO, MONTHLY, WEEKLY, rrule

from servicekit.calendars import BusinessCalendar, HolidaySet, RecurringClosure
from servicekit.errors import BeyondHorizonError, NaiveDatetimeError, NeverOpensError

NY = ZoneInfo("America/New_York")
H = timedelta(hours=1)
# rrule occurrences are calendar dates: a floating (naive) dtstart is the usual form.
FLOATING_2026 = datetime(2026, 1, 1)  # noqa: DTZ001


def ny(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, *, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=NY)


@pytest.fixture
def office() -> BusinessCalendar:
    return BusinessCalendar(tz=NY, weekly={"mon-fri": ["09:00-12:00", "13:00-17:00"]})


class TestOpenClose:
    def test_close_instant_is_not_open(self, office: BusinessCalendar) -> None:
        assert office.is_open(ny(2026, 3, 6, 9))
        assert not office.is_open(ny(2026, 3, 6, 12))
        assert office.is_open(ny(2026, 3, 6, 16, 59, second=59, us=999999))
        assert not office.is_open(ny(2026, 3, 6, 17))

    def test_add_landing_on_close_is_that_close(self, office: BusinessCalendar) -> None:
        assert office.add(ny(2026, 3, 6, 16), H) == ny(2026, 3, 6, 17)
        assert office.add(ny(2026, 3, 6, 11), H) == ny(2026, 3, 6, 12)

    def test_add_starting_at_close_skips_to_next_opening(self, office: BusinessCalendar) -> None:
        assert office.add(ny(2026, 3, 6, 17), H) == ny(2026, 3, 9, 10)

    def test_subtract_lands_on_opening_not_previous_close(self, office: BusinessCalendar) -> None:
        assert office.subtract(ny(2026, 3, 9, 10), H) == ny(2026, 3, 9, 9)
        assert office.subtract(ny(2026, 3, 6, 14), H) == ny(2026, 3, 6, 13)

    def test_next_open_and_close(self, office: BusinessCalendar) -> None:
        assert office.next_open(ny(2026, 3, 6, 12)) == ny(2026, 3, 6, 13)
        assert office.next_open(ny(2026, 3, 6, 10)) == ny(2026, 3, 6, 10)
        assert office.next_close(ny(2026, 3, 6, 10)) == ny(2026, 3, 6, 12)
        assert office.next_close(ny(2026, 3, 6, 12)) == ny(2026, 3, 6, 17)

    def test_worked_example_friday_four_pm(self) -> None:
        cal = BusinessCalendar(tz=NY, weekly={"mon-fri": ["09:00-17:00"]})
        assert cal.add(ny(2026, 3, 6, 16), 4 * H) == ny(2026, 3, 9, 12)

    def test_results_are_in_calendar_zone(self, office: BusinessCalendar) -> None:
        due = office.add(datetime(2026, 3, 6, 22, tzinfo=UTC), H)
        assert due.tzinfo == NY
        assert due == ny(2026, 3, 9, 10)


class TestOvernightAndMerging:
    def test_touching_intervals_merge_across_midnight(self) -> None:
        cal = BusinessCalendar(tz=NY, weekly={"mon": ["22:00-24:00"], "tue": ["00:00-06:00"]})
        assert cal.next_close(ny(2026, 3, 2, 23)) == ny(2026, 3, 3, 6)
        assert cal.intervals(ny(2026, 3, 2), ny(2026, 3, 4)) == [
            (ny(2026, 3, 2, 22), ny(2026, 3, 3, 6))
        ]

    def test_overnight_interval_belongs_to_its_start_day(self) -> None:
        cal = BusinessCalendar(tz=NY, weekly={"fri": ["22:00-06:00"]}, holidays={date(2026, 3, 7)})
        # Saturday is a holiday, but Friday's shift started on Friday: it still runs.
        assert cal.is_open(ny(2026, 3, 7, 2))
        cal = BusinessCalendar(tz=NY, weekly={"fri": ["22:00-06:00"]}, holidays={date(2026, 3, 6)})
        assert not cal.is_open(ny(2026, 3, 7, 2))

    def test_overnight_shift_on_fall_back_night_is_an_hour_longer(self) -> None:
        cal = BusinessCalendar(tz=NY, weekly={"sat": ["22:00-06:00"]})
        start = ny(2026, 10, 31, 22)
        assert cal.elapsed(start, ny(2026, 11, 1, 6)) == 9 * H
        assert cal.elapsed(ny(2026, 10, 24, 22), ny(2026, 10, 25, 6)) == 8 * H

    def test_overnight_shift_on_spring_forward_night_is_an_hour_shorter(self) -> None:
        cal = BusinessCalendar(tz=NY, weekly={"sat": ["22:00-06:00"]})
        assert cal.elapsed(ny(2026, 3, 7, 22), ny(2026, 3, 8, 6)) == 7 * H


class TestDaylightSaving:
    def test_opening_in_gap_uses_offset_before_transition(self) -> None:
        cal = BusinessCalendar(tz=NY, weekly={"sun": ["02:30-05:00"]})
        # 02:30 does not exist on 2026-03-08; it resolves as 03:30 EDT (07:30 UTC).
        ((opening, closing),) = cal.intervals(ny(2026, 3, 8), ny(2026, 3, 9))
        assert opening.astimezone(UTC) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
        assert closing.astimezone(UTC) == datetime(2026, 3, 8, 9, tzinfo=UTC)

    def test_interval_emptied_by_gap_is_dropped(self) -> None:
        cal = BusinessCalendar(tz=NY, weekly={"sun": ["02:30-03:00", "09:00-10:00"]})
        day = cal.intervals(ny(2026, 3, 8), ny(2026, 3, 9))
        assert [(a.hour, b.hour) for a, b in day] == [(9, 10)]

    def test_ambiguous_wall_time_takes_earlier_instant(self) -> None:
        cal = BusinessCalendar(tz=NY, weekly={"sun": ["01:30-03:00"]})
        ((opening, closing),) = cal.intervals(ny(2026, 11, 1), ny(2026, 11, 2))
        assert opening.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
        assert cal.elapsed(opening, closing) == timedelta(hours=2, minutes=30)

    def test_lord_howe_half_hour_shift(self) -> None:
        lhi = ZoneInfo("Australia/Lord_Howe")
        cal = BusinessCalendar(tz=lhi, weekly={"sat": ["22:00-06:00"]})
        start = datetime(2026, 4, 4, 22, tzinfo=lhi)
        end = datetime(2026, 4, 5, 6, tzinfo=lhi)
        assert cal.elapsed(start, end) == timedelta(hours=8, minutes=30)


class TestHolidaysAndOverrides:
    def test_override_wins_over_holiday(self) -> None:
        cal = BusinessCalendar(
            tz=NY,
            weekly={"mon-fri": ["09:00-17:00"]},
            holidays={date(2026, 12, 24), date(2026, 12, 25)},
            overrides={date(2026, 12, 24): ["09:00-13:00"], date(2026, 12, 31): []},
        )
        assert cal.elapsed(ny(2026, 12, 24), ny(2026, 12, 26)) == 4 * H
        assert cal.elapsed(ny(2026, 12, 31), ny(2027, 1, 1)) == timedelta(0)

    def test_holiday_set_closes_days(self) -> None:
        us = HolidaySet.from_country("US", subdiv="NY", years=[2026])
        cal = BusinessCalendar(tz=NY, weekly={"mon-fri": ["09:00-17:00"]}, holidays=us)
        assert cal.add(ny(2026, 7, 2, 16), 2 * H) == ny(2026, 7, 6, 10)

    def test_add_business_days_skips_holidays_and_weekends(self) -> None:
        cal = BusinessCalendar(
            tz=NY, weekly={"mon-fri": ["09:00-17:00"]}, holidays={date(2026, 7, 3)}
        )
        assert cal.add_business_days(ny(2026, 7, 2, 10), 1) == ny(2026, 7, 6, 10)
        assert cal.add_business_days(ny(2026, 7, 6, 10), -1) == ny(2026, 7, 2, 10)
        assert cal.add_business_days(ny(2026, 7, 2, 18), 1) == ny(2026, 7, 7, 9)
        assert cal.add_business_days(ny(2026, 7, 4, 10), 0) == ny(2026, 7, 6, 9)


class TestRecurringClosures:
    def test_first_monday_staff_meeting(self) -> None:
        meeting = RecurringClosure(
            rrule(MONTHLY, byweekday=MO(1), dtstart=FLOATING_2026), closed=["09:00-10:00"]
        )
        cal = BusinessCalendar(tz=NY, weekly={"mon-fri": ["09:00-17:00"]}, closures=[meeting])
        assert cal.next_open(ny(2026, 2, 2, 9)) == ny(2026, 2, 2, 10)
        assert cal.next_open(ny(2026, 2, 9, 9)) == ny(2026, 2, 9, 9)


class TestCombined:
    def test_follow_the_sun_union_and_intersection(self) -> None:
        london = BusinessCalendar(tz="Europe/London", weekly={"mon-fri": ["09:00-17:00"]})
        ny_office = BusinessCalendar(tz=NY, weekly={"mon-fri": ["09:00-17:00"]})
        day = (datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 2, tzinfo=UTC))
        assert (london | ny_office).elapsed(*day) == 13 * H  # 08:00-21:00 UTC
        assert (london & ny_office).elapsed(*day) == 3 * H  # 13-16 UTC
        assert (london | ny_office).tz == ZoneInfo("Europe/London")


class TestNothingHangs:
    def test_holidays_every_day_for_decades(self) -> None:
        every_day = {date(2026, 1, 1) + timedelta(days=n) for n in range(366 * 150)}
        cal = BusinessCalendar(tz=NY, weekly={"mon-fri": ["09:00-17:00"]}, holidays=every_day)
        with pytest.raises(NeverOpensError):
            cal.next_open(ny(2026, 3, 1))
        with pytest.raises(NeverOpensError):
            cal.add(ny(2026, 3, 1), H)

    def test_looking_back_stops_at_the_horizon(self) -> None:
        every_day = {date(1920, 1, 1) + timedelta(days=n) for n in range(366 * 107)}
        closed = BusinessCalendar(tz=NY, weekly={"mon-fri": ["09:00-17:00"]}, holidays=every_day)
        with pytest.raises(NeverOpensError, match="before"):
            closed.subtract(ny(2026, 3, 1), H)
        one_day = BusinessCalendar(
            tz=NY, weekly={"mon-fri": ["09:00-17:00"]}, holidays=every_day - {date(2020, 6, 1)}
        )
        assert one_day.subtract(ny(2026, 3, 1), H) == ny(2020, 6, 1, 16)
        with pytest.raises(BeyondHorizonError, match="9:00:00 of business time before"):
            one_day.subtract(ny(2026, 3, 1), 9 * H)

    def test_always_open_never_closes(self) -> None:
        with pytest.raises(BeyondHorizonError):
            BusinessCalendar.always().next_close(ny(2026, 3, 1))

    def test_no_open_hours_at_construction(self) -> None:
        with pytest.raises(NeverOpensError):
            BusinessCalendar(tz=NY, weekly={"mon": []})

    def test_duration_beyond_horizon(self, office: BusinessCalendar) -> None:
        with pytest.raises(BeyondHorizonError, match="horizon"):
            office.add(ny(2026, 3, 1), timedelta(days=40_000))

    def test_naive_datetimes_are_rejected(self, office: BusinessCalendar) -> None:
        with pytest.raises(NaiveDatetimeError, match="2026-03-01"):
            office.elapsed(datetime(2026, 3, 1), ny(2026, 3, 2))  # noqa: DTZ001

    def test_add_needs_a_timedelta(self, office: BusinessCalendar) -> None:
        with pytest.raises(TypeError, match="timedelta"):
            office.add(ny(2026, 3, 1), 3600)  # type: ignore[arg-type]


def test_a_closure_can_leave_the_after_midnight_part_of_an_overnight_shift() -> None:
    fridays = rrule(WEEKLY, byweekday=FR, dtstart=datetime(2026, 1, 1))  # noqa: DTZ001
    cal = BusinessCalendar(
        tz="UTC",
        weekly={"fri": ["20:00-02:00"]},
        closures=[RecurringClosure(fridays, closed=["20:00-24:00"])],
    )
    friday = datetime(2026, 3, 6, 20, tzinfo=UTC)
    assert not cal.is_open(friday + timedelta(hours=1))
    assert cal.is_open(friday + timedelta(hours=5))
    assert cal.elapsed(friday, friday + timedelta(hours=8)) == timedelta(hours=2)
    assert cal.next_open(friday) == friday + timedelta(hours=4)
