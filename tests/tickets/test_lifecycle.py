"""Every cell of the lifecycle table, legal or not, and the ordering rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import InvalidInputError, InvalidTransitionError
from servicekit.tickets import (
    TRANSITIONS,
    Assigned,
    Created,
    Escalated,
    Event,
    FieldChanged,
    Merged,
    PriorityChanged,
    Replied,
    SatisfactionRated,
    Status,
    StatusChanged,
    TagsChanged,
    Ticket,
    Trigger,
    trigger_of,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
LATER = T0 + timedelta(hours=1)

# The shortest way to reach each status from creation.
ROUTES: dict[Status, list[Status]] = {
    Status.NEW: [],
    Status.OPEN: [Status.OPEN],
    Status.PENDING: [Status.PENDING],
    Status.ON_HOLD: [Status.ON_HOLD],
    Status.SOLVED: [Status.SOLVED],
    Status.CLOSED: [Status.SOLVED, Status.CLOSED],
}

# One event per column; updates are listed one by one below.
EXAMPLES: dict[Trigger, Event] = {
    Trigger.SET_NEW: StatusChanged(at=LATER, status="new"),
    Trigger.SET_OPEN: StatusChanged(at=LATER, status="open"),
    Trigger.SET_PENDING: StatusChanged(at=LATER, status="pending"),
    Trigger.SET_ON_HOLD: StatusChanged(at=LATER, status="on_hold"),
    Trigger.SET_SOLVED: StatusChanged(at=LATER, status="solved"),
    Trigger.SET_CLOSED: StatusChanged(at=LATER, status="closed"),
    Trigger.CUSTOMER_REPLY: Replied(at=LATER, by="customer"),
    Trigger.AGENT_REPLY: Replied(at=LATER, by="agent", author_id="a-1"),
    Trigger.AUTOMATED_REPLY: Replied(at=LATER, by="bot"),
    Trigger.INTERNAL_NOTE: Replied(at=LATER, by="agent", public=False),
    Trigger.UPDATE: PriorityChanged(at=LATER, priority="high"),
    Trigger.RATING: SatisfactionRated(at=LATER, score=4),
    Trigger.MERGE: Merged(at=LATER, into="T-2"),
}
UPDATES = [
    Assigned(at=LATER, agent="a-1", group="billing"),
    PriorityChanged(at=LATER, priority="urgent"),
    TagsChanged(at=LATER, added=["vip"]),
    FieldChanged(at=LATER, name="product", value="api"),
    Escalated(at=LATER, rule="r-1"),
]


def ticket_in(status: Status) -> Ticket:
    ticket = Ticket.create(id="T-1", at=T0, requester="c-1")
    for step in ROUTES[status]:
        ticket = ticket.apply(StatusChanged(at=T0, status=step))
    assert ticket.status is status
    return ticket


CELLS = [(status, trigger) for status in Status for trigger in Trigger]


class TestTable:
    @pytest.mark.parametrize(("status", "trigger"), CELLS, ids=lambda v: str(v.name))
    def test_each_cell_moves_as_listed_or_raises_and_changes_nothing(
        self, status: Status, trigger: Trigger
    ) -> None:
        ticket = ticket_in(status)
        event = EXAMPLES[trigger]
        assert trigger_of(event) is trigger
        expected = TRANSITIONS[status].get(trigger)
        if expected is None:
            with pytest.raises(InvalidTransitionError, match=f"a {status.value} ticket"):
                ticket.apply(event)
            assert ticket == ticket_in(status)
            assert ticket.status is status
        else:
            assert ticket.apply(event).status is expected

    @pytest.mark.parametrize("update", UPDATES, ids=lambda e: type(e).__name__)
    def test_every_update_is_in_the_update_column(self, update: Event) -> None:
        assert trigger_of(update) is Trigger.UPDATE
        assert ticket_in(Status.PENDING).apply(update).status is Status.PENDING

    def test_closed_is_final(self) -> None:
        assert TRANSITIONS[Status.CLOSED] == {}

    def test_no_ticket_goes_back_to_new(self) -> None:
        for status, row in TRANSITIONS.items():
            assert status is Status.NEW or Status.NEW not in row.values()

    def test_docs_render_the_table(self) -> None:
        page = Path(__file__).parents[2] / "docs" / "tickets" / "lifecycle.md"
        assert render_table() in page.read_text()


def render_table() -> str:
    """The lifecycle table as Markdown, as docs/tickets/lifecycle.md shows it."""
    header = "| event \\ status | " + " | ".join(f"`{s.value}`" for s in Status) + " |"
    lines = [header, "|---" * (len(Status) + 1) + "|"]
    for trigger in Trigger:
        cells = []
        for status in Status:
            following = TRANSITIONS[status].get(trigger)
            cells.append("—" if following is None else f"`{following.value}`")
        lines.append(f"| {trigger.value} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


class TestReopen:
    def test_customer_reply_on_solved_reopens_and_counts(self) -> None:
        ticket = ticket_in(Status.SOLVED).apply(Replied(at=LATER, by="customer"))
        assert ticket.status is Status.OPEN
        assert ticket.facts.reopens == 1

    @pytest.mark.parametrize("status", [Status.OPEN, Status.PENDING, Status.ON_HOLD])
    def test_any_move_out_of_solved_but_closed_counts(self, status: Status) -> None:
        ticket = ticket_in(Status.SOLVED).apply(StatusChanged(at=LATER, status=status))
        assert ticket.facts.reopens == 1

    def test_closing_is_no_reopen(self) -> None:
        assert ticket_in(Status.CLOSED).facts.reopens == 0

    @pytest.mark.parametrize("status", [Status.PENDING, Status.ON_HOLD])
    def test_customer_reply_resumes_a_waiting_ticket_without_reopen(self, status: Status) -> None:
        ticket = ticket_in(status).apply(Replied(at=LATER, by="customer"))
        assert ticket.status is Status.OPEN
        assert ticket.facts.reopens == 0


class TestOrdering:
    def test_event_earlier_than_the_last_is_rejected(self) -> None:
        ticket = ticket_in(Status.OPEN).apply(Replied(at=LATER, by="agent"))
        with pytest.raises(InvalidTransitionError, match="earlier than the last event"):
            ticket.apply(Replied(at=T0 + timedelta(minutes=59), by="customer"))

    def test_event_before_creation_is_rejected(self) -> None:
        with pytest.raises(InvalidTransitionError, match="earlier than the last event"):
            ticket_in(Status.NEW).apply(Replied(at=T0 - timedelta(microseconds=1), by="agent"))

    def test_events_at_the_same_instant_are_fine(self) -> None:
        ticket = ticket_in(Status.NEW).apply(Replied(at=T0, by="agent"))
        assert ticket.status is Status.OPEN

    def test_order_is_by_instant_not_by_wall_clock(self) -> None:
        # 10:30 in New York is 15:30 UTC: after 11:00 UTC, though 10:30 < 11:00 on the wall.
        ticket = Ticket.create(id="T-1", at=T0.replace(hour=11), requester="c")
        later = datetime(2026, 3, 2, 10, 30, tzinfo=ZoneInfo("America/New_York"))
        assert ticket.apply(Replied(at=later, by="agent")).updated_at == later

    def test_second_created_is_rejected(self) -> None:
        created = Created(at=LATER, ticket_id="T-1", requester="c-1")
        with pytest.raises(InvalidTransitionError, match="already exists"):
            ticket_in(Status.OPEN).apply(created)

    def test_history_must_start_with_created(self) -> None:
        with pytest.raises(InvalidTransitionError, match=r"events\[0\]: a history starts"):
            Ticket.replay([Replied(at=T0, by="customer")])

    def test_empty_history_is_rejected(self) -> None:
        with pytest.raises(InvalidTransitionError, match="at least its Created"):
            Ticket.replay([])

    def test_replay_names_the_offending_index(self) -> None:
        events = [*ticket_in(Status.CLOSED).history, Replied(at=LATER, by="customer")]
        with pytest.raises(InvalidTransitionError, match=r"events\[3\]: Replied at .* closed"):
            Ticket.replay(events)

    def test_a_non_event_is_a_type_error(self) -> None:
        with pytest.raises(TypeError, match="not a ticket event"):
            ticket_in(Status.OPEN).apply("hello")  # type: ignore[arg-type]

    @given(st.integers(1, 10_000))
    def test_rejected_event_leaves_the_ticket_usable(self, seconds: int) -> None:
        ticket = ticket_in(Status.OPEN)
        with pytest.raises(InvalidTransitionError):
            ticket.apply(Replied(at=T0 - timedelta(seconds=seconds), by="agent"))
        assert ticket.apply(Replied(at=LATER, by="agent")).facts.agent_replies == 1


def test_one_way_in_and_one_touch_means_never_reopened() -> None:
    """``Ticket(...)`` is refused (create, replay, from_dict are the ways in), and a
    ticket solved with one reply but reopened is not one-touch, as in ``kpi.fcr``."""
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    with pytest.raises(InvalidInputError, match=r"Ticket\.replay"):
        Ticket([Created(at=start, ticket_id="T-1", requester="c")])
    ticket = Ticket.create(id="T-1", at=start, requester="c")
    for hours, event in enumerate(
        [
            Replied(at=start, by="agent"),
            StatusChanged(at=start, status="solved"),
            Replied(at=start, by="customer"),
            StatusChanged(at=start, status="solved"),
        ]
    ):
        ticket = ticket.apply(attrs.evolve(event, at=start + timedelta(hours=hours + 1)))
    facts = ticket.facts
    assert (facts.agent_replies, facts.reopens, facts.solved_at is not None) == (1, 1, True)
    assert not facts.one_touch
    assert facts.reopen_instants == (start + timedelta(hours=3),)
    assert facts.solve_instants == (start + timedelta(hours=2), start + timedelta(hours=4))
    assert facts.status_at(start - timedelta(seconds=1)) is None
    assert facts.status_at(start + timedelta(hours=3)) is Status.OPEN
