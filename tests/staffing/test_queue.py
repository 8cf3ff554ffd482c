"""Queue metrics: Erlang C's closed forms, Erlang A against an explicit birth-death chain
and a seeded simulation, the limits between the models, and bad input."""

from __future__ import annotations

import heapq
import math
import random
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import InvalidInputError
from servicekit.sla import Target
from servicekit.staffing import QueueMetrics, erlang_b, erlang_c, queue_metrics

AHT = timedelta(minutes=3)
INTERVAL = timedelta(minutes=30)


def metrics(
    traffic: float, agents: int, target_ahts: float, patience_ahts: float | None = None
) -> QueueMetrics:
    """``queue_metrics`` in units of AHT: calls chosen to give ``traffic`` erlangs."""
    return queue_metrics(
        calls=traffic * (INTERVAL / AHT),
        interval=INTERVAL,
        aht=AHT,
        agents=agents,
        target=AHT * target_ahts,
        patience=None if patience_ahts is None else AHT * patience_ahts,
    )


def binomial_tail(trials: int, p: float, at_least: int) -> float:
    return sum(
        math.comb(trials, j) * p**j * (1 - p) ** (trials - j) for j in range(at_least, trials + 1)
    )


def birth_death(traffic: float, agents: int, target: float, patience: int) -> dict[str, float]:
    """Erlang A from its chain, spelled out: state probabilities by explicit products,
    abandonment by Little's law (theta * E[queue] / lambda), and the chance to be
    answered in time by binomial sums (``patience`` whole AHTs make ``n * r`` whole)."""
    theta = 1 / patience
    weights = [1.0]
    for n in range(1, agents + 400):
        death = min(n, agents) + max(n - agents, 0) * theta
        weights.append(weights[-1] * traffic / death)
    total = sum(weights)
    pi = [w / total for w in weights]
    queue = sum((n - agents) * pi[n] for n in range(agents, len(pi)))
    x = agents * patience
    p = 1 - math.exp(-target * theta)
    in_time = sum(
        pi[agents + k] * x / (x + k + 1) * binomial_tail(k + x + 1, p, k + 1)
        for k in range(len(pi) - agents)
    )
    waiting = sum(pi[agents:])
    return {
        "p_wait": waiting,
        "p_abandon": theta * queue / traffic,
        "service_level": 1 - waiting + in_time,
    }


def simulate(
    traffic: float, agents: int, target: float, patience: float | None, contacts: int
) -> dict[str, float]:
    """A seeded first-come-first-served M/M/N+M queue, in units of AHT."""
    rng = random.Random(20261123)
    free_at = [0.0] * agents
    clock = 0.0
    waited = abandoned = answered = in_time = 0
    answered_wait = 0.0
    for _ in range(contacts):
        clock += rng.expovariate(traffic)
        wait = max(0.0, free_at[0] - clock)
        waited += wait > 0
        if patience is not None and wait > rng.expovariate(1 / patience):
            abandoned += 1
            continue
        answered += 1
        answered_wait += wait
        in_time += wait <= target
        heapq.heapreplace(free_at, clock + wait + rng.expovariate(1.0))
    return {
        "p_wait": waited / contacts,
        "p_abandon": abandoned / contacts,
        "service_level": in_time / contacts,
        "asa": answered_wait / answered,
    }


