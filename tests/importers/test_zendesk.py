"""Zendesk audits and incremental ticket events."""

from __future__ import annotations

import copy
import random
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import ConfigError, InvalidInputError, ServicekitError
from servicekit.importers import DEFAULT_MAPS, from_zendesk
from servicekit.tickets import (
    Assigned,
    Author,
    Created,
    Event,
    PriorityChanged,
    Replied,
    SatisfactionRated,
    Status,
    StatusChanged,
    TagsChanged,
)
from tests.importers.histories import AGENTS, histories

# Transcribed from the "Example" of https://developer.zendesk.com/api-reference/ticketing/
# tickets/ticket_audits/ (JSON format): a comment and a notification on ticket 47.
DOC_AUDIT_47: dict[str, Any] = {
    "author_id": 35436,
    "created_at": "2009-07-20T22:55:29Z",
    "events": [
        {
            "attachments": [],
            "body": "Thanks for your help!",
            "id": 1564245,
            "public": True,
            "type": "Comment",
        },
        {
            "body": "Ticket #47 has been updated",
            "id": 1564246,
            "subject": "Your ticket has been updated",
            "type": "Notification",
        },
    ],
    "id": 35436,
    "metadata": {"custom": {"time_spent": "3m22s"}, "system": {"ip_address": "184.106.40.75"}},
    "ticket_id": 47,
    "via": {"channel": "web"},
}
# Transcribed from "List Audits for a Ticket", example response, same page: a private
# comment, status new -> open by a trigger, and a custom status change on ticket 666.
DOC_AUDIT_666: dict[str, Any] = {
    "author_id": 5246746,
    "created_at": "2011-09-25T22:35:44Z",
    "events": [
        {
            "attachments": [],
            "body": "This is a new private comment",
            "id": 2127301148,
            "public": False,
            "type": "Comment",
        },
        {
            "field_name": "status",
            "id": 2127301163,
            "previous_value": "new",
            "type": "Change",
            "value": "open",
            "via": {
                "channel": "rule",
                "source": {
                    "from": {"id": 35079792, "title": "Assign to first responder"},
                    "rel": "trigger",
                    "to": {},
                },
            },
        },
        {
            "field_name": "custom_status_id",
            "id": 2127301164,
            "previous_value": 1,
            "type": "Change",
            "value": 123,
        },
    ],
    "id": 2127301143,
    "ticket_id": 666,
    "via": {"channel": "web"},
}
# The comment_events side-load of https://developer.zendesk.com/api-reference/ticketing/
# ticket-management/incremental_exports/ ("Incremental Ticket Event Export", Sideloading),
# with the status child event the export lists for the same update.
DOC_TICKET_EVENT: dict[str, Any] = {
    "id": 91048994468,
    "ticket_id": 5,
    "timestamp": 1245924918,
    "created_at": "2009-06-25T10:15:18Z",
    "updater_id": 5031726587,
    "via": "Web form",
    "event_type": "Audit",
    "child_events": [
        {
            "id": 91048994488,
            "via": {"channel": "api", "source": {"from": {}, "to": {}, "rel": None}},
            "via_reference_id": None,
            "type": "Comment",
            "author_id": 5031726587,
            "body": "This is a comment",
            "public": True,
            "attachments": [],
            "audit_id": 91048994468,
            "created_at": "2009-06-25T10:15:18Z",
            "event_type": "Comment",
        },
        {
            "id": 91048994489,
            "via": "Web form",
            "via_reference_id": None,
            "status": "solved",
            "previous_value": "open",
            "event_type": "Change",
        },
    ],
}


class TestDocumentedPayloads:
    def test_audit_of_a_ticket_created_before_the_window_is_synthesised(self) -> None:
        tickets, report = from_zendesk([DOC_AUDIT_47], users=[{"id": 35436, "role": "end-user"}])
        assert report.synthesised == ("47",)
        (ticket,) = tickets
        assert ticket.requester == "35436"
        assert [type(e) for e in ticket.history] == [Created, Replied]
        assert report.ignored["Notification"] == {"not a ticket fact servicekit keeps": 1}
        assert (report.records_read, report.events_made, report.balanced) == (2, 1, True)

    def test_ticket_without_a_known_requester_is_skipped_and_counted(self) -> None:
        tickets, report = from_zendesk([DOC_AUDIT_666])
        assert tickets == ()
        assert "no record names the requester" in report.skipped["666"]
        assert report.ignored["Change"] == {"field servicekit does not keep": 1}
        assert report.skipped_records == 2
        assert report.balanced

    def test_incremental_event_with_comment_side_load(self) -> None:
        tickets, report = from_zendesk([DOC_TICKET_EVENT], agents=[1])
        (ticket,) = tickets
        assert ticket.status is Status.SOLVED
        assert ticket.created_at == datetime(2009, 6, 25, 10, 15, 18, tzinfo=UTC)
        assert ticket.history[1] == Replied(
            at=ticket.created_at, by="customer", author_id="5031726587"
        )
        assert report.synthesised == ("5",)
        assert report.balanced


