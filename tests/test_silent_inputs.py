"""Inputs that used to be accepted and silently ignored, so an answer was wrong and
nothing said so (issue #20, "silent wrong answers"); each is refused now."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from servicekit import BusinessCalendar, HolidaySet, kpi
from servicekit.errors import InvalidCalendarError, InvalidInputError
from servicekit.sla import Target

WEEKDAYS = {"mon-fri": ["09:00-17:00"]}


class TestHolidayKinds:
    @pytest.mark.parametrize(
        "holidays",
        [
            {datetime(2026, 1, 5, tzinfo=UTC)},  # a TOML date-time arrives as this
            [date(2026, 1, 1), datetime(2026, 1, 5, tzinfo=UTC)],
            {"2026-01-05": "a holiday"},  # a mapping of ISO strings
            {"2026-01-05"},
        ],
        ids=["datetime", "one-datetime-among-dates", "mapping-of-strings", "string"],
    )
    def test_what_never_matches_a_day_is_refused(self, holidays: object) -> None:
        with pytest.raises(InvalidCalendarError, match="is not a date"):
            BusinessCalendar(tz="UTC", weekly=WEEKDAYS, holidays=holidays)

    @pytest.mark.parametrize(
        "holidays",
        [
            {date(2026, 1, 1)},
            [date(2026, 1, 1)],
            {date(2026, 1, 1): "New Year's Day"},
            HolidaySet.from_country("US", years=[2026]),
        ],
        ids=["set", "list", "mapping", "holiday-set"],
    )
    def test_dates_close_the_day(self, holidays: object) -> None:
        calendar = BusinessCalendar(tz="UTC", weekly=WEEKDAYS, holidays=holidays)
        new_year = datetime(2026, 1, 1, 10, tzinfo=UTC)  # a Thursday
        assert not calendar.is_open(new_year)
        assert calendar.is_open(new_year + timedelta(days=1))


class TestTargets:
    @pytest.mark.parametrize(
        "duration",
        [timedelta(hours=-1), timedelta(0), "1h", 3600],
        ids=["negative", "zero", "text", "seconds"],
    )
    def test_only_a_positive_timedelta_is_a_target(self, duration: object) -> None:
        with pytest.raises(InvalidInputError, match="positive timedelta"):
            Target(duration=duration)  # type: ignore[arg-type]

    def test_business_hours_is_a_flag(self) -> None:
        with pytest.raises(InvalidInputError, match="true or false"):
            Target(duration=timedelta(hours=1), business_hours="no")  # type: ignore[arg-type]


class TestKpiInputs:
    def test_a_mapping_of_counts_is_refused(self) -> None:
        with pytest.raises(InvalidInputError, match="mapping"):
            kpi.csat({5: 120, 1: 30})

    def test_counts_as_elements_give_the_meant_answer(self) -> None:
        result = kpi.csat(Counter({5: 120, 1: 30}).elements())
        assert (result.successes, result.count) == (120, 150)
