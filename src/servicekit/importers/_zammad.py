"""Zammad: ticket history (``GET /api/v1/ticket_history/{id}``: entries with
``object``, ``type``, ``attribute``, ``value_from``/``value_to``, ``id_from``/``id_to``)
and articles (``GET /api/v1/ticket_articles/by_ticket/{id}``: ``sender``,
``internal``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta, tzinfo
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
from servicekit.tickets import (
    Author,
    Created,
    Priority,
    PriorityChanged,
    Replied,
    Status,
    StatusChanged,
    TagsChanged,
)

NOBODY = "1"
"""Zammad's user id for "-" (no owner): an owner set to it is no agent."""

DESCRIPTION_WINDOW = timedelta(minutes=1)
"""How soon after a customer creates a ticket their first article counts as its
description (Zammad stores the two a few milliseconds apart)."""

_SENDERS = {"agent": Author.AGENT, "customer": Author.CUSTOMER, "system": Author.SYSTEM}
_SENDER_IDS = {1: Author.AGENT, 2: Author.CUSTOMER, 3: Author.SYSTEM}
_UNRECOVERABLE = (
    "satisfaction ratings (Zammad has no built-in survey)",
    "the order of a history change and an article at the same instant (changes first)",
)


def from_zammad(
    history: Iterable[Mapping[str, Any]],
    articles: Iterable[Mapping[str, Any]] = (),
    *,
    tickets: Iterable[Mapping[str, Any]] = (),
    map: VendorMap | None = None,
    tz: tzinfo | None = None,
) -> ImportResult:
    """Tickets from Zammad ticket history entries and articles.

    History entries of object ``Ticket`` (ticket id in ``o_id``): ``created`` makes the
    ``Created`` event; ``updated`` of ``state``, ``priority``, ``owner`` and ``group``
    make status, priority and assignment events (ids from ``id_to``; owner ``1``, "-",
    is nobody); ``added``/``removed`` of ``tag`` make tag events. Entries of object
    ``Ticket::Article`` are ignored (the articles say more). The first article of a
    ticket a customer created, by that customer within a minute, is its description
    and folds into the creation. Each other article (``sender``
    or ``sender_id``: Agent, Customer, System; ``internal``) makes a reply or note by
    ``created_by_id``. ``tickets`` (``id``, ``customer_id``, ``priority``) give the
    requester and first priority when the history does not.

    Raises:
        InvalidInputError: an argument is not a list of records.

    >>> history = [
    ...   {"o_id": 7, "object": "Ticket", "type": "created", "created_by_id": 5,
    ...    "created_at": "2026-03-02T09:00:00.000Z"},
    ...   {"o_id": 7, "object": "Ticket", "type": "updated", "attribute": "state",
    ...    "value_from": "new", "value_to": "closed", "created_by_id": 3,
    ...    "created_at": "2026-03-02T10:00:00.000Z"}]
    >>> articles = [{"ticket_id": 7, "sender": "Agent", "internal": False, "type": "email",
    ...              "created_by_id": 3, "created_at": "2026-03-02T09:30:00.000Z"}]
    >>> (ticket,), report = from_zammad(history, articles, tickets=[{"id": 7, "customer_id": 5}])
    >>> ticket.status.value, ticket.facts.first_public_agent_reply_at.hour
    ('solved', 9)
    """
    entries = records(history, "history")
    notes = records(articles, "articles")
    known = records(tickets, "tickets")
    vendor = map if map is not None else DEFAULT_MAPS["zammad"]
    out = Collector("zammad", _UNRECOVERABLE)
    reader = _Reader(out, vendor, tz)
    reader.tickets(known)
    reader.first_articles(notes)
    for entry in entries:
        out.read_record("history", reader.entry, entry)
    for article in notes:
        out.read_record("article", reader.article, article)
    reader.fold_descriptions()
    return out.finish()


