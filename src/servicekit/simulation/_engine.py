"""The discrete-event loop behind :func:`~servicekit.simulation.simulate`."""

from __future__ import annotations

import enum
import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import attrs

from servicekit._time import require_aware
from servicekit.errors import BeyondHorizonError, InvalidInputError, NeverOpensError, short
from servicekit.escalation import evaluate
from servicekit.routing import AgentState, AgentStatus, Task, assign
from servicekit.simulation._model import SCORES, AgentPlan, Team
from servicekit.simulation._result import Contact, SimulationResult
from servicekit.sla import ClockState
from servicekit.tickets import (
    Assigned,
    Event,
    Replied,
    SatisfactionRated,
    Status,
    StatusChanged,
    TagsChanged,
    Ticket,
)

MAX_DAYS = 3660
"""The longest run :func:`simulate` accepts, in days (ten years)."""


class _Kind(enum.IntEnum):
    """What happens at a scheduled instant; at one instant, earlier-scheduled first."""

    ARRIVAL = 0
    ABANDON = 1
    DONE = 2
    CUSTOMER = 3
    SURVEY = 4
    SHIFT = 5
    CHECK = 6
    ROUTE = 7


def _exponential(rng: random.Random, mean: timedelta) -> timedelta:
    return timedelta(seconds=rng.expovariate(1 / mean.total_seconds()))


