"""Evaluate escalation rules on a ticket: the actions to take, why each rule did or did
not fire, and when to look again."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

import attrs

from servicekit._checks import of_kind, short
from servicekit._time import require_aware
from servicekit.conditions import Condition, Context
from servicekit.conditions._conditions import earliest
from servicekit.conditions._time_since import later
from servicekit.errors import InvalidInputError
from servicekit.escalation._actions import Action
from servicekit.escalation._rules import EscalationRule, RuleSet
from servicekit.sla import PolicySet, SLAEvaluation, SLAPolicy
from servicekit.tickets import Escalated, Event, Status, Ticket

SLASource = SLAPolicy | PolicySet | SLAEvaluation
"""Where SLA conditions read clocks from: a policy or a policy set, evaluated at ``now``
(again after each pass, so a priority change re-targets)."""

MAX_PASSES = 10
"""The most passes one evaluation makes, however the rules feed each other."""


class RuleOutcome(enum.StrEnum):
    """What happened to a rule in one pass."""

    FIRED = "fired"
    """Its conditions held and no guard stopped it: its actions are decided."""
    NOT_MATCHED = "not matched"
    """A condition did not hold."""
    ALREADY_FIRED = "already fired"
    """A ``once`` rule whose ``Escalated`` event is in the history."""
    COOLING_DOWN = "cooling down"
    """It fired less than its ``cooldown`` ago."""
    STOPPED = "stopped"
    """An earlier rule with ``stop_processing`` fired."""
    CLOSED = "ticket closed"
    """Closed tickets never change, so no rule acts on them."""


@attrs.frozen
class ConditionTrace:
    """One condition of a rule, its value, and what it saw."""

    condition: Condition
    holds: bool
    detail: str

    def __str__(self) -> str:
        return f"[{'x' if self.holds else ' '}] {self.condition!r}  ({self.detail})"


@attrs.frozen(kw_only=True)
class RuleTrace:
    """One rule in one pass: outcome, reason, and every condition's value."""

    rule: str
    outcome: RuleOutcome
    reason: str
    conditions: tuple[ConditionTrace, ...]
    round: int


@attrs.frozen
class DecidedAction:
    """An action to perform, and the rule that decided it."""

    rule: str
    action: Action


@attrs.frozen(kw_only=True)
class EscalationDecision:
    """What the rules decided for a ticket at ``now``.

    Attributes:
        now: the evaluation instant.
        actions: the actions to perform, in rule order.
        events: what to append to the ticket's history: an ``Escalated`` event per
            fired rule (so ``once`` and ``cooldown`` hold next time) and the field
            changes of its actions.
        ticket: the ticket with ``events`` applied.
        trace: each rule's outcome per pass, with every condition's value.
        next_change_at: the earliest instant after ``now`` at which a time or SLA
            condition of a rule that may still fire (not a ``once`` rule that already
            fired) could change, or a cooldown ends;
            ``None`` if nothing will change without a new event. Schedule the next
            evaluation there instead of polling.
    """

    now: datetime
    actions: tuple[DecidedAction, ...]
    events: tuple[Event, ...]
    ticket: Ticket
    trace: tuple[RuleTrace, ...]
    next_change_at: datetime | None

    @property
    def fired(self) -> tuple[str, ...]:
        """The rules that fired, in order."""
        return tuple(t.rule for t in self.trace if t.outcome is RuleOutcome.FIRED)

    def explain(self) -> str:
        """The trace as text a support lead can read."""
        lines = []
        for rule in self.trace:
            lines.append(f"pass {rule.round}, {rule.rule}: {rule.outcome} ({rule.reason})")
            lines.extend(f"    {condition}" for condition in rule.conditions)
        for decided in self.actions:
            lines.append(f"do: {decided.action!r} (rule {decided.rule})")
        when = "never" if self.next_change_at is None else self.next_change_at.isoformat()
        lines.append(f"next change: {when}")
        return "\n".join(lines)


