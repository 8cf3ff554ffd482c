"""The statsmodels MSTL adapter: beats seasonal naive on seeded Poisson arrivals with
known rates, reads only the past, trims days to the open hours, refuses inputs past its
size bound with a reason, and lets only servicekit errors out."""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit.calendars import BusinessCalendar
from servicekit.errors import InvalidInputError, ServicekitError
from servicekit.forecast import (
    MAX_MSTL_CELLS,
    SlotCounts,
    backtest,
    contacts_per_slot,
    mstl_forecast,
    seasonal_naive,
    weekly_average,
)
from servicekit.simulation import Arrivals

from .test_baselines import (
    BERLIN,
    HOURS,
    RATES,
    SATURDAY,
    WEEKDAY,
    arrivals_history,
    at,
    simulated,
)

pytest.importorskip("statsmodels")


def half_hour_history(weeks: int, seed: int) -> SlotCounts:
    """The simulator's Poisson arrivals (known hourly rates), in half-hour slots."""
    arrivals = Arrivals(weekly=RATES, tz=BERLIN)
    rng, t = random.Random(seed), at(date(2026, 1, 5), 0)
    end = t + timedelta(weeks=weeks)
    created = []
    while (t := arrivals.next_arrival(t, end, rng)) is not None:  # type: ignore[assignment]
        created.append(t)
    cal = BusinessCalendar(tz=BERLIN, weekly=HOURS)
    return contacts_per_slot(
        created, calendar=cal, start=date(2026, 1, 5), days=7 * weeks, slot="30m"
    )


@pytest.mark.parametrize(
    ("seed", "history"),
    [(3, arrivals_history), (5, arrivals_history), (4, half_hour_history)],
)
def test_backtest_mase_is_below_seasonal_naive_in_every_bucket(seed: int, history: object) -> None:
    counts = history(10, seed)  # type: ignore[operator]
    result = backtest(
        counts,
        {"mstl": mstl_forecast, "naive": seasonal_naive, "average": weekly_average},
        horizon=7,
        warmup=42,
        step=7,
    )
    scores = {(row.method, row.bucket): row.mase for row in result.rows}
    for bucket in ("day 1", "day 2", "day 3", "days 4-7"):
        mstl, naive = scores["mstl", bucket], scores["naive", bucket]
        assert mstl is not None
        assert naive is not None
        assert mstl < naive, (bucket, mstl, naive)


def test_recovers_the_simulated_weekly_total_and_shape() -> None:
    history = arrivals_history(6, seed=3)
    ahead = mstl_forecast(history, start=history.grid.end)
    assert ahead.method == "MSTL (6 weeks, statsmodels)"
    assert ahead.total == pytest.approx(sum(WEEKDAY) * 5 + sum(SATURDAY), rel=0.08)
    monday = [
        v for s, v in zip(ahead.grid.slots, ahead.values, strict=True) if s.day.weekday() == 0
    ]
    # the morning rise and afternoon fall of the true rates, within Poisson noise
    assert monday.index(max(v or 0.0 for v in monday)) in range(2, 5)


def test_reads_only_history_before_start() -> None:
    history = arrivals_history(6, seed=3)
    origin = history.grid.start + timedelta(weeks=4)
    inside = mstl_forecast(history, start=origin, days=3)
    window = history.grid.window(history.grid.start, 28)
    assert window is not None
    cut = SlotCounts(grid=window, counts=history.counts[: len(window.slots)], closed=0, outside=0)
    assert mstl_forecast(cut, start=origin, days=3).values == inside.values


def test_forecasts_past_the_end_of_the_history() -> None:
    history = arrivals_history(4, seed=2)
    later = mstl_forecast(history, start=history.grid.end + timedelta(days=9), days=2)
    assert later.grid.start == history.grid.end + timedelta(days=9)
    assert all(value is not None and value >= 0 for value in later.values)


def test_no_contacts_forecasts_none() -> None:
    cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    history = contacts_per_slot([], calendar=cal, start=date(2026, 1, 5), days=21, slot="1h")
    assert mstl_forecast(history, start=date(2026, 1, 26)).total == 0


