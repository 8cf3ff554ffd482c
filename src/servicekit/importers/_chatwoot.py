"""Chatwoot: conversations (``GET /api/v1/accounts/{id}/conversations``) and their
messages (``GET .../conversations/{id}/messages``). Status, assignment and priority
changes are read from the activity messages Chatwoot writes (English locale)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import tzinfo
from typing import Any

from servicekit._checks import short
from servicekit.importers._build import Assign, Collector, Draft
from servicekit.importers._maps import DEFAULT_MAPS, VendorMap
from servicekit.importers._report import ImportResult
from servicekit.importers._values import (
    Unreadable,
    flag,
    instant,
    mapping,
    optional_id,
    records,
    text_id,
)
from servicekit.tickets import Author, Created, Priority, PriorityChanged, Replied, StatusChanged

INCOMING, OUTGOING, ACTIVITY, TEMPLATE = 0, 1, 2, 3
"""Chatwoot's ``message_type`` values."""

# Activity texts of config/locales/en.yml (conversations.activity) in Chatwoot.
_STATUS_TEXTS = (
    (re.compile(r"^Conversation was (?:marked )?resolved by "), "resolved"),
    (re.compile(r"^Conversation was (?:reopened|marked open) "), "open"),
    (re.compile(r"^System reopened the conversation"), "open"),
    (re.compile(r"^Conversation was marked as pending by "), "pending"),
    (re.compile(r"^Conversation was snoozed by "), "snoozed"),
)
_ASSIGNED = re.compile(r"^Assigned to (?P<agent>.+?) by (?P<by>.+)$")
_SELF_ASSIGNED = re.compile(r"^(?P<agent>.+?) self-assigned this conversation$")
_UNASSIGNED = re.compile(r"^Conversation unassigned by ")
_PRIORITY = re.compile(r"^.+? (?:set the priority to|changed the priority from .+? to) (?P<p>\S+)$")
_MAX_TEXT = 500
_UNRECOVERABLE = (
    "team assignment: 'Assigned to X by Y' names an agent or a team alike, and is read as "
    "an agent (by name, as the activity message gives it)",
    "activity messages in a locale other than English (counted as unparsed)",
    "label changes and satisfaction ratings",
)


def from_chatwoot(
    conversations: Iterable[Mapping[str, Any]],
    messages: Iterable[Mapping[str, Any]] = (),
    *,
    map: VendorMap | None = None,
    tz: tzinfo | None = None,
) -> ImportResult:
    """Tickets from Chatwoot conversations and messages.

    Each conversation makes ``Created`` (contact ``meta.sender.id`` as requester,
    ``meta.channel`` as channel, ``created_at`` epoch seconds). Messages (each with
    ``conversation_id``): ``incoming`` (type 0) are the contact's public replies,
    ``outgoing`` (1) an agent's (a bot's when ``sender_type`` is ``AgentBot``),
    ``template`` (3) a bot's; ``private`` ones are internal notes. Activity messages (2)
    make status changes (resolved, reopened, pending, snoozed), assignments and priority
    changes by their English text; others are ignored and counted as unparsed.

    Raises:
        InvalidInputError: an argument is not a list of records.

    >>> conversation = {"id": 5, "created_at": 1772442000, "status": "resolved",
    ...                 "meta": {"sender": {"id": 77}, "channel": "Channel::WebWidget"}}
    >>> messages = [
    ...   {"conversation_id": 5, "message_type": 1, "private": False, "sender_type": "User",
    ...    "sender_id": 3, "created_at": 1772442600},
    ...   {"conversation_id": 5, "message_type": 2, "content":
    ...    "Conversation was marked resolved by Ana", "created_at": 1772443200}]
    >>> (ticket,), report = from_chatwoot([conversation], messages)
    >>> ticket.status.value, ticket.channel, report.balanced
    ('solved', <Channel.CHAT: 'chat'>, True)
    """
    found = records(conversations, "conversations")
    talk = records(messages, "messages")
    vendor = map if map is not None else DEFAULT_MAPS["chatwoot"]
    out = Collector("chatwoot", _UNRECOVERABLE)
    reader = _Reader(out, vendor, tz)
    for conversation in found:
        out.read_record("conversation", reader.conversation, conversation)
    for message in talk:
        out.read_record("message", reader.message, message)
    reader.fold_descriptions()
    return out.finish()


