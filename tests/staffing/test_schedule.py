"""Shift scheduling: optimal against brute force, never below the LP relaxation,
coverage and shapes as promised, service level re-checked, and a simulator team."""

from __future__ import annotations

import contextlib
import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit.errors import InvalidInputError, ServicekitError
from servicekit.routing import AgentState
from servicekit.simulation import AgentPlan, Arrivals, HandleTime, Team, simulate
from servicekit.staffing import Schedule, Shift, StaffingTable, schedule, staffing_table
from servicekit.staffing._schedule import _build

# Erlangs giving a head count of 0, 1 or 2 (no wait for half the contacts: Erlang C).
ERLANGS = {0: 0.0, 1: 0.05, 2: 0.67}


def sized(heads: list[int], interval: str = "6h") -> StaffingTable:
    hours = int(interval.rstrip("h"))
    table = staffing_table(
        [ERLANGS[h] * hours for h in heads],
        interval=interval,
        aht="1h",
        target="0s",
        service_level=0.5,
    )
    assert [row.plan.scheduled for row in table.rows] == heads
    return table


def covered_cells(plan: Schedule, count: int, per_day: int, interval_h: float) -> list[int]:
    """Head count per cell, recomputed from the lines alone (wrapping)."""
    staffed = [0] * count
    for line in plan.lines:
        span = round(line.shift.length / timedelta(hours=interval_h))
        for day in line.days:
            first = day * per_day + round(line.start / timedelta(hours=interval_h))
            for k in range(span):
                staffed[(first + k) % count] += line.agents
    return staffed


def brute_force(
    heads: list[int], columns: list[tuple[float, list[int]]], most: int
) -> float | None:
    """The fewest paid hours covering every cell, trying every count 0..most per column."""
    best = None
    for counts in itertools.product(range(most + 1), repeat=len(columns)):
        staffed = [0] * len(heads)
        for n, (_, cells) in zip(counts, columns, strict=True):
            for cell in cells:
                staffed[cell] += n
        if all(s >= h for s, h in zip(staffed, heads, strict=True)):
            cost = sum(n * paid for n, (paid, _) in zip(counts, columns, strict=True))
            best = cost if best is None else min(best, cost)
    return best


class TestAgainstBruteForce:
    @settings(max_examples=25)
    @given(
        heads=st.lists(st.integers(0, 2), min_size=4, max_size=4),
        paid_long=st.sampled_from([9.0, 10.0, 12.0, 13.0]),
    )
    def test_daily_shifts_optimum_equals_enumeration(
        self, heads: list[int], paid_long: float
    ) -> None:
        table = sized(heads)
        shifts = [
            Shift(length="6h"),
            Shift(length="12h", paid=timedelta(hours=paid_long)),
        ]
        plan = schedule(table, shifts=shifts)
        columns = [(6.0, [s]) for s in range(4)] + [(paid_long, [s, (s + 1) % 4]) for s in range(4)]
        assert plan.optimal
        assert not plan.uncovered
        assert plan.paid_hours == pytest.approx(brute_force(heads, columns, max(heads)))

    @settings(max_examples=25)
    @given(heads=st.lists(st.integers(0, 2), min_size=14, max_size=14))
    def test_weekly_tours_optimum_equals_enumeration(self, heads: list[int]) -> None:
        table = sized(heads, interval="12h")
        shift = Shift(length="12h", earliest="00:00", every="24h")
        plan = schedule(table, shifts=[shift], tours="5/2")
        patterns = [{(r + k) % 7 for k in range(5)} for r in range(7)]
        columns = [(60.0, [2 * d for d in sorted(p)]) for p in patterns]
        coverable = [h if cell % 2 == 0 else 0 for cell, h in enumerate(heads)]
        assert plan.optimal
        assert plan.paid_hours == pytest.approx(brute_force(coverable, columns, max(heads)))
        # The afternoons no 00:00 shift reaches are reported, not an error:
        assert {row.start.total_seconds() % 86_400 for row in plan.uncovered} <= {43_200.0}
        assert sum(row.uncovered for row in plan.uncovered) == sum(heads[1::2])


