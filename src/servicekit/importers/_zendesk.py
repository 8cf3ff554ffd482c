"""Zendesk: ticket audits (``GET /api/v2/tickets/{id}/audits``, each with its
``events``) and the incremental ticket events export
(``GET /api/v2/incremental/ticket_events?include=comment_events``, each with its
``child_events``), in one list or mixed."""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any

from servicekit._checks import short
from servicekit.errors import ServicekitError
from servicekit.importers._build import Assign, Collector, Draft
from servicekit.importers._maps import DEFAULT_MAPS, VendorMap
from servicekit.importers._report import ImportResult
from servicekit.importers._values import (
    Unreadable,
    agent_ids,
    flag,
    instant,
    names,
    optional_id,
    records,
    text_id,
)
from servicekit.tickets import (
    Author,
    Created,
    PriorityChanged,
    Replied,
    SatisfactionRated,
    Status,
    StatusChanged,
    TagsChanged,
)

SYSTEM_USER = "-1"
"""Zendesk's author id for changes made by the system (triggers, automations)."""

_UNRECOVERABLE_WITHOUT_AGENTS = (
    "who is an agent: without agents= or users=, every author other than the "
    "requester is taken for an agent",
)
_UNRECOVERABLE = (
    "custom fields, subject and description (servicekit keeps no text)",
    "a ticket's state before the export window, beyond its first recorded event",
)
# Keys of an incremental child event that are not the changed field.
_CHILD_META = frozenset(
    {
        "id",
        "via",
        "via_reference_id",
        "event_type",
        "type",
        "previous_value",
        "added_tags",
        "removed_tags",
        "comment_present",
        "comment_public",
        "created_at",
        "audit_id",
        "system",
    }
)
_KEPT_FIELDS = frozenset({"status", "priority", "assignee_id", "group_id", "tags", "requester_id"})


def from_zendesk(
    records_: Iterable[Mapping[str, Any]],
    *,
    agents: Collection[str | int] | None = None,
    users: Iterable[Mapping[str, Any]] | None = None,
    map: VendorMap | None = None,
    tz: tzinfo | None = None,
) -> ImportResult:
    """Tickets from Zendesk ticket audits and/or incremental ticket events.

    Each record is an audit (``{"ticket_id", "created_at", "author_id", "via",
    "events": [...]}``) or an incremental ticket event (``{"ticket_id",
    "created_at"`` or ``"timestamp", "updater_id", "via", "child_events": [...]}``),
    exactly as the API returns them; pages may be concatenated and need not be in
    order. Every audit event / child event is one record of the report.

    ``Create`` events make the ``Created`` event (the rest of them, and the requester's
    comment of the same audit, the ticket's description, fold into it);
    ``Change`` of ``status``, ``priority``, ``assignee_id``, ``group_id``, ``tags``
    make status, priority, assignment and tag events; ``Comment`` makes a reply (public
    or an internal note); ``SatisfactionRating`` good/bad a rating on the scale
    ``(0, 1)``. Everything else is ignored and counted by type.

    Args:
        records_: the audits / ticket events.
        agents: ids of agents; ``users`` (the users side-load, each with ``id`` and
            ``role``) gives them too. Without either, every author other than the
            ticket's requester counts as an agent (the report says so).
        map: status/priority/channel table (default ``DEFAULT_MAPS["zendesk"]``).
        tz: zone for timestamps without an offset (Zendesk writes UTC with ``Z``, so
            normally not needed).

    Returns:
        The tickets and the :class:`ImportReport`.

    Raises:
        InvalidInputError: ``records_`` is not a list of records, or ``agents`` /
            ``users`` is malformed. A malformed record is never an error: it is
            ignored and counted.

    >>> audit = {"ticket_id": 47, "created_at": "2009-07-20T22:55:29Z", "author_id": 9,
    ...          "via": {"channel": "web"}, "events": [
    ...     {"type": "Create", "field_name": "status", "value": "new"},
    ...     {"type": "Create", "field_name": "requester_id", "value": 9},
    ...     {"type": "Comment", "public": True, "author_id": 9, "body": "Help"}]}
    >>> tickets, report = from_zendesk([audit], agents=[])
    >>> tickets[0]
    Ticket(id='47', status='new', priority='normal', assignee=None, group=None, events=1)
    >>> report.records_read, report.events_made, report.folded
    (3, 1, 2)
    """
    items = records(records_, "records")
    agent_set = agent_ids(agents, users)
    vendor = map if map is not None else DEFAULT_MAPS["zendesk"]
    unrecoverable = _UNRECOVERABLE + (_UNRECOVERABLE_WITHOUT_AGENTS if agent_set is None else ())
    reader = _Reader(Collector("zendesk", unrecoverable), vendor, agent_set, tz)
    if agent_set is None:
        reader.find_requesters(items)
    for record in items:
        reader.record(record)
    return reader.out.finish()


