"""Chatwoot conversations, messages and activity messages."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import ServicekitError
from servicekit.importers import from_chatwoot
from servicekit.tickets import (
    Assigned,
    Author,
    Created,
    Event,
    Priority,
    PriorityChanged,
    Replied,
    Status,
    StatusChanged,
)
from tests.importers.histories import REQUESTER, histories
from tests.importers.test_zendesk import _mutate

# Messages in the shape of https://developers.chatwoot.com/api-reference/messages (Get
# messages: message_type 0 incoming, 1 outgoing, 2 activity, 3 template; created_at in
# epoch seconds; private; sender_type), activity texts from Chatwoot's
# config/locales/en.yml (conversations.activity.status / assignee / priority).
DOC_CONVERSATION: dict[str, Any] = {
    "id": 1, "inbox_id": 1, "status": "resolved", "priority": None, "created_at": 1700000000,
    "meta": {"sender": {"id": 31, "name": "Jane"}, "channel": "Channel::WebWidget"},
}  # fmt: skip
DOC_MESSAGES: list[dict[str, Any]] = [
    {"id": 10, "content": "Hi, my order is late", "conversation_id": 1, "message_type": 0,
     "created_at": 1700000000, "private": False, "sender_type": "Contact", "sender_id": 31},
    {"id": 11, "content": "Assigned to John by John", "conversation_id": 1, "message_type": 2,
     "created_at": 1700000060, "private": False},
    {"id": 12, "content": "John changed the priority from low to high", "conversation_id": 1,
     "message_type": 2, "created_at": 1700000061, "private": False},
    {"id": 13, "content": "Looking into it", "conversation_id": 1, "message_type": 1,
     "created_at": 1700000120, "private": False, "sender_type": "User", "sender_id": 2},
    {"id": 14, "content": "Conversation was marked resolved by John", "conversation_id": 1,
     "message_type": 2, "created_at": 1700000300, "private": False},
    {"id": 15, "content": "John added billing", "conversation_id": 1, "message_type": 2,
     "created_at": 1700000301, "private": False},
]  # fmt: skip


def test_documented_conversation() -> None:
    (ticket,), report = from_chatwoot([DOC_CONVERSATION], DOC_MESSAGES)
    assert [type(e) for e in ticket.history] == [
        Created, Assigned, PriorityChanged, Replied, StatusChanged,
    ]  # fmt: skip
    assert (ticket.status, ticket.assignee, ticket.priority) == (
        Status.SOLVED,
        "John",
        Priority.HIGH,
    )
    assert ticket.created_at == datetime.fromtimestamp(1700000000, UTC)
    assert report.ignored == {"activity": {"activity servicekit does not read": 1}}
    assert (report.folded, report.balanced) == (1, True)  # the opening message


_TEXT = {
    Status.OPEN: "Conversation was reopened by Ana",
    Status.ON_HOLD: "Conversation was snoozed by Ana",
    Status.SOLVED: "Conversation was marked resolved by Ana",
}
_PRIORITIES = {
    Priority.LOW: "low",
    Priority.NORMAL: "medium",
    Priority.HIGH: "high",
    Priority.URGENT: "urgent",
}
CHATWOOT_HISTORIES = histories(
    ticket_id="5",
    channels=("chat",),
    ratings=False,
    tags=False,
    groups=False,
    closed=False,
    ties=False,
    agents=("Ana", "Ben", "Cy"),
).filter(lambda h: all(not isinstance(e, StatusChanged) or e.status in _TEXT for e in h))


def _epoch(event: Event) -> int:
    return int(event.at.timestamp())


def to_chatwoot(history: list[Event]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    created = history[0]
    assert isinstance(created, Created)
    meta = {"sender": {"id": int(REQUESTER)}, "channel": "Channel::WebWidget"}
    conversation = {"id": 5, "created_at": _epoch(created), "meta": meta,
                    "priority": _PRIORITIES[created.priority]}  # fmt: skip
    messages: list[dict[str, Any]] = [
        {"conversation_id": 5, "message_type": 0, "created_at": _epoch(created), "private": False,
         "sender_type": "Contact", "sender_id": int(REQUESTER)},
    ]  # fmt: skip
    for event in history[1:]:
        base = {"conversation_id": 5, "created_at": _epoch(event), "private": False}
        if isinstance(event, StatusChanged):
            messages.append({**base, "message_type": 2, "content": _TEXT[event.status]})
        elif isinstance(event, Assigned):
            text = (
                f"Assigned to {event.agent} by Ana"
                if event.agent
                else "Conversation unassigned by Ana"
            )
            messages.append({**base, "message_type": 2, "content": text})
        elif isinstance(event, PriorityChanged):
            text = f"Ana set the priority to {_PRIORITIES[event.priority]}"
            messages.append({**base, "message_type": 2, "content": text})
        elif isinstance(event, Replied):
            incoming = event.by is Author.CUSTOMER
            messages.append({**base, "message_type": 0 if incoming else 1,
                             "private": not event.public,
                             "sender_type": "Contact" if incoming else "User",
                             "sender_id": event.author_id})  # fmt: skip
        else:  # pragma: no cover - the strategy makes no other events
            raise AssertionError(event)
    return conversation, messages


def _chatwoot_view(history: list[Event]) -> list[Event]:
    """A conversation is opened by its contact; assignments name agents, not groups."""
    created = history[0]
    assert isinstance(created, Created)
    first = Created(at=created.at, ticket_id="5", requester=created.requester, channel="chat",
                    priority=created.priority)  # fmt: skip
    return [first, *history[1:]]


class TestRoundTrip:
    @given(CHATWOOT_HISTORIES)
    def test_conversation_and_messages_give_back_the_history(self, history: list[Event]) -> None:
        conversation, messages = to_chatwoot(history)
        (ticket,), report = from_chatwoot([conversation], messages)
        assert list(ticket.history) == _chatwoot_view(history)
        assert report.balanced
        assert report.ignored_total == 0


class TestFuzz:
    @given(CHATWOOT_HISTORIES, st.data())
    def test_mutated_records_raise_only_servicekit_errors_and_balance(
        self, history: list[Event], data: st.DataObject
    ) -> None:
        conversation, messages = to_chatwoot(history)
        pools: list[list[Any]] = [
            [conversation, copy.deepcopy(DOC_CONVERSATION)],
            [*messages, *DOC_MESSAGES],
        ]
        for _ in range(data.draw(st.integers(1, 4))):
            pool = data.draw(st.sampled_from(pools))
            index = data.draw(st.integers(0, len(pool) - 1))
            pool[index] = _mutate(data, copy.deepcopy(pool[index]))
        try:
            _, report = from_chatwoot(pools[0], pools[1])
        except ServicekitError:
            return
        assert report.balanced
