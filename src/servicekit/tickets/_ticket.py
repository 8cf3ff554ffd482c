"""``Ticket``: the current snapshot of a ticket plus the history it was built from."""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any, overload

import attrs

from servicekit._checks import short
from servicekit.errors import InvalidInputError, InvalidTransitionError, InvalidTypeError
from servicekit.tickets._enums import Author, Channel, Priority, Status
from servicekit.tickets._events import (
    Assigned,
    Created,
    Event,
    FieldChanged,
    FieldValue,
    PriorityChanged,
    TagsChanged,
)
from servicekit.tickets._facts import Facts, facts_of
from servicekit.tickets._lifecycle import ROWS, Trigger, trigger_of

_APPEND = threading.Lock()


class History(Sequence[Event]):
    """A read-only view of the first ``len(history)`` events of an append-only log.

    Tickets derived from one another by :meth:`Ticket.apply` share one log, so
    appending is amortised O(1) and a 10,000-event ticket is never copied per event.
    Beside each event the log keeps the status it led to, as the lifecycle table said
    when the event was applied, so nothing reads the table twice.
    Compares equal to any sequence of the same events.
    """

    __slots__ = ("_length", "_log", "_statuses")

    def __init__(self, log: list[Event], statuses: list[Status], length: int) -> None:
        self._log = log
        self._statuses = statuses
        self._length = length

    def steps(self) -> Iterator[tuple[Event, Status]]:
        """Each event after ``Created``, with the status it led to: what a walk of the
        history reads, so no walk consults the lifecycle table again."""
        return zip(
            itertools.islice(self._log, 1, self._length),
            itertools.islice(self._statuses, 1, self._length),
            strict=True,
        )

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...
    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        if isinstance(index, slice):
            return tuple(self._log[: self._length][index])
        if not -self._length <= index < self._length:
            raise IndexError(f"history index {index} out of range for {self._length} events")
        return self._log[index % self._length]

    def __iter__(self) -> Iterator[Event]:
        return itertools.islice(self._log, self._length)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        if isinstance(other, History) and other._log is self._log:
            return other._length == self._length
        return len(other) == self._length and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"History({list(self)!r})"

    def appended(self, event: Event, status: Status) -> History:
        """This history plus ``event``, after which the ticket is in ``status``, sharing
        the log when nothing was appended since."""
        with _APPEND:
            shared = len(self._log) == self._length
            log = self._log if shared else self._log[: self._length]
            statuses = self._statuses if shared else self._statuses[: self._length]
            log.append(event)
            statuses.append(status)
        return History(log, statuses, self._length + 1)