class _Reader:
    def __init__(
        self, out: Collector, vendor: VendorMap, agents: frozenset[str] | None, tz: tzinfo | None
    ) -> None:
        self.out = out
        self.vendor = vendor
        self.agents = agents
        self.tz = tz
        self.requesters: dict[str, str] = {}

    def find_requesters(self, items: list[Any]) -> None:
        """Requester per ticket, before any comment is read (needed to tell agents from
        requesters without an agent list)."""
        for record in items:
            if not isinstance(record, Mapping):
                continue
            events = record.get("events", record.get("child_events"))
            if not isinstance(events, list):
                continue
            try:
                ticket_id = text_id(record.get("ticket_id"), "ticket_id")
            except Unreadable:
                continue
            for event in events:
                if not isinstance(event, Mapping):
                    continue
                value = event.get("requester_id")
                if event.get("field_name") == "requester_id":
                    value = event.get("value")
                if value is not None and ticket_id not in self.requesters:
                    with contextlib.suppress(Unreadable):
                        self.requesters[ticket_id] = text_id(value, "requester_id")

    def record(self, record: object) -> None:
        out = self.out
        if type(record) is not dict and not isinstance(record, Mapping):
            out.read += 1
            out.ignore("audit", "not an object", short(record))
            return
        incremental = "child_events" in record
        events = record.get("child_events" if incremental else "events")
        if not isinstance(events, list) or not events:
            out.read += 1
            out.ignore("audit", "no events", short(record))
            return
        try:
            ticket_id = text_id(record.get("ticket_id"), "ticket_id")
            at = self._when(record, incremental)
            author = optional_id(record.get("updater_id" if incremental else "author_id"), "author")
            channel = self._channel(record.get("via"))
        except Unreadable as exc:
            out.read += len(events)
            for _ in events:
                out.ignore("audit event", f"its audit has {exc.reason}", exc.detail)
            return
        update = _Update(
            self, ticket_id=ticket_id, at=at, author=author, channel=channel, key=id(record)
        )
        for event in events:
            out.read += 1
            update.event(_audit_shape(event) if incremental else event)
        update.finish()

    def _when(self, record: Mapping[str, Any], incremental: bool) -> datetime:
        if incremental and "created_at" not in record:
            return instant(record.get("timestamp"), self.tz)
        return instant(record.get("created_at"), self.tz)

    def _channel(self, via: object) -> str:
        if isinstance(via, Mapping):
            via = via.get("channel")
        if isinstance(via, str) and via.strip():
            return self.vendor.channel(via)
        return "web"

    def author_kind(self, ticket_id: str, author: str | None, public: bool) -> Author:
        if author == SYSTEM_USER:
            return Author.SYSTEM
        if not public:
            return Author.AGENT  # customers cannot write internal notes
        if self.agents is not None:
            return Author.AGENT if author in self.agents else Author.CUSTOMER
        requester = self.requesters.get(ticket_id)
        return Author.CUSTOMER if author is None or author == requester else Author.AGENT


