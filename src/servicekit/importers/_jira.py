"""Jira Service Management: issues with their changelog (``GET /rest/api/2/issue/{key}
?expand=changelog``, or search results with ``expand=changelog``) and comments
(``fields.comment.comments``, public unless ``jsdPublic`` is false or the
``sd.public.comment`` property says ``internal``)."""

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
    agent_ids,
    instant,
    items,
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

_UNRECOVERABLE = (
    "the channel (issues do not carry it; every ticket is 'web')",
    "group assignment and satisfaction ratings (Jira keeps them outside the issue)",
    "a history cut off by the changelog page size (fetch every changelog page first)",
)
_UNRECOVERABLE_WITHOUT_AGENTS = (
    "who is an agent: without agents=, every comment author other than the reporter is "
    "taken for an agent",
)


def from_jira(
    issues: Iterable[Mapping[str, Any]],
    *,
    agents: Collection[str] | None = None,
    map: VendorMap | None = None,
    tz: tzinfo | None = None,
) -> ImportResult:
    """Tickets from Jira Service Management issues with ``expand=changelog``.

    Each issue is one record (its creation: ``fields.created``, ``fields.reporter``,
    the priority and status it started with, read from the first change of each, else
    the current value); each changelog item and each comment is one record more.
    ``status``, ``priority``, ``assignee`` and ``labels`` items make status, priority,
    assignment and tag events; other fields are ignored and counted. Users are
    identified by ``accountId`` (Cloud), else ``key`` or ``name`` (Data Center).

    Args:
        issues: the issues, as the REST API returns them.
        agents: account ids of agents; without it, comment authors other than the
            reporter count as agents (the report says so).
        map: status/priority table (default ``DEFAULT_MAPS["jira"]``).
        tz: zone for timestamps without an offset.

    Raises:
        InvalidInputError: ``issues`` is not a list of records, or ``agents`` is not
            a collection of ids.

    >>> issue = {"key": "SD-1", "fields": {
    ...     "created": "2026-03-02T09:00:00.000+0000", "reporter": {"accountId": "c-1"},
    ...     "priority": {"name": "High"}, "status": {"name": "Waiting for customer"},
    ...     "comment": {"comments": [{"author": {"accountId": "a-1"}, "jsdPublic": True,
    ...                               "created": "2026-03-02T09:30:00.000+0000"}]}},
    ...   "changelog": {"histories": [{"author": {"accountId": "a-1"},
    ...     "created": "2026-03-02T09:31:00.000+0000", "items": [{"field": "status",
    ...     "fromString": "Waiting for support", "toString": "Waiting for customer"}]}]}}
    >>> (ticket,), report = from_jira([issue], agents=["a-1"])
    >>> ticket
    Ticket(id='SD-1', status='pending', priority='high', assignee=None, group=None, events=3)
    >>> report.records_read, report.events_made
    (3, 3)
    """
    found = records(issues, "issues")
    agent_set = agent_ids(agents, None)
    vendor = map if map is not None else DEFAULT_MAPS["jira"]
    unrecoverable = _UNRECOVERABLE + (_UNRECOVERABLE_WITHOUT_AGENTS if agent_set is None else ())
    out = Collector("jira", unrecoverable)
    for issue in found:
        _Issue(out, vendor, agent_set, tz).read(issue)
    return out.finish()


def _user(value: object, what: str) -> str | None:
    if value is None:
        return None
    user = mapping(value, what)
    for key in ("accountId", "key", "name"):
        if user.get(key) is not None:
            return text_id(user.get(key), what)
    raise Unreadable(f"{what} has no accountId", short(value))


