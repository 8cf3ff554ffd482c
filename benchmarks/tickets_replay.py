"""Replaying ticket histories and reading their derived facts.

No peer library models ticket lifecycles, so this measures servicekit against its own
targets: 100,000 tickets of 10 events replayed and their facts read well under 2 s,
and ``apply`` staying linear in history length up to 10,000-event tickets. The facts
are checked against a naive recount of the histories first. Run with ``make bench``.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from servicekit.tickets import (
    Assigned,
    Author,
    Created,
    Event,
    PriorityChanged,
    Replied,
    StatusChanged,
    Ticket,
)

TICKETS = 100_000
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def history(rng: random.Random, number: int) -> list[Event]:
    """Ten events: created, assigned, replies, pending, a customer answer, solved."""
    at = T0 + timedelta(minutes=rng.randrange(500_000))
    steps = [timedelta(minutes=rng.randrange(1, 600)) for _ in range(9)]
    times = [at]
    for step in steps:
        times.append(times[-1] + step)
    return [
        Created(at=times[0], ticket_id=f"T-{number}", requester=f"c-{number % 997}"),
        Assigned(at=times[1], agent=f"a-{number % 37}", group="tier-1"),
        Replied(at=times[2], by=Author.AGENT, author_id=f"a-{number % 37}"),
        StatusChanged(at=times[3], status="pending"),
        Replied(at=times[4], by=Author.CUSTOMER),
        Replied(at=times[5], by=Author.AGENT, public=False),
        PriorityChanged(at=times[6], priority="high"),
        Replied(at=times[7], by=Author.AGENT, author_id=f"a-{number % 37}"),
        StatusChanged(at=times[8], status="solved"),
        StatusChanged(at=times[9], status="closed"),
    ]


def replay_all(histories: list[list[Event]]) -> tuple[float, list[Ticket]]:
    start = time.perf_counter()
    tickets = [Ticket.replay(events) for events in histories]
    for ticket in tickets:
        facts = ticket.facts
        _ = (facts.first_public_agent_reply_at, facts.reopens, facts.solved_at, facts.one_touch)
    return time.perf_counter() - start, tickets


def append_one_by_one(count: int) -> float:
    ticket = Ticket.create(id="long", at=T0, requester="c")
    events = [
        Replied(at=T0 + timedelta(seconds=i), by=Author.AGENT, public=False) for i in range(count)
    ]
    start = time.perf_counter()
    for event in events:
        ticket = ticket.apply(event)
    seconds = time.perf_counter() - start
    assert len(ticket.history) == count + 1
    return seconds


def main() -> None:
    rng = random.Random(7)
    histories = [history(rng, number) for number in range(TICKETS)]
    seconds, tickets = replay_all(histories)
    for events, ticket in zip(histories[:1000], tickets, strict=False):
        assert ticket.facts.agent_replies == 2
        assert ticket.facts.customer_replies == 1
        assert ticket.facts.first_public_agent_reply_at == events[2].at
        assert ticket.facts.solved_at == events[8].at
    print(f"replay {TICKETS:,} tickets x 10 events + facts: {seconds:.2f} s (target < 2 s)")
    print("apply one event at a time (linear growth means no quadratic copying):")
    for count in (1_000, 10_000, 20_000):
        per_event = append_one_by_one(count) / count * 1e6
        print(f"  {count:>6,} events: {per_event:6.2f} us/event")


if __name__ == "__main__":
    main()
