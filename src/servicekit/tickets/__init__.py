"""Tickets as an immutable snapshot plus the event history it is derived from.

The lifecycle is one table (:data:`TRANSITIONS`); every event is checked against it,
and facts such as first reply, reopens or time per status are derived from the history.

>>> from datetime import datetime, UTC
>>> from servicekit.tickets import Replied, StatusChanged, Ticket
>>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c-7")
>>> t = t.apply(StatusChanged(at=datetime(2026, 3, 2, 10, tzinfo=UTC), status="solved"))
>>> t = t.apply(Replied(at=datetime(2026, 3, 3, 8, tzinfo=UTC), by="customer"))
>>> t.status, t.facts.reopens
(<Status.OPEN: 'open'>, 1)
"""

from servicekit.tickets._enums import Author, Channel, Priority, Status, channel_of
from servicekit.tickets._events import (
    Assigned,
    Created,
    Escalated,
    Event,
    FieldChanged,
    FieldValue,
    Merged,
    PriorityChanged,
    Replied,
    SatisfactionRated,
    StatusChanged,
    TagsChanged,
)
from servicekit.tickets._facts import Facts, StatusPeriod
from servicekit.tickets._lifecycle import TRANSITIONS, Trigger, trigger_of
from servicekit.tickets._records import EVENT_TYPES, event_from_dict, event_to_dict
from servicekit.tickets._ticket import History, Ticket

__all__ = [
    "EVENT_TYPES",
    "TRANSITIONS",
    "Assigned",
    "Author",
    "Channel",
    "Created",
    "Escalated",
    "Event",
    "Facts",
    "FieldChanged",
    "FieldValue",
    "History",
    "Merged",
    "Priority",
    "PriorityChanged",
    "Replied",
    "SatisfactionRated",
    "Status",
    "StatusChanged",
    "StatusPeriod",
    "TagsChanged",
    "Ticket",
    "Trigger",
    "channel_of",
    "event_from_dict",
    "event_to_dict",
    "trigger_of",
]
