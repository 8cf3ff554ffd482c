"""Simulation speed and validity: the example team for four weeks (contacts simulated
per second), and an M/M/N phone queue of about 100,000 calls whose simulated service
level is compared with Erlang C from servicekit.staffing and from pyworkforce on the
same inputs. Run with ``make bench``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pyworkforce.queuing import ErlangC

from servicekit import staffing
from servicekit.routing import AgentState
from servicekit.simulation import AgentPlan, Arrivals, HandleTime, Team, example_team, simulate

AGENTS, CALLS_PER_HOUR, AHT_MINUTES, TARGET_SECONDS = 8, 120, 3, 20


def example_speed() -> None:
    start = datetime(2026, 11, 2, tzinfo=ZoneInfo("America/New_York"))
    began = time.perf_counter()
    result = simulate(example_team(), start=start, days=28, seed=1)
    seconds = time.perf_counter() - began
    print(
        f"example team, 28 days: {len(result.tickets)} tickets, {len(result.contacts)} queue "
        f"stints in {seconds:.2f} s ({len(result.contacts) / seconds:,.0f} stints/s, "
        "with routing, SLA-aware escalation rules and surveys)"
    )


def erlang_agreement() -> None:
    team = Team(
        agents=[AgentPlan(AgentState(id=f"a{n}", capacity={"phone": 1})) for n in range(AGENTS)],
        arrivals=Arrivals(weekly=CALLS_PER_HOUR, channels={"phone": 1}),
        handle_times={"phone": HandleTime.exponential(timedelta(minutes=AHT_MINUTES))},
    )
    start = datetime(2026, 3, 2, tzinfo=UTC)
    began = time.perf_counter()
    result = simulate(team, start=start, days=35, seed=1)
    seconds = time.perf_counter() - began
    target = timedelta(seconds=TARGET_SECONDS)
    simulated = result.service_level(target, since=start + timedelta(hours=1)).value
    assert simulated is not None
    ours = staffing.queue_metrics(
        calls=CALLS_PER_HOUR, interval="1h", aht=f"{AHT_MINUTES}m", agents=AGENTS, target=target
    ).service_level
    theirs = ErlangC(
        transactions=CALLS_PER_HOUR, aht=AHT_MINUTES, asa=TARGET_SECONDS / 60, interval=60
    ).service_level(AGENTS)
    assert abs(ours - theirs) < 1e-9, (ours, theirs)
    assert abs(simulated - ours) < 0.02, (simulated, ours)
    print(
        f"M/M/{AGENTS}, {len(result.contacts):,} calls in {seconds:.2f} s "
        f"({len(result.contacts) / seconds:,.0f} calls/s): simulated service level "
        f"{simulated:.4f}, Erlang C {ours:.4f} (pyworkforce {theirs:.4f}), "
        f"difference {simulated - ours:+.4f}"
    )


if __name__ == "__main__":
    example_speed()
    erlang_agreement()