class _Reader:
    def __init__(self, out: Collector, vendor: VendorMap, tz: tzinfo | None) -> None:
        self.out = out
        self.vendor = vendor
        self.tz = tz
        self.created: dict[str, Created] = {}
        self.first_incoming: dict[str, Draft] = {}

    def conversation(self, record: object) -> None:
        conversation = mapping(record, "conversation")
        ticket_id = text_id(conversation.get("id"), "id")
        at = instant(conversation.get("created_at"), self.tz, "created_at")
        meta = mapping(conversation.get("meta") or {}, "meta")
        sender = mapping(meta.get("sender") or {}, "meta.sender")
        requester = text_id(sender.get("id", conversation.get("contact_id")), "contact id")
        channel = meta.get("channel")
        priority = conversation.get("priority")
        created = Created(
            at=at,
            ticket_id=ticket_id,
            requester=requester,
            channel=self.vendor.channel(channel) if isinstance(channel, str) else "chat",
            priority=(self.vendor.priority(priority) if priority else None) or Priority.NORMAL,
        )
        self.created[ticket_id] = created
        self.out.add(ticket_id, "conversation", created)
        self.out.ticket(ticket_id).requester = requester

    def message(self, record: object) -> None:
        message = mapping(record, "message")
        ticket_id = text_id(message.get("conversation_id"), "conversation_id")
        at = instant(message.get("created_at"), self.tz, "created_at")
        kind = message.get("message_type")
        if kind == ACTIVITY:
            self._activity(ticket_id, at, message.get("content"))
            return
        private = flag(message.get("private", False), "private")
        author = optional_id(message.get("sender_id"), "sender_id")
        sender_type = message.get("sender_type")
        if kind == INCOMING and not private:
            by = Author.CUSTOMER
        elif kind in (INCOMING, OUTGOING):
            by = Author.BOT if sender_type in ("AgentBot", "Captain::Assistant") else Author.AGENT
        elif kind == TEMPLATE:
            by = Author.BOT
        else:
            raise Unreadable("unknown message_type", short(kind))
        reply = Replied(at=at, by=by, public=not private, author_id=author)
        draft = self.out.add(ticket_id, "message", reply)
        earlier = self.first_incoming.get(ticket_id)
        if by is Author.CUSTOMER and (earlier is None or draft[0] < earlier[0]):
            self.first_incoming[ticket_id] = draft

    def _activity(self, ticket_id: str, at: Any, content: object) -> None:
        if not isinstance(content, str) or len(content) > _MAX_TEXT:
            raise Unreadable("activity without text", short(content))
        for pattern, name in _STATUS_TEXTS:
            if pattern.search(content):
                status = self.vendor.status(name)
                if status is None:
                    raise Unreadable("status with no servicekit equivalent", name)
                self.out.add(ticket_id, "activity", StatusChanged(at=at, status=status))
                return
        if _UNASSIGNED.search(content):
            self.out.add(ticket_id, "activity", Assign(agent=None, key=None), at)
            return
        match = _SELF_ASSIGNED.search(content) or _ASSIGNED.search(content)
        if match:
            agent = text_id(match.group("agent").strip(), "assignee")
            self.out.add(ticket_id, "activity", Assign(agent=agent, key=None), at)
            return
        match = _PRIORITY.search(content)
        if match:
            priority = self.vendor.priority(match.group("p"))
            if priority is None:
                raise Unreadable("unmapped priority", short(match.group("p")))
            self.out.add(ticket_id, "activity", PriorityChanged(at=at, priority=priority))
            return
        self.out.ignore("activity", "activity servicekit does not read")

    def fold_descriptions(self) -> None:
        """The contact's message at the conversation's start is what opened it."""
        for ticket_id, draft in self.first_incoming.items():
            created = self.created.get(ticket_id)
            if created is not None and draft[0] == created.at:
                self.out.fold(ticket_id, draft)
