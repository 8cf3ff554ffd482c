"""Escalation: tiered rules on SLA clocks, guards against firing twice, passes, the
trace, and an honest next_change_at."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import BusinessCalendar, SLAPolicy, Ticket
from servicekit.conditions import Condition, changed, time_since, where
from servicekit.errors import InvalidInputError
from servicekit.escalation import (
    AddTag,
    Assign,
    EscalationDecision,
    EscalationRule,
    Notify,
    RuleOutcome,
    RuleSet,
    RuleTrace,
    SetEscalationLevel,
    SetPriority,
    evaluate,
)
from servicekit.sla import sla_clock
from servicekit.testing.strategies import ticket_histories
from servicekit.tickets import Created, Escalated, Event, Replied, StatusChanged

MON = datetime(2026, 3, 2, 9, tzinfo=UTC)
HOURS = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
POLICY = SLAPolicy("p", calendar=HOURS, targets={p: {"first_reply": "4h"} for p in
                   ("low", "normal", "high", "urgent")})  # fmt: skip

TIERED = RuleSet(
    [
        EscalationRule(
            "L1 at 50%",
            all=[sla_clock("first_reply", "used", ">=", 0.5)],
            actions=[Notify("l1"), SetEscalationLevel(1)],
        ),
        EscalationRule(
            "lead at 75%",
            all=[sla_clock("first_reply", "used", ">=", 0.75)],
            actions=[Notify("lead"), SetEscalationLevel(2)],
        ),
        EscalationRule(
            "manager at breach",
            all=[sla_clock("first_reply", "breached_for", ">=", "0s")],
            actions=[Notify("manager"), SetEscalationLevel(3), SetPriority("urgent")],
        ),
    ]
)


def new_ticket(*events: Event) -> Ticket:
    return Ticket.replay([Created(at=MON, ticket_id="T-1", requester="c"), *events])


def follow(rules: RuleSet, ticket: Ticket, until: datetime) -> list[EscalationDecision]:
    """Evaluate at every next_change_at up to ``until``, appending the decided events,
    as an app that schedules its wake-ups would."""
    decisions = []
    now = ticket.updated_at
    while now <= until:
        decision = evaluate(rules, ticket, now=now, sla=POLICY)
        decisions.append(decision)
        ticket = decision.ticket
        if decision.next_change_at is None:
            break
        now = decision.next_change_at
    return decisions


class TestTieredEscalation:
    def test_each_tier_fires_once_at_its_instant(self) -> None:
        decisions = follow(TIERED, new_ticket(), until=MON + timedelta(days=3))
        fired = [(d.now, d.fired) for d in decisions if d.fired]
        assert fired == [
            (MON + timedelta(hours=2), ("L1 at 50%",)),
            (MON + timedelta(hours=3), ("lead at 75%",)),
            (MON + timedelta(hours=4), ("manager at breach",)),
        ]
        final = decisions[-1].ticket
        assert final.fields["escalation_level"] == 3
        assert final.priority == "urgent"
        assert decisions[-1].next_change_at is None

    @pytest.mark.parametrize("hours", [0, 2, 3, 4, 6])
    def test_a_ready_sla_evaluation_decides_as_the_policy_does(self, hours: int) -> None:
        ticket, now = new_ticket(), MON + timedelta(hours=hours)
        ready = evaluate(TIERED, ticket, now=now, sla=POLICY.evaluate(ticket, now=now))
        assert ready == evaluate(TIERED, ticket, now=now, sla=POLICY)

    def test_a_ready_sla_evaluation_must_be_at_now(self) -> None:
        ticket = new_ticket()
        stale = POLICY.evaluate(ticket, now=MON + timedelta(hours=1))
        with pytest.raises(InvalidInputError, match=r"evaluation is at .* not at now"):
            evaluate(TIERED, ticket, now=MON + timedelta(hours=2), sla=stale)

    def test_a_reply_stops_the_tiers(self) -> None:
        replied = new_ticket(Replied(at=MON + timedelta(hours=1), by="agent"))
        decision = evaluate(TIERED, replied, now=MON + timedelta(hours=5), sla=POLICY)
        assert decision.fired == ()
        assert decision.next_change_at is None

    def test_trace_explains_every_rule(self) -> None:
        decision = evaluate(TIERED, new_ticket(), now=MON + timedelta(hours=2), sla=POLICY)
        outcomes = [(t.rule, t.outcome) for t in decision.trace]
        assert outcomes == [
            ("L1 at 50%", RuleOutcome.FIRED),
            ("lead at 75%", RuleOutcome.NOT_MATCHED),
            ("manager at breach", RuleOutcome.NOT_MATCHED),
        ]
        assert decision.trace[1].reason == "not met: sla first_reply used >= 75%"
        assert str(decision.trace[1].conditions[0]) == (
            "[ ] sla first_reply used >= 75%  (first reply: 50% used)"
        )
        assert decision.next_change_at == MON + timedelta(hours=3)
        assert "do: Notify(target='l1', message=None) (rule L1 at 50%)" in decision.explain()
        assert decision.events == (
            Escalated(at=MON + timedelta(hours=2), rule="L1 at 50%"),
            *SetEscalationLevel(1).events(new_ticket(), MON + timedelta(hours=2)),
        )


class TestGuards:
    def test_once_needs_no_nullifying_tag(self) -> None:
        # Zendesk needs "and tag is not notified" here, or it notifies every hour.
        rules = [EscalationRule("nudge", all=[time_since("pending", ">=", "24h")],
                                actions=[Notify("requester")])]  # fmt: skip
        t = new_ticket(StatusChanged(at=MON, status="pending"))
        fired = 0
        for hour in range(24, 24 * 5):
            decision = evaluate(rules, t, now=MON + timedelta(hours=hour))
            fired += len(decision.fired)
            t = decision.ticket
        assert fired == 1

    def test_cooldown_refires_after_it(self) -> None:
        rules = [EscalationRule("ping", all=[time_since("agent_reply", ">=", "1h")],
                                actions=[Notify("team")], once=False, cooldown="2h")]  # fmt: skip
        first = evaluate(rules, new_ticket(), now=MON + timedelta(hours=1))
        assert first.fired == ("ping",)
        assert first.next_change_at == MON + timedelta(hours=3)
        cooling = evaluate(rules, first.ticket, now=MON + timedelta(hours=2))
        assert cooling.trace[0].outcome is RuleOutcome.COOLING_DOWN
        assert evaluate(rules, first.ticket, now=MON + timedelta(hours=3)).fired == ("ping",)

    def test_stop_processing_is_first_match(self) -> None:
        rules = [
            EscalationRule("vip", all=[where("tags", "contains", "vip")],
                           actions=[Assign(group="vip-desk")], stop_processing=True),
            EscalationRule("everyone", actions=[Assign(group="general")]),
        ]  # fmt: skip
        vip = Ticket.create(id="T-2", at=MON, requester="c", tags=["vip"])
        decision = evaluate(rules, vip, now=MON)
        assert decision.fired == ("vip",)
        assert decision.trace[1].outcome is RuleOutcome.STOPPED
        assert decision.ticket.group == "vip-desk"

    def test_closed_tickets_are_left_alone(self) -> None:
        closed = new_ticket(
            StatusChanged(at=MON, status="solved"), StatusChanged(at=MON, status="closed")
        )
        decision = evaluate(TIERED, closed, now=MON + timedelta(days=1), sla=POLICY)
        assert decision.fired == ()
        assert {t.outcome for t in decision.trace} == {RuleOutcome.CLOSED}


class TestPasses:
    RULES = (
        EscalationRule("vip is urgent", all=[where("tags", "contains", "vip")],
                       actions=[SetPriority("urgent")]),
        EscalationRule("urgent to tier 2", all=[where("priority", "is", "urgent")],
                       actions=[Assign(group="tier-2"), AddTag("routed")]),
    )  # fmt: skip

    def test_one_pass_sees_the_ticket_as_it_was(self) -> None:
        vip = Ticket.create(id="T-3", at=MON, requester="c", tags=["vip"])
        assert evaluate(self.RULES, vip, now=MON).fired == ("vip is urgent",)

    def test_more_passes_follow_the_changes_each_rule_once(self) -> None:
        vip = Ticket.create(id="T-3", at=MON, requester="c", tags=["vip"])
        decision = evaluate(self.RULES, vip, now=MON, passes=3)
        assert decision.fired == ("vip is urgent", "urgent to tier 2")
        assert [t.round for t in decision.trace] == [1, 1, 2]
        assert decision.ticket.group == "tier-2"

    def test_changed_sees_the_decided_update(self) -> None:
        rules = [*self.RULES, EscalationRule("note it", all=[changed("priority", to="urgent")],
                                             actions=[Notify("lead")])]  # fmt: skip
        vip = Ticket.create(id="T-3", at=MON, requester="c", tags=["vip"])
        later = MON + timedelta(minutes=1)  # at MON the decided events join the creation
        assert "note it" in evaluate(rules, vip, now=later, passes=3).fired
        assert "note it" not in evaluate(rules, vip, now=MON, passes=3).fired


class TestInputs:
    def test_now_before_the_last_event(self) -> None:
        with pytest.raises(InvalidInputError, match="before the ticket's last event"):
            evaluate(TIERED, new_ticket(), now=MON - timedelta(seconds=1), sla=POLICY)

    def test_sla_conditions_need_a_policy(self) -> None:
        with pytest.raises(InvalidInputError, match="pass sla="):
            evaluate(TIERED, new_ticket(), now=MON)

    @pytest.mark.parametrize("passes", [0, 11, True])
    def test_passes_are_bounded(self, passes: int) -> None:
        with pytest.raises(InvalidInputError, match="passes must be 1 to 10"):
            evaluate(TIERED, new_ticket(), now=MON, sla=POLICY, passes=passes)

    def test_rule_guards_are_checked(self) -> None:
        with pytest.raises(InvalidInputError, match="cooldown needs once=False"):
            EscalationRule("x", actions=[Notify("a")], cooldown="1h")
        with pytest.raises(InvalidInputError, match="no actions and does not stop"):
            EscalationRule("x")
        with pytest.raises(InvalidInputError, match="two rules are named 'x'"):
            RuleSet([EscalationRule("x", actions=[Notify("a")])] * 2)


CONDITIONS: list[Condition] = [
    time_since("created", ">=", "3h"),
    time_since("agent_reply", ">", "90m", calendar=HOURS),
    time_since("pending", ">=", "1d"),
    time_since("updated", "<", "2h"),
    sla_clock("first_reply", "used", ">=", 0.5),
    sla_clock("first_reply", "due_in", "<=", "30m"),
    sla_clock("first_reply", "breached_for", ">", "1h"),
    where("priority", ">=", "high"),
    where("status", "is", "open"),
    changed("status"),
]


@st.composite
def rulesets(draw: st.DrawFn) -> RuleSet:
    rules = []
    for number in range(draw(st.integers(1, 4))):
        once = draw(st.booleans())
        rules.append(
            EscalationRule(
                f"r{number}",
                all=draw(st.lists(st.sampled_from(CONDITIONS), max_size=2)),
                any=draw(st.lists(st.sampled_from(CONDITIONS), max_size=2)),
                actions=[draw(st.sampled_from([Notify("x"), AddTag("t"), SetPriority("high")]))],
                once=once,
                cooldown=None if once else draw(st.sampled_from([None, "1h", "1d"])),
                stop_processing=draw(st.booleans()),
            )
        )
    return RuleSet(rules)


class TestProperties:
    @given(rulesets(), ticket_histories(max_events=8), st.integers(0, 72 * 60))
    def test_deterministic(self, rules: RuleSet, history: list[Event], minutes: int) -> None:
        t = Ticket.replay(history)
        now = t.updated_at + timedelta(minutes=minutes)
        assert evaluate(rules, t, now=now, sla=POLICY) == evaluate(rules, t, now=now, sla=POLICY)

    @given(
        rulesets(),
        ticket_histories(max_events=8),
        st.lists(st.integers(0, 12 * 60), min_size=1, max_size=8),
        st.integers(1, 3),
    )
    def test_once_rules_fire_at_most_once(
        self, rules: RuleSet, history: list[Event], steps: list[int], passes: int
    ) -> None:
        t = Ticket.replay(history)
        now = t.updated_at
        for step in steps:
            now += timedelta(minutes=step)
            t = evaluate(rules, t, now=now, sla=POLICY, passes=passes).ticket
        for rule in rules:
            fired = [e for e in t.facts.escalations if e.rule == rule.name]
            if rule.once:
                assert len(fired) <= 1
            if rule.cooldown is not None:
                gaps = [b.at - a.at for a, b in itertools.pairwise(fired)]
                assert all(gap >= rule.cooldown for gap in gaps)

    @given(
        rulesets(),
        ticket_histories(max_events=8),
        st.integers(0, 72 * 60),
        st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=4),
    )
    def test_next_check_at_is_honest(
        self, rules: RuleSet, history: list[Event], minutes: int, samples: list[float]
    ) -> None:
        t = Ticket.replay(history)
        decision = evaluate(rules, t, now=t.updated_at + timedelta(minutes=minutes), sla=POLICY)
        after = decision.ticket
        baseline = evaluate(rules, after, now=decision.now, sla=POLICY)
        horizon = decision.next_change_at or decision.now + timedelta(days=20)
        for fraction in samples:
            sample = decision.now + (horizon - decision.now) * fraction
            if sample >= horizon:  # a fraction near 1 can round up to the horizon itself
                continue
            seen = evaluate(rules, after, now=sample, sla=POLICY)
            assert [_values(r) for r in seen.trace] == [_values(r) for r in baseline.trace]


def _values(trace: RuleTrace) -> tuple[object, ...]:
    """What may not change before next_change_at: a rule's outcome, and unless it is a
    ``once`` rule that already fired (which never fires again) its conditions."""
    if trace.outcome is RuleOutcome.ALREADY_FIRED:
        return (trace.outcome,)
    return trace.outcome, tuple(c.holds for c in trace.conditions)
