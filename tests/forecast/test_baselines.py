"""Seasonal naive and k-week average: references, like days, DST, and feeding staffing."""

from __future__ import annotations

import contextlib
import functools
import random
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.calendars import BusinessCalendar
from servicekit.errors import InvalidInputError, ServicekitError
from servicekit.forecast import (
    SlotCounts,
    backtest,
    contacts_per_slot,
    seasonal_naive,
    weekly_average,
)
from servicekit.routing import AgentState
from servicekit.simulation import AgentPlan, Arrivals, HandleTime, Team, simulate
from servicekit.staffing import staffing_table

BERLIN = ZoneInfo("Europe/Berlin")
EASTER = {date(2026, 4, 3), date(2026, 4, 6)}  # Good Friday, Easter Monday
HOURS = {"mon-fri": ["08:00-18:00"], "sat": ["10:00-14:00"]}
# Smooth hourly rates: a morning rise and an afternoon fall, Saturdays quieter.
WEEKDAY = [0.0] * 8 + [6, 10, 14, 16, 14, 12, 12, 10, 8, 6] + [0.0] * 6
SATURDAY = [0.0] * 10 + [4, 5, 5, 4] + [0.0] * 10
RATES = {"mon-fri": WEEKDAY, "sat": SATURDAY}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


@functools.cache
def simulated(days: int = 42) -> SlotCounts:
    """Tickets from a seeded simulator run (over the spring DST change and Easter)."""
    team = Team(
        agents=[AgentPlan(AgentState(id=f"a{n}", capacity={"email": 9})) for n in range(3)],
        arrivals=Arrivals(weekly=RATES, tz=BERLIN, channels={"email": 1}),
        handle_times={"email": HandleTime("2m")},
    )
    result = simulate(team, start=at(date(2026, 3, 2), 0), days=days, seed=11)
    cal = BusinessCalendar(tz=BERLIN, weekly=HOURS, holidays=EASTER)
    return contacts_per_slot(
        result.tickets, calendar=cal, start=date(2026, 3, 2), days=days, slot="1h"
    )


def arrivals_history(weeks: int, seed: int) -> SlotCounts:
    """Many weeks of the simulator's own Poisson arrival process (cheaper than a run)."""
    arrivals = Arrivals(weekly=RATES, tz=BERLIN)
    rng, t = random.Random(seed), at(date(2026, 1, 5), 0)
    end = t + timedelta(weeks=weeks)
    created = []
    while (t := arrivals.next_arrival(t, end, rng)) is not None:  # type: ignore[assignment]
        created.append(t)
    cal = BusinessCalendar(tz=BERLIN, weekly=HOURS)
    return contacts_per_slot(
        created, calendar=cal, start=date(2026, 1, 5), days=7 * weeks, slot="1h"
    )