def _audit(
    ticket_id: str, at: datetime, author: str, events: list[dict[str, Any]], via: str = "web"
) -> dict[str, Any]:
    return {
        "ticket_id": int(ticket_id),
        "created_at": at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "author_id": int(author),
        "via": {"channel": via},
        "events": events,
    }


_CHANNEL_BACK = {"web": "web", "email": "email", "chat": "chat", "api": "api", "phone": "voice"}
_STATUS_BACK = {s: k for k, s in DEFAULT_MAPS["zendesk"].statuses.items() if s is not None}


def to_zendesk(history: list[Event]) -> list[dict[str, Any]]:
    """A servicekit history as Zendesk would have audited it."""
    created = history[0]
    assert isinstance(created, Created)
    tid, requester = created.ticket_id, created.requester
    create_events: list[dict[str, Any]] = [
        {"type": "Create", "field_name": "status", "value": "new"},
        {"type": "Create", "field_name": "requester_id", "value": int(requester)},
        {"type": "Create", "field_name": "priority", "value": created.priority.value},
        {"type": "Create", "field_name": "subject", "value": "Help"},
    ]
    if created.by is Author.CUSTOMER:  # the description: folded into the creation
        create_events.append({"type": "Comment", "public": True, "author_id": int(requester)})
    if created.tags:
        create_events.append(
            {"type": "Create", "field_name": "tags", "value": sorted(created.tags)}
        )
    audits = [
        _audit(
            tid,
            created.at,
            created.author_id or requester,
            create_events,
            _CHANNEL_BACK[str(created.channel)],
        )
    ]
    agent = group = None
    tags = set(created.tags)
    for event in history[1:]:
        author = AGENTS[0]
        events: list[dict[str, Any]]
        if isinstance(event, StatusChanged):
            events = [
                {"type": "Change", "field_name": "status", "value": _STATUS_BACK[event.status]}
            ]
        elif isinstance(event, Replied):
            author = event.author_id or AGENTS[0]
            events = [
                {"type": "Comment", "public": event.public, "author_id": int(author), "body": "..."}
            ]
        elif isinstance(event, PriorityChanged):
            events = [{"type": "Change", "field_name": "priority", "value": event.priority.value}]
        elif isinstance(event, Assigned):
            events = []
            if event.agent != agent:
                events.append(
                    {
                        "type": "Change",
                        "field_name": "assignee_id",
                        "value": event.agent and int(event.agent),
                        "previous_value": agent,
                    }
                )
            if event.group != group:
                events.append(
                    {
                        "type": "Change",
                        "field_name": "group_id",
                        "value": event.group and int(event.group),
                    }
                )
            agent, group = event.agent, event.group
        elif isinstance(event, TagsChanged):
            new = (tags | event.added) - event.removed
            events = [
                {
                    "type": "Change",
                    "field_name": "tags",
                    "value": sorted(new),
                    "previous_value": sorted(tags),
                }
            ]
            tags = new
        elif isinstance(event, SatisfactionRated):
            author = requester
            events = [
                {
                    "type": "SatisfactionRating",
                    "score": "good" if event.score else "bad",
                    "body": event.comment,
                }
            ]
        else:  # pragma: no cover - the strategy makes no other events
            raise AssertionError(event)
        audits.append(_audit(tid, event.at, author, events))
    return audits


