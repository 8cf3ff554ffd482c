"""A calendar builds its open time a block of days at a time and reuses it: whatever
order questions come in, from one thread or many, it answers as a fresh calendar would,
and it consults holidays only for the dates an answer depends on."""

from __future__ import annotations

import pickle
import random
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit._time import to_us
from servicekit.calendars import BusinessCalendar, HolidaySet
from servicekit.errors import HolidayCoverageError
from servicekit.testing.strategies import calendars, durations, instants

FIRST, LAST = datetime(2019, 6, 1, tzinfo=UTC), datetime(2033, 6, 1, tzinfo=UTC)
OPERATIONS = ("is_open", "elapsed", "add", "subtract", "next_open", "next_close", "intervals")
Question = tuple[str, datetime, datetime, timedelta]


def ask(cal: BusinessCalendar, question: Question) -> object:
    operation, a, b, duration = question
    if operation in ("is_open", "next_open", "next_close"):
        answer = getattr(cal, operation)(a)
    elif operation in ("add", "subtract"):
        answer = getattr(cal, operation)(a, duration)
    else:
        answer = getattr(cal, operation)(a, b)
    if isinstance(answer, datetime):
        return answer.astimezone(UTC)
    if isinstance(answer, list):
        return [(start.astimezone(UTC), end.astimezone(UTC)) for start, end in answer]
    return answer


def fresh(cal: BusinessCalendar) -> BusinessCalendar:
    """An equal calendar that has built nothing yet."""
    copy: BusinessCalendar = pickle.loads(pickle.dumps(cal))
    return copy


NEAR = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 22, tzinfo=UTC)  # DST changes


@st.composite
def calendar_and_questions(draw: st.DrawFn) -> tuple[BusinessCalendar, list[Question]]:
    """Questions across years, or many within three weeks, where searches run into
    windows other questions built."""
    cal = draw(calendars())
    low, high = draw(st.sampled_from([(FIRST, LAST), NEAR]))
    questions = []
    for _ in range(draw(st.integers(2, 12))):
        a = draw(instants(cal, min_value=low, max_value=high))
        b = draw(instants(cal, min_value=low, max_value=high))
        questions.append((draw(st.sampled_from(OPERATIONS)), a, b, draw(durations(cal))))
    return cal, questions


@given(calendar_and_questions())
def test_a_long_lived_calendar_answers_like_fresh_ones(
    case: tuple[BusinessCalendar, list[Question]],
) -> None:
    cal, questions = case
    for question in questions:
        assert ask(cal, question) == ask(fresh(cal), question), question


def test_threads_sharing_a_calendar_agree_with_one_thread() -> None:
    cal = BusinessCalendar(tz="America/Sao_Paulo", weekly={"mon-fri": ["08:00-12:00"]})
    rng = random.Random(5)
    span = int((LAST - FIRST).total_seconds())
    questions = [
        (
            rng.choice(OPERATIONS),
            FIRST + timedelta(seconds=rng.randrange(span)),
            FIRST + timedelta(seconds=rng.randrange(span)),
            timedelta(minutes=rng.randrange(1, 60 * 24 * 30)),
        )
        for _ in range(400)
    ]
    expected = [ask(fresh(cal), question) for question in questions]
    shuffled = [rng.sample(range(len(questions)), len(questions)) for _ in range(8)]

    def answer_all(order: list[int]) -> list[tuple[int, object]]:
        return [(index, ask(cal, questions[index])) for index in order]

    with ThreadPoolExecutor(max_workers=8) as pool:
        for answers in pool.map(answer_all, shuffled):
            assert all(answer == expected[index] for index, answer in answers)


def test_a_stale_view_grows_into_a_copy() -> None:
    """A window grows by appending to lists it shares with older views; a thread still
    holding an older view must get its own copy when it grows, not append after the
    newer view's segments."""
    cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    timeline = cal._timeline()
    monday = to_us(datetime(2026, 1, 5, 10, tzinfo=UTC))
    week = timeline._covering(monday, monday + 1)
    grown = timeline._later(week, monday)
    regrown = timeline._later(week, monday)  # as a second thread would, from the old view
    assert grown is not None
    assert regrown is not None
    assert grown.segments() == regrown.segments()
    assert regrown.starts is not grown.starts
    assert week.count == 5  # Jan 1-7: Thu, Fri, Mon, Tue, Wed


