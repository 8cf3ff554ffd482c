"""The part every importer shares: collect events per ticket as the records come, then
sort each ticket's events by time (stable for ties), synthesise a flagged ``Created``
for a ticket first seen mid-history, drop what the lifecycle table refuses (counted),
and build the tickets and the :class:`ImportReport`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from servicekit._checks import short
from servicekit.errors import InvalidTransitionError, ServicekitError
from servicekit.importers._report import ImportReport, ImportResult
from servicekit.importers._values import Unreadable
from servicekit.tickets import (
    Assigned,
    Channel,
    Created,
    Event,
    Priority,
    StatusChanged,
    Ticket,
)

MAX_SAMPLES = 20
"""How many ignored records a report quotes."""


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()
"""An assignment side (agent or group) that a record leaves as it was."""


class Assign:
    """A change to one or both sides of the assignment; becomes an ``Assigned`` event
    once the ticket's events are in order. Changes with the same ``key`` (one vendor
    update) at one instant become one event."""

    __slots__ = ("agent", "group", "key")

    def __init__(
        self, *, agent: str | _Unset | None = UNSET, group: str | _Unset | None = UNSET, key: object
    ) -> None:
        self.agent = agent
        self.group = group
        self.key = key


Item = Event | Assign
# (at, 0 for Created else 1, arrival, record kind, item)
Draft = tuple[datetime, int, int, str, Item]


class Pending:
    """One ticket's events while the records come in, with hints for a synthesised
    creation."""

    __slots__ = ("channel", "drafts", "priority", "requester")

    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.requester: str | None = None
        self.channel: Channel | str | None = None
        self.priority: Priority | None = None


class Collector:
    """Counts every record and collects events per ticket; :meth:`finish` builds the
    result."""

    def __init__(self, source: str, unrecoverable: tuple[str, ...] = ()) -> None:
        self.source = source
        self.unrecoverable = unrecoverable
        self.read = 0
        self.folded = 0
        self.ignored: dict[str, dict[str, int]] = {}
        self.samples: list[str] = []
        self.tickets: dict[str, Pending] = {}
        self._arrival = 0

    def read_record(self, kind: str, read: Callable[[Any], object], record: object) -> None:
        """Count ``record`` as read and ``read`` it; a record that cannot be read, or
        holds an invalid value, is counted as ignored with the reason."""
        self.read += 1
        try:
            read(record)
        except Unreadable as exc:
            self.ignore(kind, exc.reason, exc.detail)
        except ServicekitError as exc:
            self.ignore(kind, "invalid value", short(str(exc)))

    def ignore(self, kind: str, reason: str, detail: str = "") -> None:
        """Count one record of ``kind`` that makes no event, and why."""
        reasons = self.ignored.setdefault(kind, {})
        reasons[reason] = reasons.get(reason, 0) + 1
        if len(self.samples) < MAX_SAMPLES:
            self.samples.append(f"{kind}: {reason}" + (f" ({detail})" if detail else ""))

    def ticket(self, ticket_id: str) -> Pending:
        """The pending ticket ``ticket_id`` (new on first sight)."""
        pending = self.tickets.get(ticket_id)
        if pending is None:
            pending = self.tickets[ticket_id] = Pending()
        return pending

    def add(self, ticket_id: str, kind: str, item: Item, at: datetime | None = None) -> Draft:
        """An event (or assignment change) of ``ticket_id`` from one record of ``kind``."""
        when = item.at if isinstance(item, Event) else at
        assert when is not None
        self._arrival += 1
        first = 0 if isinstance(item, Created) else 1
        draft = (when, first, self._arrival, kind, item)
        self.ticket(ticket_id).drafts.append(draft)
        return draft

    def fold(self, ticket_id: str, draft: Draft) -> None:
        """Take back ``draft``: its record went into another event after all (a
        ticket's description into its creation)."""
        self.ticket(ticket_id).drafts.remove(draft)
        self.folded += 1

    def finish(self) -> ImportResult:
        """The tickets, in order of first appearance, and the report."""
        tickets: list[Ticket] = []
        made = 0
        skipped: dict[str, str] = {}
        skipped_records = 0
        synthesised: list[str] = []
        for ticket_id, pending in self.tickets.items():
            drafts = pending.drafts
            drafts.sort(key=_order)
            events, flagged, reason = self._events(ticket_id, pending)
            if reason is not None:
                skipped[ticket_id] = reason
                skipped_records += len(drafts)
                continue
            try:
                ticket = Ticket.replay(events)
            except ServicekitError as exc:  # pragma: no cover - the walk above mirrors replay
                skipped[ticket_id] = f"history refused: {exc}"
                skipped_records += len(drafts)
                continue
            tickets.append(ticket)
            made += len(events) - flagged
            if flagged:
                synthesised.append(ticket_id)
            pending.drafts = []
        report = ImportReport(
            source=self.source,
            records_read=self.read,
            events_made=made,
            folded=self.folded,
            ignored=self.ignored,
            skipped=skipped,
            skipped_records=skipped_records,
            synthesised=tuple(synthesised),
            unrecoverable=self.unrecoverable,
            samples=tuple(self.samples),
            tickets=len(tickets),
        )
        return ImportResult(tickets=tuple(tickets), report=report)

    def _events(self, ticket_id: str, pending: Pending) -> tuple[list[Event], int, str | None]:
        """The ticket's valid history, 1 if its ``Created`` was synthesised, and the
        reason when the ticket must be skipped instead."""
        drafts = pending.drafts
        if not drafts:
            return [], 0, "no events"
        start = next((i for i, d in enumerate(drafts) if isinstance(d[4], Created)), None)
        flagged = 0
        if start is None:
            created_or_reason = _synthesised(ticket_id, pending)
            if isinstance(created_or_reason, str):
                return [], 0, created_or_reason
            created, flagged, rest = created_or_reason, 1, drafts
        else:
            created_draft = drafts[start]
            assert isinstance(created_draft[4], Created)
            created = created_draft[4]
            for draft in drafts[:start]:
                self.ignore(draft[3], "earlier than the ticket's creation", f"ticket {ticket_id}")
            rest = drafts[start + 1 :]
        return self._walk(created, rest), flagged, None

    def _walk(self, created: Created, rest: list[Draft]) -> list[Event]:
        """``created`` and the events of ``rest`` the lifecycle table allows, in order
        (applied to the ticket, which refuses the others); assignment changes become
        ``Assigned`` events."""
        ticket = Ticket.replay([created])
        index = 0
        while index < len(rest):
            at, _, _, kind, item = rest[index]
            index += 1
            if isinstance(item, Created):
                self.ignore(kind, "a second creation", f"ticket {created.ticket_id}")
                continue
            if isinstance(item, Assign):
                agent, group = ticket.assignee, ticket.group
                new_agent = agent if isinstance(item.agent, _Unset) else item.agent
                new_group = group if isinstance(item.group, _Unset) else item.group
                while index < len(rest):
                    nxt = rest[index][4]
                    if not (
                        isinstance(nxt, Assign) and nxt.key == item.key and rest[index][0] == at
                    ):
                        break
                    index += 1
                    self.folded += 1
                    new_agent = new_agent if isinstance(nxt.agent, _Unset) else nxt.agent
                    new_group = new_group if isinstance(nxt.group, _Unset) else nxt.group
                if (new_agent, new_group) == (agent, group):
                    self.ignore(kind, "assignment unchanged", f"ticket {created.ticket_id}")
                    continue
                event: Event = Assigned(at=at, agent=new_agent, group=new_group)
            else:
                event = item
            if isinstance(event, StatusChanged) and event.status is ticket.status:
                self.ignore(kind, "status unchanged", f"ticket {created.ticket_id}")
                continue
            try:
                ticket = ticket.apply(event)
            except InvalidTransitionError as exc:  # "<event>: a solved ticket does not take ..."
                self.ignore(
                    kind,
                    str(exc).split(": ", 1)[-1].removesuffix(" (see the lifecycle table)"),
                    f"ticket {created.ticket_id} at {at.isoformat()}",
                )
        return list(ticket.history)


def _synthesised(ticket_id: str, pending: Pending) -> Created | str:
    """The ``Created`` of a ticket first seen mid-history, or why there can be none."""
    requester = pending.requester
    if requester is None:
        return "created before the export window, and no record names the requester"
    try:
        return Created(
            at=pending.drafts[0][0],
            ticket_id=ticket_id,
            requester=requester,
            channel=pending.channel or Channel.EMAIL,
            priority=pending.priority or Priority.NORMAL,
        )
    except ServicekitError as exc:
        return f"cannot synthesise its creation: {exc}"


def _order(draft: Draft) -> tuple[datetime, int, int]:
    return draft[0], draft[1], draft[2]