class TestSeasonalNaive:
    cal = BusinessCalendar(tz=BERLIN, weekly={"mon-sun": ["09:00-11:00"]})

    def history(self, counts: dict[date, int], days: int = 21) -> SlotCounts:
        instants = [at(day, 9, 10) for day, n in counts.items() for _ in range(n)]
        return contacts_per_slot(instants, calendar=self.cal, start=date(2026, 3, 2), days=days)

    def test_repeats_the_latest_same_weekday_slot(self) -> None:
        history = self.history({date(2026, 3, 2): 3, date(2026, 3, 9): 5, date(2026, 3, 10): 1})
        ahead = seasonal_naive(history, start=date(2026, 3, 23), days=8)
        assert ahead.values[0] == 0  # Monday 16 had none
        ahead = seasonal_naive(history, start=date(2026, 3, 16), days=8)
        assert ahead.values[0] == 5
        assert ahead.values[4] == 1
        assert ahead.values[28] == 5  # Monday 23 again reads Monday 9: history ends at origin

    def test_reads_only_history_before_its_start(self) -> None:
        history = self.history({date(2026, 3, 9): 5, date(2026, 3, 16): 9})
        assert seasonal_naive(history, start=date(2026, 3, 16)).values[0] == 5

    def test_a_holiday_is_skipped_by_default(self) -> None:
        history = self.history({date(2026, 3, 2): 3, date(2026, 3, 9): 50})
        ahead = seasonal_naive(history, start=date(2026, 3, 16), holidays={date(2026, 3, 9)})
        assert ahead.values[0] == 3

    def test_a_holiday_can_be_read_as_a_sunday(self) -> None:
        history = self.history({date(2026, 3, 2): 3, date(2026, 3, 9): 1, date(2026, 3, 15): 2})
        ahead = seasonal_naive(
            history, start=date(2026, 3, 16), days=7, holidays={date(2026, 3, 17)}, like="sun"
        )
        assert ahead.values[0] == 1  # Monday as Monday
        assert ahead.values[4] == 2  # holiday Tuesday as last Sunday
        # ... and a holiday in the history stands for a Sunday, not for its weekday:
        holiday = {date(2026, 3, 9)}
        ahead = seasonal_naive(history, start=date(2026, 3, 16), holidays=holiday, like="sun")
        assert ahead.values[0] == 3  # Monday 16 reads Monday 2
        ahead = seasonal_naive(
            history, start=date(2026, 3, 14), days=2, holidays=holiday, like="sun"
        )
        assert ahead.values[4] == 1  # Sunday 15 reads holiday Monday 9, the latest "Sunday"

    def test_a_slot_never_seen_has_no_forecast(self) -> None:
        cal = BusinessCalendar(
            tz=BERLIN,
            weekly={"mon": ["09:00-10:00"]},
            overrides={date(2026, 3, 16): ["09:00-12:00"]},
        )
        history = contacts_per_slot([], calendar=cal, start=date(2026, 3, 2), days=14)
        ahead = seasonal_naive(history, start=date(2026, 3, 16), days=1)
        assert ahead.values == (0.0, 0.0, None, None, None, None)
        assert ahead.missing == 4
        assert "4 slots have no history" in ahead.explain()
        with pytest.raises(InvalidInputError, match="Mon 2026-03-16 10:00 has no forecast"):
            ahead.calls()

    @pytest.mark.parametrize(
        "arguments",
        [
            {"start": date(2026, 3, 2)},  # no history before it
            {"start": date(2026, 3, 16), "like": "holiday"},
            {"start": date(2026, 3, 16), "like": "mon-fri"},
            {"start": date(2026, 3, 16), "holidays": "2026-03-09"},
            {"start": date(2026, 3, 16), "days": 0},
            {"start": "2026-03-16"},
        ],
    )
    def test_rejects(self, arguments: dict[str, object]) -> None:
        with pytest.raises(InvalidInputError):
            seasonal_naive(self.history({}), **arguments)  # type: ignore[arg-type]


