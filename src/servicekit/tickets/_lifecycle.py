"""The ticket lifecycle as one table: which event may happen in which status, and
the status that follows. Anything the table does not list is an
:class:`~servicekit.errors.InvalidTransitionError`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from servicekit._checks import short
from servicekit.errors import InvalidTypeError
from servicekit.tickets._enums import Author, Status
from servicekit.tickets._events import (
    Assigned,
    Created,
    Escalated,
    Event,
    FieldChanged,
    Merged,
    PriorityChanged,
    Replied,
    SatisfactionRated,
    StatusChanged,
    TagsChanged,
)


class Trigger(enum.StrEnum):
    """What an event does to the lifecycle: the columns of :data:`TRANSITIONS`.

    >>> from datetime import datetime, UTC
    >>> from servicekit.tickets import Replied
    >>> trigger_of(Replied(at=datetime(2026, 3, 2, tzinfo=UTC), by="customer"))
    <Trigger.CUSTOMER_REPLY: 'public customer reply'>
    """

    SET_NEW = "status -> new"
    SET_OPEN = "status -> open"
    SET_PENDING = "status -> pending"
    SET_ON_HOLD = "status -> on_hold"
    SET_SOLVED = "status -> solved"
    SET_CLOSED = "status -> closed"
    CUSTOMER_REPLY = "public customer reply"
    AGENT_REPLY = "public agent reply"
    AUTOMATED_REPLY = "public bot or system reply"
    INTERNAL_NOTE = "internal note"
    UPDATE = "assignment, priority, tags, fields, escalation"
    RATING = "satisfaction rated"
    MERGE = "merged"


_SET = {
    Status.NEW: Trigger.SET_NEW,
    Status.OPEN: Trigger.SET_OPEN,
    Status.PENDING: Trigger.SET_PENDING,
    Status.ON_HOLD: Trigger.SET_ON_HOLD,
    Status.SOLVED: Trigger.SET_SOLVED,
    Status.CLOSED: Trigger.SET_CLOSED,
}
_REPLY = {
    Author.CUSTOMER: Trigger.CUSTOMER_REPLY,
    Author.AGENT: Trigger.AGENT_REPLY,
    Author.BOT: Trigger.AUTOMATED_REPLY,
    Author.SYSTEM: Trigger.AUTOMATED_REPLY,
}
_BY_TYPE: dict[type[Event], Trigger] = {
    Assigned: Trigger.UPDATE,
    PriorityChanged: Trigger.UPDATE,
    TagsChanged: Trigger.UPDATE,
    FieldChanged: Trigger.UPDATE,
    Escalated: Trigger.UPDATE,
    SatisfactionRated: Trigger.RATING,
    Merged: Trigger.MERGE,
}


def _row(
    status: Status, changes: dict[Trigger, Status], *, rated: bool = True
) -> dict[Trigger, Status]:
    """A row: replies, notes, updates (and ratings, if ``rated``) keep ``status``
    unless ``changes`` says otherwise; a merge closes."""
    stay = [
        Trigger.CUSTOMER_REPLY,
        Trigger.AGENT_REPLY,
        Trigger.AUTOMATED_REPLY,
        Trigger.INTERNAL_NOTE,
        Trigger.UPDATE,
    ]
    if rated:
        stay.append(Trigger.RATING)
    row = dict.fromkeys(stay, status) | changes | {Trigger.MERGE: Status.CLOSED}
    return {trigger: row[trigger] for trigger in Trigger if trigger in row}


# The table as plain dicts (fast in hot loops); TRANSITIONS is its read-only face.
ROWS: dict[Status, dict[Trigger, Status]] = {
    Status.NEW: _row(
        Status.NEW,
        {
            Trigger.SET_OPEN: Status.OPEN,
            Trigger.SET_PENDING: Status.PENDING,
            Trigger.SET_ON_HOLD: Status.ON_HOLD,
            Trigger.SET_SOLVED: Status.SOLVED,
            Trigger.AGENT_REPLY: Status.OPEN,
        },
        rated=False,
    ),
    Status.OPEN: _row(
        Status.OPEN,
        {
            Trigger.SET_PENDING: Status.PENDING,
            Trigger.SET_ON_HOLD: Status.ON_HOLD,
            Trigger.SET_SOLVED: Status.SOLVED,
        },
    ),
    Status.PENDING: _row(
        Status.PENDING,
        {
            Trigger.SET_OPEN: Status.OPEN,
            Trigger.SET_ON_HOLD: Status.ON_HOLD,
            Trigger.SET_SOLVED: Status.SOLVED,
            Trigger.CUSTOMER_REPLY: Status.OPEN,
        },
    ),
    Status.ON_HOLD: _row(
        Status.ON_HOLD,
        {
            Trigger.SET_OPEN: Status.OPEN,
            Trigger.SET_PENDING: Status.PENDING,
            Trigger.SET_SOLVED: Status.SOLVED,
            Trigger.CUSTOMER_REPLY: Status.OPEN,
        },
    ),
    Status.SOLVED: _row(
        Status.SOLVED,
        {
            Trigger.SET_OPEN: Status.OPEN,
            Trigger.SET_PENDING: Status.PENDING,
            Trigger.SET_ON_HOLD: Status.ON_HOLD,
            Trigger.SET_CLOSED: Status.CLOSED,
            Trigger.CUSTOMER_REPLY: Status.OPEN,
        },
    ),
    Status.CLOSED: {},
}
TRANSITIONS: Mapping[Status, Mapping[Trigger, Status]] = MappingProxyType(
    {status: MappingProxyType(row) for status, row in ROWS.items()}
)
"""``TRANSITIONS[status][trigger]`` is the status after an event with that trigger.

Created is not a row: it is the first event of every history and starts in ``new``.
A ``new`` ticket cannot be rated (nobody worked on it yet) and ``closed`` is final.
Leaving ``solved`` for anything but ``closed`` counts as a reopen.

>>> TRANSITIONS[Status.PENDING][Trigger.CUSTOMER_REPLY]
<Status.OPEN: 'open'>
>>> Trigger.SET_OPEN in TRANSITIONS[Status.OPEN]
False
"""


def trigger_of(event: Event) -> Trigger:
    """The column of :data:`TRANSITIONS` that ``event`` falls in.

    Raises:
        InvalidTypeError: ``event`` is a :class:`Created` (not a transition) or not an
            event.
    """
    if isinstance(event, Replied):
        return _REPLY[event.by] if event.public else Trigger.INTERNAL_NOTE
    if isinstance(event, StatusChanged):
        return _SET[event.status]
    trigger = _BY_TYPE.get(type(event))
    if trigger is not None:
        return trigger
    if isinstance(event, Created):
        raise InvalidTypeError("Created starts a history; it is not a transition")
    raise InvalidTypeError(f"not a ticket event: {short(event)}")
