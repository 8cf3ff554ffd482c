"""A calendar builds its open time a local year at a time and reuses it: whatever order
questions come in, from one thread or many, it answers as a fresh calendar would, and
it only consults the years a question touches."""

from __future__ import annotations

import pickle
import random
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@st.composite
def calendar_and_questions(draw: st.DrawFn) -> tuple[BusinessCalendar, list[Question]]:
    cal = draw(calendars())
    questions = []
    for _ in range(draw(st.integers(2, 8))):
        a = draw(instants(cal, min_value=FIRST, max_value=LAST))
        b = draw(instants(cal, min_value=FIRST, max_value=LAST))
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
