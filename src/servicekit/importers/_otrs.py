"""OTRS / ((OTRS)) Community Edition / Znuny: ticket history as ``TicketHistoryGet``
returns it (``HistoryType``, ``Name`` with ``%%``-separated values, ``CreateTime``,
``CreateBy``, ``TicketID`` and the ticket's ``OwnerID``/``QueueID``/... after the
change)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import tzinfo
from typing import Any

from servicekit._checks import short
from servicekit.errors import ServicekitError
from servicekit.importers._build import Assign, Collector, Draft
from servicekit.importers._events import UNKNOWN_REQUESTER
from servicekit.importers._maps import DEFAULT_MAPS, VendorMap
from servicekit.importers._report import ImportResult
from servicekit.importers._values import (
    Unreadable,
    instant,
    mapping,
    optional_id,
    records,
    text_id,
)
from servicekit.tickets import (
    Author,
    Created,
    Priority,
    PriorityChanged,
    Replied,
    StatusChanged,
)

UNASSIGNED_OWNER = "1"
"""OTRS's default owner (the admin account new tickets get): owning means no agent."""

# History types that are messages: (author kind, public).
_MESSAGES = {
    "SendAnswer": (Author.AGENT, True),
    "EmailAgent": (Author.AGENT, True),
    "PhoneCallAgent": (Author.AGENT, True),
    "AddNote": (Author.AGENT, False),
    "FollowUp": (Author.CUSTOMER, True),
    "EmailCustomer": (Author.CUSTOMER, True),
    "PhoneCallCustomer": (Author.CUSTOMER, True),
    "WebRequestCustomer": (Author.CUSTOMER, True),
    "SendAutoReply": (Author.SYSTEM, True),
}
_CHANNELS = {"EmailCustomer": "email", "PhoneCallCustomer": "phone", "WebRequestCustomer": "web"}
_UNRECOVERABLE = (
    "tags and satisfaction ratings (OTRS has neither)",
    "who wrote a customer message: it is credited to the ticket's customer",
    "the state a ticket was created in: every ticket starts new and moves on with its "
    "first StateUpdate",
)


def from_otrs(
    history: Iterable[Mapping[str, Any]],
    *,
    tickets: Iterable[Mapping[str, Any]] = (),
    map: VendorMap | None = None,
    tz: tzinfo | None = None,
) -> ImportResult:
    """Tickets from OTRS / Znuny ticket history entries.

    ``NewTicket`` makes ``Created`` (priority from its ``Name``, ``%%number%%queue%%
    priority%%state%%id``); ``StateUpdate`` (``%%old%%new%%``), ``PriorityUpdate``
    (``%%old%%id%%new%%id``), ``OwnerUpdate`` (the ``OwnerID`` after it; the default
    owner ``1`` is nobody) and ``Move`` (the ``QueueID`` after it, as the group) make
    status, priority and assignment events. ``SendAnswer``, ``EmailAgent`` and
    ``PhoneCallAgent`` are public agent replies, ``AddNote`` an internal note,
    ``FollowUp`` and ``EmailCustomer``/``PhoneCallCustomer``/``WebRequestCustomer``
    public customer replies (the first at creation is the ticket's description, folded
    into ``Created``; its type gives the channel), ``SendAutoReply`` a system reply.
    Everything else is ignored and counted by type.

    ``CreateTime`` has no offset (OTRS writes the server's local time): pass ``tz``.
    ``tickets`` (``TicketGet`` results: ``TicketID``, ``CustomerUserID``) name each
    ticket's customer; without them the customer is ``"unknown"``.

    Raises:
        InvalidInputError: an argument is not a list of records.

    >>> from zoneinfo import ZoneInfo
    >>> history = [
    ...   {"TicketID": "730", "HistoryType": "NewTicket", "CreateBy": "1",
    ...    "CreateTime": "2014-11-21 00:17:41", "Name": "%%2014112130%%Raw%%3 normal%%new%%730"},
    ...   {"TicketID": "730", "HistoryType": "SendAnswer", "CreateBy": "3",
    ...    "CreateTime": "2014-11-21 00:20:00", "Name": "%%customer@example.com"},
    ...   {"TicketID": "730", "HistoryType": "StateUpdate", "CreateBy": "3",
    ...    "CreateTime": "2014-11-21 00:21:08", "Name": "%%open%%closed successful%%"}]
    >>> (ticket,), report = from_otrs(history, tz=ZoneInfo("Europe/Berlin"),
    ...                               tickets=[{"TicketID": "730", "CustomerUserID": "c-1"}])
    >>> ticket.status.value, ticket.requester, report.balanced
    ('solved', 'c-1', True)
    """
    entries = records(history, "history")
    known = records(tickets, "tickets")
    vendor = map if map is not None else DEFAULT_MAPS["otrs"]
    out = Collector("otrs", _UNRECOVERABLE)
    reader = _Reader(out, vendor, tz, _customers(known))
    for entry in entries:
        out.read += 1
        try:
            reader.entry(entry)
        except Unreadable as exc:
            kind = entry.get("HistoryType") if isinstance(entry, Mapping) else None
            out.ignore(
                kind if isinstance(kind, str) and len(kind) < 40 else "history",
                exc.reason,
                exc.detail,
            )
        except ServicekitError as exc:
            out.ignore("history", "invalid value", short(str(exc)))
    reader.fold_descriptions()
    for ticket_id, pending in out.tickets.items():
        pending.requester = reader.customers.get(ticket_id, UNKNOWN_REQUESTER)
    return out.finish()