def _audit_shape(child: object) -> object:
    """An incremental child event in the shape of an audit event."""
    if type(child) is not dict and not isinstance(child, Mapping):
        return child
    kind = child.get("event_type", child.get("type"))
    if kind not in ("Create", "Change"):
        shaped = {**child, "type": kind}
        if kind == "Comment" and "public" not in child and "comment_public" in child:
            shaped["public"] = child["comment_public"]
        return shaped
    fields = [key for key in child if key not in _CHILD_META]
    if len(fields) != 1:
        return {"type": kind, "field_name": None, "value": short(dict(child))}
    field = fields[0]
    shaped = {"type": kind, "field_name": field, "value": child[field]}
    if field == "tags" and ("added_tags" in child or "removed_tags" in child):
        shaped["added"] = child.get("added_tags")
        shaped["removed"] = child.get("removed_tags")
    if "previous_value" in child:
        shaped["previous_value"] = child["previous_value"]
    return shaped


class _Update:
    """One audit (one update of a ticket): its events share an instant and author."""

    def __init__(
        self,
        reader: _Reader,
        *,
        ticket_id: str,
        at: datetime,
        author: str | None,
        channel: str,
        key: object,
    ) -> None:
        self.reader = reader
        self.out = reader.out
        self.ticket_id = ticket_id
        self.at = at
        self.author = author
        self.channel = channel
        self.key = key
        self.create: dict[str, Any] = {}
        self.create_records = 0
        self.description: Draft | None = None  # the requester's first comment here
        self.after_create: list[tuple[str, Any]] = []

    def event(self, event: object) -> None:
        out = self.out
        if type(event) is not dict and not isinstance(event, Mapping):
            out.ignore("audit event", "not an object", short(event))
            return
        kind = event.get("type")
        kind = kind if isinstance(kind, str) and kind and len(kind) <= 40 else "audit event"
        try:
            if kind == "Create":
                self._create(event)
            elif kind == "Change":
                self._change(event)
            elif kind == "Comment":
                self._comment(event)
            elif kind == "SatisfactionRating":
                self._rating(event)
            else:
                out.ignore(kind, "not a ticket fact servicekit keeps")
        except Unreadable as exc:
            out.ignore(kind, exc.reason, exc.detail)
        except ServicekitError as exc:
            out.ignore(kind, "invalid value", short(str(exc)))

    def _create(self, event: Mapping[str, Any]) -> None:
        field = event.get("field_name")
        if field not in _KEPT_FIELDS:
            self.out.ignore("Create", "field servicekit does not keep", short(field))
            return
        self.create[field] = event.get("value")
        self.create_records += 1

    def _change(self, event: Mapping[str, Any]) -> None:
        field = event.get("field_name")
        value = event.get("value")
        out, at, ticket_id = self.out, self.at, self.ticket_id
        if field == "status":
            status = self._status(value)
            by = self.reader.author_kind(ticket_id, self.author, public=True)
            by = Author.AGENT if by is Author.CUSTOMER else by
            out.add(ticket_id, "Change", StatusChanged(at=at, status=status, by=by))
        elif field == "priority":
            out.add(ticket_id, "Change", PriorityChanged(at=at, priority=self._priority(value)))
        elif field == "assignee_id":
            agent = optional_id(value, "assignee_id")
            out.add(ticket_id, "Change", Assign(agent=agent, key=self.key), at)
        elif field == "group_id":
            group = optional_id(value, "group_id")
            out.add(ticket_id, "Change", Assign(group=group, key=self.key), at)
        elif field == "tags":
            if "added" in event:
                added = names(event.get("added"), "added_tags")
                removed = names(event.get("removed"), "removed_tags") - added
            else:
                now = names(value, "tags")
                before = names(event.get("previous_value"), "previous tags")
                added, removed = now - before, before - now
            if not added and not removed:
                out.ignore("Change", "tags unchanged")
                return
            out.add(ticket_id, "Change", TagsChanged(at=at, added=added, removed=removed))
        elif field == "requester_id":
            requester = text_id(value, "requester_id")
            pending = out.ticket(ticket_id)
            pending.requester = pending.requester or requester
            out.ignore("Change", "requester changes are not kept (the first requester stays)")
        else:
            out.ignore("Change", "field servicekit does not keep", short(field))

    def _status(self, value: object) -> Status:
        status = self.reader.vendor.status(value)
        if status is None:
            known = self.reader.vendor.knows_status(value)
            raise Unreadable(
                "status with no servicekit equivalent" if known else "unmapped status", short(value)
            )
        return status

    def _priority(self, value: object) -> Any:
        priority = self.reader.vendor.priority(value)
        if priority is None:
            known = value is None or self.reader.vendor.knows_priority(value)
            raise Unreadable(
                "priority cleared or without equivalent" if known else "unmapped priority",
                short(value),
            )
        return priority

    def _comment(self, event: Mapping[str, Any]) -> None:
        public = flag(event.get("public", True), "public")
        author = optional_id(event.get("author_id", self.author), "author_id")
        by = self.reader.author_kind(self.ticket_id, author, public)
        if by is Author.CUSTOMER:
            pending = self.out.ticket(self.ticket_id)
            pending.requester = pending.requester or author
        reply = Replied(at=self.at, by=by, public=public, author_id=author)
        draft = self.out.add(self.ticket_id, "Comment", reply)
        if by is Author.CUSTOMER and self.description is None:
            self.description = draft

    def _rating(self, event: Mapping[str, Any]) -> None:
        score = event.get("score")
        if score in ("offered", "unoffered"):
            self.out.ignore("SatisfactionRating", "survey offered, not answered")
            return
        if score not in ("good", "bad"):
            raise Unreadable("unknown score", short(score))
        comment = event.get("body")
        rated = SatisfactionRated(
            at=self.at,
            score=1 if score == "good" else 0,
            scale=(0, 1),
            comment=comment if isinstance(comment, str) and comment else None,
        )
        self.out.add(self.ticket_id, "SatisfactionRating", rated)

    def finish(self) -> None:
        """Fold the ``Create`` events into one ``Created`` (plus the status, assignee
        and group it was created with)."""
        if not self.create_records:
            return
        out, fields, ticket_id, at = self.out, self.create, self.ticket_id, self.at
        pending = out.ticket(ticket_id)
        try:
            requester = optional_id(fields.get("requester_id"), "requester_id") or pending.requester
            requester = requester or self.reader.requesters.get(ticket_id) or self.author
            if requester is None:
                raise Unreadable("creation names no requester")
            author = self.author or requester
            agents = self.reader.agents
            by_agent = author != requester and (agents is None or author in agents)
            priority = fields.get("priority")
            created = Created(
                at=at,
                ticket_id=ticket_id,
                requester=requester,
                channel=self.channel,
                priority=self._priority(priority) if priority not in (None, "") else "normal",
                by=Author.AGENT if by_agent else Author.CUSTOMER,
                author_id=author,
                tags=names(fields.get("tags"), "tags"),
            )
        except (Unreadable, ServicekitError) as exc:
            reason = exc.reason if isinstance(exc, Unreadable) else "invalid value"
            for _ in range(self.create_records):
                out.ignore("Create", reason, short(str(exc)))
            return
        pending.requester = pending.requester or requester
        out.add(ticket_id, "Create", created)
        description = self.description
        if description is not None and getattr(description[4], "author_id", None) == requester:
            out.fold(ticket_id, description)  # the ticket's description, not a reply
        extra = 0
        status = fields.get("status")
        if status not in (None, "new"):
            try:
                out.add(ticket_id, "Create", StatusChanged(at=at, status=self._status(status)))
                extra += 1
            except Unreadable as exc:
                out.ignore("Create", exc.reason, exc.detail)
                extra += 1
        if fields.get("assignee_id") is not None or fields.get("group_id") is not None:
            try:
                agent = optional_id(fields.get("assignee_id"), "assignee_id")
                group = optional_id(fields.get("group_id"), "group_id")
                out.add(ticket_id, "Create", Assign(agent=agent, group=group, key=self.key), at)
            except Unreadable as exc:
                out.ignore("Create", exc.reason, exc.detail)
            extra += 1
            both = fields.get("assignee_id") is not None and fields.get("group_id") is not None
            out.folded += int(both)
            extra += int(both)
        out.folded += self.create_records - 1 - extra
