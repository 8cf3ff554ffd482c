"""Zammad ticket history and articles."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import ServicekitError
from servicekit.importers import from_zammad
from servicekit.tickets import (
    Assigned,
    Author,
    Created,
    Event,
    Priority,
    PriorityChanged,
    Replied,
    Status,
    StatusChanged,
    TagsChanged,
)
from tests.importers.histories import histories
from tests.importers.test_zendesk import _mutate

# The ticket "Welcome to Zammad!" of https://docs.zammad.org/en/latest/api/ticket/index.html
# (List, response; trimmed), with the history entry its creation leaves, in the shape
# History.list returns (https://github.com/zammad/zammad, app/models/history.rb: object,
# type, attribute, o_id, value_from/value_to, id_from/id_to, created_by_id, created_at),
# and its first article as https://docs.zammad.org/en/latest/api/ticket/articles.html
# describes it (sender, type, internal).
DOC_TICKET: dict[str, Any] = {
    "id": 1, "group_id": 1, "priority_id": 2, "state_id": 1, "number": "22001",
    "title": "Welcome to Zammad!", "owner_id": 1, "customer_id": 2,
    "create_article_type_id": 5, "create_article_sender_id": 2, "article_count": 1,
    "created_by_id": 2, "created_at": "2021-11-03T11:51:13.759Z",
}  # fmt: skip
DOC_HISTORY: list[dict[str, Any]] = [
    {"id": 1, "o_id": 1, "object": "Ticket", "type": "created", "created_by_id": 2,
     "created_at": "2021-11-03T11:51:13.759Z"},
    {"id": 2, "o_id": 1, "related_o_id": 1, "object": "Ticket::Article", "type": "created",
     "related_object": "Ticket", "created_by_id": 2, "created_at": "2021-11-03T11:51:13.790Z"},
    {"id": 3, "o_id": 1, "object": "Ticket", "type": "updated", "attribute": "state",
     "value_from": "new", "value_to": "open", "id_from": 1, "id_to": 2, "created_by_id": 3,
     "created_at": "2021-11-03T12:00:00.000Z"},
]  # fmt: skip
DOC_ARTICLE: dict[str, Any] = {
    "id": 1, "ticket_id": 1, "type": "web", "sender": "Customer", "internal": False,
    "subject": "Welcome to Zammad!", "content_type": "text/html", "created_by_id": 2,
    "created_at": "2021-11-03T11:51:13.790Z",
}  # fmt: skip


def test_documented_ticket() -> None:
    (ticket,), report = from_zammad(DOC_HISTORY, [DOC_ARTICLE], tickets=[DOC_TICKET])
    assert (ticket.id, ticket.requester, ticket.channel, ticket.status) == (
        "1", "2", "web", Status.OPEN,
    )  # fmt: skip
    assert [type(e) for e in ticket.history] == [Created, StatusChanged]  # the article describes
    assert report.ignored == {"history": {"article entries are read from the articles": 1}}
    assert (report.folded, report.balanced) == (1, True)


def test_without_the_ticket_the_customer_article_names_the_requester() -> None:
    (ticket,), _ = from_zammad(DOC_HISTORY, [DOC_ARTICLE])
    assert ticket.requester == "2"


ZAMMAD_AGENTS = ("11", "12", "13")
_STATE = {
    Status.OPEN: "open",
    Status.PENDING: "pending close",
    Status.ON_HOLD: "pending reminder",
    Status.SOLVED: "closed",
}
_PRIORITY = {Priority.LOW: "1 low", Priority.NORMAL: "2 normal", Priority.HIGH: "3 high"}
ZAMMAD_HISTORIES = histories(
    ticket_id="7",
    channels=("email", "phone", "web"),
    ratings=False,
    closed=False,
    ties=False,
    priorities=(Priority.LOW, Priority.NORMAL, Priority.HIGH),
    agents=ZAMMAD_AGENTS,
)


def _at(event: Event) -> str:
    return event.at.isoformat()


def to_zammad(
    history: list[Event],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """A servicekit history as Zammad's history entries, articles and ticket."""
    created = history[0]
    assert isinstance(created, Created)
    tid = int(created.ticket_id)
    entries: list[dict[str, Any]] = [
        {"o_id": tid, "object": "Ticket", "type": "created", "created_at": _at(created),
         "created_by_id": int(created.author_id or created.requester)},
    ]  # fmt: skip
    for tag in sorted(created.tags):
        entries.append({"o_id": tid, "object": "Ticket", "type": "added", "attribute": "tag",
                        "value_to": tag, "created_at": _at(created)})  # fmt: skip
    articles: list[dict[str, Any]] = []
    agent = group = None
    for event in history[1:]:
        base = {"o_id": tid, "object": "Ticket", "type": "updated", "created_at": _at(event),
                "created_by_id": 11}  # fmt: skip
        if isinstance(event, StatusChanged):
            entries.append({**base, "attribute": "state", "value_to": _STATE[event.status]})
        elif isinstance(event, PriorityChanged):
            entries.append({**base, "attribute": "priority", "value_to": _PRIORITY[event.priority]})
        elif isinstance(event, Assigned):
            if event.agent != agent:
                entries.append({**base, "attribute": "owner", "id_to": int(event.agent or 1)})
            if event.group != group:
                entries.append(
                    {**base, "attribute": "group", "id_to": event.group and int(event.group)}
                )
            agent, group = event.agent, event.group
        elif isinstance(event, TagsChanged):
            for tag in sorted(event.added):
                entries.append({**base, "type": "added", "attribute": "tag", "value_to": tag})
            for tag in sorted(event.removed):
                entries.append({**base, "type": "removed", "attribute": "tag", "value_to": tag})
        elif isinstance(event, Replied):
            author = int(event.author_id or 0)
            articles.append({"ticket_id": tid, "sender": event.by.value.title(), "type": "note",
                             "internal": not event.public, "created_by_id": author,
                             "created_at": _at(event)})  # fmt: skip
        else:  # pragma: no cover - the strategy makes no other events
            raise AssertionError(event)
    if created.by is Author.CUSTOMER:  # the description: folded into the creation
        articles.insert(0, {"ticket_id": tid, "sender": "Customer", "type": "web",
                            "internal": False, "created_by_id": int(created.requester),
                            "created_at": _at(created)})  # fmt: skip
    # Zammad's first article gives the channel; an early system note carries it here.
    note = {"ticket_id": tid, "sender": "System", "type": str(created.channel), "internal": True}
    articles.insert(0, {**note, "created_by_id": 1, "created_at": "2000-01-01T00:00:00Z"})
    ticket = {
        "id": tid,
        "customer_id": int(created.requester),
        "priority": _PRIORITY[created.priority],
    }
    return entries, articles, ticket


