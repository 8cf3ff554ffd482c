"""Erlang B and C against exact rational arithmetic, and their published properties."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import staffing
from servicekit.errors import InvalidInputError
from servicekit.staffing import MAX_TRAFFIC, erlang_b, erlang_c

traffics = st.fractions(min_value=0, max_value=60, max_denominator=8)
counts = st.integers(0, 80)


def exact_b(traffic: Fraction, servers: int) -> Fraction:
    """Erlang B straight from its definition: (A^N/N!) / sum(A^k/k!)."""
    terms = [traffic**k / math.factorial(k) for k in range(servers + 1)]
    return terms[-1] / sum(terms)


def exact_c(traffic: Fraction, agents: int) -> Fraction:
    """Erlang C from its definition, for a stable queue."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    return top / (sum(traffic**k / math.factorial(k) for k in range(agents)) + top)


class TestErlangB:
    @given(traffics, counts)
    def test_agrees_with_the_definition(self, traffic: Fraction, servers: int) -> None:
        assert float(exact_b(traffic, servers)) == pytest.approx(
            erlang_b(float(traffic), servers), rel=1e-12, abs=1e-300
        )

    @given(traffics, counts)
    def test_falls_as_servers_are_added(self, traffic: Fraction, servers: int) -> None:
        assert erlang_b(float(traffic), servers + 1) <= erlang_b(float(traffic), servers)

    def test_boundaries(self) -> None:
        assert erlang_b(10.0, 0) == 1.0
        assert erlang_b(0.0, 3) == 0.0

    def test_twenty_thousand_servers_neither_overflow_nor_vanish(self) -> None:
        value = erlang_b(20_000.0, 20_100)
        assert 0.0 < value < 0.01
        assert erlang_b(1.0, 20_000) == 0.0  # below the smallest float, not NaN

    @pytest.mark.parametrize(
        ("traffic", "servers"),
        [(-1.0, 3), (math.nan, 3), (math.inf, 3), (MAX_TRAFFIC * 2, 3), (True, 3),
         (1.0, -1), (1.0, 2.0), (1.0, False)],
    )  # fmt: skip
    def test_bad_input_names_the_value(self, traffic: float, servers: int) -> None:
        with pytest.raises(InvalidInputError, match="must be"):
            erlang_b(traffic, servers)


class TestErlangC:
    @given(traffics, counts)
    def test_agrees_with_the_definition(self, traffic: Fraction, agents: int) -> None:
        expected = 1.0 if agents <= traffic else float(exact_c(traffic, agents))
        assert erlang_c(float(traffic), agents) == pytest.approx(expected, rel=1e-12, abs=1e-300)

    @given(traffics, counts)
    def test_lies_between_erlang_b_and_one(self, traffic: Fraction, agents: int) -> None:
        a = float(traffic)
        assert 0.0 <= erlang_b(a, agents) <= erlang_c(a, agents) <= 1.0

    @given(traffics, counts)
    def test_falls_as_agents_are_added(self, traffic: Fraction, agents: int) -> None:
        assert erlang_c(float(traffic), agents + 1) <= erlang_c(float(traffic), agents)

    def test_everyone_waits_when_agents_cannot_keep_up(self) -> None:
        assert erlang_c(10.0, 10) == 1.0
        assert erlang_c(10.5, 10) == 1.0
        assert erlang_c(10.0, 0) == 1.0

    def test_large_queue_is_finite(self) -> None:
        value = erlang_c(20_000.0, 20_050)
        assert math.isfinite(value)
        assert 0.0 < value < 1.0


class TestErlangBNearTheTraffic:
    """Up to traffic + 1 servers erlang_b sums a truncated series instead of recursing."""

    @given(st.floats(0.01, 30_000), st.integers(0, 1))
    def test_agrees_with_the_recursion(self, traffic: float, above: int) -> None:
        servers = math.floor(traffic) + above
        blocking = 1.0
        for k in range(1, servers + 1):
            blocking = traffic * blocking / (k + traffic * blocking)
        assert erlang_b(traffic, servers) == pytest.approx(blocking, rel=1e-12)

    @pytest.mark.parametrize("traffic", [999_999.5, 1_000_000.0])
    def test_holds_at_the_largest_traffic(self, traffic: float) -> None:
        servers = math.floor(traffic)
        blocking = 1.0
        for k in range(1, servers + 1):
            blocking = traffic * blocking / (k + traffic * blocking)
        assert erlang_b(traffic, servers) == pytest.approx(blocking, rel=1e-12)


@pytest.mark.parametrize(
    "call",
    [
        lambda: staffing.erlang_b(5.0, 10**9),
        lambda: staffing.erlang_c(5.0, 10**9),
        lambda: staffing.queue_metrics(
            calls=10, interval="1h", aht="3m", agents=10**9, target="20s"
        ),
        lambda: staffing.feasibility(
            staffing.staffing_table([10], interval="1h", aht="3m", target="20s"), team=10**9
        ),
    ],
    ids=["erlang_b", "erlang_c", "queue_metrics", "feasibility"],
)
def test_agent_counts_are_capped_everywhere(call: Callable[[], object]) -> None:
    """A huge team is refused at once (it used to run for minutes), as agents_required's
    search is bounded by the same MAX_AGENTS."""
    with pytest.raises(InvalidInputError, match="at most 2,000,000"):
        call()


def test_the_cap_itself_is_answered() -> None:
    assert staffing.erlang_b(5.0, staffing.MAX_AGENTS) == 0.0
    assert staffing.erlang_b(1_000_000.0, staffing.MAX_AGENTS) < 1e-12
