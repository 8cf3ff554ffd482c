"""Every public call of servicekit.tickets, with hostile arguments: only
ServicekitError escapes, within a second (issue #20)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import Ticket, tickets
from servicekit.tickets import (
    Assigned,
    Created,
    Escalated,
    FieldChanged,
    Merged,
    PriorityChanged,
    Replied,
    SatisfactionRated,
    StatusChanged,
    TagsChanged,
    channel_of,
    event_from_dict,
    event_to_dict,
    trigger_of,
)
from tests.hostile import Call, bad_values, broken, outcome, public_callables

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
LATER = AT + timedelta(hours=1)
TICKET = Ticket.create(id="T-1", at=AT, requester="c", tags=["vip"])
REPLY = Replied(at=LATER, by="agent", author_id="a-1")

CALLS = [
    Call("Ticket.create", Ticket.create, {"id": "T", "at": AT, "requester": "c",
                                          "channel": "chat", "priority": "high",
                                          "by": "customer", "author_id": "c", "tags": ["a"]}),
    Call("Ticket.replay", Ticket.replay, {"events": list(TICKET.history)}),
    Call("Ticket.from_dict", Ticket.from_dict, {"data": TICKET.apply(REPLY).to_dict()}),
    Call("Ticket.apply", TICKET.apply, {"event": REPLY}),
    Call("Facts.status_at", TICKET.apply(REPLY).facts.status_at, {"at": LATER}),
    Call("Created", Created, {"at": AT, "ticket_id": "T", "requester": "c", "channel": "web",
                              "priority": "low", "by": "agent", "author_id": "a",
                              "tags": ["x"]}),
    Call("StatusChanged", StatusChanged, {"at": AT, "status": "pending", "by": "agent",
                                          "author_id": "a"}),
    Call("Replied", Replied, {"at": AT, "by": "agent", "public": False, "author_id": "a"}),
    Call("Assigned", Assigned, {"at": AT, "agent": "a", "group": "g"}),
    Call("PriorityChanged", PriorityChanged, {"at": AT, "priority": "urgent"}),
    Call("TagsChanged", TagsChanged, {"at": AT, "added": ["a"], "removed": ["b"]}),
    Call("FieldChanged", FieldChanged, {"at": AT, "name": "n", "value": 1.5}),
    Call("SatisfactionRated", SatisfactionRated, {"at": AT, "score": 4, "scale": (1, 5),
                                                  "comment": "ok"}),
    Call("Merged", Merged, {"at": AT, "into": "T-2"}),
    Call("Escalated", Escalated, {"at": AT, "rule": "r"}),
    Call("event_from_dict", event_from_dict, {"data": event_to_dict(REPLY), "path": "e"}),
    Call("event_to_dict", event_to_dict, {"event": REPLY}),
    Call("channel_of", channel_of, {"value": "chat"}),
    Call("trigger_of", trigger_of, {"event": REPLY}),
]  # fmt: skip
RESULTS = {
    "Author", "Channel", "Event", "Facts", "FieldValue", "History", "Priority", "Status",
    "StatusPeriod", "Ticket", "Trigger",
}  # fmt: skip
"""Enums (looked up with :func:`servicekit._checks.member`), bases, aliases and
derived values the library builds; ``Ticket`` is covered by its named constructors."""


def test_every_callable_has_a_recipe() -> None:
    covered = {call.name.partition("(")[0] for call in CALLS}
    assert public_callables(tickets) - RESULTS - covered == set()


def test_every_named_bad_argument_keeps_the_promise() -> None:
    assert broken(CALLS) == []


@given(call=st.sampled_from(CALLS), data=st.data())
def test_any_bad_argument_keeps_the_promise(call: Call, data: st.DataObject) -> None:
    argument = data.draw(st.sampled_from(sorted(call.arguments)))
    assert outcome(call, argument, data.draw(bad_values)) is None


@pytest.mark.parametrize("call", CALLS, ids=[call.name for call in CALLS])
def test_the_recipe_itself_is_valid(call: Call) -> None:
    call.run(**call.arguments)