class TestErlangC:
    def test_call_centre_helper_worked_example(self) -> None:
        # 100 calls in 30 minutes, AHT 180 s, 20 s target, 14 agents.
        m = queue_metrics(calls=100, interval="30m", aht="180s", agents=14, target="20s")
        assert m.traffic == 10.0
        assert m.p_wait == pytest.approx(0.1741, abs=1e-4)
        assert m.service_level == pytest.approx(0.8884, abs=1e-4)
        assert m.asa == timedelta(seconds=7, microseconds=835937)
        assert m.occupancy == pytest.approx(10 / 14)
        assert m.p_abandon == 0.0

    @given(st.floats(0.1, 50), st.integers(1, 80), st.floats(0, 3))
    def test_closed_forms(self, traffic: float, agents: int, target: float) -> None:
        m = metrics(traffic, agents, target)
        if agents <= m.traffic:
            assert (m.p_wait, m.service_level, m.asa, m.occupancy) == (1.0, 0.0, None, 1.0)
            return
        c = erlang_c(m.traffic, agents)
        assert m.p_wait == pytest.approx(c)
        tau = m.target / AHT  # the target as queue_metrics saw it, to the microsecond
        assert m.service_level == pytest.approx(1 - c * math.exp(-(agents - m.traffic) * tau))
        assert m.asa is not None
        expected_asa = AHT * (c / (agents - m.traffic))
        assert abs(m.asa - expected_asa) <= timedelta(microseconds=1)

    def test_unstable_queue_says_so(self) -> None:
        m = queue_metrics(calls=100, interval="30m", aht="3m", agents=10, target="20s")
        assert not m.stable
        assert m.asa is None
        assert m.reason == (
            "unstable: 10 agents cannot keep up with 10 erlangs; waits grow without bound"
        )

    def test_no_contacts_means_no_waiting(self) -> None:
        m = queue_metrics(calls=0, interval="30m", aht="3m", agents=0, target="20s")
        assert (m.p_wait, m.service_level, m.asa, m.occupancy) == (0.0, 1.0, timedelta(0), 0.0)
        assert m.stable

    def test_agrees_with_a_simulation(self) -> None:
        m = metrics(8.0, 10, 0.2)
        seen = simulate(8.0, 10, 0.2, None, contacts=200_000)
        assert m.p_wait == pytest.approx(seen["p_wait"], abs=0.01)
        assert m.service_level == pytest.approx(seen["service_level"], abs=0.01)
        assert m.asa is not None
        assert m.asa / AHT == pytest.approx(seen["asa"], rel=0.05)


