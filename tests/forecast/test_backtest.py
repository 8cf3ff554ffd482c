"""The rolling-origin backtest: origins, buckets, scores, and what it rejects."""

from __future__ import annotations

import contextlib
import functools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.calendars import BusinessCalendar
from servicekit.errors import InvalidInputError, ServicekitError
from servicekit.forecast import (
    Forecast,
    SlotCounts,
    backtest,
    contacts_per_slot,
    seasonal_naive,
    weekly_average,
)

UTC = ZoneInfo("UTC")
CAL = BusinessCalendar(tz=UTC, weekly={"mon-fri": ["09:00-13:00"]})


def history(days: int = 42) -> SlotCounts:
    """Monday-heavy weeks with a little wobble from week to week."""
    instants = []
    for day in range(days):
        when = date(2026, 1, 5) + timedelta(days=day)
        for hour in range(9, 13):
            count = (8 if when.weekday() == 0 else 4) + (day * 7 + hour) % 3
            instants += [datetime(when.year, when.month, when.day, hour, tzinfo=UTC)] * count
    return contacts_per_slot(instants, calendar=CAL, start=date(2026, 1, 5), days=days, slot="1h")


class TestBacktest:
    def test_origins_step_from_the_warmup_to_the_last_full_horizon(self) -> None:
        result = backtest(history(), horizon=7, warmup=28, step=2)
        assert result.origins == tuple(date(2026, 2, 2) + timedelta(days=d) for d in (0, 2, 4, 6))
        assert [row.bucket for row in result.rows[:4]] == ["day 1", "day 2", "day 3", "days 4-7"]

    def test_scores_are_computed_by_hand(self) -> None:
        data = history(35)
        result = backtest(data, {"naive": seasonal_naive}, horizon=1, warmup=28, buckets=[(1, 1)])
        (row,) = result.rows
        origins = [date(2026, 2, 2) + timedelta(days=d) for d in range(7)]
        errors, actual = [], 0.0
        for origin in origins:
            ahead = seasonal_naive(data, start=origin, days=1)
            for item, value in zip(ahead.grid.slots, ahead.values, strict=True):
                at = data.grid.find(item.day, item.start)
                assert at is not None
                assert value is not None
                errors.append(abs(value - data.counts[at]))
                actual += data.counts[at]
        assert row.slots == len(errors)
        assert row.mae == pytest.approx(sum(errors) / len(errors))
        assert row.wape == pytest.approx(sum(errors) / actual)
        assert row.mase is not None
        assert row.mase > 0

    def test_a_method_sees_only_the_history_before_its_origin(self) -> None:
        seen: list[tuple[date, date]] = []

        def spy(data: SlotCounts, *, start: date, days: int) -> Forecast:
            seen.append((start, data.grid.start))
            return weekly_average(data, start=start, days=days, weeks=2)

        backtest(history(), {"spy": spy}, horizon=3, warmup=35, step=1)
        assert [start for start, _ in seen] == [
            date(2026, 2, 9) + timedelta(days=d) for d in range(5)
        ]

    def test_too_short_a_history_has_no_origins(self) -> None:
        result = backtest(history(14), horizon=14, warmup=7)
        assert result.origins == ()
        assert all(row.mase is None and row.slots == 0 for row in result.rows)
        assert "no origins" in result.explain()
        assert result.best("day 1") is None

    def test_explain_and_rows(self) -> None:
        result = backtest(history(), horizon=7, warmup=28)
        text = result.explain()
        assert "seasonal naive" in text
        assert "4-week average" in text
        assert "MASE" in text
        assert result.to_rows()[0]["bucket"] == "day 1"

    def test_a_method_returning_the_wrong_thing_is_an_error(self) -> None:
        def wrong(data: SlotCounts, *, start: date, days: int) -> Forecast:
            return seasonal_naive(data, start=start, days=days + 1)

        with pytest.raises(InvalidInputError, match="must return a Forecast"):
            backtest(history(), {"wrong": wrong}, horizon=2)

    def test_too_large_a_backtest_is_refused(self) -> None:
        cal = BusinessCalendar.always("UTC")
        big = contacts_per_slot([], calendar=cal, start=date(2026, 1, 1), days=200, slot="15m")
        with pytest.raises(InvalidInputError, match="raise step"):
            backtest(big, horizon=56, warmup=7)

    @pytest.mark.parametrize(
        "arguments",
        [
            {"horizon": 0},
            {"horizon": 57},
            {"warmup": 6},
            {"step": 0},
            {"buckets": []},
            {"buckets": [(0, 1)]},
            {"buckets": [(3, 2)]},
            {"buckets": "day 1"},
            {"methods": {}},
            {"methods": {"x": 3}},
        ],
    )
    def test_rejects(self, arguments: dict[str, object]) -> None:
        with pytest.raises(InvalidInputError):
            backtest(history(), **arguments)  # type: ignore[arg-type]


@functools.cache
def _small() -> SlotCounts:
    return history(21)


@given(
    horizon=st.one_of(st.integers(-1, 60), st.floats(), st.none()),
    warmup=st.one_of(st.integers(0, 30), st.text(max_size=2)),
    step=st.integers(-1, 30),
    buckets=st.one_of(
        st.lists(st.tuples(st.integers(-1, 20), st.integers(-1, 20)), max_size=4),
        st.lists(st.integers(), max_size=2),
    ),
)
def test_fuzz_only_servicekit_errors_escape(
    horizon: object, warmup: object, step: int, buckets: object
) -> None:
    with contextlib.suppress(ServicekitError):
        backtest(_small(), horizon=horizon, warmup=warmup, step=step, buckets=buckets)  # type: ignore[arg-type]
