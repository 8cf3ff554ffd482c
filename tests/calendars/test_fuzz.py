"""Hostile calendar configs, read by the config loader and asked every question at
instants from year 1 to 9999: only ServicekitError escapes, and every call (the load
included) finishes within a second of CPU time (DESIGN.md principle 3, issue #20)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit.calendars import Calendar, calendar_from_dict
from servicekit.errors import ServicekitError

CPU_LIMIT = 1.0  # seconds of CPU time; a robustness bound, not a benchmark

INTERVALS = st.sampled_from(
    [
        *("09:00-17:00", "22:00-02:00", "00:00-24:00", "17:00-09:00", "10:00-10:00"),
        *("25:00-26:00", "x", "", "09:00-12:00", "12:00-13:00", "02:30-03:30", "24:00-01:00"),
        "23:59-00:01",
    ]
)
GOOD_HOURS = st.sampled_from(
    [["09:00-17:00"], ["22:00-02:00"], ["00:00-24:00"], ["09:00-12:00", "13:00-17:00"], []]
)
HOURS: st.SearchStrategy[object] = st.one_of(
    GOOD_HOURS,
    GOOD_HOURS,
    st.lists(INTERVALS, max_size=3),
    st.sampled_from([5, None, "9-5"]),
)
WEEKDAYS = st.sampled_from(
    ["mon", "tue-thu", "sun-mon", "fri", "sat", "mon-sun", "wed", "thu", "mon", "xyz", "5"]
)
DATES = st.one_of(
    st.dates().map(lambda day: day.isoformat()),
    st.dates(date(2000, 1, 1), date(2060, 1, 1)).map(lambda day: day.isoformat()),
    st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-29", "2026-13-01", "tomorrow", ""]),
)
RULE_PARTS = st.fixed_dictionaries(
    {
        "FREQ": st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "SECONDLY"]),
    },
    optional={
        "INTERVAL": st.sampled_from(["0", "1", "2", "7", "1000"]),
        "COUNT": st.sampled_from(["1", "5", "100000", "0"]),
        "UNTIL": st.sampled_from(["20270101T000000", "00020101T000000", "99991231T235959"]),
        "BYMONTH": st.sampled_from(["2", "4,6", "12"]),
        "BYMONTHDAY": st.sampled_from(["1", "29", "30", "31", "-1"]),
        "BYDAY": st.sampled_from(["MO", "1MO", "-1FR", "TU,TH", "53MO"]),
        "BYHOUR": st.sampled_from(["9", "9,10", "0"]),
        "BYWEEKNO": st.sampled_from(["1", "53", "-1"]),
        "BYYEARDAY": st.sampled_from(["1", "366", "-1"]),
        "BYSETPOS": st.sampled_from(["1", "-1", "3"]),
        "BYEASTER": st.sampled_from(["0", "-2"]),
    },
)
RULES = st.builds(
    lambda start, parts: (
        f"DTSTART:{start}\nRRULE:" + ";".join(f"{k}={v}" for k, v in parts.items())
    ),
    st.sampled_from(["20260101T090000", "00020101T000000", "99981231T000000", "19700105T120000"]),
    RULE_PARTS,
)
GOOD_RULES = st.sampled_from(
    [
        "DTSTART:20260105T090000\nRRULE:FREQ=MONTHLY;BYDAY=1MO",
        "DTSTART:00020101T000000\nRRULE:FREQ=DAILY;INTERVAL=3",
        "DTSTART:19700101T000000\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24",
        "DTSTART:20260101T000000\nRRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=10",
    ]
)
CLOSURES = st.lists(st.fixed_dictionaries({"rule": RULES}, optional={"closed": HOURS}), max_size=2)
HOLIDAYS = st.one_of(
    st.none(),
    st.lists(DATES, max_size=3),
    st.fixed_dictionaries(
        {"country": st.sampled_from(["US", "GB", "XX", 5]), "years": st.sampled_from([[2026], [0]])}
    ),
)
BUSINESS = st.fixed_dictionaries(
    {
        "tz": st.sampled_from(["UTC", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"]),
        "weekly": st.dictionaries(WEEKDAYS, HOURS, max_size=3),
    },
    optional={
        "overrides": st.dictionaries(DATES, HOURS, max_size=3),
        "closures": CLOSURES,
        "holidays": HOLIDAYS,
    },
)
NEAR_DATES = st.dates(date(2000, 1, 1), date(2060, 1, 1)).map(lambda day: day.isoformat())
PLAUSIBLE = st.fixed_dictionaries(  # mostly accepted: these get asked questions
    {
        "tz": st.sampled_from(["UTC", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"]),
        "weekly": st.one_of(
            st.builds(lambda hours: {"mon-fri": hours}, GOOD_HOURS),
            st.builds(lambda a, b: {"mon": a, "thu": b}, GOOD_HOURS, GOOD_HOURS),
            st.just({}),
        ),
    },
    optional={
        "overrides": st.dictionaries(NEAR_DATES, GOOD_HOURS, max_size=3),
        "closures": st.lists(
            st.fixed_dictionaries({"rule": GOOD_RULES}, optional={"closed": GOOD_HOURS}),
            max_size=2,
        ),
        "holidays": st.lists(NEAR_DATES, max_size=3),
    },
)
BUSINESS = st.one_of(PLAUSIBLE, PLAUSIBLE, BUSINESS)
CONFIGS = st.one_of(
    BUSINESS,
    st.builds(
        lambda kind, parts: {kind: parts},
        st.sampled_from(["union", "intersection"]),
        st.lists(BUSINESS, min_size=2, max_size=3),
    ),
)
ZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-14)), ZoneInfo("Asia/Kathmandu")]
)
INSTANTS = st.one_of(
    st.datetimes(timezones=ZONES),
    st.datetimes(  # hypothesis takes naive bounds
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001
        max_value=datetime(2060, 1, 1),  # noqa: DTZ001
        timezones=ZONES,
    ),
    st.sampled_from(
        [
            datetime.min.replace(tzinfo=UTC),
            datetime.max.replace(tzinfo=UTC),
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
            datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14))),
        ]
    ),
)
DURATIONS = st.one_of(
    st.timedeltas(),
    st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(days=400)),
)
OPERATIONS: list[Callable[[Calendar, datetime, datetime, timedelta, int], object]] = [
    lambda cal, a, b, d, n: cal.is_open(a),
    lambda cal, a, b, d, n: cal.elapsed(a, b),
    lambda cal, a, b, d, n: cal.add(a, d),
    lambda cal, a, b, d, n: cal.subtract(a, d),
    lambda cal, a, b, d, n: cal.next_open(a),
    lambda cal, a, b, d, n: cal.next_close(a),
    lambda cal, a, b, d, n: cal.intervals(a, b),
    lambda cal, a, b, d, n: cal.add_business_days(a, n),
]


def bounded(call: Callable[[], object]) -> object:
    """``call()``'s answer or ServicekitError; any other exception fails the test, and
    so does a call over the CPU bound."""
    started = time.process_time()
    try:
        answer = call()
    except ServicekitError as exc:
        answer = exc
    spent = time.process_time() - started
    assert spent < CPU_LIMIT, f"took {spent:.2f} s of CPU time"
    return answer


@settings(max_examples=30)
@given(
    config=CONFIGS,
    questions=st.lists(
        st.tuples(
            st.sampled_from(range(len(OPERATIONS))),
            INSTANTS,
            INSTANTS,
            DURATIONS,
            st.one_of(st.integers(-10, 10), st.integers()),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_hostile_configs_raise_only_servicekit_errors_in_bounded_time(
    config: dict[str, Any],
    questions: list[tuple[int, datetime, datetime, timedelta, int]],
) -> None:
    cal = bounded(lambda: calendar_from_dict(config))
    if not isinstance(cal, Calendar):
        return
    for operation, a, b, duration, days in questions:
        bounded(lambda: OPERATIONS[operation](cal, a, b, duration, days))  # noqa: B023
