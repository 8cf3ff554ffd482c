"""Random event sequences, legal and illegal, driven by a hypothesis state machine."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from servicekit.errors import InvalidTransitionError
from servicekit.testing.strategies import created_events, events_for
from servicekit.tickets import (
    TRANSITIONS,
    Assigned,
    Author,
    Created,
    Event,
    FieldChanged,
    FieldValue,
    PriorityChanged,
    Replied,
    Status,
    TagsChanged,
    Ticket,
    Trigger,
)

GAPS = st.sampled_from([0, 1, 3_600]) | st.integers(-3_600, 86_400)


class TicketMachine(RuleBasedStateMachine):
    """Keeps a model (expected status, counts) next to the ticket and compares them."""

    ticket: Ticket

    @initialize(created=created_events())
    def create(self, created: Event) -> None:
        self.ticket = Ticket.replay([created])
        self.status = Status.NEW
        self.statuses = [Status.NEW]
        self.events: list[Event] = [created]
        self.earlier: list[Ticket] = []

    @rule(trigger=st.sampled_from(Trigger), gap=GAPS, data=st.data())
    def apply(self, trigger: Trigger, gap: int, data: st.DataObject) -> None:
        at = self.events[-1].at + timedelta(seconds=gap)
        event = data.draw(events_for(trigger, at))
        before = self.ticket
        expected = TRANSITIONS[self.status].get(trigger)
        if expected is None or gap < 0:
            try:
                self.ticket.apply(event)
            except InvalidTransitionError:
                assert self.ticket == before
                assert self.ticket.status is self.status
                return
            raise AssertionError(f"{event!r} was accepted in {self.status}")
        self.ticket = self.ticket.apply(event)
        self.earlier.append(before)
        self.events.append(event)
        self.status = expected
        self.statuses.append(expected)

    @rule(index=st.integers(0, 50), gap=st.integers(0, 100))
    def branch_from_an_earlier_ticket(self, index: int, gap: int) -> None:
        """Applying to an old ticket must not disturb the newer ones sharing its log."""
        if not self.earlier or self.status is Status.CLOSED:
            return
        old = self.earlier[index % len(self.earlier)]
        if old.status is Status.CLOSED:
            return
        note = Replied(at=self.events[-1].at + timedelta(seconds=gap), by="agent", public=False)
        branch = old.apply(note)
        assert list(branch.history) == [*old.history, note]
        assert list(self.ticket.history) == self.events

    @invariant()
    def status_matches_the_table(self) -> None:
        assert self.ticket.status is self.status

    @invariant()
    def history_is_the_events_applied(self) -> None:
        assert list(self.ticket.history) == self.events
        assert len(self.ticket.history) == len(self.events)

    @invariant()
    def replay_gives_an_equal_ticket(self) -> None:
        again = Ticket.replay(self.events)
        assert again == self.ticket
        assert hash(again) == hash(self.ticket)
        snapshot = ("status", "priority", "assignee", "group", "tags", "fields")
        assert [getattr(again, n) for n in snapshot] == [getattr(self.ticket, n) for n in snapshot]

    @invariant()
    def dict_round_trip(self) -> None:
        assert Ticket.from_dict(self.ticket.to_dict()) == self.ticket

    @invariant()
    def snapshot_matches_a_naive_recount(self) -> None:
        created = self.events[0]
        assert isinstance(created, Created)
        priority, tags = created.priority, set(created.tags)
        assignee: str | None = None
        group: str | None = None
        fields: dict[str, FieldValue] = {}
        for event in self.events:
            if isinstance(event, PriorityChanged):
                priority = event.priority
            if isinstance(event, Assigned):
                assignee, group = event.agent, event.group
            if isinstance(event, TagsChanged):
                tags = (tags | event.added) - event.removed
            if isinstance(event, FieldChanged):
                fields[event.name] = event.value
        assert self.ticket.priority is priority
        assert (self.ticket.assignee, self.ticket.group) == (assignee, group)
        assert self.ticket.tags == tags
        assert dict(self.ticket.fields) == {k: v for k, v in fields.items() if v is not None}

    @invariant()
    def facts_match_a_naive_recount(self) -> None:
        facts = self.ticket.facts
        replies = [e for e in self.events if isinstance(e, Replied) and e.public]
        assert facts.agent_replies == sum(e.by is Author.AGENT for e in replies)
        assert facts.customer_replies == sum(e.by is Author.CUSTOMER for e in replies)
        moves = zip(self.statuses, self.statuses[1:], strict=False)
        assert facts.reopens == sum(
            a is Status.SOLVED and b not in (Status.SOLVED, Status.CLOSED) for a, b in moves
        )


TestTicketMachine = TicketMachine.TestCase