class _Run:
    """The state of one run: the clock, the agenda, tickets, queue and agents."""

    def __init__(self, team: Team, start: datetime, end: datetime, seed: int) -> None:
        self.team = team
        self.now = start
        self.end = end
        self.arrivals_rng = random.Random(f"servicekit-{seed}-arrivals")
        self.handling_rng = random.Random(f"servicekit-{seed}-handling")
        self.customers_rng = random.Random(f"servicekit-{seed}-customers")
        self.agenda: list[tuple[datetime, int, _Kind, Any]] = []
        self.order = itertools.count()
        self.tickets: dict[str, Ticket] = {}
        self.contacts: list[Contact] = []
        self.waiting: dict[str, tuple[Task, int]] = {}  # ticket id -> (task, contact index)
        self.agents: dict[str, AgentState] = {}
        self.shifts = {plan.agent.id: plan for plan in team.agents}
        self.touches: Counter[str] = Counter()
        self.checks: dict[str, datetime] = {}  # the escalation check scheduled per ticket
        self.route_at: datetime | None = None

    def schedule(self, at: datetime, kind: _Kind, payload: Any = None) -> None:
        if at < self.end:
            heapq.heappush(self.agenda, (at, next(self.order), kind, payload))

    def run(self, days: int, progress: Callable[[int, int], None] | None) -> list[Ticket]:
        for plan in self.team.agents:
            self.agents[plan.agent.id] = attrs.evolve(
                plan.agent, load={}, units_used=0, last_assigned_at=None, assigned_at_last=0,
                idle_since=self.now,
            )  # fmt: skip
            self.shift(plan)
        self.next_arrival()
        day, start = 0, self.now
        handlers: dict[_Kind, Callable[[Any], None]] = {
            _Kind.ARRIVAL: self.arrival,
            _Kind.ABANDON: self.abandon,
            _Kind.DONE: self.done,
            _Kind.CUSTOMER: self.customer,
            _Kind.SURVEY: self.survey,
            _Kind.SHIFT: lambda agent_id: self.shift(self.shifts[agent_id]),
            _Kind.CHECK: self.check,
            _Kind.ROUTE: self.reroute,
        }
        while self.agenda:
            at, _, kind, payload = heapq.heappop(self.agenda)
            while progress is not None and at >= start + timedelta(days=day + 1):
                day += 1
                progress(day, days)
            self.now = at
            handlers[kind](payload)
        if progress is not None:
            for done in range(day + 1, days + 1):
                progress(done, days)
        return list(self.tickets.values())

    # -- what happens ---------------------------------------------------------------

    def next_arrival(self) -> None:
        at = self.team.arrivals.next_arrival(self.now, self.end, self.arrivals_rng)
        if at is not None:
            self.schedule(at, _Kind.ARRIVAL)

    def arrival(self, _: None) -> None:
        arrivals, rng = self.team.arrivals, self.arrivals_rng
        channel = rng.choices(list(arrivals.channels), list(arrivals.channels.values()))[0]
        priority = rng.choices(list(arrivals.priorities), list(arrivals.priorities.values()))[0]
        number = len(self.tickets) + 1
        ticket = Ticket.create(
            id=f"T-{number:05d}",
            at=self.now,
            requester=f"C-{number:05d}",
            channel=channel,
            priority=priority,
        )
        self.tickets[ticket.id] = ticket
        self.enqueue(ticket, patient=False)
        self.escalate(ticket.id)
        self.dispatch()
        self.next_arrival()

    def enqueue(self, ticket: Ticket, *, patient: bool) -> None:
        """Put ``ticket`` in the queue; a first live contact may abandon."""
        task = Task.from_ticket(
            ticket, arrived_at=self.now, skills=self.team.skills.get(ticket.channel)
        )
        index = len(self.contacts)
        self.contacts.append(
            Contact(
                ticket_id=ticket.id,
                channel=ticket.channel,
                priority=ticket.priority,
                arrived_at=self.now,
            )
        )
        self.waiting[ticket.id] = (task, index)
        patience = self.team.customers.patience.get(ticket.channel)
        if patience is not None and not patient:
            gives_up = self.now + _exponential(self.customers_rng, patience)
            self.schedule(gives_up, _Kind.ABANDON, (ticket.id, index))

    def abandon(self, payload: tuple[str, int]) -> None:
        ticket_id, index = payload
        if self.waiting.get(ticket_id, (None, -1))[1] != index:
            return  # picked up before the customer gave up
        del self.waiting[ticket_id]
        self.contacts[index] = attrs.evolve(self.contacts[index], abandoned_at=self.now)
        self.update(
            ticket_id,
            TagsChanged(at=self.now, added=["abandoned"]),
            StatusChanged(at=self.now, status=Status.SOLVED, by="system"),
        )
        self.escalate(ticket_id)

    def dispatch(self) -> None:
        """Route the queue to the agents online, as the router decides."""
        if not self.waiting or not self.anyone_free():
            return
        queue = [task for task, _ in self.waiting.values()]
        result = assign(queue, self.agents.values(), now=self.now, router=self.team.router)
        self.agents = {agent.id: agent for agent in result.agents}
        for ticket_id, agent_id in result.assigned.items():
            self.pick_up(ticket_id, agent_id)
        relax_at = result.next_change_at
        if relax_at is not None and (self.route_at is None or relax_at < self.route_at):
            self.route_at = relax_at
            self.schedule(relax_at, _Kind.ROUTE)

    def anyone_free(self) -> bool:
        """Whether an online agent has room for a kind of task waiting (a quick test
        that spares routing a queue nobody can take)."""
        kinds = {(task.channel, task.priority) for task, _ in self.waiting.values()}
        return any(
            agent.room(channel, priority) != 0
            for agent in self.agents.values()
            if agent.status is AgentStatus.ONLINE
            for channel, priority in kinds
        )

    def reroute(self, _: None) -> None:
        if self.route_at == self.now:
            self.route_at = None
            self.dispatch()

    def pick_up(self, ticket_id: str, agent_id: str) -> None:
        task, index = self.waiting.pop(ticket_id)
        ticket = self.tickets[ticket_id]
        events: list[Event] = [Assigned(at=self.now, agent=agent_id, group=ticket.group)]
        if ticket.channel in self.team.live_channels:
            events.append(Replied(at=self.now, by="agent", author_id=agent_id))
        self.update(ticket_id, *events)
        handle = self.team.handle_times[ticket.channel].draw(self.handling_rng)
        self.contacts[index] = attrs.evolve(
            self.contacts[index], answered_at=self.now, agent=agent_id, handle_time=handle
        )
        self.schedule(self.now + handle, _Kind.DONE, (agent_id, task))
        self.escalate(ticket_id)

    def done(self, payload: tuple[str, Task]) -> None:
        agent_id, task = payload
        self.agents[agent_id] = self.agents[agent_id].with_released(task, self.now)
        customers, rng = self.team.customers, self.customers_rng
        follows_up, rates, reopens = rng.random(), rng.random(), rng.random()
        ticket = self.tickets[task.id]
        events: list[Event] = []
        live = ticket.channel in self.team.live_channels
        if not live:
            events.append(Replied(at=self.now, by="agent", author_id=agent_id))
            self.touches[task.id] += 1
        if (
            not live
            and follows_up < customers.followup
            and (self.touches[task.id] < customers.max_touches)
        ):
            events.append(StatusChanged(at=self.now, status=Status.PENDING, author_id=agent_id))
            self.schedule(
                self.now + _exponential(rng, customers.followup_delay), _Kind.CUSTOMER, task.id
            )
        else:
            events.append(StatusChanged(at=self.now, status=Status.SOLVED, author_id=agent_id))
            if rates < customers.survey:
                at = self.now + _exponential(rng, customers.survey_delay)
                self.schedule(at, _Kind.SURVEY, task.id)
            if reopens < customers.reopen:
                at = self.now + _exponential(rng, customers.reopen_delay)
                self.schedule(at, _Kind.CUSTOMER, task.id)
        self.update(task.id, *events)
        self.escalate(task.id)
        self.dispatch()

    def customer(self, ticket_id: str) -> None:
        """The customer writes back (a follow-up, or reopening a solved ticket)."""
        self.update(ticket_id, Replied(at=self.now, by="customer"))
        self.enqueue(self.tickets[ticket_id], patient=True)
        self.escalate(ticket_id)
        self.dispatch()

    def survey(self, ticket_id: str) -> None:
        ticket, customers = self.tickets[ticket_id], self.team.customers
        policies = self.team.policies
        breached = policies is not None and any(
            clock.state is ClockState.BREACHED
            for clock in policies.evaluate(ticket, now=self.now).clocks
        )
        weights = customers.dissatisfied if breached else customers.satisfied
        score = self.customers_rng.choices(SCORES, weights)[0]
        self.update(ticket_id, SatisfactionRated(at=self.now, score=score))
        self.escalate(ticket_id)

    def shift(self, plan: AgentPlan) -> None:
        """Set the agent online or offline as their shift says; schedule the next change."""
        calendar, agent = plan.shift, self.agents[plan.agent.id]
        if calendar is None:
            status, change = AgentStatus.ONLINE, None
        else:
            on = calendar.is_open(self.now)
            status = AgentStatus.ONLINE if on else AgentStatus.OFFLINE
            try:
                change = calendar.next_close(self.now) if on else calendar.next_open(self.now)
            except (BeyondHorizonError, NeverOpensError):
                change = None
        self.agents[agent.id] = attrs.evolve(agent, status=status)
        if change is not None:
            self.schedule(change, _Kind.SHIFT, agent.id)
        if status is AgentStatus.ONLINE:
            self.dispatch()

    def check(self, ticket_id: str) -> None:
        if self.checks.get(ticket_id) == self.now:
            del self.checks[ticket_id]
            self.escalate(ticket_id)

    # -- bookkeeping ----------------------------------------------------------------

    def update(self, ticket_id: str, *events: Event) -> None:
        ticket = self.tickets[ticket_id]
        for event in events:
            ticket = ticket.apply(event)
        self.tickets[ticket_id] = ticket

    def escalate(self, ticket_id: str) -> None:
        """Evaluate the rules as an app would: append the events they decide, and
        come back at their ``next_change_at``."""
        rules = self.team.rules
        if rules is None:
            return
        decision = evaluate(rules, self.tickets[ticket_id], now=self.now, sla=self.team.policies)
        if decision.events:
            self.tickets[ticket_id] = decision.ticket
            if ticket_id in self.waiting:  # the rules may have changed priority or group
                task, index = self.waiting[ticket_id]
                changed = Task.from_ticket(
                    decision.ticket, arrived_at=task.arrived_at, skills=task.skills
                )
                self.waiting[ticket_id] = (changed, index)
        check_at = decision.next_change_at
        if check_at is not None and self.checks.get(ticket_id) != check_at:
            self.checks[ticket_id] = check_at
            self.schedule(check_at, _Kind.CHECK, ticket_id)