class TestWeeklyAverage:
    def test_averages_rates_over_the_weeks(self) -> None:
        cal = BusinessCalendar(tz=BERLIN, weekly={"mon": ["09:00-10:00"]})
        instants = [
            at(date(2026, 3, 2) + timedelta(weeks=w), 9) for w in range(4) for _ in range(w)
        ]
        history = contacts_per_slot(
            instants, calendar=cal, start=date(2026, 3, 2), days=28, slot="1h"
        )
        assert weekly_average(history, start=date(2026, 3, 30), weeks=4).values == (1.5,)
        assert weekly_average(history, start=date(2026, 3, 30), weeks=2).values == (2.5,)
        assert weekly_average(history, start=date(2026, 3, 30), weeks=9).values == (1.5,)

    @pytest.mark.parametrize("weeks", [0, 53, 2.0, True])
    def test_rejects_weeks(self, weeks: object) -> None:
        history = arrivals_history(1, seed=1)
        with pytest.raises(InvalidInputError):
            weekly_average(history, start=date(2026, 1, 12), weeks=weeks)  # type: ignore[arg-type]

    def test_recovers_the_simulated_rates(self) -> None:
        history = arrivals_history(8, seed=3)
        ahead = weekly_average(history, start=history.grid.end, weeks=8)
        expected = sum(WEEKDAY) * 5 + sum(SATURDAY)
        assert ahead.total == pytest.approx(expected, rel=0.05)
        monday = ahead.values[: len([v for v in WEEKDAY if v])]
        assert monday == pytest.approx([v for v in WEEKDAY if v], rel=0.35)

    def test_spring_forward_sunday_has_no_gap_slots(self) -> None:
        cal = BusinessCalendar.always(BERLIN)
        instants = [
            at(date(2026, 3, 1) + timedelta(days=d), h, m)
            for d in range(28)
            for h in range(24)
            for m in (5, 35)
        ]
        history = contacts_per_slot(instants, calendar=cal, start=date(2026, 3, 1), days=28)
        sunday = weekly_average(history, start=date(2026, 3, 29), days=1)
        assert len(sunday.values) == 46
        assert sunday.values == pytest.approx([1.0] * 46)
        calls = sunday.calls()
        assert calls[4:6] == [0.0, 0.0]  # 02:00 and 02:30 never happen

    def test_fall_back_sunday_forecasts_the_repeated_hour(self) -> None:
        cal = BusinessCalendar.always(BERLIN)
        instants = [
            at(date(2026, 9, 27) + timedelta(days=d), h, 5) for d in range(28) for h in range(24)
        ]
        history = contacts_per_slot(instants, calendar=cal, start=date(2026, 9, 27), days=28)
        sunday = seasonal_naive(history, start=date(2026, 10, 25), days=1)
        assert sunday.total == pytest.approx(25.0)  # one an hour, for 25 hours
        assert sunday.values[4] == pytest.approx(2.0)  # 02:00-02:30 happens twice
        assert sunday.calls()[4] == pytest.approx(1.0)  # at the rate of any other 02:00

    def test_feeds_a_staffing_table(self) -> None:
        history = simulated()
        ahead = weekly_average(history, start=history.grid.end, weeks=4)
        table = ahead.to_staffing(aht="2m", target="1m", service_level=0.8)
        assert len(table.rows) == 7 * 24
        expected = staffing_table(ahead.calls(), interval="1h", aht="2m", target="1m")
        assert table == expected
        assert table.rows[7].calls == 0
        assert table.rows[12].calls > 0
        assert "contacts over 7 days" in ahead.explain()

    def test_easter_week_is_handled(self) -> None:
        history = simulated()
        assert history.grid.find(date(2026, 4, 6), timedelta(hours=9)) is None  # Easter Monday
        assert history.closed > 0  # the simulator kept sending on the holidays
        ahead = seasonal_naive(history, start=date(2026, 4, 13), days=1)
        # Monday 13 reads Monday 30 March: Easter Monday is skipped
        at_nine = history.grid.find(date(2026, 3, 30), timedelta(hours=9))
        assert at_nine is not None
        assert ahead.values[1] == history.counts[at_nine]


class TestOnSimulatedRuns:
    def test_k_week_average_beats_seasonal_naive_on_smooth_rates(self) -> None:
        history = simulated()
        result = backtest(history, horizon=7, warmup=28, step=1)
        for bucket in ("day 1", "days 4-7"):
            rows = {row.method: row for row in result.rows if row.bucket == bucket}
            naive, average = rows["seasonal naive"].mase, rows["4-week average"].mase
            assert naive is not None
            assert average is not None
            assert average < naive
            assert 0.7 < naive < 1.3  # last week's slot, scored against itself in-sample

    def test_longer_histories_too(self) -> None:
        history = arrivals_history(10, seed=5)
        result = backtest(history, horizon=14, warmup=42, step=3)
        assert result.best("days 8-14") == "4-week average"


@given(
    start=st.one_of(st.dates(date(2026, 3, 1), date(2026, 5, 1)), st.text(max_size=3)),
    days=st.one_of(st.integers(-1, 30), st.floats()),
    weeks=st.one_of(st.integers(-1, 60), st.none()),
    like=st.one_of(st.sampled_from(["skip", "sun", "sat", "xyz", "mon-tue"]), st.integers()),
    holidays=st.one_of(st.none(), st.sets(st.dates(date(2026, 3, 1), date(2026, 5, 1))), st.text()),
)
def test_fuzz_only_servicekit_errors_escape(
    start: object, days: object, weeks: object, like: object, holidays: object
) -> None:
    history = arrivals_history(2, seed=1)
    arguments: dict[str, Any] = {"start": start, "days": days, "like": like, "holidays": holidays}
    with contextlib.suppress(ServicekitError):
        if weeks is None:
            seasonal_naive(history, **arguments)
        else:
            weekly_average(history, weeks=weeks, **arguments)  # type: ignore[arg-type]
