"""Staffing tables over a forecast, and feasibility of a team against them."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import InvalidInputError
from servicekit.sla import Target
from servicekit.staffing import StaffingTable, agents_required, feasibility, staffing_table

FORECAST = [40, 100, 60, 0]


def table(**changes: object) -> StaffingTable:
    arguments: dict[str, object] = {
        "interval": "30m",
        "aht": "3m",
        "target": "20s",
        "shrinkage": 0.3,
        "start": "9h",
        **changes,
    }
    return staffing_table(FORECAST, **arguments)  # type: ignore[arg-type]


class TestStaffingTable:
    def test_each_row_is_the_single_interval_plan(self) -> None:
        for row, calls in zip(table().rows, FORECAST, strict=True):
            assert row.plan == agents_required(
                calls=calls, interval="30m", aht="3m", target="20s", shrinkage=0.3
            )

    def test_rows_are_labelled_by_their_start(self) -> None:
        assert [row.label for row in table().rows] == ["09:00", "09:30", "10:00", "10:30"]
        overnight = staffing_table([5] * 3, interval="8h", aht="3m", target="20s", start="16h")
        assert [row.label for row in overnight.rows] == ["16:00", "day 2 00:00", "day 2 08:00"]

    def test_peak_and_hours(self) -> None:
        plans = table()
        assert plans.peak.label == "09:30"
        assert plans.scheduled_hours == (10 + 20 + 13 + 0) / 2

    def test_rows_for_a_data_frame(self) -> None:
        first = table().to_rows()[0]
        assert first["start"] == timedelta(hours=9)
        assert (first["calls"], first["agents"], first["scheduled"]) == (40.0, 7, 10)
        assert set(first) == {
            "start",
            "calls",
            "traffic",
            "agents",
            "scheduled",
            "service_level",
            "asa",
            "occupancy",
            "p_abandon",
        }

    def test_numpy_arrays_are_accepted(self) -> None:
        plans = staffing_table(np.array([100]), interval="30m", aht="3m", target="20s")
        assert plans.rows[0].plan.agents == 14
        assert feasibility(plans, team=np.array([14])).feasible

    @pytest.mark.parametrize(
        ("calls", "message"),
        [([10, -1], r"calls\[1\]: calls must be a number >= 0, got -1"), ([], "at least one")],
    )
    def test_bad_forecast_names_the_interval(self, calls: list[float], message: str) -> None:
        with pytest.raises(InvalidInputError, match=message):
            staffing_table(calls, interval="30m", aht="3m", target="20s")


class TestFeasibility:
    def test_short_team_is_told_what_it_would_take(self) -> None:
        check = feasibility(table(), team=16)
        assert not check.feasible
        assert check.shortfall == 4
        assert [c.shortfall for c in check.intervals] == [0, 4, 0, 0]
        worst = check.worst
        assert (worst.label, worst.team, worst.agents, worst.required) == ("09:30", 16, 11, 20)
        assert worst.achievable_target == timedelta(minutes=3, seconds=41)
        assert check.reason == (
            "not feasible: 1 of 4 intervals short of 80% within 20s; worst at 09:30, which "
            "needs 20 scheduled and has 16 (4 short); there the team reaches 80% within 3m 41s"
        )

    def test_achievable_target_is_the_shortest_that_works(self) -> None:
        worst = feasibility(table(), team=16).worst
        assert worst.achievable_target is not None
        for seconds, meets in ((0, True), (-1, False)):
            target = worst.achievable_target + timedelta(seconds=seconds)
            single = staffing_table([100], interval="30m", aht="3m", target=target)
            assert feasibility(single, team=11).feasible is meets

    def test_enough_team_is_feasible(self) -> None:
        check = feasibility(table(), team=[10, 20, 13, 0])
        assert check.feasible
        assert check.shortfall == 0
        assert check.reason == "feasible: the team reaches 80% within 20s in all 4 intervals"

    def test_an_unstable_interval_has_no_achievable_target(self) -> None:
        check = feasibility(table(), team=[10, 14, 13, 0])  # 14 scheduled -> 9 agents < 10
        assert check.worst.achievable_target is None
        assert check.reason.endswith("there no answer-time target reaches 80%")

    def test_takes_an_sla_policy_target(self) -> None:
        from_policy = table(target=Target(duration=timedelta(seconds=20)))
        assert feasibility(from_policy, team=16) == feasibility(table(), team=16)

    @given(st.lists(st.integers(0, 30), min_size=4, max_size=4))
    def test_feasible_exactly_when_every_interval_has_its_head_count(self, team: list[int]) -> None:
        plans = table()
        check = feasibility(plans, team=team)
        required = [row.plan.scheduled for row in plans.rows]
        assert check.feasible == all(t >= r for t, r in zip(team, required, strict=True))
        for interval in check.intervals:
            met = interval.metrics.service_level >= plans.service_level
            assert met or interval.shortfall > 0

    @pytest.mark.parametrize(
        ("team", "message"),
        [(-1, "team must be a whole number"), ([1, 2], "team: 2 head counts for 4 intervals"),
         ([1, 2, 3, 1.5], r"team\[3\] must be a whole number")],
    )  # fmt: skip
    def test_bad_team(self, team: object, message: str) -> None:
        with pytest.raises(InvalidInputError, match=message):
            feasibility(table(), team=team)  # type: ignore[arg-type]
