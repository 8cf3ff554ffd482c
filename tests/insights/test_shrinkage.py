"""Fair agent comparisons: beta-binomial shrinkage, and James-Stein on Efron-Morris."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import kpi
from servicekit.errors import InvalidInputError, ServicekitError
from servicekit.insights import compare_agents, james_stein

# Efron and Morris (1975), "Data analysis using Stein's estimator and its
# generalizations", Table 1: hits in each of 18 players' first 45 at-bats of 1970.
PLAYERS = [
    ("Clemente", 18), ("F. Robinson", 17), ("F. Howard", 16), ("Johnstone", 15),
    ("Berry", 14), ("Spencer", 14), ("Kessinger", 13), ("L. Alvarado", 12),
    ("Santo", 11), ("Swoboda", 11), ("Unser", 10), ("Williams", 10), ("Scott", 10),
    ("Petrocelli", 10), ("E. Rodriguez", 10), ("Campaneris", 9), ("Munson", 8), ("Alvis", 7),
]  # fmt: skip


class TestEfronMorris:
    def test_james_stein_shrinking_factor_and_clemente(self) -> None:
        # What Efron and Morris (1977, Scientific American) report: the shrinking factor
        # c = 1 - (k - 3) sigma^2 / sum (y - ybar)^2 = 0.212 on the raw averages with
        # sigma^2 = ybar (1 - ybar) / 45, toward ybar = 0.265; Clemente .400 -> .294.
        averages = [hits / 45 for _, hits in PLAYERS]
        team = sum(averages) / len(averages)
        result = james_stein(averages, variance=team * (1 - team) / 45)
        assert round(result.mean, 3) == 0.265
        assert round(result.shrinkage, 3) == 0.212
        assert round(result.estimates[0], 3) == 0.294

    def test_beta_binomial_shrinks_the_same_direction_harder(self) -> None:
        # The beta-binomial method of moments (k - 1 where James-Stein has k - 3) keeps
        # 0.109 of each player's distance from the team rate instead of 0.212:
        # Clemente .400 -> .280. Same ordering, same team rate, stronger pull.
        result = compare_agents({name: (hits, 45) for name, hits in PLAYERS})
        assert result.team_rate is not None
        assert result.prior_strength is not None
        assert round(result.team_rate, 3) == 0.265
        clemente = result.agents[0]
        assert clemente.agent == "Clemente"
        assert round(1 - clemente.shrinkage, 3) == 0.109
        assert round(clemente.estimate, 3) == 0.280
        assert [a.agent for a in result.agents][:3] == ["Clemente", "F. Robinson", "F. Howard"]


def simulate(seed: int) -> tuple[list[float], dict[str, tuple[int, int]]]:
    rng = random.Random(seed)
    truth, outcomes = [], {}
    for agent in range(30):
        p = rng.betavariate(16, 4)  # CSAT around 80 %
        n = rng.randint(3, 60)
        truth.append(p)
        outcomes[f"a{agent}"] = (sum(rng.random() < p for _ in range(n)), n)
    return truth, outcomes


def test_shrunk_estimates_are_closer_to_the_truth_than_raw_proportions() -> None:
    wins, raw_total, shrunk_total = 0, 0.0, 0.0
    for seed in range(30):
        truth, outcomes = simulate(seed)
        result = compare_agents(outcomes, draws=50)
        by_name = {a.agent: a for a in result.agents}
        raw = sum((float(by_name[f"a{i}"].raw or 0) - p) ** 2 for i, p in enumerate(truth))
        shrunk = sum((by_name[f"a{i}"].estimate - p) ** 2 for i, p in enumerate(truth))
        wins += shrunk < raw
        raw_total += raw
        shrunk_total += shrunk
    assert shrunk_total < 0.7 * raw_total
    assert wins >= 25


class TestCompareAgents:
    def test_rows_flags_intervals_and_ranks(self) -> None:
        result = compare_agents(
            {"ana": (3, 3), "bo": kpi.Proportion.of(180, 200), "cy": (150, 200), "dee": (0, 0)},
            min_count=20,
            seed=1,
        )
        by_name = {a.agent: a for a in result.agents}
        ana, bo, cy, dee = (by_name[n] for n in ("ana", "bo", "cy", "dee"))
        assert not ana.enough_data
        assert "not enough data" in ana.reason
        assert bo.enough_data
        assert cy.enough_data
        assert "coaching candidate" in cy.reason
        assert dee.raw is None
        assert dee.estimate == pytest.approx(result.team_rate)
        for agent in result.agents:
            low, high = agent.interval
            assert low <= agent.estimate <= high
            assert agent.rank_interval[0] <= agent.rank_interval[1]
        assert bo.rank == 1
        assert bo.rank_interval[0] == 1
        assert ana.shrinkage > bo.shrinkage
        row = ana.to_dict()
        assert row["agent"] == "ana"
        assert row["low"] == ana.interval[0]
        assert "team rate" in result.explain().splitlines()[0]
        assert len(result.to_rows()) == 4

    def test_seeded(self) -> None:
        data = {"a": (5, 9), "b": (7, 9), "c": (2, 9)}
        assert compare_agents(data, seed=4) == compare_agents(data, seed=4)

    def test_agents_no_more_different_than_chance_are_pulled_to_the_team(self) -> None:
        result = compare_agents({"a": (40, 50), "b": (40, 50), "c": (40, 50)})
        assert "no more than chance" in result.reason
        assert all(a.estimate == pytest.approx(0.8) for a in result.agents)

    @pytest.mark.parametrize(
        ("data", "words"),
        [
            ({}, "no outcomes"),
            ({"a": (0, 0)}, "no outcomes"),
            ({"a": (5, 5), "b": (3, 3)}, "every outcome was good"),
            ({"a": (0, 5), "b": (0, 3)}, "every outcome was bad"),
            ({"a": (3, 5), "b": (0, 0)}, "only one agent"),
            ({"a": (1, 1), "b": (0, 1), "c": (1, 1)}, "team rate"),
        ],
    )
    def test_degenerate_input_has_a_reason_never_nan(self, data: Any, words: str) -> None:
        result = compare_agents(data)
        assert words in result.reason
        for agent in result.agents:
            assert not math.isnan(agent.estimate)
            assert not any(math.isnan(end) for end in agent.interval)

    @pytest.mark.parametrize(
        "data", [{"a": (3, 2)}, {"a": (-1, 2)}, {"a": "3/4"}, {"a": (1.5, 2)}, [("a", 1, 2)]]
    )
    def test_bad_outcomes_are_named(self, data: Any) -> None:
        with pytest.raises(InvalidInputError):
            compare_agents(data)

    def test_james_stein_rejects_values_too_large_to_square(self) -> None:
        with pytest.raises(InvalidInputError, match="too large"):
            james_stein([1e300, -1e300, 0.0, 1.0], variance=0.01)

    def test_james_stein_needs_four_values(self) -> None:
        with pytest.raises(InvalidInputError, match="at least 4"):
            james_stein([0.1, 0.2, 0.3], variance=0.01)
        assert james_stein([0.5] * 4, variance=0.01).shrinkage == 0.0


@given(
    st.dictionaries(
        st.text(max_size=3),
        st.one_of(
            st.tuples(st.integers(-1, 30), st.integers(-1, 30)),
            st.integers(),
            st.tuples(st.floats(), st.integers()),
        ),
        max_size=6,
    ),
    st.integers(-1, 40),
    st.one_of(st.floats(), st.integers(0, 1)),
    st.integers(-1, 50),
)
def test_fuzz_only_servicekit_errors_escape(
    data: Any, floor: Any, confidence: Any, draws: Any
) -> None:
    try:
        result = compare_agents(data, min_count=floor, confidence=confidence, draws=draws)
    except ServicekitError:
        return
    for agent in result.agents:
        assert 0 <= agent.estimate <= 1


@given(
    st.one_of(st.lists(st.one_of(st.floats(), st.integers(), st.text())), st.text()), st.floats()
)
def test_fuzz_james_stein_only_servicekit_errors_escape(values: Any, variance: float) -> None:
    try:
        result = james_stein(values, variance=variance)
    except ServicekitError:
        return
    assert all(not math.isnan(v) for v in result.estimates)