def _zammad_view(history: list[Event]) -> list[Event]:
    """Zammad records one tag a change: a change adding and removing tags is several."""
    created = history[0]
    assert isinstance(created, Created)
    first = Created(at=created.at, ticket_id=created.ticket_id, requester=created.requester,
                    channel=created.channel, priority=created.priority, by=created.by,
                    author_id=created.author_id)  # fmt: skip
    out: list[Event] = [first]
    if created.tags:
        out.extend(TagsChanged(at=created.at, added=[tag]) for tag in sorted(created.tags))
    for event in history[1:]:
        if isinstance(event, TagsChanged):
            out.extend(TagsChanged(at=event.at, added=[t]) for t in sorted(event.added))
            out.extend(TagsChanged(at=event.at, removed=[t]) for t in sorted(event.removed))
        else:
            out.append(event)
    return out


class TestRoundTrip:
    @given(ZAMMAD_HISTORIES)
    def test_history_and_articles_give_back_the_history(self, history: list[Event]) -> None:
        entries, articles, ticket = to_zammad(history)
        (imported,), report = from_zammad(entries, articles, tickets=[ticket])
        assert list(imported.history) == _zammad_view(history)
        assert report.balanced
        assert report.ignored_total == 1  # the early system note


class TestFuzz:
    @given(ZAMMAD_HISTORIES, st.data())
    def test_mutated_records_raise_only_servicekit_errors_and_balance(
        self, history: list[Event], data: st.DataObject
    ) -> None:
        entries, articles, ticket = to_zammad(history)
        pools: list[list[Any]] = [
            [*entries, *DOC_HISTORY],
            [*articles, DOC_ARTICLE],
            [ticket, DOC_TICKET],
        ]
        for _ in range(data.draw(st.integers(1, 4))):
            pool = data.draw(st.sampled_from(pools))
            index = data.draw(st.integers(0, len(pool) - 1))
            pool[index] = _mutate(data, copy.deepcopy(pool[index]))
        try:
            _, report = from_zammad(pools[0], pools[1], tickets=pools[2])
        except ServicekitError:
            return
        assert report.balanced