def _customers(known: list[Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for ticket in known:
        if not isinstance(ticket, Mapping):
            continue
        try:
            ticket_id = text_id(ticket.get("TicketID"), "TicketID")
            customer = optional_id(ticket.get("CustomerUserID"), "CustomerUserID")
        except Unreadable:
            continue
        if customer is not None:
            found[ticket_id] = customer
    return found


def _parts(entry: Mapping[str, Any]) -> list[str]:
    name = entry.get("Name")
    if not isinstance(name, str) or not name.startswith("%%"):
        raise Unreadable("Name is not a %%-list", short(name))
    return name[2:].split("%%")


class _Reader:
    def __init__(
        self, out: Collector, vendor: VendorMap, tz: tzinfo | None, customers: dict[str, str]
    ) -> None:
        self.out = out
        self.vendor = vendor
        self.tz = tz
        self.customers = customers
        self.created: dict[str, Created] = {}
        self.first_customer: dict[str, Draft] = {}

    def entry(self, record: object) -> None:
        out = self.out
        entry = mapping(record, "history entry")
        kind = entry.get("HistoryType")
        if not isinstance(kind, str) or len(kind) > 40:
            raise Unreadable("HistoryType is not a name", short(kind))
        ticket_id = text_id(entry.get("TicketID"), "TicketID")
        at = instant(entry.get("CreateTime"), self.tz, "CreateTime")
        by_id = optional_id(entry.get("CreateBy"), "CreateBy")
        if kind == "NewTicket":
            parts = _parts(entry)
            priority = self.vendor.priority(parts[2]) if len(parts) > 2 else None
            customer = self.customers.get(ticket_id, UNKNOWN_REQUESTER)
            created = Created(
                at=at,
                ticket_id=ticket_id,
                requester=customer,
                priority=priority or Priority.NORMAL,
            )
            self.created[ticket_id] = created
            out.add(ticket_id, "NewTicket", created)
        elif kind == "StateUpdate":
            parts = _parts(entry)
            name = parts[1] if len(parts) > 1 else None
            status = self.vendor.status(name)
            if status is None:
                known = self.vendor.knows_status(name)
                raise Unreadable(
                    "state with no servicekit equivalent" if known else "unmapped state",
                    short(name),
                )
            out.add(ticket_id, "StateUpdate", StatusChanged(at=at, status=status))
        elif kind == "PriorityUpdate":
            parts = _parts(entry)
            name = parts[2] if len(parts) > 2 else None
            priority = self.vendor.priority(name)
            if priority is None:
                raise Unreadable("unmapped priority", short(name))
            out.add(ticket_id, "PriorityUpdate", PriorityChanged(at=at, priority=priority))
        elif kind == "OwnerUpdate":
            owner = optional_id(entry.get("OwnerID"), "OwnerID")
            agent = None if owner in (None, UNASSIGNED_OWNER) else owner
            out.add(ticket_id, "OwnerUpdate", Assign(agent=agent, key=None), at)
        elif kind == "Move":
            queue = optional_id(entry.get("QueueID"), "QueueID")
            out.add(ticket_id, "Move", Assign(group=queue, key=None), at)
        elif kind in _MESSAGES:
            self._message(ticket_id, kind, at, by_id)
        else:
            out.ignore(
                kind if isinstance(kind, str) and len(kind) < 40 else "history",
                "not a ticket fact servicekit keeps",
            )

    def _message(self, ticket_id: str, kind: str, at: Any, by_id: str | None) -> None:
        by, public = _MESSAGES[kind]
        author = (
            self.customers.get(ticket_id, UNKNOWN_REQUESTER) if by is Author.CUSTOMER else by_id
        )
        draft = self.out.add(
            ticket_id, kind, Replied(at=at, by=by, public=public, author_id=author)
        )
        if by is Author.CUSTOMER:
            earlier = self.first_customer.get(ticket_id)
            if earlier is None or (draft[0], draft[2]) < (earlier[0], earlier[2]):
                self.first_customer[ticket_id] = draft

    def fold_descriptions(self) -> None:
        """The customer message at the creation instant is the ticket's description:
        folded into ``Created``, whose channel it gives."""
        for ticket_id, draft in self.first_customer.items():
            created = self.created.get(ticket_id)
            if created is None or draft[0] != created.at:
                continue
            channel = _CHANNELS.get(draft[3])
            if channel is not None and channel != created.channel:
                pending = self.out.ticket(ticket_id)
                index = next(i for i, d in enumerate(pending.drafts) if d[4] is created)
                changed = Created(
                    at=created.at,
                    ticket_id=ticket_id,
                    requester=created.requester,
                    priority=created.priority,
                    channel=channel,
                )
                old = pending.drafts[index]
                pending.drafts[index] = (old[0], old[1], old[2], old[3], changed)
            self.out.fold(ticket_id, draft)
