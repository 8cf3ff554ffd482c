"""The statsmodels ETS adapter: finds simulated rates, reads only the past, and serves
as a backtest method."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit.calendars import BusinessCalendar
from servicekit.errors import InvalidInputError, ServicekitError
from servicekit.forecast import backtest, contacts_per_slot, ets_forecast, seasonal_naive

from .test_baselines import SATURDAY, WEEKDAY, arrivals_history

pytest.importorskip("statsmodels")


def test_recovers_the_simulated_weekly_total() -> None:
    history = arrivals_history(6, seed=3)
    ahead = ets_forecast(history, start=history.grid.end)
    assert ahead.total == pytest.approx(sum(WEEKDAY) * 5 + sum(SATURDAY), rel=0.08)
    assert ahead.missing == 0
    assert ahead.method == "ETS (6 weeks, statsmodels)"


def test_reads_only_history_before_start() -> None:
    history = arrivals_history(6, seed=3)
    origin = history.grid.start + timedelta(weeks=3)
    inside = ets_forecast(history, start=origin, days=3)
    cut = contacts_per_slot(
        [],
        calendar=history.grid.calendar,
        start=history.grid.start,
        days=21,
        slot="1h",
        counts=[],
    )
    truncated = type(history)(
        grid=history.grid.window(history.grid.start, 21) or cut.grid,
        counts=history.counts[: len(cut.grid.slots)],
        closed=0,
        outside=0,
    )
    assert ets_forecast(truncated, start=origin, days=3).values == inside.values


def test_forecasts_past_the_end_of_the_history() -> None:
    history = arrivals_history(3, seed=2)
    later = ets_forecast(history, start=history.grid.end + timedelta(days=7), days=1)
    assert later.grid.start == history.grid.end + timedelta(days=7)
    assert all(value is not None and value >= 0 for value in later.values)


def test_is_a_backtest_method() -> None:
    history = arrivals_history(5, seed=4)
    result = backtest(
        history,
        {"ets": ets_forecast, "naive": seasonal_naive},
        horizon=7,
        warmup=21,
        step=7,
    )
    assert {row.method for row in result.rows} == {"ets", "naive"}
    assert all(row.mase is not None for row in result.rows)


def test_no_contacts_forecasts_none() -> None:
    cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    history = contacts_per_slot([], calendar=cal, start=date(2026, 1, 5), days=14, slot="1h")
    assert ets_forecast(history, start=date(2026, 1, 19)).total == 0


@pytest.mark.parametrize(
    "arguments",
    [
        {"start": date(2026, 1, 12)},  # one week of history
        {"weeks": 1},
        {"weeks": 13},
        {"days": 0},
        {"start": "2026-02-16"},
    ],
)
def test_rejects(arguments: dict[str, object]) -> None:
    options: dict[str, object] = {"start": date(2026, 2, 16), **arguments}
    with pytest.raises(InvalidInputError):
        ets_forecast(arrivals_history(6, seed=1), **options)  # type: ignore[arg-type]


@settings(max_examples=15)
@given(
    start=st.dates(date(2026, 1, 1), date(2026, 4, 1)),
    days=st.integers(-1, 20),
    weeks=st.one_of(st.integers(0, 14), st.none()),
)
def test_fuzz_only_servicekit_errors_escape(start: date, days: int, weeks: int | None) -> None:
    with contextlib.suppress(ServicekitError):
        ets_forecast(arrivals_history(3, seed=1), start=start, days=days, weeks=weeks)  # type: ignore[arg-type]