HOURLY = [4, 3, 2, 2, 2, 3, 6, 12, 25, 40, 52, 58, 60, 57, 55, 50, 46, 40, 33, 26, 20, 14, 9, 6]


def realistic(days: int = 1, interval: str = "30m", scale: float = 1.0) -> StaffingTable:
    """A day of calls rising to a midday peak, repeated, in cells of ``interval`` minutes."""
    minutes = int(interval.rstrip("m"))
    per_minute = [HOURLY[m // 60] / 60 * scale for m in range(1440)]
    day = [sum(per_minute[c : c + minutes]) for c in range(0, 1440, minutes)]
    calls = day * days
    return staffing_table(calls, interval=interval, aht="5m", target="30s", service_level=0.8)


def _relaxed_and_exact(table: StaffingTable, lengths: list[str], floor: float | None) -> Any:
    built = _build(
        table,
        tuple(Shift(length=length) for length in lengths),
        patterns=None,
        week_start=0,
        wrap=True,
        limits={},
        max_agents=None,
        floor=floor,
    )
    return built.model.solve(10.0, 0.0, relax=True), built.model.solve(3.0, 0.0)


class TestLpRelaxation:
    @settings(max_examples=15)
    @given(
        scale=st.floats(0.2, 3.0),
        lengths=st.lists(st.sampled_from(["4h", "6h", "8h", "10h"]), min_size=1, max_size=3),
    )
    def test_the_milp_objective_is_never_below_the_lp_bound(
        self, scale: float, lengths: list[str]
    ) -> None:
        relaxed, exact = _relaxed_and_exact(realistic(interval="60m", scale=scale), lengths, None)
        assert exact.status == 0
        assert relaxed.fun <= exact.fun + 1e-6

    def test_nor_with_the_whole_week_goal(self) -> None:
        table = realistic(interval="120m", scale=0.5)
        relaxed, exact = _relaxed_and_exact(table, ["4h"], 0.5)
        assert exact.x is not None
        assert relaxed.fun <= exact.fun + 1e-6
        assert exact.mip_dual_bound >= relaxed.fun - 1e-6


def _in_window(start: timedelta, shift: Shift) -> bool:
    earliest = shift.earliest.total_seconds()
    if shift.latest is None:
        return True  # any time of day
    latest = shift.latest.total_seconds()
    return (start.total_seconds() - earliest) % 86_400 <= (latest - earliest) % 86_400


class TestInvariants:
    @settings(max_examples=12)
    @given(
        scale=st.floats(0.1, 2.0),
        earliest=st.sampled_from(["00:00", "06:00", "20:00"]),
        latest=st.sampled_from([None, "10:00", "02:00"]),
        limit=st.none() | st.integers(0, 15),
        cap=st.none() | st.integers(0, 40),
    )
    def test_daily_shifts(
        self, scale: float, earliest: str, latest: str | None, limit: int | None, cap: int | None
    ) -> None:
        table = realistic(days=2, interval="60m", scale=scale)
        shifts = [
            Shift(length="8h", earliest=earliest, latest=latest),
            Shift(length="4h", earliest="10:00", latest="14:00", every="2h", days="tue"),
        ]
        plan = schedule(
            table,
            shifts=shifts,
            day_limits=None if limit is None else {"tue": limit},
            max_agents=cap,
            time_limit=20,
        )
        staffed = covered_cells(plan, len(table.rows), 24, 1.0)
        for row, count in zip(plan.coverage, staffed, strict=True):
            assert row.staffed == count
            assert row.uncovered == max(0, row.needed - count)
        for line in plan.lines:
            assert _in_window(line.start, line.shift)
            assert line.start % (line.shift.every or timedelta(hours=1)) == timedelta(0) or (
                line.shift.every is not None
            )
            assert len(line.days) == 1
            assert not line.tour
            if line.shift.days == frozenset({1}):
                assert line.days == (1,)  # only on Tuesday (day 1, the week starting Monday)
        for day in range(2):
            working = sum(line.agents for line in plan.lines if day in line.days)
            if cap is not None:
                assert working <= cap
            if limit is not None and day == 1:
                assert working <= limit
        if limit is None and cap is None and latest is None:
            assert not plan.uncovered  # an 8-hour shift may start at any hour
        elif not plan.uncovered:
            assert plan.paid_hours >= schedule(table, shifts=shifts).paid_hours

    @settings(max_examples=12)
    @given(
        pattern=st.sampled_from(["5/2", "4/3", ["5/2", "mon-thu"]]),
        earliest=st.sampled_from(["06:00", "14:00", "22:00"]),
        scale=st.floats(0.1, 1.0),
    )
    def test_weekly_tours(self, pattern: str | list[str], earliest: str, scale: float) -> None:
        table = realistic(days=7, interval="120m", scale=scale)
        shift = Shift(length="8h", earliest=earliest, latest="23:00", every="4h")
        plan = schedule(table, shifts=[shift], tours=pattern, time_limit=20)
        allowed = {frozenset((r + k) % 7 for k in range(5)) for r in range(7)} | {
            frozenset((r + k) % 7 for k in range(4)) for r in range(7)
        }
        for line in plan.lines:
            assert line.tour
            assert frozenset(line.days) in allowed or line.days == (0, 1, 2, 3)
            if pattern == "5/2":
                assert len(line.days) == 5
            assert _in_window(line.start, shift)
        staffed = covered_cells(plan, len(table.rows), 12, 2.0)
        assert [row.staffed for row in plan.coverage] == staffed
        assert plan.agents == sum(line.agents for line in plan.lines)


class TestServiceLevel:
    def test_every_covered_interval_meets_the_target(self) -> None:
        table = realistic(interval="30m")
        plan = schedule(table, shifts=[Shift(length="8h"), Shift(length="4h")])
        assert not plan.uncovered
        for row in plan.coverage:
            if row.calls:
                assert row.metrics.service_level >= 0.8
        assert plan.service_level is not None
        assert plan.service_level >= 0.8
        assert "every interval covered" in plan.explain()

    def test_the_whole_week_goal_meets_it_overall_with_fewer_hours(self) -> None:
        table = realistic(interval="60m", scale=0.5)
        shifts = [Shift(length="4h")]
        per_interval = schedule(table, shifts=shifts)
        week = schedule(table, shifts=shifts, goal="week", floor=0.5, time_limit=30)
        assert week.service_level is not None
        assert week.service_level >= 0.8 - 1e-9
        assert all(row.metrics.service_level >= 0.5 for row in week.coverage if row.calls)
        assert not week.uncovered
        assert week.paid_hours < per_interval.paid_hours  # 60 against 68 hours
        assert "floor 50% per interval" in week.explain()

    def test_shrinkage_is_scheduled_for(self) -> None:
        table = staffing_table([50] * 8, interval="1h", aht="5m", target="30s", shrinkage=0.3)
        plan = schedule(table, shifts=[Shift(length="8h")], wrap=False)
        assert plan.coverage[0].staffed >= table.rows[0].plan.scheduled
        assert plan.coverage[0].metrics.agents == table.rows[0].plan.agents


class TestUncovered:
    def test_a_window_that_cannot_reach_is_reported(self) -> None:
        table = realistic(interval="60m")
        plan = schedule(table, shifts=[Shift(length="8h", earliest="08:00", latest="08:00")])
        assert [row.label for row in plan.uncovered] == [
            f"Mon {h:02d}:00" for h in [*range(8), *range(16, 24)]
        ]
        assert "16 intervals uncovered" in plan.explain()
        assert plan.coverage_rows()[0]["uncovered"] == plan.coverage[0].needed

    def test_a_cap_leaves_intervals_short(self) -> None:
        table = realistic(interval="60m")
        plan = schedule(table, shifts=[Shift(length="8h")], max_agents=5)
        assert sum(line.agents for line in plan.lines) <= 5
        assert plan.uncovered

    def test_a_partial_day_does_not_wrap(self) -> None:
        table = staffing_table([30] * 6, interval="1h", aht="5m", target="30s", start="9h")
        plan = schedule(table, shifts=[Shift(length="4h")])
        assert not plan.uncovered
        assert all(line.start >= timedelta(hours=9) for line in plan.lines)
        with pytest.raises(InvalidInputError, match="whole days"):
            schedule(table, shifts=[Shift(length="4h")], wrap=True)


class TestOutputs:
    def test_rows_and_explanation(self) -> None:
        table = realistic(days=7, interval="120m", scale=0.3)
        plan = schedule(table, shifts=[Shift(length="8h", every="4h")], tours="5/2")
        rows = plan.to_rows()
        assert sum(row["agents"] for row in rows) == plan.agents
        assert sum(row["paid_hours"] for row in rows) == plan.paid_hours
        assert all(len(row["days"].split()) == 5 for row in rows)
        text = plan.explain()
        assert text.startswith(f"{plan.paid_hours:g} paid hours")
        assert "optimal" in text

    def test_shift_calendars_are_open_exactly_when_staffed(self) -> None:
        table = realistic(days=7, interval="120m", scale=0.3)
        plan = schedule(table, shifts=[Shift(length="8h", every="2h")], tours="5/2")
        calendars = plan.shift_calendars("Europe/Berlin")
        assert len(calendars) == plan.agents
        monday = datetime(2026, 6, 1, 1, tzinfo=UTC).astimezone(calendars[0].tz)
        monday = monday.replace(hour=1)  # 01:00 local: the middle of the first cell
        for row in plan.coverage:
            instant = monday + row.start
            assert sum(c.is_open(instant) for c in calendars) == row.staffed

    def test_a_team_from_the_schedule_runs_in_the_simulator(self) -> None:
        table = staffing_table([30] * 24, interval="1h", aht="4m", target="30s")
        plan = schedule(table, shifts=[Shift(length="8h", every="8h")])
        pairs = plan.roster(agent=AgentState(id="agent", capacity={"chat": 1}))
        team = Team(
            agents=[AgentPlan(agent, shift) for agent, shift in pairs],
            arrivals=Arrivals(weekly=30, channels={"chat": 1}),
            handle_times={"chat": HandleTime.exponential("4m")},
        )
        result = simulate(team, start=datetime(2026, 6, 1, tzinfo=UTC), days=1, seed=3)
        assert len(team.agents) == plan.agents
        assert result.service_level("30s").value is not None
        assert len({agent.id for agent, _ in pairs}) == len(pairs)
        with pytest.raises(InvalidInputError):
            plan.roster(agent="a")  # type: ignore[arg-type]


class TestRejects:
    @pytest.mark.parametrize(
        "arguments",
        [
            {"shifts": []},
            {"shifts": ["8h"]},
            {"shifts": [Shift(length="45m")]},  # not whole intervals of 30m
            {"shifts": [Shift(length="8h", every="45m")]},
            {"shifts": [Shift(length="8h", earliest="06:15")]},
            {"tours": "5/3"},
            {"tours": "weekdays"},
            {"tours": "5/2", "wrap": False},
            {"goal": "day"},
            {"goal": "week", "floor": 0.9},
            {"time_limit": 0},
            {"time_limit": 601},
            {"gap": 1.0},
            {"max_agents": -1},
            {"day_limits": {"sun": -1}},
            {"day_limits": {"xyz": 1}},
            {"week_start": "monday"},
            {"wrap": "yes"},
        ],
    )
    def test_bad_arguments(self, arguments: dict[str, Any]) -> None:
        options: dict[str, Any] = {"shifts": [Shift(length="8h")], **arguments}
        with pytest.raises(InvalidInputError):
            schedule(realistic(), **options)

    @pytest.mark.parametrize(
        "shift",
        [
            {"length": "24h"},
            {"length": "8h", "earliest": "25:00"},
            {"length": "8h", "earliest": 6},
            {"length": "8h", "latest": "6pm"},
            {"length": "8h", "days": "weekdays"},
            {"length": "8h", "name": 3},
            {"length": "8h", "paid": "-1h"},
        ],
    )
    def test_bad_shifts(self, shift: dict[str, Any]) -> None:
        with pytest.raises(InvalidInputError):
            Shift(**shift)

    def test_too_large_a_programme_is_refused(self) -> None:
        table = staffing_table([1] * (7 * 96), interval="15m", aht="5m", target="30s")
        shifts = [Shift(length=f"{h}h", name=f"s{h}") for h in range(4, 13)]
        with pytest.raises(InvalidInputError, match="entries"):
            schedule(table, shifts=shifts, tours=["5/2", "4/3"])

    def test_more_than_a_week_is_refused(self) -> None:
        table = staffing_table([1] * 8 * 24, interval="1h", aht="5m", target="30s")
        with pytest.raises(InvalidInputError, match="one week"):
            schedule(table, shifts=[Shift(length="8h")])


@settings(max_examples=30)
@given(
    shifts=st.lists(
        st.builds(
            dict,
            length=st.sampled_from(["1h", "2h", "90m", "8h"]),
            earliest=st.sampled_from(["00:00", "07:00", "23:00"]),
            latest=st.none() | st.sampled_from(["01:00", "12:00"]),
            every=st.none() | st.sampled_from(["1h", "3h", "30m"]),
        ),
        max_size=3,
    ),
    tours=st.none() | st.sampled_from(["5/2", "mon-fri", "7/0", "x/y", ""]),
    wrap=st.none() | st.booleans(),
    goal=st.sampled_from(["interval", "week", "other"]),
    floor=st.floats(-1, 2),
    limits=st.none() | st.dictionaries(st.sampled_from(["mon", "sun", "x"]), st.integers(-1, 9)),
    cap=st.none() | st.integers(-1, 9),
)
def test_fuzz_only_servicekit_errors_escape(  # noqa: PLR0917 - one argument per strategy
    shifts: list[dict[str, Any]],
    tours: str | None,
    wrap: bool | None,
    goal: Any,
    floor: float,
    limits: dict[str, int] | None,
    cap: int | None,
) -> None:
    table = staffing_table([3, 8, 2, 0] * 6, interval="1h", aht="5m", target="30s")
    with contextlib.suppress(ServicekitError):
        schedule(
            table,
            shifts=[Shift(**shift) for shift in shifts],
            tours=tours,
            wrap=wrap,
            goal=goal,
            floor=floor,
            day_limits=limits,
            max_agents=cap,
            time_limit=5,
        )


def test_date_free() -> None:
    """A schedule knows weekdays, not dates: the first day is ``week_start``."""
    table = realistic(interval="60m")
    plan = schedule(table, shifts=[Shift(length="8h")], week_start="sun")
    assert plan.coverage[0].label == "Sun 00:00"
    assert date(2026, 6, 7).weekday() == 6


@settings(max_examples=40)
@given(
    length=st.one_of(st.text(max_size=4), st.integers(-5, 10**6), st.none()),
    earliest=st.one_of(st.text(max_size=6), st.integers(), st.none()),
    latest=st.one_of(st.text(max_size=6), st.none(), st.floats()),
    every=st.one_of(st.none(), st.text(max_size=4), st.integers(-2, 10**5)),
    days=st.one_of(st.none(), st.text(max_size=7), st.integers()),
)
def test_fuzz_shift_only_servicekit_errors_escape(
    length: object, earliest: object, latest: object, every: object, days: object
) -> None:
    with contextlib.suppress(ServicekitError):
        shift = Shift(length=length, earliest=earliest, latest=latest, every=every, days=days)
        shift.starts(timedelta(minutes=30))
