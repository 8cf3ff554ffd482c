"""Freshdesk: tickets (``GET /api/v2/tickets?include=stats``) and their conversations
(``GET /api/v2/tickets/{id}/conversations``). Freshdesk's API keeps no status history,
so status events come from the ticket's ``stats`` timestamps; what cannot be recovered
is listed in the report."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Mapping
from datetime import tzinfo
from typing import Any

from servicekit._checks import short
from servicekit.errors import ServicekitError
from servicekit.importers._build import Assign, Collector
from servicekit.importers._maps import DEFAULT_MAPS, VendorMap
from servicekit.importers._report import ImportResult
from servicekit.importers._values import (
    Unreadable,
    flag,
    instant,
    mapping,
    names,
    optional_id,
    records,
    text_id,
)
from servicekit.tickets import Author, Created, Priority, Replied, Status, StatusChanged

SURVEY_SOURCE = 6
"""Conversation ``source`` of satisfaction-survey feedback (not a reply)."""

# stats timestamp -> the status it records
_STATS = (
    ("pending_since", Status.PENDING),
    ("resolved_at", Status.SOLVED),
    ("reopened_at", Status.OPEN),
    ("closed_at", Status.CLOSED),
)
_UNRECOVERABLE = (
    "status changes other than the last pending, resolve, reopen and close (Freshdesk "
    "keeps only those instants in stats)",
    "priority and assignment changes: the current priority is taken as the initial one "
    "and the current agent and group as assigned at creation",
    "tag changes: the current tags are taken as the initial ones",
    "satisfaction ratings (a separate surveys API)",
)


def from_freshdesk(
    tickets: Iterable[Mapping[str, Any]],
    conversations: Iterable[Mapping[str, Any]] = (),
    *,
    agents: Collection[str | int] | None = None,
    map: VendorMap | None = None,
    tz: tzinfo | None = None,
) -> ImportResult:
    """Tickets from Freshdesk tickets (with ``include=stats``) and conversations.

    Each ticket makes ``Created`` (requester, ``source`` as the channel, current
    ``priority`` and ``tags``), and one record more for the current assignment
    (``responder_id``/``group_id``) and for each ``stats`` instant (``pending_since``,
    ``resolved_at``, ``reopened_at``, ``closed_at``) that makes a status event. Each
    conversation makes a reply: ``incoming`` ones are the customer's, others an
    agent's, ``private`` ones internal notes; survey feedback (``source`` 6) is
    ignored and counted.

    Args:
        tickets: the tickets, as the API returns them.
        conversations: their conversations (each with ``ticket_id``).
        agents: agent ids; an outgoing conversation by anyone else counts as a bot.
        map: status/priority/channel table (default ``DEFAULT_MAPS["freshdesk"]``).
        tz: zone for timestamps without an offset.

    Raises:
        InvalidInputError: an argument is not a list of records.

    >>> ticket = {"id": 20, "requester_id": 7, "source": 2, "priority": 3, "status": 4,
    ...           "created_at": "2026-03-02T09:00:00Z", "tags": [],
    ...           "stats": {"resolved_at": "2026-03-02T11:00:00Z"}}
    >>> reply = {"ticket_id": 20, "user_id": 3, "incoming": False, "private": False,
    ...          "source": 0, "created_at": "2026-03-02T10:00:00Z"}
    >>> (t,), report = from_freshdesk([ticket], [reply])
    >>> t.status.value, t.priority.value, t.channel, report.records_read
    ('solved', 'high', <Channel.WEB: 'web'>, 3)
    """
    found = records(tickets, "tickets")
    talk = records(conversations, "conversations")
    agent_set = None if agents is None else frozenset(str(a) for a in records(agents, "agents"))
    vendor = map if map is not None else DEFAULT_MAPS["freshdesk"]
    out = Collector("freshdesk", _UNRECOVERABLE)
    for ticket in found:
        _ticket(out, vendor, tz, ticket)
    for conversation in talk:
        out.read_record(
            "conversation", functools.partial(_conversation, out, tz, agent_set), conversation
        )
    return out.finish()


def _ticket(out: Collector, vendor: VendorMap, tz: tzinfo | None, record: object) -> None:
    out.read += 1
    try:
        ticket = mapping(record, "ticket")
        ticket_id = text_id(ticket.get("id"), "id")
        at = instant(ticket.get("created_at"), tz, "created_at")
        requester = text_id(ticket.get("requester_id"), "requester_id")
        priority = ticket.get("priority")
        created = Created(
            at=at,
            ticket_id=ticket_id,
            requester=requester,
            channel=vendor.channel(ticket.get("source", "")),
            priority=vendor.priority(priority) or Priority.NORMAL,
            tags=names(ticket.get("tags"), "tags"),
        )
        stats = mapping(ticket.get("stats") or {}, "stats")
    except Unreadable as exc:
        out.ignore("ticket", exc.reason, exc.detail)
        return
    except ServicekitError as exc:
        out.ignore("ticket", "invalid value", short(str(exc)))
        return
    out.add(ticket_id, "ticket", created)
    out.ticket(ticket_id).requester = requester
    if ticket.get("responder_id") is not None or ticket.get("group_id") is not None:
        out.read += 1
        try:
            agent = optional_id(ticket.get("responder_id"), "responder_id")
            group = optional_id(ticket.get("group_id"), "group_id")
            out.add(ticket_id, "assignment", Assign(agent=agent, group=group, key=None), at)
        except Unreadable as exc:
            out.ignore("assignment", exc.reason, exc.detail)
    for key, status in _STATS:
        value = stats.get(key)
        if value is None:
            continue
        out.read += 1
        try:
            when = instant(value, tz, key)
            out.add(ticket_id, f"stats.{key}", StatusChanged(at=when, status=status))
        except Unreadable as exc:
            out.ignore(f"stats.{key}", exc.reason, exc.detail)


def _conversation(
    out: Collector, tz: tzinfo | None, agents: frozenset[str] | None, record: object
) -> None:
    conversation = mapping(record, "conversation")
    if conversation.get("source") == SURVEY_SOURCE:
        out.ignore("conversation", "survey feedback, not a reply")
        return
    ticket_id = text_id(conversation.get("ticket_id"), "ticket_id")
    at = instant(conversation.get("created_at"), tz, "created_at")
    author = optional_id(conversation.get("user_id"), "user_id")
    incoming = flag(conversation.get("incoming", False), "incoming")
    private = flag(conversation.get("private", False), "private")
    if private:
        by = Author.AGENT
    elif incoming:
        by = Author.CUSTOMER
    elif agents is None or author in agents:
        by = Author.AGENT
    else:
        by = Author.BOT
    out.add(ticket_id, "conversation", Replied(at=at, by=by, public=not private, author_id=author))