class TestErlangA:
    @given(
        traffic=st.floats(0.5, 20),
        agents=st.integers(1, 25),
        target=st.floats(0, 2),
        patience=st.integers(1, 4),
    )
    def test_agrees_with_the_birth_death_chain(
        self, traffic: float, agents: int, target: float, patience: int
    ) -> None:
        m = metrics(traffic, agents, target, patience)
        chain = birth_death(m.traffic, agents, m.target / AHT, patience)
        assert m.p_wait == pytest.approx(chain["p_wait"], rel=1e-9, abs=1e-12)
        assert m.p_abandon == pytest.approx(chain["p_abandon"], rel=1e-9, abs=1e-12)
        assert m.service_level == pytest.approx(chain["service_level"], rel=1e-9, abs=1e-12)
        assert m.occupancy == pytest.approx(m.traffic * (1 - m.p_abandon) / agents)

    @pytest.mark.parametrize(("traffic", "agents", "patience"), [(8.0, 10, 0.5), (12.0, 10, 2.0)])
    def test_agrees_with_a_simulation(self, traffic: float, agents: int, patience: float) -> None:
        m = metrics(traffic, agents, 0.2, patience)
        seen = simulate(traffic, agents, 0.2, patience, contacts=200_000)
        assert m.p_wait == pytest.approx(seen["p_wait"], abs=0.01)
        assert m.p_abandon == pytest.approx(seen["p_abandon"], abs=0.01)
        assert m.service_level == pytest.approx(seen["service_level"], abs=0.01)
        assert m.asa is not None
        assert m.asa / AHT == pytest.approx(seen["asa"], rel=0.05)

    @given(st.floats(0.5, 40), st.integers(1, 60), st.floats(0, 2))
    def test_becomes_erlang_c_as_patience_grows(
        self, traffic: float, agents: int, target: float
    ) -> None:
        patient = metrics(traffic, agents, target)
        if agents <= patient.traffic * 1.05:
            return  # near saturation the limit needs patience beyond any test's budget
        almost = metrics(traffic, agents, target, patience_ahts=1e6)
        assert almost.p_wait == pytest.approx(patient.p_wait, abs=1e-4)
        assert almost.service_level == pytest.approx(patient.service_level, abs=1e-4)
        assert almost.p_abandon < 1e-4

    @given(st.floats(0.5, 40), st.integers(1, 60))
    def test_becomes_erlang_b_as_patience_vanishes(self, traffic: float, agents: int) -> None:
        m = metrics(traffic, agents, 0.1, patience_ahts=1e-6)
        assert m.p_abandon == pytest.approx(erlang_b(m.traffic, agents), abs=1e-5)

    @given(st.floats(0.5, 40), st.integers(1, 60), st.floats(0, 2), st.floats(0.05, 20))
    def test_more_agents_serve_better(
        self, traffic: float, agents: int, target: float, patience: float
    ) -> None:
        fewer = metrics(traffic, agents, target, patience)
        more = metrics(traffic, agents + 1, target, patience)
        assert more.service_level >= fewer.service_level - 1e-12
        assert more.p_abandon <= fewer.p_abandon + 1e-12
        assert more.occupancy <= fewer.occupancy + 1e-12

    def test_no_agents_lose_everyone(self) -> None:
        m = metrics(5.0, 0, 0.1, 1.0)
        assert (m.p_abandon, m.service_level, m.asa) == (1.0, 0.0, None)

    @pytest.mark.parametrize(
        ("traffic", "agents"), [(20_000.0, 20_100), (20_000.0, 10_000), (0.1, 20_000)]
    )
    def test_twenty_thousand_agents_stay_finite(self, traffic: float, agents: int) -> None:
        m = metrics(traffic, agents, 0.1, 1.0)
        values = [m.p_wait, m.p_abandon, m.service_level, m.occupancy]
        assert all(0.0 <= value <= 1.0 for value in values), values
        assert m.asa is not None

    def test_reason_mentions_abandonment(self) -> None:
        m = queue_metrics(
            calls=100, interval="30m", aht="3m", agents=14, target="20s", patience="3m"
        )
        assert m.reason.startswith("14 agents on 10 erlangs: 92.6% answered within 20s")
        assert "1.9% abandon" in m.reason


class TestInputs:
    def test_an_sla_target_counts_as_its_duration(self) -> None:
        target = Target(duration=timedelta(seconds=20))
        via_target = queue_metrics(calls=100, interval="30m", aht="3m", agents=14, target=target)
        assert via_target == queue_metrics(
            calls=100, interval="30m", aht="3m", agents=14, target="20s"
        )

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"calls": -1}, "calls must be a number >= 0, got -1"),
            ({"calls": math.nan}, "calls must be a number >= 0, got nan"),
            ({"calls": "100"}, "calls must be a number >= 0, got '100'"),
            ({"aht": 0}, "aht must be longer than zero, got 0"),
            ({"interval": "0s"}, "interval must be longer than zero"),
            ({"aht": "3 minutes"}, "aht: invalid duration '3 minutes'"),
            ({"target": "-20s"}, "target: invalid duration '-20s'"),
            ({"patience": "0s"}, "patience must be longer than zero"),
            ({"agents": -1}, "agents must be a whole number >= 0, got -1"),
            ({"agents": 2.5}, "agents must be a whole number >= 0, got 2.5"),
            ({"calls": 1e12}, "traffic must be at most 1,000,000 erlangs, got 100000000000.0"),
        ],
    )
    def test_bad_input_names_the_argument(self, changes: dict[str, object], message: str) -> None:
        arguments: dict[str, object] = {
            "calls": 100,
            "interval": "30m",
            "aht": "3m",
            "agents": 14,
            "target": "20s",
        }
        with pytest.raises(InvalidInputError, match=message.replace("(", r"\(")):
            queue_metrics(**{**arguments, **changes})  # type: ignore[arg-type]
