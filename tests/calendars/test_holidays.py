"""HolidaySet: immutable snapshots with explicit coverage (golden dates from `holidays`)."""

from __future__ import annotations

import pickle
from datetime import date

import holidays
import pytest

from servicekit.calendars import HolidaySet
from servicekit.errors import HolidayCoverageError, UnknownHolidayCalendarError


class TestFromCountry:
    def test_golden_us_new_york_2026(self) -> None:
        us = HolidaySet.from_country("US", subdiv="NY", years=[2026])
        assert us.name(date(2026, 11, 26)) == "Thanksgiving Day"
        assert us.name(date(2026, 7, 3)) == "Independence Day (observed)"
        assert date(2026, 7, 4) in us
        assert us.name(date(2026, 7, 6)) is None

    def test_names_do_not_depend_on_locale(self) -> None:
        de = HolidaySet.from_country("DE", years=[2026])
        assert de.name(date(2026, 10, 3)) == "German Unity Day"

    def test_unknown_country(self) -> None:
        with pytest.raises(UnknownHolidayCalendarError, match="'XX'") as caught:
            HolidaySet.from_country("XX", years=[2026])
        assert isinstance(caught.value.__cause__, NotImplementedError)

    def test_financial_market(self) -> None:
        nyse = HolidaySet.from_financial("NYSE", years=[2026])
        assert date(2026, 4, 3) in nyse
        with pytest.raises(UnknownHolidayCalendarError):
            HolidaySet.from_financial("NOPE", years=[2026])


class TestCoverage:
    def test_outside_covered_years_raises(self) -> None:
        us = HolidaySet.from_country("US", years=range(2026, 2028))
        assert date(2027, 1, 1) in us
        with pytest.raises(HolidayCoverageError, match="2028-01-01: holiday set covers 2026-2027"):
            _ = date(2028, 1, 1) in us

    def test_dates_outside_years_are_rejected(self) -> None:
        with pytest.raises(HolidayCoverageError):
            HolidaySet.from_dates([date(2025, 1, 1)], years=[2026])


class TestSnapshot:
    def test_source_object_is_not_mutated(self) -> None:
        source = holidays.country_holidays("FR", language="en_US")
        snapshot = HolidaySet.from_holidays(source, years=[2026, 2027])
        assert len(source) == 0
        assert snapshot.name(date(2027, 7, 14)) == "National Day"

    def test_immutable_hashable_and_picklable(self) -> None:
        a = HolidaySet.from_dates({date(2026, 12, 24): "Company day"})
        b = pickle.loads(pickle.dumps(a))
        assert a == b
        assert hash(a) == hash(b)
        assert list(b) == [date(2026, 12, 24)]
        with pytest.raises(AttributeError):
            a.years = frozenset()  # type: ignore[misc]

    def test_union_and_between(self) -> None:
        both = HolidaySet.from_dates([date(2026, 1, 1)]) | HolidaySet.from_dates([date(2026, 5, 1)])
        assert both.between(date(2026, 1, 1), date(2026, 12, 31)) == [
            (date(2026, 1, 1), "Holiday"),
            (date(2026, 5, 1), "Holiday"),
        ]
