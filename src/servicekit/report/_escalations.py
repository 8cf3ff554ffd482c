"""Escalations in the report: the ``escalated`` events a history records, and what the
configured rules would have fired, found by evaluating them along each ticket's
history."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from servicekit.escalation import RuleSet, evaluate
from servicekit.sla import PolicySet
from servicekit.tickets import Escalated, Ticket

MAX_STEPS = 10_000
"""Evaluations per ticket at most (a rule with a short cooldown could otherwise ask
for one every cooldown for as long as the ticket stays open)."""


def recorded(
    tickets: Iterable[Ticket], start: datetime, end: datetime
) -> tuple[tuple[str, int], ...]:
    """The rules of the ``escalated`` events in ``[start, end)``, most first."""
    counts = Counter(
        event.rule
        for ticket in tickets
        for event in ticket.facts.escalations
        if start <= event.at < end
    )
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _fired(
    ticket: Ticket, rules: RuleSet, start: datetime, end: datetime, sla: PolicySet | None
) -> list[str]:
    """The rules that would have fired on ``ticket`` in ``[start, end)``.

    The ticket is replayed without its recorded ``escalated`` events; the rules are
    evaluated after each instant's events and at each decision's next-change instant
    before the next event, and each firing adds its own ``escalated`` event, so
    ``once`` and ``cooldown`` hold. The actions' field changes are not applied: the
    history already holds whatever the help desk did.
    """
    events = [event for event in ticket.history if not isinstance(event, Escalated)]
    current = Ticket.replay(events[:1])
    fired: list[str] = []
    steps, index = 0, 1
    while True:
        while index < len(events) and events[index].at == current.updated_at:
            current = current.apply(events[index])
            index += 1
        horizon = end if index == len(events) else min(events[index].at, end)
        at: datetime | None = current.updated_at
        while at is not None and at < horizon and steps < MAX_STEPS:
            decision = evaluate(rules, current, now=at, sla=sla)
            steps += 1
            for name in decision.fired:
                if at >= start:
                    fired.append(name)
                current = current.apply(Escalated(at=at, rule=name))
            following = decision.next_change_at
            at = following if following is not None and following > at else None
        if index == len(events) or events[index].at >= end or steps >= MAX_STEPS:
            return fired
        current = current.apply(events[index])
        index += 1


def would_fire(
    tickets: Iterable[Ticket],
    rules: RuleSet,
    *,
    start: datetime,
    end: datetime,
    sla: PolicySet | None,
) -> tuple[tuple[str, int], ...]:
    """How often each rule would have fired in ``[start, end)``, most first, then in
    the rules' order (rules that would not have fired count 0)."""
    counts = dict.fromkeys(rules.names, 0)
    for ticket in tickets:
        if ticket.created_at < end:
            for name in _fired(ticket, rules, start, end, sla):
                counts[name] += 1
    order = {name: index for index, name in enumerate(rules.names)}
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], order[item[0]])))