def test_weeks_are_capped_by_the_cell_bound() -> None:
    # half hours around the clock: 336 cells a week, so at most 6 of the 12 weeks asked
    cal = BusinessCalendar(tz="UTC", weekly={"mon-sun": ["00:00-24:00"]})
    history = contacts_per_slot([], calendar=cal, start=date(2026, 1, 5), days=84, slot="30m")
    ahead = mstl_forecast(history, start=date(2026, 3, 30), weeks=12)
    assert ahead.method == f"MSTL ({MAX_MSTL_CELLS // 336} weeks, statsmodels)"


def test_too_fine_slots_are_refused_with_what_to_do() -> None:
    cal = BusinessCalendar(tz="UTC", weekly={"mon-sun": ["00:00-24:00"]})
    history = contacts_per_slot([], calendar=cal, start=date(2026, 1, 5), days=28, slot="10m")
    with pytest.raises(InvalidInputError, match=r"at most 2,016 cells.*longer slots"):
        mstl_forecast(history, start=date(2026, 2, 2))


def test_open_hours_only_are_read() -> None:
    # 08:00-18:00 at 15 minutes is 40 cells a day: three weeks fit, around the clock would not
    cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["08:00-18:00"]})
    history = contacts_per_slot([], calendar=cal, start=date(2026, 1, 5), days=35, slot="15m")
    assert mstl_forecast(history, start=date(2026, 2, 9)).method == "MSTL (5 weeks, statsmodels)"


@pytest.mark.parametrize(
    "arguments",
    [
        {"start": date(2026, 1, 19)},  # two weeks of history
        {"weeks": 2},
        {"weeks": 13},
        {"weeks": True},
        {"days": 0},
        {"start": "2026-02-16"},
    ],
)
def test_rejects(arguments: dict[str, object]) -> None:
    options: dict[str, object] = {"start": date(2026, 2, 16), **arguments}
    with pytest.raises(InvalidInputError):
        mstl_forecast(arrivals_history(6, seed=1), **options)  # type: ignore[arg-type]


def test_history_must_be_slot_counts() -> None:
    with pytest.raises(InvalidInputError, match="SlotCounts"):
        mstl_forecast([1, 2, 3], start=date(2026, 2, 16))  # type: ignore[arg-type]


@settings(max_examples=10, deadline=None)
@given(
    start=st.dates(date(2026, 1, 1), date(2026, 4, 1)),
    days=st.integers(-1, 20),
    weeks=st.one_of(st.integers(0, 14), st.none()),
)
def test_fuzz_only_servicekit_errors_escape(start: date, days: int, weeks: int | None) -> None:
    with contextlib.suppress(ServicekitError):
        mstl_forecast(arrivals_history(4, seed=1), start=start, days=days, weeks=weeks)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "weekdays"),
    [(date(2026, 4, 6), 4), (date(2026, 4, 13), 5)],  # Easter Monday closed; a whole week
)
def test_a_simulator_run_over_dst_and_easter(start: date, weekdays: int) -> None:
    # history from 2026-03-02: the clocks go forward on 03-29, Good Friday (04-03) and
    # Easter Monday (04-06) are closed; holidays must not read as days of no contacts
    history = simulated(42)
    ahead = mstl_forecast(history, start=start, days=7)
    truth = sum(WEEKDAY) * weekdays + sum(SATURDAY)
    assert ahead.missing == 0
    assert ahead.total == pytest.approx(truth, rel=0.06)


def test_a_calendar_closed_throughout_forecasts_no_slots() -> None:
    closed = {date(2026, 1, 5) + timedelta(days=d) for d in range(40)}
    cal = BusinessCalendar(tz="UTC", weekly={"mon-sun": ["00:00-24:00"]}, holidays=closed)
    history = contacts_per_slot([], calendar=cal, start=date(2026, 1, 5), days=28, slot="5m")
    ahead = mstl_forecast(history, start=date(2026, 2, 2), days=7)
    assert (ahead.values, ahead.total) == ((), 0)
