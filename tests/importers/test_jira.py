"""Jira Service Management issues with changelog and comments."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import ServicekitError
from servicekit.importers import from_jira
from servicekit.tickets import (
    Assigned,
    Created,
    Event,
    Priority,
    PriorityChanged,
    Replied,
    Status,
    StatusChanged,
    TagsChanged,
)
from tests.importers.histories import AGENTS, histories
from tests.importers.test_zendesk import _mutate

# Transcribed (trimmed) from a sample response of GET /rest/api/2/search?expand=changelog
# (https://gist.github.com/mbjarland/0a5c8287fc8f7570c87ea8a528adeba2): a status change
# Open -> In Progress and a resolution; the comment uses the service desk API's shape
# (https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/
# #api-rest-servicedeskapi-request-issueidorkey-comment-get: "public", "created.iso8601").
DOC_ISSUE: dict[str, Any] = {
    "key": "SUP-17",
    "fields": {
        "created": "2017-02-28T08:10:00.000-0600",
        "reporter": {"name": "customer@example.com", "displayName": "A Customer"},
        "priority": {"name": "Medium"},
        "status": {"name": "Resolved"},
        "comment": {
            "comments": [
                {
                    "id": "1000",
                    "body": "Hello there",
                    "public": False,
                    "author": {"name": "consultant@somecompany.com"},
                    "created": {
                        "iso8601": "2017-02-28T09:00:00-0600",
                        "epochMillis": 1488294000000,
                    },
                },
            ]
        },
    },
    "changelog": {
        "histories": [
            {
                "author": {"name": "consultant@somecompany.com"},
                "created": "2017-02-28T09:24:59.366-0600",
                "id": "347806",
                "items": [
                    {
                        "field": "status",
                        "fieldtype": "jira",
                        "from": "1",
                        "fromString": "Open",
                        "to": "3",
                        "toString": "In Progress",
                    }
                ],
            },
            {
                "author": {"name": "consultant@somecompany.com"},
                "created": "2017-03-01T03:53:41.153-0600",
                "id": "107348",
                "items": [
                    {
                        "field": "resolution",
                        "fieldtype": "jira",
                        "from": None,
                        "fromString": None,
                        "to": "1",
                        "toString": "Done",
                    },
                    {
                        "field": "status",
                        "fieldtype": "jira",
                        "from": "3",
                        "fromString": "In Progress",
                        "to": "5",
                        "toString": "Resolved",
                    },
                ],
            },
        ]
    },
}


def test_documented_issue() -> None:
    (ticket,), report = from_jira([DOC_ISSUE])
    assert ticket.status is Status.SOLVED
    assert ticket.requester == "customer@example.com"
    assert [type(e) for e in ticket.history] == [Created, Replied, StatusChanged, StatusChanged]
    assert ticket.history[1] == Replied(
        at=ticket.history[1].at, by="agent", public=False, author_id="consultant@somecompany.com"
    )
    assert report.ignored == {"changelog item": {"field servicekit does not keep": 1}}
    assert (report.records_read, report.events_made, report.balanced) == (5, 4, True)
    assert any("channel" in fact for fact in report.unrecoverable)


_STATUS = {
    Status.OPEN: "Waiting for support",
    Status.PENDING: "Waiting for customer",
    Status.ON_HOLD: "Pending",
    Status.SOLVED: "Resolved",
    Status.CLOSED: "Closed",
}
_PRIORITY = {
    Priority.LOW: "Low",
    Priority.NORMAL: "Medium",
    Priority.HIGH: "High",
    Priority.URGENT: "Highest",
}


def _at(event: Event) -> str:
    return event.at.strftime("%Y-%m-%dT%H:%M:%S.000%z")


def to_jira(history: list[Event]) -> dict[str, Any]:
    """A servicekit history as a Jira issue with its changelog and comments."""
    created = history[0]
    assert isinstance(created, Created)
    histories: list[dict[str, Any]] = []
    comments: list[dict[str, Any]] = []
    status, priority, tags = "Open", _PRIORITY[created.priority], " ".join(sorted(created.tags))
    for event in history[1:]:
        item: dict[str, Any]
        if isinstance(event, StatusChanged):
            item = {"field": "status", "fromString": status, "toString": _STATUS[event.status]}
            status = item["toString"]
        elif isinstance(event, PriorityChanged):
            item = {
                "field": "priority",
                "fromString": priority,
                "toString": _PRIORITY[event.priority],
            }
            priority = item["toString"]
        elif isinstance(event, Assigned):
            item = {"field": "assignee", "to": event.agent, "toString": event.agent}
        elif isinstance(event, TagsChanged):
            new = " ".join(sorted((set(tags.split()) | event.added) - event.removed))
            item = {"field": "labels", "fromString": tags, "toString": new}
            tags = new
        elif isinstance(event, Replied):
            comments.append(
                {
                    "author": {"accountId": event.author_id},
                    "created": _at(event),
                    "jsdPublic": event.public,
                }
            )
            continue
        else:  # pragma: no cover - the strategy makes no other events
            raise AssertionError(event)
        histories.append({"author": {"accountId": "1"}, "created": _at(event), "items": [item]})
    first = next((h["items"][0] for h in histories if h["items"][0]["field"] == "priority"), None)
    return {
        "key": created.ticket_id,
        "fields": {
            "created": _at(created),
            "reporter": {"accountId": created.requester},
            "priority": {"name": priority if first is None else "Lowest"},
            "labels": sorted(created.tags),
            "status": {"name": status},
            "comment": {"comments": comments},
        },
        "changelog": {"histories": histories},
    }


# Comments and changes are separate lists, so their order at one instant is lost: no ties.
JIRA_HISTORIES = histories(
    ticket_id="SD-47", channels=("web",), ratings=False, groups=False, ties=False
)


def _jira_view(history: list[Event]) -> list[Event]:
    """What Jira can say: creations are by the customer, an assignment names no group."""
    created = history[0]
    assert isinstance(created, Created)
    first = Created(at=created.at, ticket_id=created.ticket_id, requester=created.requester,
                    channel="web", priority=created.priority, tags=created.tags)  # fmt: skip
    return [first, *history[1:]]


class TestRoundTrip:
    @given(JIRA_HISTORIES)
    def test_issue_gives_back_the_history(self, history: list[Event]) -> None:
        (ticket,), report = from_jira([to_jira(history)], agents=AGENTS)
        assert list(ticket.history) == _jira_view(history)
        assert report.balanced
        assert report.ignored_total == 0

    @given(JIRA_HISTORIES)
    def test_without_agents_the_reporter_is_the_customer(self, history: list[Event]) -> None:
        (ticket,), _ = from_jira([to_jira(history)])
        assert list(ticket.history) == _jira_view(history)


class TestFuzz:
    @given(JIRA_HISTORIES, st.data())
    def test_mutated_issues_raise_only_servicekit_errors_and_balance(
        self, history: list[Event], data: st.DataObject
    ) -> None:
        issues: list[Any] = [to_jira(history), copy.deepcopy(DOC_ISSUE)]
        for _ in range(data.draw(st.integers(1, 4))):
            index = data.draw(st.integers(0, len(issues) - 1))
            issues[index] = _mutate(data, copy.deepcopy(issues[index]))
        try:
            _, report = from_jira(issues, agents=data.draw(st.none() | st.just(AGENTS)))
        except ServicekitError:
            return
        assert report.balanced
