"""Calendars from and to plain dicts; errors name the path; the loader is fuzzed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.calendars import (
    BusinessCalendar,
    CombinedCalendar,
    HolidaySet,
    WallInterval,
    calendar_from_dict,
)
from servicekit.errors import (
    InvalidCalendarError,
    ServicekitError,
    UnknownHolidayCalendarError,
    UnknownTimeZoneError,
)
from servicekit.testing.strategies import calendars

FULL = {
    "tz": "Europe/London",
    "weekly": {"mon-fri": ["09:00-12:00", "13:00-17:30"], "sat": ["22:00-02:00"]},
    "holidays": {"country": "GB", "subdiv": "ENG", "years": {"from": 2026, "to": 2027}},
    "overrides": {"2026-12-24": ["09:00-13:00"], "2026-12-31": []},
    "closures": [
        {
            "rule": "DTSTART:20260105T000000\nRRULE:FREQ=MONTHLY;BYDAY=+1MO",
            "closed": ["09:00-10:00"],
        }
    ],
}


class TestRoundTrip:
    def test_full_config_round_trips_through_json(self) -> None:
        cal = BusinessCalendar.from_dict(FULL)
        again = BusinessCalendar.from_dict(json.loads(json.dumps(cal.to_dict())))
        assert again == cal
        assert hash(again) == hash(cal)

    @given(calendars())
    def test_generated_calendars_round_trip(self, cal: BusinessCalendar) -> None:
        assert BusinessCalendar.from_dict(json.loads(json.dumps(cal.to_dict()))) == cal

    def test_combined_round_trip(self) -> None:
        cal = calendar_from_dict(
            {"union": [FULL, {"tz": "Asia/Manila", "weekly": {"mon": ["09:00-17:00"]}}]}
        )
        assert isinstance(cal, CombinedCalendar)
        assert calendar_from_dict(cal.to_dict()) == cal


class TestErrorsNameThePath:
    @pytest.mark.parametrize(
        ("config", "error", "message"),
        [
            (
                {"tz": "UTC", "weekly": {"mon": ["09:00-08:00", "07:00-10:00"]}},
                InvalidCalendarError,
                "weekly.mon: ",
            ),
            (
                {"tz": "UTC", "weekly": {"mon": ["09:00", "10:00-11:00"]}},
                InvalidCalendarError,
                r"weekly.mon\[0\]: '09:00'",
            ),
            (
                {"tz": "UTC", "weekly": {"mnd": ["09:00-10:00"]}},
                InvalidCalendarError,
                "unknown weekday 'mnd'",
            ),
            (
                {"tz": "UTC", "weekly": {"mon-fri": ["09:00-10:00"], "tue": []}},
                InvalidCalendarError,
                "'tue' is given twice",
            ),
            (
                {"tz": "UTC", "weekly": {"mon": ["25:00-26:00"]}},
                InvalidCalendarError,
                "not a time of day",
            ),
            (
                {"tz": "UTC", "weekly": {"mon": ["24:00-01:00"]}},
                InvalidCalendarError,
                "cannot open at 24:00",
            ),
            (
                {"tz": "UTC", "weekly": {"sun": ["22:00-08:00"], "mon": ["07:00-09:00"]}},
                InvalidCalendarError,
                "weekly.sun: overnight",
            ),
            ({"tz": "Nowhere/City", "weekly": {}}, UnknownTimeZoneError, "Nowhere/City"),
            ({"weekly": {}}, InvalidCalendarError, "tz: is required"),
            (
                {"tz": "UTC", "weekly": {"mon": ["09:00-17:00"]}, "colour": 1},
                InvalidCalendarError,
                "unknown keys",
            ),
            (
                {"tz": "UTC", "weekly": {"mon": ["09:00-17:00"]}, "overrides": {"2026-13-01": []}},
                InvalidCalendarError,
                "overrides: '2026-13-01'",
            ),
            (
                {
                    "tz": "UTC",
                    "weekly": {"mon": ["09:00-17:00"]},
                    "overrides": {"2026-01-05": ["x"]},
                },
                InvalidCalendarError,
                r"overrides.2026-01-05\[0\]",
            ),
            (
                {"tz": "UTC", "weekly": {"mon": ["09:00-17:00"]}, "holidays": {"country": "US"}},
                InvalidCalendarError,
                "holidays.years: is required",
            ),
            (
                {
                    "tz": "UTC",
                    "weekly": {"mon": ["09:00-17:00"]},
                    "holidays": {"country": "XX", "years": [2026]},
                },
                InvalidCalendarError,
                "holidays.country: unknown holiday calendar",
            ),
            (
                {
                    "tz": "UTC",
                    "weekly": {"mon": ["09:00-17:00"]},
                    "closures": [{"rule": "RRULE:FREQ=DAILY"}],
                },
                InvalidCalendarError,
                r"closures\[0\].rule: .*DTSTART",
            ),
        ],
    )
    def test_bad_config(self, config: dict[str, Any], error: type[Exception], message: str) -> None:
        with pytest.raises(error, match=message):
            BusinessCalendar.from_dict(config)

    def test_nested_path_in_combined(self) -> None:
        bad = {"union": [FULL, {"tz": "UTC", "weekly": {"mon": ["9-10"]}}]}
        with pytest.raises(InvalidCalendarError, match=r"union\[1\].weekly.mon\[0\]"):
            calendar_from_dict(bad)

    def test_unknown_subdivision_chains_the_original_error(self) -> None:
        with pytest.raises(UnknownHolidayCalendarError) as caught:
            HolidaySet.from_country("US", subdiv="ZZ", years=[2026])
        assert isinstance(caught.value.__cause__, NotImplementedError)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
config_like = st.fixed_dictionaries(
    {},
    optional={
        "tz": st.sampled_from(["UTC", "America/New_York", "bad/zone", ""]) | json_values,
        "weekly": st.dictionaries(
            st.sampled_from(["mon", "tue-thu", "sun-mon", "xyz", "fri"]),
            st.lists(
                st.sampled_from(["09:00-17:00", "22:00-02:00", "24:00", "9-5", "00:00-24:00"])
                | json_values,
                max_size=3,
            ),
            max_size=3,
        )
        | json_values,
        "holidays": json_values,
        "overrides": st.dictionaries(
            st.sampled_from(["2026-01-05", "2026-02-30", "x"]), json_values, max_size=2
        ),
        "closures": json_values,
    },
)


class TestFuzz:
    @given(config_like)
    def test_loader_raises_only_servicekit_errors(self, config: dict[str, Any]) -> None:
        try:
            cal = BusinessCalendar.from_dict(config)
        except ServicekitError:
            return
        assert BusinessCalendar.from_dict(cal.to_dict()) == cal


class TestWallInterval:
    def test_an_interval_lasts_under_a_day_unless_it_is_the_whole_day(self) -> None:
        assert str(WallInterval(0, 86_400)) == "00:00-24:00"
        with pytest.raises(InvalidCalendarError, match="under 24h"):
            WallInterval(900, 87_300)
