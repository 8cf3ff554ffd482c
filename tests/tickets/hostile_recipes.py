"""Recipes for every public call of servicekit.tickets: each call with a valid set of
arguments, which tests/test_hostile_recipes.py breaks one argument at a time (#20)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from servicekit import Ticket
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
from tests.hostile import Call

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