def _context(ticket: Ticket, now: datetime, sla: SLASource | None) -> Context:
    """What the rules see; a ready :class:`SLAEvaluation` is used as it is."""
    if sla is None or isinstance(sla, SLAEvaluation):
        return Context(ticket=ticket, now=now, sla=sla)
    return Context(ticket=ticket, now=now, sla=sla.evaluate(ticket, now=now))


def _judge(
    rule: EscalationRule, context: Context, stopped_by: str | None, number: int
) -> RuleTrace:
    """One rule's outcome in ``context``."""
    traces = tuple(
        ConditionTrace(condition, condition.holds(context), condition.describe(context))
        for condition in rule.conditions
    )
    held = [trace.holds for trace in traces]
    all_hold, any_part = all(held[: len(rule.all)]), held[len(rule.all) :]
    last = rule.last_fired(context.ticket)
    outcome, reason = RuleOutcome.FIRED, "all conditions hold"
    if rule.once and last is not None:
        outcome, reason = RuleOutcome.ALREADY_FIRED, f"fired at {last.isoformat()} (once)"
    elif stopped_by is not None:
        outcome, reason = RuleOutcome.STOPPED, f"{stopped_by} fired with stop_processing"
    elif not all_hold:
        failing = next(trace for trace in traces if not trace.holds)
        outcome, reason = RuleOutcome.NOT_MATCHED, f"not met: {failing.condition!r}"
    elif any_part and not any(any_part):
        outcome, reason = RuleOutcome.NOT_MATCHED, "none of the 'any' conditions holds"
    elif (
        rule.cooldown is not None
        and last is not None
        and (ends := later(last, rule.cooldown)) is not None
        and context.now < ends
    ):
        until = ends.isoformat()
        outcome, reason = (
            RuleOutcome.COOLING_DOWN,
            f"fired at {last.isoformat()}; wait until {until}",
        )
    return RuleTrace(
        rule=rule.name, outcome=outcome, reason=reason, conditions=traces, round=number
    )


def _next_change_at(rules: Iterable[EscalationRule], context: Context) -> datetime | None:
    """When a rule that may still fire could see a condition change or a cooldown end."""
    instants: list[datetime | None] = []
    for rule in rules:
        last = rule.last_fired(context.ticket)
        if rule.once and last is not None:
            continue
        ends = None if rule.cooldown is None or last is None else later(last, rule.cooldown)
        if ends is not None and ends > context.now:
            instants.append(ends)
        instants.extend(condition.next_change_at(context) for condition in rule.conditions)
    return earliest(instants)