class _Issue:
    def __init__(
        self, out: Collector, vendor: VendorMap, agents: frozenset[str] | None, tz: tzinfo | None
    ) -> None:
        self.out = out
        self.vendor = vendor
        self.agents = agents
        self.tz = tz
        self.reporter: str | None = None

    def read(self, issue: object) -> None:
        out = self.out
        out.read += 1
        try:
            record = mapping(issue, "issue")
            fields = mapping(record.get("fields"), "fields")
            key = text_id(record.get("key", record.get("id")), "issue key")
            histories = items(
                mapping(record.get("changelog") or {}, "changelog").get("histories"), "histories"
            )
            comments = items(
                mapping(fields.get("comment") or {}, "comment").get("comments"), "comments"
            )
        except Unreadable as exc:
            out.ignore("issue", exc.reason, exc.detail)
            return
        changes = [(h, item) for h in histories for item in self._items(h)]
        try:
            created = self._created(key, fields, changes)
        except (Unreadable, ServicekitError) as exc:
            reason = exc.reason if isinstance(exc, Unreadable) else "invalid value"
            out.ignore("issue", reason, short(str(exc)))
            created = None
        if created is not None:
            out.add(key, "issue", created)
            out.ticket(key).requester = created.requester
        self.reporter = created.requester if created is not None else None
        for history, item in changes:
            out.read_record(
                "changelog item", lambda pair: self._change(key, *pair), (history, item)
            )
        for comment in comments:
            out.read_record("comment", functools.partial(self._comment, key), comment)

    def _items(self, history: object) -> list[object]:
        if not isinstance(history, Mapping):
            return [None]  # one unreadable record for an unreadable history
        listed = history.get("items")
        return list(listed) if isinstance(listed, list) and listed else [None]

    def _created(
        self, key: str, fields: Mapping[str, Any], changes: list[tuple[Any, Any]]
    ) -> Created:
        at = instant(fields.get("created"), self.tz, "created")
        requester = _user(fields.get("reporter"), "reporter")
        if requester is None:
            raise Unreadable("issue names no reporter")
        priority_name = next(
            (
                item.get("fromString")
                for _, item in changes
                if isinstance(item, Mapping) and item.get("field") == "priority"
            ),
            None,
        )
        if priority_name is None:
            current = fields.get("priority")
            priority_name = current.get("name") if isinstance(current, Mapping) else None
        priority = self.vendor.priority(priority_name) if priority_name is not None else None
        labels = next(
            (
                item.get("fromString")
                for _, item in changes
                if isinstance(item, Mapping) and item.get("field") == "labels"
            ),
            fields.get("labels"),
        )
        tags = labels.split() if isinstance(labels, str) else labels
        return Created(
            at=at,
            ticket_id=key,
            requester=requester,
            channel="web",
            priority=priority or Priority.NORMAL,
            tags=tags if isinstance(tags, list) and all(isinstance(t, str) for t in tags) else (),
        )

    def _change(self, key: str, history: object, item: object) -> None:
        out = self.out
        entry = mapping(history, "history")
        change = mapping(item, "changelog item")
        at = instant(entry.get("created"), self.tz, "created")
        field = change.get("field")
        if field == "status":
            status = self._status(change.get("toString"))
            out.add(key, "status", StatusChanged(at=at, status=status))
        elif field == "priority":
            priority = self.vendor.priority(change.get("toString"))
            if priority is None:
                raise Unreadable("unmapped priority", short(change.get("toString")))
            out.add(key, "priority", PriorityChanged(at=at, priority=priority))
        elif field == "assignee":
            agent = optional_id(change.get("to", change.get("toString")), "assignee")
            out.add(key, "assignee", Assign(agent=agent, key=id(entry)), at)
        elif field == "labels":
            before = set(str(change.get("fromString") or "").split())
            after = set(str(change.get("toString") or "").split())
            if before == after:
                out.ignore("labels", "labels unchanged")
                return
            out.add(key, "labels", TagsChanged(at=at, added=after - before, removed=before - after))
        else:
            out.ignore("changelog item", "field servicekit does not keep", short(field))

    def _status(self, name: object) -> Status:
        status = self.vendor.status(name)
        if status is None:
            known = self.vendor.knows_status(name)
            raise Unreadable(
                "status with no servicekit equivalent" if known else "unmapped status", short(name)
            )
        return status

    def _comment(self, key: str, comment: object) -> None:
        record = mapping(comment, "comment")
        created = record.get("created")
        if isinstance(created, Mapping):  # the service desk API: {"iso8601": ..., ...}
            created = created.get("iso8601")
        at = instant(created, self.tz, "created")
        author = _user(record.get("author"), "author")
        public = _public(record)
        if not public:
            by = Author.AGENT
        elif self.agents is not None:
            by = Author.AGENT if author in self.agents else Author.CUSTOMER
        else:
            by = Author.CUSTOMER if author == self.reporter else Author.AGENT
        self.out.add(key, "comment", Replied(at=at, by=by, public=public, author_id=author))


def _public(comment: Mapping[str, Any]) -> bool:
    """``jsdPublic`` (platform API), ``public`` (service desk API) or the
    ``sd.public.comment`` property; public when none says otherwise."""
    for key in ("jsdPublic", "public"):
        value = comment.get(key)
        if isinstance(value, bool):
            return value
    properties = comment.get("properties")
    if isinstance(properties, list):
        for prop in properties:
            if isinstance(prop, Mapping) and prop.get("key") == "sd.public.comment":
                value = prop.get("value")
                if isinstance(value, Mapping) and value.get("internal") is True:
                    return False
    return True
