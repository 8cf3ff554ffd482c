"""Every calendar operation answers, or raises a ServicekitError, within a second of CPU
time: on calendars that never open, over spans beyond the horizon, and at the ends of
what ``datetime`` holds (issue #20)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from servicekit.calendars import HORIZON, BusinessCalendar, Calendar, calendar_from_dict
from servicekit.errors import BeyondHorizonError, ConfigError, NeverOpensError, ServicekitError

CPU_LIMIT = 1.0  # seconds of CPU time: the robustness bound of DESIGN.md principle 3
AT = datetime(2026, 3, 4, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)


def bounded(call: Callable[[], object]) -> object:
    """``call()``'s answer (or its ServicekitError), failing when it takes over the bound."""
    started = time.process_time()
    try:
        answer: object = call()
    except ServicekitError as exc:
        answer = exc
    spent = time.process_time() - started
    assert spent < CPU_LIMIT, f"took {spent:.2f} s of CPU time"
    return answer


def weekly(hours: dict[str, list[str]]) -> BusinessCalendar:
    return BusinessCalendar(tz="UTC", weekly=hours)


def never_opens_intersection() -> Calendar:
    return weekly({"mon": ["09:00-17:00"]}) & weekly({"tue": ["09:00-17:00"]})


def never_overlapping_union() -> Calendar:
    morning, noon = weekly({"mon": ["09:00-10:00"]}), weekly({"mon": ["11:00-12:00"]})
    return (morning | noon) & weekly({"mon": ["13:00-14:00"]})


def open_only_in_1990() -> Calendar:
    return BusinessCalendar(tz="UTC", weekly={}, overrides={date(1990, 1, 2): ["09:00-10:00"]})


NEVER = [never_opens_intersection, never_overlapping_union, open_only_in_1990]
SEARCHES: dict[str, Callable[[Calendar], object]] = {
    "add": lambda cal: cal.add(AT, HOUR),
    "subtract": lambda cal: cal.subtract(AT, HOUR),
    "next_open": lambda cal: cal.next_open(AT),
    "next_close": lambda cal: cal.next_close(AT),
    "add_business_days": lambda cal: cal.add_business_days(AT, 1),
    "add_business_days back": lambda cal: cal.add_business_days(AT, -1),
}


class TestNeverOpens:
    @pytest.mark.parametrize("make", NEVER)
    @pytest.mark.parametrize("search", sorted(SEARCHES))
    def test_a_search_raises_at_once(self, make: Callable[[], Calendar], search: str) -> None:
        cal = make()
        answer = bounded(lambda: SEARCHES[search](cal))
        if make is open_only_in_1990 and search == "subtract":
            assert isinstance(answer, datetime)
            assert answer.year == 1990
        else:
            assert isinstance(answer, NeverOpensError)

    @pytest.mark.parametrize("make", NEVER)
    def test_spans_within_the_horizon_hold_no_open_time(self, make: Callable[[], Calendar]) -> None:
        cal, end = make(), AT + HORIZON - timedelta(days=400)
        assert bounded(lambda: cal.elapsed(AT, end)) == timedelta(0)
        assert bounded(lambda: cal.intervals(AT, end)) == []


class TestHorizon:
    cal = weekly({"mon-fri": ["09:00-17:00"]})

    def test_elapsed_beyond_the_horizon_raises_at_once(self) -> None:
        start, end = datetime(3, 1, 1, tzinfo=UTC), datetime(9997, 1, 1, tzinfo=UTC)
        assert isinstance(bounded(lambda: self.cal.elapsed(start, end)), BeyondHorizonError)
        assert isinstance(bounded(lambda: self.cal.elapsed(end, start)), BeyondHorizonError)
        assert isinstance(bounded(lambda: self.cal.intervals(start, end)), BeyondHorizonError)

    def test_a_span_of_the_horizon_itself_is_answered(self) -> None:
        answer = bounded(lambda: self.cal.elapsed(AT, AT + HORIZON))
        assert isinstance(answer, timedelta)
        assert answer > timedelta(0)

    def test_a_calendar_open_around_the_clock_never_closes(self) -> None:
        always = BusinessCalendar.always()
        assert isinstance(bounded(lambda: always.next_close(AT)), BeyondHorizonError)

    @pytest.mark.parametrize(
        "at",
        [
            datetime.min.replace(tzinfo=UTC),
            datetime.max.replace(tzinfo=UTC),
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
            datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14))),
            datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=14))),
        ],
    )
    @pytest.mark.parametrize("days", [-1, 1])
    def test_business_days_at_the_ends_of_datetime(self, at: datetime, days: int) -> None:
        answer = bounded(lambda: self.cal.add_business_days(at, days))
        assert isinstance(answer, BeyondHorizonError)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_override_at_the_ends_of_datetime_is_refused(day: str) -> None:
    config = {"tz": "UTC", "weekly": {}, "overrides": {day: ["09:00-17:00"]}}
    with pytest.raises(ConfigError) as caught:
        calendar_from_dict(config)
    assert caught.value.path == f"overrides.{day}"
