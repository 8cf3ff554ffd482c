"""simulate: repeatable, and every run keeps the rules a real team keeps: agents work
only on shift and within capacity, the queue is first come first served, customers
abandon only where they have a patience, and every ticket history is valid."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import Ticket
from servicekit.calendars import BusinessCalendar
from servicekit.errors import InvalidInputError, NaiveDatetimeError
from servicekit.escalation import RuleSet
from servicekit.routing import AgentState
from servicekit.simulation import (
    AgentPlan,
    Arrivals,
    Contact,
    Customers,
    HandleTime,
    SimulationResult,
    Team,
    example_team,
    simulate,
)
from servicekit.testing.strategies import ZONES, calendars, transitions
from servicekit.tickets import Escalated, Priority, SatisfactionRated, Status

START = datetime(2026, 3, 2, tzinfo=UTC)


def _team(agents: int = 2, *, rate: float = 10, patience: str | None = None) -> Team:
    return Team(
        agents=[AgentPlan(AgentState(id=f"a{n}", capacity={"chat": 1})) for n in range(agents)],
        arrivals=Arrivals(weekly=rate, channels={"chat": 1}),
        handle_times={"chat": HandleTime("6m")},
        customers=Customers(patience={} if patience is None else {"chat": patience}),
    )


@st.composite
def teams(draw: st.DrawFn) -> Team:
    """1-4 agents on random shifts (or always on) in zones with odd offsets and DST,
    chat and email, with or without patience and follow-ups."""
    agents = []
    for n in range(draw(st.integers(1, 4))):
        capacity = {"chat": draw(st.integers(1, 2)), "email": draw(st.integers(1, 3))}
        shift = draw(st.none() | calendars(holidays=False, overrides=False, closures=False))
        agents.append(AgentPlan(AgentState(id=f"agent-{n}", capacity=capacity), shift))
    patience = draw(st.none() | st.integers(30, 600))
    return Team(
        agents=agents,
        arrivals=Arrivals(
            weekly=draw(st.floats(0, 20)),
            tz=draw(st.sampled_from(ZONES)),
            channels={"chat": draw(st.integers(0, 3)), "email": 1},
            priorities={"normal": 3, "urgent": draw(st.integers(0, 2))},
        ),
        handle_times={
            "chat": HandleTime(timedelta(minutes=draw(st.integers(1, 20)))),
            "email": HandleTime.exponential(timedelta(minutes=draw(st.integers(1, 30)))),
        },
        customers=Customers(
            patience={} if patience is None else {"chat": timedelta(seconds=patience)},
            followup=draw(st.sampled_from([0.0, 0.5])),
            followup_delay="1h",
            reopen=draw(st.sampled_from([0.0, 0.3])),
            reopen_delay="2h",
            survey=0.5,
        ),
    )


@st.composite
def starts(draw: st.DrawFn) -> datetime:
    """A start a few hours before a DST change of one of the zones (or any day)."""
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    changes = transitions(zone)
    near_change = draw(st.booleans())
    if changes and near_change:
        return draw(st.sampled_from(changes)) - timedelta(hours=draw(st.integers(1, 30)))
    return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=draw(st.integers(0, 24 * 360)))


def _run(team: Team, start: datetime, seed: int) -> SimulationResult:
    return simulate(team, start=start, days=1, seed=seed)


class TestRepeatable:
    def test_same_seed_same_result(self) -> None:
        team = example_team()
        first = simulate(team, start=START, days=2, seed=11)
        assert first == simulate(team, start=START, days=2, seed=11)

    def test_another_seed_another_result(self) -> None:
        team = _team()
        assert _run(team, START, 1).contacts != _run(team, START, 2).contacts

    def test_more_agents_keep_the_same_arrivals(self) -> None:
        """Arrivals have their own random stream: staffing changes compare like with like."""
        few, many = _run(_team(1), START, 3), _run(_team(3), START, 3)
        assert [t.created_at for t in few.tickets] == [t.created_at for t in many.tickets]
        assert many.service_level("1m").successes > few.service_level("1m").successes


class TestRunsLikeATeam:
    @given(teams(), starts(), st.integers(0, 2**32))
    def test_invariants(self, team: Team, start: datetime, seed: int) -> None:
        result = _run(team, start, seed)
        plans = {plan.agent.id: plan for plan in team.agents}
        held: dict[str, list[tuple[datetime, int, str]]] = defaultdict(list)
        for contact in result.contacts:
            assert start <= contact.arrived_at < result.end
            assert contact.answered_at is None or contact.abandoned_at is None
            if contact.wait is not None:
                assert contact.wait >= timedelta(0)
            if contact.abandoned_at is not None:
                assert contact.channel in team.customers.patience
            if contact.answered_at is not None:
                assert contact.agent is not None
                assert contact.handle_time is not None
                shift = plans[contact.agent].shift
                assert shift is None or shift.is_open(contact.answered_at)
                finish = contact.answered_at + contact.handle_time
                held[contact.agent] += [
                    (contact.answered_at, 1, contact.channel),
                    (finish, -1, contact.channel),
                ]
        for agent, changes in held.items():
            load: dict[str, int] = defaultdict(int)
            for _, change, channel in sorted(changes, key=lambda c: (c[0], c[1])):
                load[channel] += change
                assert load[channel] <= (plans[agent].agent.capacity or {})[channel]
        for ticket in result.tickets:
            assert Ticket.replay(ticket.history) == ticket
            assert ticket.updated_at < result.end

    @given(st.integers(0, 2**32), st.integers(1, 3))
    def test_first_come_first_served(self, seed: int, agents: int) -> None:
        result = _run(_team(agents, rate=8 * agents), START, seed)
        answered = [c for c in result.contacts if c.answered_at is not None]
        picked = [
            c.answered_at for c in sorted(answered, key=lambda c: c.arrived_at) if c.answered_at
        ]
        assert picked == sorted(picked)

    def test_nobody_on_shift_nobody_answers(self) -> None:
        weekend_only = BusinessCalendar(tz="UTC", weekly={"sat-sun": ["09:00-17:00"]})
        team = Team(
            agents=[AgentPlan(AgentState(id="ana", capacity={"email": 5}), weekend_only)],
            arrivals=Arrivals(weekly=5),
            handle_times={"email": HandleTime("10m")},
        )
        result = simulate(team, start=START, days=5, seed=1)  # Monday to Friday
        assert result.contacts
        assert all(c.answered_at is None for c in result.contacts)
        assert {t.status for t in result.tickets} == {Status.NEW}

    def test_queue_waits_for_the_shift(self) -> None:
        nine_to_five = BusinessCalendar(tz="UTC", weekly={"mon-sun": ["09:00-17:00"]})
        team = Team(
            agents=[AgentPlan(AgentState(id="ana", capacity={"email": 5}), nine_to_five)],
            arrivals=Arrivals(weekly={"mon": [4] * 6 + [0] * 18}),  # 00:00-06:00 only
            handle_times={"email": HandleTime("10m")},
        )
        result = simulate(team, start=START, days=1, seed=1)
        first_pickup = min(c.answered_at for c in result.contacts if c.answered_at)
        assert first_pickup == START + timedelta(hours=9)


class TestCustomers:
    def test_impatient_customers_abandon_and_their_tickets_say_so(self) -> None:
        result = simulate(_team(1, rate=30, patience="1m"), start=START, days=1, seed=5)
        abandoned = [c for c in result.contacts if c.abandoned_at is not None]
        assert abandoned
        tickets = {t.id: t for t in result.tickets}
        for contact in abandoned:
            ticket = tickets[contact.ticket_id]
            assert "abandoned" in ticket.tags
            assert ticket.status is Status.SOLVED
            assert ticket.facts.first_public_agent_reply_at is None

    def test_patient_customers_never_abandon(self) -> None:
        result = simulate(_team(1, rate=30), start=START, days=1, seed=5)
        assert result.abandonment_rate().successes == 0

    def test_follow_ups_reopens_and_ratings(self) -> None:
        team = Team(
            agents=[AgentPlan(AgentState(id="ana", capacity={"email": 10}))],
            arrivals=Arrivals(weekly=4),
            handle_times={"email": HandleTime("10m")},
            customers=Customers(followup=0.5, followup_delay="1h", max_touches=3, reopen=0.2,
                                reopen_delay="2h", survey=1.0),
        )  # fmt: skip
        result = simulate(team, start=START, days=3, seed=2)
        replies = [t.facts.agent_replies for t in result.tickets]
        assert max(replies) <= 3 + sum(1 for t in result.tickets if t.facts.reopens)
        assert any(r > 1 for r in replies)
        assert any(t.facts.reopens for t in result.tickets)
        rated = [t for t in result.tickets if t.facts.satisfaction is not None]
        solved = [t for t in result.tickets if t.facts.solved_at is not None]
        assert rated
        assert len(rated) <= len(solved)
        assert all(
            isinstance(e, SatisfactionRated) and 1 <= e.score <= 5
            for t in rated
            for e in t.history
            if isinstance(e, SatisfactionRated)
        )


class TestEscalation:
    def test_rules_fire_as_an_app_would_run_them(self) -> None:
        rules = RuleSet.from_dict({"rules": [{
            "name": "waiting 30m",
            "all": [{"since": "created", "op": ">=", "value": "30m"},
                    {"field": "status", "op": "is", "value": "new"}],
            "actions": [{"type": "set_priority", "priority": "urgent"}],
        }]})  # fmt: skip
        team = Team(
            agents=[AgentPlan(AgentState(id="ana", capacity={"email": 1}))],
            arrivals=Arrivals(weekly=12),
            handle_times={"email": HandleTime("10m")},
            rules=rules,
        )
        result = simulate(team, start=START, days=1, seed=4)
        fired = [(t, e) for t in result.tickets for e in t.history if isinstance(e, Escalated)]
        assert fired
        for ticket, event in fired:  # exactly when the rule came due, not at the next event
            assert event.at == ticket.created_at + timedelta(minutes=30)
            assert ticket.priority == "urgent"
        late = {t.id for t, _ in fired}
        for contact in result.contacts:
            if contact.ticket_id not in late and contact.wait is not None:
                assert contact.wait < timedelta(minutes=30)


class TestResult:
    def test_aht_counts_every_pickup_even_instant_ones(self) -> None:
        at = START + timedelta(hours=1)
        contacts = tuple(
            Contact(ticket_id=f"T-{n}", channel="chat", priority=Priority.NORMAL, arrived_at=at,
                    answered_at=at, agent="ana", handle_time=timedelta(minutes=n * 4))
            for n in range(2)
        )  # fmt: skip
        result = SimulationResult(start=START, end=START + timedelta(days=1), seed=1,
                                  tickets=(), contacts=contacts)  # fmt: skip
        assert result.aht().count == 2
        assert result.aht().mean == timedelta(minutes=2)


class TestChecks:
    def test_days_must_be_in_range(self) -> None:
        with pytest.raises(InvalidInputError, match="days must be a whole number"):
            simulate(_team(), start=START, days=0, seed=1)

    def test_seed_must_be_whole(self) -> None:
        with pytest.raises(InvalidInputError, match="seed must be a whole number"):
            simulate(_team(), start=START, days=1, seed=1.5)  # type: ignore[arg-type]

    def test_start_must_be_aware(self) -> None:
        with pytest.raises(NaiveDatetimeError):
            simulate(_team(), start=datetime(2026, 3, 2), days=1, seed=1)  # noqa: DTZ001

    def test_team_needs_a_handle_time_per_channel(self) -> None:
        with pytest.raises(InvalidInputError, match=r"no handle time for channel\(s\) \['chat'\]"):
            Team(agents=[], arrivals=Arrivals(weekly=1, channels={"chat": 1}), handle_times={})

    def test_agent_ids_are_unique(self) -> None:
        plan = AgentPlan(AgentState(id="ana"))
        with pytest.raises(InvalidInputError, match=r"repeated: \['ana'\]"):
            Team(agents=[plan, plan], arrivals=Arrivals(weekly=0), handle_times={})

    def test_progress_reports_every_day(self) -> None:
        seen: list[tuple[int, int]] = []
        simulate(_team(rate=0), start=START, days=3, seed=1, progress=lambda *d: seen.append(d))
        assert seen == [(1, 3), (2, 3), (3, 3)]