def simulate(
    team: Team,
    *,
    start: datetime,
    days: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Simulate ``team`` for ``days`` days from ``start``: contacts arrive, wait in the
    queue, are routed to agents on shift, handled, followed up, solved, reopened and
    rated; escalation rules fire as an app would run them.

    The same team, start, days and seed give the same result: every random draw comes
    from ``random.Random`` streams seeded from ``seed`` (one for arrivals, one for
    handling times, one for customers, so changing the team keeps the arrivals).
    Nothing reads the clock.

    Args:
        team: the team, its demand and its rules.
        start: the first simulated instant (aware); the queue starts empty.
        days: how long to run, 1 to :data:`MAX_DAYS`.
        seed: the seed.
        progress: called with ``(days done, days)`` as each simulated day ends.

    Raises:
        InvalidInputError: ``days`` or ``seed`` is not a whole number in range,
            or ``team`` is not a :class:`Team`; NaiveDatetimeError: ``start`` is naive.

    >>> from datetime import datetime, UTC
    >>> from servicekit.routing import AgentState
    >>> from servicekit.simulation import AgentPlan, Arrivals, HandleTime, Team
    >>> team = Team(agents=[AgentPlan(AgentState(id="ana", capacity={"chat": 1}))],
    ...             arrivals=Arrivals(weekly=6, channels={"chat": 1}),
    ...             handle_times={"chat": HandleTime("5m")})
    >>> result = simulate(team, start=datetime(2026, 3, 2, tzinfo=UTC), days=1, seed=7)
    >>> len(result.tickets), round(result.service_level("1m").value, 2)
    (153, 0.45)
    """
    require_aware(start, "start")
    if not isinstance(team, Team):
        raise InvalidInputError(f"team must be a Team, got {short(team)}")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise InvalidInputError(
            f"days must be a whole number from 1 to {MAX_DAYS}, got {short(days)}"
        )
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidInputError(f"seed must be a whole number, got {short(seed)}")
    end = start + timedelta(days=days)
    run = _Run(team, start, end, seed)
    tickets = run.run(days, progress)
    return SimulationResult(
        start=start, end=end, seed=seed, tickets=tuple(tickets), contacts=tuple(run.contacts)
    )