def test_a_stale_view_grows_without_moving_its_start() -> None:
    """Growing a view to the right keeps its start, so a search's offsets into it stay
    valid even when the kept windows changed under it: here one thread joins two weeks
    into a wider window, another grows its stale view of the first week back into the
    index, and a third, still holding the other week, searches past it."""
    cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    timeline = cal._timeline()
    thursday = datetime(2026, 1, 22, 9, tzinfo=UTC)
    first_week, third_week = to_us(thursday - timedelta(days=14)), to_us(thursday)
    earlier = timeline._covering(first_week, first_week + 1)  # blocks [b, b + 1)
    held = timeline._covering(third_week, third_week + 1)  # [b + 2, b + 3), apart
    timeline._covering(first_week, third_week + 1)  # joins both: now both views are stale
    regrown = timeline._later(earlier, first_week)  # [b, b + 2) replaces the joined one
    assert regrown is not None
    assert regrown.end == held.first
    timeline._recent = held  # as the third thread read it before the joins
    assert cal.add(thursday, timedelta(hours=80)) == fresh(cal).add(thursday, timedelta(hours=80))
    grown = timeline._recent
    assert grown.first == held.first
    assert grown.segments()[: held.count] == held.segments()


class TestYearBoundaries:
    """A shift from New Year's Eve into New Year's Day, asked from either side first."""

    TZ = ZoneInfo("Europe/Berlin")

    def at(self, month: int, day: int, hour: int, year: int = 2026) -> datetime:
        return datetime(year, month, day, hour, tzinfo=self.TZ)

    @pytest.fixture
    def cal(self) -> BusinessCalendar:
        return BusinessCalendar(tz=self.TZ, weekly={"thu": ["22:00-06:00"]})  # 2026-12-31

    def test_next_close_joins_the_two_years(self, cal: BusinessCalendar) -> None:
        assert cal.next_close(self.at(12, 31, 23)) == self.at(1, 1, 6, year=2027)

    def test_asked_from_the_new_year_first(self, cal: BusinessCalendar) -> None:
        assert cal.is_open(self.at(1, 1, 0, year=2027))
        assert cal.subtract(self.at(1, 1, 5, year=2027), timedelta(hours=7)) == self.at(12, 31, 22)

    def test_elapsed_and_add_across_the_new_year(self, cal: BusinessCalendar) -> None:
        assert cal.elapsed(self.at(12, 31, 21), self.at(1, 1, 7, year=2027)) == timedelta(hours=8)
        assert cal.add(self.at(12, 31, 22), timedelta(hours=7)) == self.at(1, 1, 5, year=2027)


class TestOnlyTheYearsAsked:
    """A holiday set that skips 2027 still serves 2026 and 2028, in any order."""

    @pytest.fixture
    def cal(self) -> BusinessCalendar:
        holidays = HolidaySet.from_dates(
            [date(2026, 12, 25), date(2028, 12, 25)], years=[2026, 2028]
        )
        return BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]}, holidays=holidays)

    def test_questions_on_both_sides_of_the_gap(self, cal: BusinessCalendar) -> None:
        # Dec 22-27, Christmas closed: Tue-Thu in 2026; Fri and Tue in 2028.
        open_days = {2026: 3, 2028: 2}
        for year in (2026, 2028, 2026, 2028):
            span = datetime(year, 12, 22, tzinfo=UTC), datetime(year, 12, 27, tzinfo=UTC)
            assert cal.elapsed(*span) == open_days[year] * timedelta(hours=8)

    def test_a_question_in_the_gap_names_the_year(self, cal: BusinessCalendar) -> None:
        cal.is_open(datetime(2028, 3, 1, tzinfo=UTC))
        with pytest.raises(HolidayCoverageError, match="2027"):
            cal.add(datetime(2026, 12, 30, tzinfo=UTC), timedelta(hours=20))


class TestOnlyTheDatesNeeded:
    """Holidays for 2026 only are enough for any question inside 2026."""

    HOLIDAYS_2026 = HolidaySet.from_dates([date(2026, 12, 25)], years=[2026])

    def test_overnight_shifts_do_not_ask_about_new_years_eve_before(self) -> None:
        nights = BusinessCalendar(
            tz="America/New_York", weekly={"mon-sun": ["22:00-06:00"]}, holidays=self.HOLIDAYS_2026
        )
        june = datetime(2026, 6, 3, 23, tzinfo=nights.tz)
        assert nights.add(june, timedelta(hours=2)) == june + timedelta(hours=2)
        with pytest.raises(HolidayCoverageError, match="2025-12-31"):
            nights.is_open(datetime(2026, 1, 1, 3, tzinfo=nights.tz))

    def test_a_union_across_zones_asks_the_other_zone_only_near_new_year(self) -> None:
        def office(tz: str) -> BusinessCalendar:
            return BusinessCalendar(
                tz=tz, weekly={"mon-fri": ["09:00-17:00"]}, holidays=self.HOLIDAYS_2026
            )

        team = office("Europe/London") | office("Asia/Manila")
        june = datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 2, tzinfo=UTC)
        assert team.elapsed(*june) == timedelta(hours=15)  # 01:00-16:00 UTC
        with pytest.raises(HolidayCoverageError, match="2027-01-01"):
            team.elapsed(datetime(2026, 12, 31, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
