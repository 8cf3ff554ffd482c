"""agents_required: published examples, minimality, shrinkage, the occupancy cap, and
large loads."""

from __future__ import annotations

import math
from datetime import timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import parse_duration
from servicekit.errors import InvalidInputError
from servicekit.staffing import MAX_AGENTS, StaffingPlan, agents_required, queue_metrics

AHT = timedelta(minutes=3)
INTERVAL = timedelta(minutes=30)


def meets(plan: StaffingPlan, agents: int, patience: timedelta | None, slack: float = 0.0) -> bool:
    """Whether ``agents`` meet ``plan``'s goal, judged by queue_metrics alone; a
    ``slack`` forgives the last bits of rounding in a service level that ties the goal."""
    m = queue_metrics(
        calls=plan.metrics.traffic * (INTERVAL / AHT),
        interval=INTERVAL,
        aht=AHT,
        agents=agents,
        target=plan.metrics.target,
        patience=patience,
    )
    capped = plan.max_occupancy is None or m.occupancy <= plan.max_occupancy
    return m.stable and m.service_level + slack >= plan.service_level and capped


class TestExamples:
    def test_call_centre_helper_worked_example(self) -> None:
        plan = agents_required(
            calls=100, interval="30m", aht="180s", target="20s", service_level=0.8, shrinkage=0.3
        )
        assert (plan.agents, plan.scheduled) == (14, 20)
        assert plan.metrics.service_level == pytest.approx(0.888, abs=5e-4)
        assert plan.limited_by == "service level"
        assert plan.reason == (
            "14 agents answer 88.8% within 20s (goal 80%); schedule 20 for 30% shrinkage"
        )

    def test_searches_from_just_above_the_traffic(self) -> None:
        # 10.5 erlangs: 11 agents reach 81.4% within 9 minutes. A search that starts
        # at round(traffic + 1) = 12, as pyworkforce's does, answers 12.
        plan = agents_required(calls=105, interval="30m", aht="3m", target="9m")
        assert plan.agents == 11
        assert plan.metrics.service_level == pytest.approx(0.8142, abs=1e-4)

    def test_no_contacts_need_no_agents(self) -> None:
        plan = agents_required(calls=0, interval="30m", aht="3m", target="20s", shrinkage=0.3)
        assert (plan.agents, plan.scheduled, plan.limited_by) == (0, 0, "no contacts")
        assert plan.reason == "no contacts forecast: no agents needed"

    def test_occupancy_cap_adds_agents(self) -> None:
        plan = agents_required(calls=100, interval="30m", aht="3m", target="20s", max_occupancy=0.6)
        assert plan.agents == 17  # 10 / 17 = 58.8%; 16 agents would be 62.5% busy
        assert plan.limited_by == "occupancy"
        assert plan.reason.startswith("17 agents keep occupancy at 58.8% (cap 60%) and answer")

    def test_impatient_callers_need_fewer_agents(self) -> None:
        patient = agents_required(calls=2000, interval="30m", aht="3m", target="20s")
        impatient = agents_required(
            calls=2000, interval="30m", aht="3m", target="20s", patience="1m"
        )
        assert impatient.agents < patient.agents
        assert impatient.metrics.p_abandon > 0

    def test_unreachable_cap_is_an_error_not_a_hang(self) -> None:
        with pytest.raises(InvalidInputError, match=f"out of reach with up to {MAX_AGENTS:,}"):
            agents_required(calls=100, interval="30m", aht="3m", target="20s", max_occupancy=1e-6)


@st.composite
def goals(draw: st.DrawFn) -> dict[str, object]:
    return {
        "calls": draw(st.floats(0.5, 500)),
        "interval": INTERVAL,
        "aht": AHT,
        "target": timedelta(seconds=draw(st.integers(0, 600))),
        "service_level": draw(st.floats(0.05, 0.99)),
        "max_occupancy": draw(st.none() | st.floats(0.3, 1.0)),
        "shrinkage": draw(st.sampled_from([0.0, 0.1, 0.25, 0.3, 0.35, 0.5])),
        "patience": draw(st.none() | st.integers(5, 1800).map(lambda s: timedelta(seconds=s))),
    }


class TestProperties:
    @given(goals())
    def test_agents_are_the_fewest_that_meet_the_goal(self, goal: dict[str, object]) -> None:
        plan = agents_required(**goal)  # type: ignore[arg-type]
        patience = goal["patience"]
        assert patience is None or isinstance(patience, timedelta)
        assert meets(plan, plan.agents, patience)
        assert plan.agents == 0 or not meets(plan, plan.agents - 1, patience, slack=-1e-12)

    @given(goals())
    def test_scheduled_is_the_fewest_head_count_after_shrinkage(
        self, goal: dict[str, object]
    ) -> None:
        plan = agents_required(**goal)  # type: ignore[arg-type]
        available = 1 - Fraction(str(plan.shrinkage))
        assert plan.scheduled * available >= plan.agents
        assert plan.agents == 0 or (plan.scheduled - 1) * available < plan.agents


class TestLargeLoads:
    @pytest.mark.parametrize("patience", [None, "3m", "20s"])
    def test_twenty_thousand_erlangs(self, patience: str | None) -> None:
        plan = agents_required(
            calls=200_000, interval="30m", aht="3m", target="20s", patience=patience
        )
        assert plan.metrics.traffic == 20_000
        assert plan.metrics.service_level >= 0.8
        assert all(
            math.isfinite(value)
            for value in (plan.metrics.p_wait, plan.metrics.occupancy, plan.metrics.p_abandon)
        )
        # With patience 20 s the goal ties 16,000 agents' throughput bound (16,000 of
        # 20,000 erlangs) to the last bit: exactly 16,000 agents fall just short.
        fewer = plan.agents - 1
        patient = None if patience is None else parse_duration(patience)
        assert not meets(plan, fewer, patient, slack=-1e-12)


class TestInputs:
    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"shrinkage": 1.0}, r"shrinkage must be in \[0, 1\), got 1.0"),
            ({"shrinkage": -0.1}, r"shrinkage must be in \[0, 1\), got -0.1"),
            ({"service_level": 1.0}, r"service_level must be in \(0, 1\), got 1.0"),
            ({"service_level": 0}, r"service_level must be in \(0, 1\), got 0"),
            ({"max_occupancy": 0.0}, r"max_occupancy must be in \(0, 1\], got 0.0"),
            ({"max_occupancy": 1.2}, r"max_occupancy must be in \(0, 1\], got 1.2"),
            ({"aht": "0s"}, "aht must be longer than zero"),
            ({"calls": -5}, "calls must be a number >= 0, got -5"),
        ],
    )
    def test_bad_input_names_the_argument(self, changes: dict[str, object], message: str) -> None:
        arguments: dict[str, object] = {
            "calls": 100,
            "interval": "30m",
            "aht": "3m",
            "target": "20s",
        }
        with pytest.raises(InvalidInputError, match=message):
            agents_required(**{**arguments, **changes})  # type: ignore[arg-type]


def test_one_agent_reads_as_one() -> None:
    """A quiet interval used to read "1 agents answer" (found in the weekly report)."""
    plan = agents_required(calls=1, interval="1h", aht="3m", target="20s")
    assert plan.agents == 1
    assert plan.reason.startswith("1 agent answers ")
