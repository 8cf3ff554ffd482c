"""Holiday settings are checked leaf by leaf: every bad value is a ConfigError at its
own path naming the value, and a wrong kind in Python is an InvalidTypeError (#20)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from servicekit.calendars import BusinessCalendar, HolidaySet, calendar_from_dict
from servicekit.errors import (
    ConfigError,
    InvalidInputError,
    InvalidTypeError,
    ServicekitError,
    UnknownHolidayCalendarError,
)


def load(holidays: object) -> object:
    return calendar_from_dict(
        {"tz": "UTC", "weekly": {"mon-fri": ["09:00-17:00"]}, "holidays": holidays}
    )


US: dict[str, Any] = {"country": "US", "years": [2026]}
BAD: list[tuple[dict[str, Any], str, str]] = [
    ({**US, "years": [0]}, "holidays.years[0]", "0"),
    ({**US, "years": [2026, -5]}, "holidays.years[1]", "-5"),
    ({**US, "years": [10**12]}, "holidays.years[0]", "1000000000000"),
    ({**US, "years": [2026.0]}, "holidays.years[0]", "2026.0"),
    ({**US, "years": [True]}, "holidays.years[0]", "True"),
    ({**US, "years": ["2026"]}, "holidays.years[0]", "'2026'"),
    ({**US, "years": {"from": 1, "to": 10**9}}, "holidays.years.from", "1"),
    ({**US, "years": {"from": 2026, "to": 10**9}}, "holidays.years.to", "1000000000"),
    ({**US, "years": {"from": 2000, "to": 9000}}, "holidays.years", "1000 years"),
    ({**US, "years": 2026}, "holidays.years", "2026"),
    ({**US, "country": 5}, "holidays.country", "5"),
    ({**US, "country": "XX"}, "holidays.country", "'XX'"),
    ({**US, "subdiv": 5}, "holidays.subdiv", "5"),
    ({**US, "subdiv": "Atlantis"}, "holidays.subdiv", "'Atlantis'"),
    ({**US, "categories": "public"}, "holidays.categories", "'public'"),
    ({**US, "categories": ["nope"]}, "holidays.categories", "nope"),
    ({**US, "categories": [5]}, "holidays.categories", "5"),
    ({**US, "observed": "no"}, "holidays.observed", "'no'"),
    ({**US, "observed": 0}, "holidays.observed", "0"),
    ({**US, "language": 5}, "holidays.language", "5"),
    ({"market": 5, "years": [2026]}, "holidays.market", "5"),
    ({"market": "NOPE", "years": [2026]}, "holidays.market", "'NOPE'"),
    ({"market": "NYSE", "years": [2026], "observed": False}, "holidays.observed", "country"),
    ({"dates": ["2027-01-01"], "years": [2026]}, "holidays.dates", "2027"),
    ({"dates": {"2026-01-01": 5}, "years": [2026]}, "holidays.dates.'2026-01-01'", "5"),
    (
        {"dates": [datetime(2026, 1, 5, tzinfo=UTC)], "years": [2026]},
        "holidays.dates[0]",
        "2026",
    ),
]


@pytest.mark.parametrize(("holidays", "path", "named"), BAD)
def test_each_bad_value_is_named_at_its_path(holidays: object, path: str, named: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(holidays)
    assert caught.value.path == path
    assert named in caught.value.message


def test_a_real_boolean_is_read() -> None:
    cal = load({**US, "observed": False})
    assert isinstance(cal, BusinessCalendar)
    assert date(2026, 7, 3) not in cal.holidays  # the observed Independence Day


class TestPythonApi:
    @pytest.mark.parametrize(
        "arguments",
        [
            {"country": "US", "years": None},
            {"country": "US", "years": 2026},
            {"country": "US", "years": "2026"},
            {"country": 5, "years": [2026]},
            {"country": "US", "years": [2026], "subdiv": 5},
            {"country": "US", "years": [2026], "categories": "public"},
            {"country": "US", "years": [2026], "observed": "no"},
            {"country": "US", "years": [2026], "language": None},
        ],
    )
    def test_wrong_kinds_are_invalid_type_errors(self, arguments: dict[str, Any]) -> None:
        country = arguments.pop("country")
        with pytest.raises((InvalidTypeError, InvalidInputError)):
            HolidaySet.from_country(country, **arguments)

    def test_observed_must_be_a_boolean(self) -> None:
        with pytest.raises(InvalidTypeError, match="'no'"):
            HolidaySet.from_country("US", years=[2026], observed="no")  # type: ignore[arg-type]

    @pytest.mark.parametrize("years", [[0], [-1], [10_000], range(1, 3000)])
    def test_years_out_of_bounds(self, years: list[int]) -> None:
        with pytest.raises(InvalidInputError):
            HolidaySet.from_country("US", years=years)

    @pytest.mark.parametrize(
        ("arguments", "named"),
        [
            ({"country": "XX"}, "'XX'"),
            ({"country": "US", "subdiv": "Atlantis"}, "'Atlantis'"),
            ({"country": "US", "categories": ["nope"]}, "nope"),
        ],
    )
    def test_unknown_names(self, arguments: dict[str, Any], named: str) -> None:
        with pytest.raises(UnknownHolidayCalendarError, match=named):
            HolidaySet.from_country(years=[2026], **arguments)

    def test_from_holidays_of_a_dict_says_what_to_use(self) -> None:
        with pytest.raises(InvalidTypeError, match="from_dates"):
            HolidaySet.from_holidays({date(2026, 1, 1): "New Year"}, years=[2026])

    def test_from_dates_refuses_datetimes(self) -> None:
        with pytest.raises(InvalidTypeError, match="datetime"):
            HolidaySet.from_dates([datetime(2026, 1, 5, tzinfo=UTC)])

    def test_only_servicekit_errors(self) -> None:
        for years in (None, 5, [None], [2026, "x"], {"a": 1}):
            with pytest.raises(ServicekitError):
                HolidaySet.from_country("US", years=years)  # type: ignore[arg-type]