@attrs.frozen(init=False, repr=False)
class Ticket:
    """A ticket: its current snapshot and the event history it was built from.

    Build one with :meth:`create`, :meth:`replay` or :meth:`from_dict` (there is no
    other constructor), and move it on with :meth:`apply`, which returns a new ticket.
    Two tickets are equal when their histories are. Every event is checked against
    the lifecycle table :data:`~servicekit.tickets.TRANSITIONS`; a rejected event
    raises :class:`~servicekit.errors.InvalidTransitionError` and changes nothing.

    Attributes:
        history: every event, in order; the first is ``Created``.
        status, priority, assignee, group, tags, fields: the snapshot now.

    >>> from datetime import datetime, UTC
    >>> from servicekit.tickets import Replied, StatusChanged
    >>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c-7")
    >>> t = t.apply(Replied(at=datetime(2026, 3, 2, 10, tzinfo=UTC), by="agent"))
    >>> t = t.apply(StatusChanged(at=datetime(2026, 3, 2, 11, tzinfo=UTC), status="solved"))
    >>> t
    Ticket(id='T-1', status='solved', priority='normal', assignee=None, group=None, events=3)
    >>> t.facts.one_touch
    True
    """

    history: History
    status: Status = attrs.field(eq=False)
    priority: Priority = attrs.field(eq=False)
    assignee: str | None = attrs.field(eq=False)
    group: str | None = attrs.field(eq=False)
    tags: frozenset[str] = attrs.field(eq=False)
    fields: Mapping[str, FieldValue] = attrs.field(eq=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Refused: one way in, :meth:`create`, :meth:`replay` or :meth:`from_dict`."""
        raise InvalidInputError(
            "build a ticket with Ticket.create(...), Ticket.replay(events) or "
            "Ticket.from_dict(data)"
        )

    @classmethod
    def create(
        cls,
        *,
        id: str,
        at: datetime,
        requester: str,
        channel: Channel | str = Channel.EMAIL,
        priority: Priority | str = Priority.NORMAL,
        by: Author | str = Author.CUSTOMER,
        author_id: str | None = None,
        tags: Iterable[str] = frozenset(),
    ) -> Ticket:
        """A new ticket whose history is one :class:`Created` event (same arguments)."""
        created = Created(
            at=at,
            ticket_id=id,
            requester=requester,
            channel=channel,
            priority=priority,
            by=by,
            author_id=author_id,
            tags=tags,
        )
        return cls.replay([created])

    @classmethod
    def replay(cls, events: Iterable[Event]) -> Ticket:
        """The ticket that ``events`` describe, checked event by event.

        Raises:
            InvalidTransitionError: naming the first offending event by its index
                (``events[3]: ...``); the first event must be ``Created``.
        """
        if not isinstance(events, Iterable) or isinstance(events, str | bytes | Mapping):
            raise InvalidTypeError(f"events must be an iterable of events, got {short(events)}")
        log: list[Event] = []
        statuses: list[Status] = []
        state = _State.first(events, log, statuses)
        ticket = object.__new__(cls)
        ticket.__attrs_init__(History(log, statuses, len(log)), *state.snapshot())
        return ticket

    def apply(self, event: Event) -> Ticket:
        """The ticket after ``event``; this ticket is unchanged.

        Raises:
            InvalidTransitionError: ``event`` is earlier than the last event, is a second
                ``Created``, comes after ``closed``, or is a transition the lifecycle
                table does not list.
        """
        state = _State(self)
        state.step(event)
        ticket = object.__new__(Ticket)
        ticket.__attrs_init__(self.history.appended(event, state.status), *state.snapshot())
        return ticket

    @property
    def id(self) -> str:
        """The ticket id given at creation."""
        return self._created.ticket_id

    @property
    def requester(self) -> str:
        """The customer the ticket is for."""
        return self._created.requester

    @property
    def channel(self) -> Channel | str:
        """The channel the ticket came in on."""
        return self._created.channel

    @property
    def created_at(self) -> datetime:
        """The instant of creation."""
        return self._created.at

    @property
    def updated_at(self) -> datetime:
        """The instant of the last event."""
        return self.history[-1].at

    @property
    def _created(self) -> Created:
        created = self.history[0]
        assert isinstance(created, Created)
        return created

    @functools.cached_property
    def facts(self) -> Facts:
        """Derived facts (replies, reopens, solved instants, time per status...),
        computed on first access."""
        return facts_of(self.history)

    def to_dict(self) -> dict[str, Any]:
        """``{"events": [...]}`` with ISO 8601 instants; one JSON line per ticket.

        >>> from datetime import datetime, UTC
        >>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c")
        >>> Ticket.from_dict(t.to_dict()) == t
        True
        """
        from servicekit.tickets._records import event_to_dict  # noqa: PLC0415 -- cycle

        return {"events": [event_to_dict(event) for event in self.history]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Ticket:
        """The ticket stored by :meth:`to_dict`.

        Raises:
            InvalidRecordError: a malformed event, naming its path (``events[2].at``).
            InvalidTransitionError: the events do not form a valid history.
        """
        from servicekit.tickets._records import ticket_from_dict  # noqa: PLC0415 -- cycle

        return ticket_from_dict(data)

    def __repr__(self) -> str:
        return (
            f"Ticket(id={self.id!r}, status={self.status.value!r}, "
            f"priority={self.priority.value!r}, assignee={self.assignee!r}, "
            f"group={self.group!r}, events={len(self.history)})"
        )


class _State:
    """The snapshot while events are folded in; one code path for replay and apply."""

    __slots__ = ("assignee", "fields", "group", "last", "owns_fields", "priority", "status", "tags")

    def __init__(self, ticket: Ticket | Created) -> None:
        """The state of ``ticket``, or of a ticket just ``Created``."""
        self.owns_fields = False
        if isinstance(ticket, Created):
            self.status, self.priority = Status.NEW, ticket.priority
            self.assignee = self.group = None
            self.tags, self.fields = ticket.tags, _NO_FIELDS
            self.last = ticket.at
        else:
            self.status, self.priority = ticket.status, ticket.priority
            self.assignee, self.group = ticket.assignee, ticket.group
            self.tags, self.fields = ticket.tags, ticket.fields
            self.last = ticket.updated_at

    @classmethod
    def first(cls, events: Iterable[Event], log: list[Event], statuses: list[Status]) -> _State:
        """Fold ``events`` into a new state, appending each to ``log`` and the status
        after it to ``statuses``."""
        state: _State | None = None
        for index, event in enumerate(events):
            try:
                if state is None:
                    if not isinstance(event, Created):
                        raise InvalidTransitionError(
                            f"a history starts with Created, not {_describe(event)}"
                        )
                    state = cls(event)
                else:
                    state.step(event)
            except InvalidTransitionError as exc:
                raise InvalidTransitionError(f"events[{index}]: {exc}") from None
            log.append(event)
            statuses.append(state.status)
        if state is None:
            raise InvalidTransitionError("a history needs at least its Created event")
        return state

    def step(self, event: Event) -> None:
        """Move on by ``event`` or raise, leaving the state unchanged."""
        if isinstance(event, Created):
            raise InvalidTransitionError(f"{_describe(event)}: the ticket already exists")
        trigger = trigger_of(event)  # InvalidTypeError for anything but an event
        if event.at < self.last:
            raise InvalidTransitionError(
                f"{_describe(event)} is earlier than the last event at {self.last.isoformat()}"
            )
        following = ROWS[self.status].get(trigger)
        if following is None:
            raise InvalidTransitionError(
                f"{_describe(event)}: a {self.status.value} ticket does not take "
                f"'{trigger.value}' (see the lifecycle table)"
            )
        self.status, self.last = following, event.at
        if trigger is not Trigger.UPDATE:
            return
        if isinstance(event, Assigned):
            self.assignee, self.group = event.agent, event.group
        elif isinstance(event, PriorityChanged):
            self.priority = event.priority
        elif isinstance(event, TagsChanged):
            self.tags = (self.tags | event.added) - event.removed
        elif isinstance(event, FieldChanged):
            if not self.owns_fields:
                self.fields, self.owns_fields = dict(self.fields), True
            assert isinstance(self.fields, dict)
            if event.value is None:
                self.fields.pop(event.name, None)
            else:
                self.fields[event.name] = event.value

    def snapshot(
        self,
    ) -> tuple[Status, Priority, str | None, str | None, frozenset[str], Mapping[str, FieldValue]]:
        fields = MappingProxyType(self.fields) if self.owns_fields else self.fields
        return self.status, self.priority, self.assignee, self.group, self.tags, fields


_NO_FIELDS: Mapping[str, FieldValue] = MappingProxyType({})


def _describe(event: object) -> str:
    at = getattr(event, "at", None)
    if not isinstance(at, datetime):
        return short(event)
    return f"{type(event).__name__} at {at.isoformat()}"
