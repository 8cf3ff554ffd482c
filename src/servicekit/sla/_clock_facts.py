"""A ticket's clock facts: when each metric's clocks start and stop, and the statuses
over time, read from its history and its facts.

Instants are integer microseconds since the epoch. Resolution-type metrics are not
listed here: their one clock spans the whole history and is read from the statuses
over time (it counts while the ticket is neither paused nor solved).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import attrs

from servicekit._time import EPOCH, micros, to_us
from servicekit.sla._metrics import STOPPING, Metric
from servicekit.tickets import (
    Author,
    Created,
    Event,
    Priority,
    PriorityChanged,
    Replied,
    Status,
    Ticket,
)


@attrs.define
class Cycle:
    """One clock of a reply-type metric: ``stop`` is ``None`` while it runs."""

    start: int
    stop: int | None = None
    stop_priority: Priority | None = None


@attrs.frozen
class ClockFacts:
    """A ticket's history reduced to what clocks need.

    ``change_at[i]`` is when the ticket entered ``status_of[i]`` (after every event at
    that instant); ``cycles`` holds the reply-type clocks per metric, in order.
    """

    created: int
    change_at: list[int]
    status_of: list[Status]
    solved_at: int | None
    solved_priority: Priority | None
    cycles: dict[Metric, list[Cycle]]

    def status_at(self, us: int) -> Status:
        """The status after every event at or before ``us``."""
        return self.status_of[bisect_right(self.change_at, us) - 1]

    def counting_spans(
        self, start: int, end: int, excluded: frozenset[Status]
    ) -> tuple[tuple[int, int], ...]:
        """Sub-intervals of ``[start, end)`` spent outside the ``excluded`` statuses."""
        if start >= end:
            return ()
        change_at, status_of = self.change_at, self.status_of
        index = bisect_right(change_at, start) - 1
        if excluded.isdisjoint(status_of[index : bisect_left(change_at, end)]):
            return ((start, end),)  # the common case: nothing pauses the clock
        spans: list[tuple[int, int]] = []
        last = len(change_at) - 1
        while index <= last:
            a = max(start, change_at[index])
            if a >= end:
                break
            b = end if index == last else min(end, change_at[index + 1])
            if b > a and status_of[index] not in excluded:
                if spans and spans[-1][1] == a:
                    spans[-1] = (spans[-1][0], b)
                else:
                    spans.append((a, b))
            index += 1
        return tuple(spans)


def clock_facts_of(ticket: Ticket) -> ClockFacts:
    """Read the history once more for the reply-type cycles; the status after each
    event is the one the lifecycle table gave when the event was applied."""
    created = ticket.history[0]
    assert isinstance(created, Created)
    walk = _Walk(created)
    for event, following in ticket.history.steps():
        walk.step(event, following)
    cycles = {
        Metric.FIRST_REPLY: walk.first,
        Metric.NEXT_REPLY: walk.next_reply,
        Metric.PERIODIC_UPDATE: walk.updates,
        Metric.PAUSABLE_UPDATE: walk.updates,
    }
    return ClockFacts(
        walk.start, walk.change_at, walk.status_of, walk.solved_at, walk.solved_priority, cycles
    )


class _Walk:
    """The state carried from event to event while reading a history."""

    def __init__(self, created: Created) -> None:
        self.start = to_us(created.at)
        self.status, self.priority = Status.NEW, created.priority
        self.change_at, self.status_of = [self.start], [Status.NEW]
        self.first_reply = Cycle(self.start)
        self.first: list[Cycle] = [self.first_reply]
        # An agent who opens a ticket with a public reply moves the first-reply start
        # to the customer's first reply.
        self.agent_opened = created.by is Author.AGENT
        self.next_reply: list[Cycle] = []
        self.updates: list[Cycle] = []
        self.last_public = created.by
        self.solved_at: int | None = None
        self.solved_priority: Priority | None = None

    def step(self, event: Event, following: Status) -> None:
        """Read ``event``, after which the ticket is in ``following``."""
        at = micros(event.at - EPOCH)  # events are tz-aware by construction
        if isinstance(event, PriorityChanged):
            self.priority = event.priority
        elif isinstance(event, Replied) and event.public:
            if event.by is Author.AGENT:
                self.agent_replied(at, following)
            elif event.by is Author.CUSTOMER:
                self.customer_replied(at)
        self.agent_opened = self.agent_opened and at == self.start
        if following is not self.status:
            self.status_changed(at, following)

    def agent_replied(self, at: int, following: Status) -> None:
        if self.agent_opened and self.first_reply.stop is None:
            self.first.clear()
        elif self.first and self.first_reply.stop is None:
            _stop(self.first_reply, at, self.priority)
        for cycles in (self.next_reply, self.updates):
            if cycles and cycles[-1].stop is None:
                _stop(cycles[-1], at, self.priority)
        if following not in STOPPING:
            self.updates.append(Cycle(at))
        self.last_public = Author.AGENT

    def customer_replied(self, at: int) -> None:
        if not self.first:
            self.first_reply = Cycle(at)
            self.first.append(self.first_reply)
        elif (
            self.last_public is Author.AGENT
            and self.first_reply.stop is not None
            and (not self.next_reply or self.next_reply[-1].stop is not None)
        ):
            self.next_reply.append(Cycle(at))
        self.last_public = Author.CUSTOMER

    def status_changed(self, at: int, following: Status) -> None:
        if following in STOPPING and self.status not in STOPPING:
            self.solved_at, self.solved_priority = at, self.priority
            if self.first and self.first_reply.stop is None:
                _stop(self.first_reply, at, self.priority)
            for cycles in (self.next_reply, self.updates):
                if cycles and cycles[-1].stop is None:
                    if cycles[-1].start == at:
                        cycles.pop()  # opened and solved at one instant: no cycle
                    else:
                        _stop(cycles[-1], at, self.priority)
        elif following not in STOPPING:
            self.solved_at = self.solved_priority = None
        if self.change_at[-1] == at:
            self.status_of[-1] = following
        else:
            self.change_at.append(at)
            self.status_of.append(following)
        self.status = following


def _stop(cycle: Cycle, at: int, priority: Priority) -> None:
    cycle.stop, cycle.stop_priority = at, priority
