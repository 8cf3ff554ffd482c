"""Freshdesk tickets (with stats) and conversations."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import ServicekitError
from servicekit.importers import from_freshdesk
from servicekit.tickets import Author, Created, Event, Priority, Replied, Status, StatusChanged
from tests.importers.histories import AGENTS, REQUESTER
from tests.importers.test_zendesk import _mutate

# The private note of "List all conversations of a ticket", response
# (https://developers.freshdesk.com/api/#list_all_ticket_notes; ticket 20, conversation
# 3, source 2, created 2015-08-24T11:59), with ticket 20 in the fields "View a ticket"
# with include=stats documents (status 4 resolved, priority 1, source 2 portal).
DOC_CONVERSATION: dict[str, Any] = {
    "body_text": "Please reply as soon as possible.", "id": 3, "incoming": False,
    "private": True, "user_id": 1, "support_email": None, "source": 2, "ticket_id": 20,
    "created_at": "2015-08-24T11:59:00Z",
}  # fmt: skip
DOC_TICKET: dict[str, Any] = {
    "id": 20, "requester_id": 1000, "responder_id": 1, "group_id": None, "source": 2,
    "status": 4, "priority": 1, "tags": [], "created_at": "2015-08-24T11:56:51Z",
    "stats": {"resolved_at": "2015-08-24T12:30:00Z", "closed_at": None,
              "first_responded_at": "2015-08-24T11:59:00Z", "pending_since": None},
}  # fmt: skip


def test_documented_ticket_and_note() -> None:
    (ticket,), report = from_freshdesk([DOC_TICKET], [DOC_CONVERSATION], agents=[1])
    assert [type(e).__name__ for e in ticket.history] == [
        "Created", "Assigned", "Replied", "StatusChanged",
    ]  # fmt: skip
    assert ticket.history[2] == Replied(
        at=datetime(2015, 8, 24, 11, 59, tzinfo=UTC), by="agent", public=False, author_id="1"
    )
    assert (ticket.status, ticket.priority, ticket.channel) == (Status.SOLVED, Priority.LOW, "web")
    assert (report.records_read, report.balanced) == (4, True)
    assert any("status changes" in fact for fact in report.unrecoverable)


@st.composite
def freshdesk_histories(draw: st.DrawFn) -> list[Event]:
    """What Freshdesk can say: creation, conversations, then resolved and perhaps closed."""
    at = datetime(2026, 1, 5, tzinfo=UTC) + timedelta(seconds=draw(st.integers(0, 10**7)))
    history: list[Event] = [
        Created(
            at=at,
            ticket_id="20",
            requester=REQUESTER,
            channel=draw(st.sampled_from(["email", "web", "phone"])),
            priority=draw(st.sampled_from(Priority)),
        )
    ]
    for _ in range(draw(st.integers(0, 5))):
        at += timedelta(seconds=draw(st.integers(1, 86_400)))
        kind = draw(st.sampled_from(["customer", "agent", "note"]))
        if kind == "customer":
            history.append(Replied(at=at, by=Author.CUSTOMER, author_id=REQUESTER))
        else:
            history.append(Replied(at=at, by=Author.AGENT, public=kind == "agent",
                                   author_id=draw(st.sampled_from(AGENTS))))  # fmt: skip
    for status in draw(st.sampled_from([[], [Status.SOLVED], [Status.SOLVED, Status.CLOSED]])):
        at += timedelta(seconds=draw(st.integers(1, 86_400)))
        history.append(StatusChanged(at=at, status=status))
    return history


_SOURCE = {"email": 1, "web": 2, "phone": 3}
_CODE = {Priority.LOW: 1, Priority.NORMAL: 2, Priority.HIGH: 3, Priority.URGENT: 4}


def to_freshdesk(history: list[Event]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    created = history[0]
    assert isinstance(created, Created)
    stats: dict[str, Any] = {}
    conversations = []
    for event in history[1:]:
        if isinstance(event, StatusChanged):
            stats["resolved_at" if event.status is Status.SOLVED else "closed_at"] = (
                event.at.isoformat()
            )
        elif isinstance(event, Replied):
            incoming, private = event.by is Author.CUSTOMER, not event.public
            conversations.append({"ticket_id": 20, "user_id": int(event.author_id or 0),
                                  "incoming": incoming, "private": private,
                                  "source": 0, "created_at": event.at.isoformat()})  # fmt: skip
    ticket = {"id": 20, "requester_id": int(REQUESTER), "source": _SOURCE[str(created.channel)],
              "priority": _CODE[created.priority], "status": 2, "tags": [],
              "created_at": created.at.isoformat(), "stats": stats}  # fmt: skip
    return ticket, conversations


class TestRoundTrip:
    @given(freshdesk_histories())
    def test_ticket_and_conversations_give_back_the_history(self, history: list[Event]) -> None:
        ticket, conversations = to_freshdesk(history)
        (imported,), report = from_freshdesk([ticket], conversations, agents=AGENTS)
        assert list(imported.history) == history
        assert report.balanced
        assert report.ignored_total == 0


class TestFuzz:
    @given(freshdesk_histories(), st.data())
    def test_mutated_records_raise_only_servicekit_errors_and_balance(
        self, history: list[Event], data: st.DataObject
    ) -> None:
        ticket, conversations = to_freshdesk(history)
        pools: list[list[Any]] = [
            [ticket, copy.deepcopy(DOC_TICKET)],
            [*conversations, DOC_CONVERSATION],
        ]
        for _ in range(data.draw(st.integers(1, 4))):
            pool = data.draw(st.sampled_from(pools))
            index = data.draw(st.integers(0, len(pool) - 1))
            pool[index] = _mutate(data, copy.deepcopy(pool[index]))
        try:
            _, report = from_freshdesk(
                pools[0], pools[1], agents=data.draw(st.none() | st.just(AGENTS))
            )
        except ServicekitError:
            return
        assert report.balanced