def evaluate(
    rules: RuleSet | Iterable[EscalationRule],
    ticket: Ticket,
    *,
    now: datetime,
    sla: SLASource | None = None,
    passes: int = 1,
) -> EscalationDecision:
    """Decide which rules fire on ``ticket`` at ``now``, and explain every rule.

    Rules are judged in order against the ticket as it is at the start of a pass; the
    actions of the rules that fire are applied (with an ``Escalated`` event each) at
    the end of the pass. With ``passes > 1`` the rules that have not fired yet are
    judged again on the changed ticket, until a pass fires nothing, a rule with
    ``stop_processing`` fires, or ``passes`` (at most :data:`MAX_PASSES`) is reached:
    each rule fires at most once per evaluation.

    Args:
        rules: a :class:`RuleSet` or rules in order.
        ticket: the ticket; its ``Escalated`` events say which rules already fired.
        now: the evaluation instant (aware, not before the ticket's last event).
        sla: for SLA conditions: a policy or policy set (clocks are evaluated for the
            ticket at ``now``, and again after a pass whose actions changed it), or
            the ticket's ready :class:`~servicekit.sla.SLAEvaluation` at ``now``, so
            an app computes clocks once per ticket change (then every pass reads
            those clocks: pass the policies if actions change priority and
            ``passes > 1``).
        passes: how many passes to make, 1 to :data:`MAX_PASSES`.

    Raises:
        NaiveDatetimeError: ``now`` is naive.
        InvalidInputError: ``now`` is before the last event, ``passes`` is out of
            range, an SLA condition has no ``sla`` to read, or the evaluation given
            as ``sla`` is not at ``now``.

    >>> from datetime import datetime, timedelta, UTC
    >>> from servicekit import Ticket
    >>> from servicekit.conditions import time_since, where
    >>> from servicekit.escalation import AddTag, EscalationRule, Notify
    >>> rules = [EscalationRule("urgent unanswered",
    ...                         all=[where("priority", "is", "urgent"),
    ...                              time_since("agent_reply", ">=", "1h")],
    ...                         actions=[Notify("team-lead"), AddTag("escalated")])]
    >>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC),
    ...                   requester="c", priority="urgent")
    >>> early = evaluate(rules, t, now=t.created_at + timedelta(minutes=20))
    >>> early.fired, early.next_change_at
    ((), datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone.utc))
    >>> late = evaluate(rules, t, now=early.next_change_at)
    >>> late.fired, [d.action for d in late.actions]
    (('urgent unanswered',), [Notify(target='team-lead', message=None), AddTag(tag='escalated')])
    >>> evaluate(rules, late.ticket, now=late.now).trace[0].reason
    'fired at 2026-03-02T10:00:00+00:00 (once)'
    """
    require_aware(now, "now")
    of_kind(ticket, Ticket, "ticket")
    of_kind(sla, (SLAPolicy, PolicySet, SLAEvaluation, type(None)), "sla")
    if now < ticket.updated_at:
        raise InvalidInputError(
            f"now ({now.isoformat()}) is before the ticket's last event "
            f"({ticket.updated_at.isoformat()})"
        )
    if isinstance(sla, SLAEvaluation) and sla.now != now:
        raise InvalidInputError(
            f"the SLA evaluation is at {sla.now.isoformat()}, not at now ({now.isoformat()})"
        )
    if isinstance(passes, bool) or not isinstance(passes, int) or not 1 <= passes <= MAX_PASSES:
        raise InvalidInputError(f"passes must be 1 to {MAX_PASSES}, got {short(passes)}")
    ruleset = rules if isinstance(rules, RuleSet) else RuleSet(rules)
    if ticket.status is Status.CLOSED:
        closed = tuple(
            RuleTrace(rule=rule.name, outcome=RuleOutcome.CLOSED, reason="closed tickets never "
                      "change", conditions=(), round=1)
            for rule in ruleset
        )  # fmt: skip
        return EscalationDecision(
            now=now, actions=(), events=(), ticket=ticket, trace=closed, next_change_at=None
        )
    current = ticket
    traces: list[RuleTrace] = []
    actions: list[DecidedAction] = []
    events: list[Event] = []
    done: set[str] = set()
    context = _context(current, now, sla)
    for number in range(1, passes + 1):
        if current is not context.ticket:  # the previous pass changed the ticket
            context = _context(current, now, sla)
        stopped_by: str | None = None
        fired: list[EscalationRule] = []
        for rule in ruleset:
            if rule.name in done:
                continue
            trace = _judge(rule, context, stopped_by, number)
            traces.append(trace)
            if trace.outcome is RuleOutcome.FIRED:
                fired.append(rule)
                if rule.stop_processing:
                    stopped_by = rule.name
        for rule in fired:
            done.add(rule.name)
            changes: list[Event] = [Escalated(at=now, rule=rule.name)]
            current = current.apply(changes[0])
            for action in rule.actions:
                actions.append(DecidedAction(rule.name, action))
                for event in action.events(current, now):
                    current = current.apply(event)
                    changes.append(event)
            events.extend(changes)
        if not fired or stopped_by is not None:
            break
    return EscalationDecision(
        now=now,
        actions=tuple(actions),
        events=tuple(events),
        ticket=current,
        trace=tuple(traces),
        next_change_at=_next_change_at(
            ruleset, context if current is context.ticket else _context(current, now, sla)
        ),
    )