def to_incremental(audits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same audits as incremental ticket events (field-keyed child events)."""
    out = []
    for audit in audits:
        children = []
        for event in audit["events"]:
            if event["type"] in ("Create", "Change"):
                child = {
                    "id": 1,
                    "via": "Web form",
                    "event_type": event["type"],
                    event["field_name"]: event["value"],
                }
                if "previous_value" in event:
                    child["previous_value"] = event["previous_value"]
                children.append(child)
            else:
                children.append({**event, "event_type": event["type"]})
        out.append(
            {
                "ticket_id": audit["ticket_id"],
                "created_at": audit["created_at"],
                "updater_id": audit["author_id"],
                "via": audit["via"]["channel"],
                "event_type": "Audit",
                "child_events": children,
            }
        )
    return out


class TestRoundTrip:
    @given(histories(channels=("web", "email", "chat", "api", "phone")))
    def test_audits_give_back_the_history(self, history: list[Event]) -> None:
        tickets, report = from_zendesk(to_zendesk(history), agents=AGENTS)
        assert [list(t.history) for t in tickets] == [history]
        assert report.balanced
        assert report.ignored_total == 1  # the subject
        assert report.synthesised == ()

    @given(histories(channels=("web", "email")))
    def test_without_an_agent_list_authors_other_than_the_requester_are_agents(
        self, history: list[Event]
    ) -> None:
        tickets, _ = from_zendesk(to_zendesk(history))
        assert [list(t.history) for t in tickets] == [history]

    @given(histories(channels=("web", "email", "chat", "api", "phone")))
    def test_incremental_events_give_back_the_history(self, history: list[Event]) -> None:
        users = [{"id": int(a), "role": "agent"} for a in AGENTS] + [
            {"id": 900, "role": "end-user"}
        ]
        tickets, report = from_zendesk(to_incremental(to_zendesk(history)), users=users)
        assert [list(t.history) for t in tickets] == [history]
        assert report.balanced

    @given(histories(ties=False), st.randoms(use_true_random=False))
    def test_audits_in_any_order_give_the_same_history(
        self, history: list[Event], rnd: random.Random
    ) -> None:
        audits = to_zendesk(history)
        rnd.shuffle(audits)
        tickets, _ = from_zendesk(audits, agents=AGENTS)
        assert [list(t.history) for t in tickets] == [history]

    @given(histories(ties=False, max_events=8).filter(lambda h: len(h) > 2))
    def test_a_ticket_first_seen_mid_history_gets_a_flagged_creation(
        self, history: list[Event]
    ) -> None:
        audits = to_zendesk(history)[1:]
        tickets, report = from_zendesk(audits, agents=AGENTS)
        assert report.balanced
        if tickets:
            assert report.synthesised == ("47",)
            assert tickets[0].created_at == history[1].at
        else:
            assert "47" in report.skipped


class TestLifecycle:
    T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)

    def test_refused_and_repeated_transitions_are_counted_not_dropped(self) -> None:
        create = _audit(
            "1",
            self.T0,
            "900",
            [
                {"type": "Create", "field_name": "requester_id", "value": 900},
                {"type": "Create", "field_name": "status", "value": "open"},
            ],
        )
        again = _audit(
            "1",
            datetime(2026, 3, 2, 10, tzinfo=UTC),
            "1",
            [
                {"type": "Change", "field_name": "status", "value": "open"},
                {"type": "Change", "field_name": "status", "value": "solved"},
                {"type": "Change", "field_name": "status", "value": "closed"},
                {"type": "Change", "field_name": "priority", "value": None},
                {"type": "Change", "field_name": "status", "value": "archived"},
            ],
        )
        late = _audit(
            "1",
            datetime(2026, 3, 2, 11, tzinfo=UTC),
            "900",
            [
                {"type": "Comment", "public": True, "author_id": 900},
            ],
        )
        tickets, report = from_zendesk([late, again, create], agents=["1"])
        assert tickets[0].status is Status.CLOSED
        assert report.ignored["Change"] == {
            "priority cleared or without equivalent": 1,
            "status unchanged": 1,
            "unmapped status": 1,
        }
        assert report.ignored["Comment"] == {
            "a closed ticket does not take 'public customer reply'": 1
        }
        assert report.balanced

    def test_an_event_before_the_creation_is_counted(self) -> None:
        early = _audit(
            "1", datetime(2026, 3, 1, tzinfo=UTC), "900", [{"type": "Comment", "public": True}]
        )
        create = _audit(
            "1", self.T0, "900", [{"type": "Create", "field_name": "requester_id", "value": 900}]
        )
        _, report = from_zendesk([early, create], agents=[])
        assert report.ignored["Comment"] == {"earlier than the ticket's creation": 1}

    def test_assignee_and_group_of_one_update_make_one_event(self) -> None:
        create = _audit(
            "1", self.T0, "900", [{"type": "Create", "field_name": "requester_id", "value": 900}]
        )
        assign = _audit(
            "1",
            self.T0,
            "1",
            [
                {"type": "Change", "field_name": "assignee_id", "value": 1},
                {"type": "Change", "field_name": "group_id", "value": 10},
            ],
        )
        (ticket,), report = from_zendesk([create, assign], agents=["1"])
        assert ticket.history[1] == Assigned(at=self.T0, agent="1", group="10")
        assert (report.events_made, report.folded) == (2, 1)

    def test_map_overrides_apply(self) -> None:
        vendor = DEFAULT_MAPS["zendesk"].with_overrides({"statuses": {"archived": "solved"}})
        create = _audit(
            "1",
            self.T0,
            "900",
            [
                {"type": "Create", "field_name": "requester_id", "value": 900},
                {"type": "Create", "field_name": "status", "value": "archived"},
            ],
        )
        (ticket,), _ = from_zendesk([create], agents=[], map=vendor)
        assert ticket.status is Status.SOLVED
        with pytest.raises(ConfigError, match=r"statuses\.archived"):
            DEFAULT_MAPS["zendesk"].with_overrides({"statuses": {"archived": "gone"}})

    def test_records_must_be_a_list(self) -> None:
        with pytest.raises(InvalidInputError, match="records must be a list"):
            from_zendesk({"audits": []})  # type: ignore[dict-item]
        with pytest.raises(InvalidInputError, match="users"):
            from_zendesk([], users=[{"id": [], "role": "agent"}])

    def test_system_comments_and_ratings(self) -> None:
        create = _audit(
            "1", self.T0, "900", [{"type": "Create", "field_name": "requester_id", "value": 900}]
        )
        later = _audit(
            "1",
            datetime(2026, 3, 2, 10, tzinfo=UTC),
            "-1",
            [
                {"type": "Comment", "public": True, "author_id": -1},
                {"type": "Change", "field_name": "status", "value": "solved"},
                {"type": "SatisfactionRating", "score": "offered"},
            ],
        )
        rated = _audit(
            "1",
            datetime(2026, 3, 2, 11, tzinfo=UTC),
            "900",
            [
                {"type": "SatisfactionRating", "score": "bad", "body": "slow"},
            ],
        )
        (ticket,), report = from_zendesk([create, later, rated], agents=["1"])
        assert ticket.history[1] == Replied(
            at=ticket.history[1].at, by=Author.SYSTEM, author_id="-1"
        )
        assert ticket.facts.satisfaction == SatisfactionRated(
            at=ticket.updated_at, score=0, scale=(0, 1), comment="slow"
        )
        assert report.ignored["SatisfactionRating"] == {"survey offered, not answered": 1}


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.sampled_from(["", "x", "open", "Z", "2026-13-01T00:00:00Z", "2026-03-02T09:00:00"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["type", "value", "events", "public", "field_name"]), inner, max_size=3
        )
    ),
    max_leaves=8,
)


def _mutate(data: st.DataObject, value: Any, depth: int = 0) -> Any:
    if isinstance(value, dict) and value and depth < 4:
        key = data.draw(st.sampled_from(sorted(value)))
        choice = data.draw(st.integers(0, 2))
        if choice == 0:
            del value[key]
        elif choice == 1:
            value[key] = data.draw(_JSON)
        else:
            value[key] = _mutate(data, value[key], depth + 1)
    elif isinstance(value, list) and value and depth < 4:
        index = data.draw(st.integers(0, len(value) - 1))
        value[index] = (
            _mutate(data, value[index], depth + 1) if data.draw(st.booleans()) else data.draw(_JSON)
        )
    else:
        return data.draw(_JSON)
    return value


class TestFuzz:
    @given(histories(max_events=6), st.data())
    def test_mutated_records_raise_nothing_but_servicekit_errors_and_balance(
        self, history: list[Event], data: st.DataObject
    ) -> None:
        records = [*to_zendesk(history), *to_incremental(to_zendesk(history))]
        for _ in range(data.draw(st.integers(1, 4))):
            index = data.draw(st.integers(0, len(records) - 1))
            records[index] = _mutate(data, copy.deepcopy(records[index]))
        try:
            _, report = from_zendesk(records, agents=data.draw(st.none() | st.just(AGENTS)))
        except ServicekitError:
            return
        assert report.balanced
        assert report.records_read >= len(records)
