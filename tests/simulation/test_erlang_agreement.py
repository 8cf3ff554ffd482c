"""Where Erlang's assumptions hold (Poisson arrivals, exponential handling, one skill,
agents always on), the simulated queue agrees with ``staffing.queue_metrics``: Erlang C
with infinite patience, Erlang A with exponential patience.

Each check pools four seeded runs of two days (about 23,000 calls for Erlang C, 28,000
for Erlang A) after a one-hour warm-up. The tolerances are about three standard errors
of such a pooled estimate (measured: service level within 0.016, waiting probability
within 0.02, abandonment within 0.005 over three batches), and a team one agent smaller
is several tolerances away, so a wrong queue cannot pass."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from servicekit import staffing
from servicekit.routing import AgentState
from servicekit.simulation import AgentPlan, Arrivals, Customers, HandleTime, Team, simulate
from servicekit.simulation._result import Contact

AGENTS = 8
AHT = "3m"
TARGET = timedelta(seconds=20)
LEVEL_TOLERANCE = 0.03
ABANDON_TOLERANCE = 0.015


def _phone_team(calls: float, patience: str | None) -> Team:
    return Team(
        agents=[
            AgentPlan(AgentState(id=f"agent-{n}", capacity={"phone": 1})) for n in range(AGENTS)
        ],
        arrivals=Arrivals(weekly=calls, channels={"phone": 1}),
        handle_times={"phone": HandleTime.exponential(AHT)},
        customers=Customers(patience={} if patience is None else {"phone": patience}),
    )


def _pooled(team: Team) -> list[Contact]:
    ended = []
    for seed in range(4):
        result = simulate(team, start=datetime(2026, 3, 2, tzinfo=UTC), days=2, seed=seed)
        warm = result.start + timedelta(hours=1)
        ended += [c for c in result.contacts if c.arrived_at >= warm and c.wait is not None]
    return ended


def _share(contacts: list[Contact], holds: list[bool]) -> float:
    return sum(holds) / len(contacts)


def test_service_level_converges_to_erlang_c() -> None:
    calls = 120  # 6 erlangs on 8 agents: occupancy 75%
    model = staffing.queue_metrics(
        calls=calls, interval="1h", aht=AHT, agents=AGENTS, target=TARGET
    )
    smaller = staffing.queue_metrics(
        calls=calls, interval="1h", aht=AHT, agents=AGENTS - 1, target=TARGET
    )
    assert model.service_level - smaller.service_level > 3 * LEVEL_TOLERANCE
    contacts = _pooled(_phone_team(calls, None))
    assert len(contacts) > 20_000
    level = _share(contacts, [c.wait is not None and c.wait <= TARGET for c in contacts])
    waited = _share(contacts, [c.wait is not None and c.wait > timedelta(0) for c in contacts])
    assert abs(level - model.service_level) < LEVEL_TOLERANCE
    assert abs(waited - model.p_wait) < LEVEL_TOLERANCE


def test_abandonment_converges_to_erlang_a() -> None:
    calls, patience = 150, "1m"  # 7.5 erlangs offered on 8 agents, callers hang up
    model = staffing.queue_metrics(
        calls=calls, interval="1h", aht=AHT, agents=AGENTS, target=TARGET, patience=patience
    )
    smaller = staffing.queue_metrics(
        calls=calls, interval="1h", aht=AHT, agents=AGENTS - 1, target=TARGET, patience=patience
    )
    assert smaller.p_abandon - model.p_abandon > 3 * ABANDON_TOLERANCE
    contacts = _pooled(_phone_team(calls, patience))
    abandoned = _share(contacts, [c.abandoned_at is not None for c in contacts])
    level = _share(
        contacts, [c.answered_at is not None and c.wait is not None and c.wait <= TARGET
                   for c in contacts],
    )  # fmt: skip
    assert abs(abandoned - model.p_abandon) < ABANDON_TOLERANCE
    assert abs(level - model.service_level) < LEVEL_TOLERANCE
