"""Recurring closures expand within a bound: rules that dateutil would expand for
minutes or forever are refused at construction, and a year far from a rule's DTSTART
costs what a near one does (issue #20)."""

from __future__ import annotations

import pickle
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit.calendars import BusinessCalendar, RecurringClosure, calendar_from_dict
from servicekit.calendars._recurring import MAX_COUNT
from servicekit.errors import ConfigError, InvalidCalendarError

CPU_LIMIT = 1.0  # seconds of CPU time: the robustness bound of DESIGN.md principle 3


def rule(text: str, start: str = "20260101T000000") -> str:
    return f"DTSTART:{start}\nRRULE:{text}"


REFUSED = {
    "FREQ=DAILY;INTERVAL=0": "INTERVAL below 1",
    "FREQ=SECONDLY": "more often than daily",
    "FREQ=MINUTELY;COUNT=5": "more often than daily",
    "FREQ=HOURLY;BYHOUR=9": "more often than daily",
    "FREQ=DAILY;BYHOUR=9,10": "2 occurrences a day",
    "FREQ=DAILY;BYHOUR=9;BYMINUTE=0,30": "2 occurrences a day",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30": "never yields a date",
    "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31": "never yields a date",
    "FREQ=DAILY;INTERVAL=7;BYDAY=TU": "never yields a date",  # DTSTART is a Thursday
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;UNTIL=20270101T000000": "never yields a date",
    f"FREQ=DAILY;COUNT={MAX_COUNT + 1}": f"COUNT above {MAX_COUNT}",
    "FREQ=MONTHLY;BYEASTER=0": "BYEASTER",
    "FREQ=DAILY;COUNT=5;UNTIL=20270101T000000": "(?i)count.*until.*RFC 5545",
}


class TestRefused:
    @pytest.mark.parametrize("text", sorted(REFUSED))
    def test_in_python(self, text: str) -> None:
        started = time.process_time()
        with pytest.raises(InvalidCalendarError, match=REFUSED[text]) as caught:
            RecurringClosure(rule(text))
        assert time.process_time() - started < CPU_LIMIT
        assert text.split(";", maxsplit=1)[0] in str(caught.value)

    @pytest.mark.parametrize("text", sorted(REFUSED))
    def test_in_config_with_its_path(self, text: str) -> None:
        config = {
            "tz": "UTC",
            "weekly": {"mon-fri": ["09:00-17:00"]},
            "closures": [{"rule": rule("FREQ=YEARLY")}, {"rule": rule(text)}],
        }
        with pytest.raises(ConfigError, match=REFUSED[text]) as caught:
            calendar_from_dict(config)
        assert caught.value.path == "closures[1].rule"

    def test_a_long_rule_is_named_shortened(self) -> None:
        text = rule("FREQ=SECONDLY;BYSETPOS=" + ",".join(["1"] * 500))
        with pytest.raises(InvalidCalendarError) as caught:
            RecurringClosure(text)
        assert len(str(caught.value)) < 300


def old_dates(text: str, year: int) -> set[date]:
    """The slow, obvious oracle: dateutil's own expansion of the whole year."""
    parsed = rrulestr(text)
    first, last = datetime(year, 1, 1), datetime(year, 12, 31, 23, 59)  # noqa: DTZ001 (floating)
    occurrences = parsed.between(first, last, inc=True)
    return {occurrence.date() for occurrence in occurrences}


RULES = st.sampled_from(
    [
        "FREQ=MONTHLY;BYDAY=1MO",
        "FREQ=MONTHLY;BYDAY=-1FR;INTERVAL=3",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=MO",
        "FREQ=DAILY;INTERVAL=5",
        "FREQ=DAILY;BYMONTH=12;BYMONTHDAY=24,31",
        "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO",
        "FREQ=YEARLY;BYYEARDAY=366",
        "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=40",
        "FREQ=YEARLY;COUNT=3",
        "FREQ=YEARLY;BYEASTER=-2",
        "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR",
    ]
)


@settings(max_examples=25)
@given(
    text=RULES,
    start=st.integers(1900, 2100),
    after=st.lists(st.integers(-5, 900), min_size=1, max_size=3),
)
def test_dates_agree_with_dateutil(text: str, start: int, after: list[int]) -> None:
    full = rule(text, f"{start}0107T090000")
    closure = RecurringClosure(full)
    for year in (start + years for years in after):
        expected = old_dates(full, year)
        assert {d for d in expected if closure.occurs_on(d)} == expected
        day, found = date(year, 1, 1), set()
        while day.year == year:
            if closure.occurs_on(day):
                found.add(day)
            day += timedelta(days=1)
        assert found == expected


@pytest.mark.parametrize(
    "text", ["FREQ=DAILY", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "FREQ=YEARLY;BYEASTER=0"]
)
def test_a_year_far_from_dtstart_is_cheap(text: str) -> None:
    closure = RecurringClosure(rule(text, "00020101T000000"))
    cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]}, closures=[closure])
    for year in (9000, 9998, 5000, 2026):
        at = datetime.combine(date(year, 6, 1), clock(10), UTC)
        started = time.process_time()
        cal.is_open(at)
        assert time.process_time() - started < CPU_LIMIT


def test_a_closure_pickles_after_expanding() -> None:
    closure = RecurringClosure(rule("FREQ=MONTHLY;BYDAY=1MO"), closed=["09:00-10:00"])
    assert closure.occurs_on(date(2026, 2, 2))
    copy = pickle.loads(pickle.dumps(closure))
    assert copy == closure
    assert copy.occurs_on(date(2026, 2, 2))
    assert not copy.occurs_on(date(2026, 2, 9))
