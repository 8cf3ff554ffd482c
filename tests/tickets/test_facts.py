"""Derived facts: worked examples, and agreement with a naive recount of the history."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given

from servicekit.calendars import BusinessCalendar
from servicekit.errors import InvalidInputError
from servicekit.testing.strategies import ticket_histories
from servicekit.tickets import (
    Assigned,
    Author,
    Escalated,
    Event,
    Merged,
    Replied,
    SatisfactionRated,
    Status,
    StatusChanged,
    Ticket,
)

MON = datetime(2026, 3, 2, 9, tzinfo=UTC)


def at(hours: float) -> datetime:
    return MON + timedelta(hours=hours)


def story() -> Ticket:
    """Created Monday 09:00, answered, waited on the customer, solved, reopened, solved."""
    events: list[Event] = [
        Assigned(at=at(0.5), agent="a-1", group="billing"),
        Replied(at=at(1), by="agent", author_id="a-1"),
        Replied(at=at(1), by="agent", public=False),
        StatusChanged(at=at(1), status="pending"),
        Replied(at=at(3), by="customer"),
        Assigned(at=at(4), agent="a-2", group="billing"),
        Replied(at=at(5), by="bot"),
        Replied(at=at(6), by="agent", author_id="a-2"),
        StatusChanged(at=at(6), status="solved"),
        SatisfactionRated(at=at(7), score=2),
        Replied(at=at(30), by="customer"),
        Escalated(at=at(30), rule="reopened-vip"),
        Replied(at=at(31), by="agent", author_id="a-2"),
        StatusChanged(at=at(31), status="solved"),
        SatisfactionRated(at=at(32), score=5),
        StatusChanged(at=at(100), status="closed", by="system"),
    ]
    ticket = Ticket.create(id="T-1", at=MON, requester="c-1")
    for event in events:
        ticket = ticket.apply(event)
    return ticket


class TestWorkedExample:
    def test_replies_and_instants(self) -> None:
        facts = story().facts
        assert facts.created_at == MON
        assert facts.updated_at == at(100)
        assert facts.first_public_agent_reply_at == at(1)
        assert facts.agent_replies == 3
        assert facts.customer_replies == 2
        assert facts.reopens == 1
        assert facts.first_solved_at == at(6)
        assert facts.solved_at == at(31)
        assert facts.closed_at == at(100)
        assert facts.last_customer_update_at == at(30)
        assert facts.last_agent_update_at == at(31)
        assert not facts.one_touch

    def test_assignments_ratings_escalations(self) -> None:
        facts = story().facts
        assert facts.assignees == ("a-1", "a-2")
        assert facts.groups == ("billing",)
        assert [a.agent for a in facts.assignments] == ["a-1", "a-2"]
        assert facts.satisfaction is not None
        assert facts.satisfaction.score == 5
        assert [e.rule for e in facts.escalations] == ["reopened-vip"]
        assert facts.merged_into is None

    def test_status_periods(self) -> None:
        periods = [(p.status, p.start, p.end) for p in story().facts.status_periods]
        assert periods == [
            (Status.NEW, MON, at(1)),
            (Status.OPEN, at(1), at(1)),
            (Status.PENDING, at(1), at(3)),
            (Status.OPEN, at(3), at(6)),
            (Status.SOLVED, at(6), at(30)),
            (Status.OPEN, at(30), at(31)),
            (Status.SOLVED, at(31), at(100)),
            (Status.CLOSED, at(100), None),
        ]

    def test_time_in_status(self) -> None:
        assert story().facts.time_in_status() == {
            Status.NEW: timedelta(hours=1),
            Status.OPEN: timedelta(hours=4),
            Status.PENDING: timedelta(hours=2),
            Status.SOLVED: timedelta(hours=93),
        }

    def test_time_in_status_in_business_hours(self) -> None:
        cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
        # solved Mon 15:00 -> Tue 15:00 is 8 business hours; Tue 16:00 -> Fri 13:00 is 21.
        assert story().facts.time_in_status(calendar=cal)[Status.SOLVED] == timedelta(hours=29)

    def test_the_open_period_runs_until_the_given_instant(self) -> None:
        ticket = Ticket.create(id="T", at=MON, requester="c")
        assert ticket.facts.time_in_status() == {Status.NEW: timedelta(0)}
        assert ticket.facts.time_in_status(until=at(2)) == {Status.NEW: timedelta(hours=2)}
        with pytest.raises(InvalidInputError, match="before the last event"):
            ticket.facts.time_in_status(until=at(-1))


class TestSpecialCases:
    def test_one_touch(self) -> None:
        ticket = Ticket.create(id="T", at=MON, requester="c")
        ticket = ticket.apply(Replied(at=at(1), by="agent"))
        assert not ticket.facts.one_touch  # answered, not solved
        solved = ticket.apply(StatusChanged(at=at(1), status="solved"))
        assert solved.facts.one_touch
        reopened = solved.apply(Replied(at=at(2), by="customer"))
        assert reopened.facts.solved_at is None
        assert not reopened.facts.one_touch

    def test_merge_closes_without_solving(self) -> None:
        ticket = Ticket.create(id="T", at=MON, requester="c").apply(Merged(at=at(1), into="T-0"))
        assert ticket.status is Status.CLOSED
        assert ticket.facts.merged_into == "T-0"
        assert ticket.facts.closed_at == at(1)
        assert ticket.facts.solved_at is None

    def test_agent_created_ticket(self) -> None:
        ticket = Ticket.create(id="T", at=MON, requester="c", by="agent", author_id="a-9")
        assert ticket.facts.last_agent_update_at == MON
        assert ticket.facts.last_customer_update_at is None

    def test_facts_are_computed_once(self) -> None:
        ticket = story()
        assert ticket.facts is ticket.facts


def naive_facts(history: list[Event]) -> dict[str, object]:
    """Recount from the events themselves, one question at a time."""
    public = [e for e in history if isinstance(e, Replied) and e.public]
    agent = [e for e in public if e.by is Author.AGENT]
    statuses = [Ticket.replay(history[:end]).status for end in range(1, len(history) + 1)]
    moves = list(itertools.pairwise(statuses))
    solved_moves = [
        history[i + 1].at for i, (a, b) in enumerate(moves) if b is Status.SOLVED and a is not b
    ]
    last_solve = max((i for i, s in enumerate(statuses) if s is Status.SOLVED), default=None)
    still_solved = last_solve is not None and all(
        s in (Status.SOLVED, Status.CLOSED) for s in statuses[last_solve:]
    )
    return {
        "agent_replies": len(agent),
        "customer_replies": len([e for e in public if e.by is Author.CUSTOMER]),
        "first_public_agent_reply_at": agent[0].at if agent else None,
        "reopens": sum(
            a is Status.SOLVED and b not in (Status.SOLVED, Status.CLOSED) for a, b in moves
        ),
        "first_solved_at": solved_moves[0] if solved_moves else None,
        "solved_at": solved_moves[-1] if still_solved else None,
    }


@given(ticket_histories(max_events=12))
def test_facts_match_a_naive_recount(history: list[Event]) -> None:
    facts = Ticket.replay(history).facts
    expected = naive_facts(history)
    assert expected == {name: getattr(facts, name) for name in expected}


@given(ticket_histories())
def test_status_periods_tile_the_history(history: list[Event]) -> None:
    ticket = Ticket.replay(history)
    periods = ticket.facts.status_periods
    assert periods[0].start == ticket.created_at
    assert periods[-1].end is None
    assert periods[-1].status is ticket.status
    for before, after in itertools.pairwise(periods):
        assert before.end == after.start
        assert before.status is not after.status
    total = sum(ticket.facts.time_in_status().values(), timedelta())
    closed = ticket.facts.closed_at
    assert total == (closed or ticket.updated_at) - ticket.created_at
