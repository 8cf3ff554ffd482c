"""assign() over a large queue, against the naive scan, same inputs, one process.

1,000 agents (skills at levels 0-10 from 8 skills, 1-2 of 4 languages, 1-2 of 3
groups, per-channel capacity, one in ten away) and 100,000 queued tasks drawn from 20
task types (each needing 1-2 skills at a minimum level), 3 languages, 3 channels and
4 priorities, arrived over the last 4 hours; overflow lowers skills after 30 minutes
and drops them after 2 hours. The naive scan is ``assign(explain=True)``: every task
runs every filter over every agent (what :func:`route` does). Both run on the first
2,000 tasks and must decide the same; the indexed assign then routes all 100,000.
Prints the times and the ratio. Run with ``make bench``.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from servicekit.routing import (
    AgentState,
    OverflowStep,
    Router,
    Task,
    assign,
    best_skill,
    round_robin,
)

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
SKILLS = ("billing", "refunds", "shipping", "returns", "api", "sso", "mobile", "privacy")
LANGUAGES = ("en", "de", "fr", "es")
GROUPS = ("tier1", "tier2", "vip")
CHANNELS = ("chat", "email", "phone")
PRIORITIES = ("low", "normal", "high", "urgent")
ROUTER = Router(
    keys=[best_skill(), round_robin()],
    overflow=[OverflowStep(after="30m", lower_skills=2), OverflowStep(after="2h", any_skills=True)],
)


def agents(rng: random.Random, count: int = 1_000) -> list[AgentState]:
    return [
        AgentState(
            id=f"agent-{n:04d}",
            status="away" if rng.random() < 0.1 else "online",
            skills={skill: rng.randint(0, 10) for skill in rng.sample(SKILLS, 4)},
            languages=rng.sample(LANGUAGES, rng.randint(1, 2)),
            groups=rng.sample(GROUPS, rng.randint(1, 2)),
            capacity={"chat": 3, "email": 8, "phone": 1},
            last_assigned_at=NOW - timedelta(seconds=rng.randint(0, 36_000)),
        )
        for n in range(count)
    ]


def tasks(rng: random.Random, count: int = 100_000) -> list[Task]:
    types = [
        {skill: rng.randint(3, 8) for skill in rng.sample(SKILLS, rng.randint(1, 2))}
        for _ in range(20)
    ]
    return [
        Task(
            id=f"T-{n:06d}",
            channel=rng.choice(CHANNELS),
            priority=rng.choice(PRIORITIES),
            skills=rng.choice(types),
            language=rng.choice(LANGUAGES[:3]),
            arrived_at=NOW - timedelta(seconds=rng.randint(0, 4 * 3600)),
        )
        for n in range(count)
    ]


def timed(
    queue: list[Task], team: list[AgentState], *, explain: bool
) -> tuple[dict[str, str], float]:
    start = time.perf_counter()
    result = assign(queue, team, now=NOW, router=ROUTER, explain=explain)
    return dict(result.assigned), time.perf_counter() - start


def main() -> None:
    rng = random.Random(7)
    team, queue = agents(rng), tasks(rng)
    sample = queue[:2_000]
    fast, fast_time = timed(sample, team, explain=False)
    naive, naive_time = timed(sample, team, explain=True)
    assert fast == naive, "indexed and naive assign disagree"
    print(
        f"2,000 tasks x 1,000 agents: indexed {fast_time:.3f} s, naive scan {naive_time:.3f} s,"
        f" {naive_time / fast_time:.0f}x faster; {len(fast)} assigned, same answers"
    )
    everything, total = timed(queue, team, explain=False)
    print(
        f"100,000 tasks x 1,000 agents: indexed assign {total:.2f} s "
        f"({len(everything)} assigned; target under 3 s)"
    )


if __name__ == "__main__":
    main()