class _Reader:
    def __init__(self, out: Collector, vendor: VendorMap, tz: tzinfo | None) -> None:
        self.out = out
        self.vendor = vendor
        self.tz = tz
        self.requesters: dict[str, str] = {}
        self.priorities: dict[str, Any] = {}
        self.channels: dict[str, str] = {}
        self.articles: dict[str, list[Draft]] = {}

    def tickets(self, known: list[Any]) -> None:
        for ticket in known:
            if not isinstance(ticket, Mapping):
                continue
            try:
                ticket_id = text_id(ticket.get("id"), "id")
                customer = optional_id(ticket.get("customer_id"), "customer_id")
            except Unreadable:
                continue
            if customer is not None:
                self.requesters[ticket_id] = customer
            if isinstance(ticket.get("priority"), str):
                self.priorities[ticket_id] = ticket["priority"]

    def first_articles(self, notes: list[Any]) -> None:
        """Channel (first article's type) and requester (first customer's article)."""
        dated = []
        for article in notes:
            if isinstance(article, Mapping) and isinstance(article.get("created_at"), str):
                dated.append((str(article.get("created_at")), article))
        for _, article in sorted(dated, key=lambda pair: pair[0]):
            try:
                ticket_id = text_id(article.get("ticket_id"), "ticket_id")
            except Unreadable:
                continue
            kind = article.get("type")
            if isinstance(kind, str) and kind.strip() and ticket_id not in self.channels:
                self.channels[ticket_id] = self.vendor.channel(kind)
            if (
                _sender(article, strict=False) is Author.CUSTOMER
                and ticket_id not in self.requesters
            ):
                try:
                    self.requesters[ticket_id] = text_id(article.get("created_by_id"), "author")
                except Unreadable:
                    continue

    def entry(self, record: object) -> None:
        out = self.out
        entry = mapping(record, "history entry")
        what = entry.get("object")
        if what == "Ticket::Article":
            out.ignore("history", "article entries are read from the articles")
            return
        if what != "Ticket":
            out.ignore("history", "not a ticket entry", short(what))
            return
        ticket_id = text_id(entry.get("o_id"), "o_id")
        at = instant(entry.get("created_at"), self.tz, "created_at")
        kind, attribute = entry.get("type"), entry.get("attribute")
        if kind == "created":
            out.add(ticket_id, "created", self._created(ticket_id, entry, at))
        elif kind == "updated" and attribute == "state":
            out.add(ticket_id, "state", StatusChanged(at=at, status=self._status(entry)))
        elif kind == "updated" and attribute == "priority":
            priority = self.vendor.priority(entry.get("value_to"))
            if priority is None:
                raise Unreadable("unmapped priority", short(entry.get("value_to")))
            out.add(ticket_id, "priority", PriorityChanged(at=at, priority=priority))
        elif kind == "updated" and attribute == "owner":
            owner = optional_id(entry.get("id_to"), "id_to")
            agent = None if owner == NOBODY else owner
            out.add(
                ticket_id, "owner", Assign(agent=agent, key=(at, entry.get("created_by_id"))), at
            )
        elif kind == "updated" and attribute == "group":
            group = optional_id(entry.get("id_to", entry.get("value_to")), "id_to")
            out.add(
                ticket_id, "group", Assign(group=group, key=(at, entry.get("created_by_id"))), at
            )
        elif kind in ("added", "removed") and attribute == "tag":
            tag = entry.get("value_to") if kind == "added" else entry.get("value_from")
            tag = tag if tag is not None else entry.get("value_to")
            tags = frozenset([tag]) if isinstance(tag, str) else tag
            event = TagsChanged(at=at, **{kind: tags})
            out.add(ticket_id, "tag", event)
        else:
            out.ignore("history", "change servicekit does not keep", short((kind, attribute)))

    def _created(self, ticket_id: str, entry: Mapping[str, Any], at: Any) -> Created:
        requester = self.requesters.get(ticket_id)
        if requester is None:
            raise Unreadable("no record names the requester (pass tickets=)")
        author = optional_id(entry.get("created_by_id"), "created_by_id") or requester
        priority = self.priorities.get(ticket_id)
        return Created(
            at=at,
            ticket_id=ticket_id,
            requester=requester,
            channel=self.channels.get(ticket_id, "web"),
            priority=(self.vendor.priority(priority) if priority else None) or Priority.NORMAL,
            by=Author.CUSTOMER if author == requester else Author.AGENT,
            author_id=author,
        )

    def _status(self, entry: Mapping[str, Any]) -> Status:
        name = entry.get("value_to")
        status = self.vendor.status(name)
        if status is None:
            known = self.vendor.knows_status(name)
            raise Unreadable(
                "state with no servicekit equivalent" if known else "unmapped state", short(name)
            )
        return status

    def article(self, record: object) -> None:
        article = mapping(record, "article")
        ticket_id = text_id(article.get("ticket_id"), "ticket_id")
        at = instant(article.get("created_at"), self.tz, "created_at")
        by = _sender(article, strict=True)
        internal = flag(article.get("internal", False), "internal")
        author = optional_id(article.get("created_by_id"), "created_by_id")
        if internal and by is Author.CUSTOMER:
            by = Author.AGENT  # servicekit has no internal customer notes
        reply = Replied(at=at, by=by or Author.SYSTEM, public=not internal, author_id=author)
        draft = self.out.add(ticket_id, "article", reply)
        self.articles.setdefault(ticket_id, []).append(draft)

    def fold_descriptions(self) -> None:
        """A ticket a customer created starts with their article (within
        :data:`DESCRIPTION_WINDOW`): its description, folded into the creation."""
        for ticket_id, drafts in self.articles.items():
            created = next(
                (d[4] for d in self.out.ticket(ticket_id).drafts if isinstance(d[4], Created)),
                None,
            )
            if created is None or created.by is not Author.CUSTOMER:
                continue
            first = min(
                (
                    d
                    for d in drafts
                    if isinstance(d[4], Replied)
                    and d[4].by is Author.CUSTOMER
                    and d[4].author_id == created.requester
                    and timedelta(0) <= d[0] - created.at <= DESCRIPTION_WINDOW
                ),
                default=None,
                key=lambda d: (d[0], d[2]),
            )
            if first is not None:
                self.out.fold(ticket_id, first)


def _sender(article: Mapping[str, Any], *, strict: bool) -> Author | None:
    sender = article.get("sender")
    if isinstance(sender, str) and sender.casefold() in _SENDERS:
        return _SENDERS[sender.casefold()]
    sender_id = article.get("sender_id")
    if isinstance(sender_id, int) and sender_id in _SENDER_IDS:
        return _SENDER_IDS[sender_id]
    if strict:
        raise Unreadable("unknown sender", short(sender if sender is not None else sender_id))
    return None
