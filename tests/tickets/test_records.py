"""Tickets and events as plain dicts: round trips, path-precise errors, fuzzing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import InvalidRecordError, InvalidTransitionError
from servicekit.testing.strategies import ticket_histories
from servicekit.tickets import EVENT_TYPES, Event, Ticket, event_from_dict, event_to_dict

CREATED = {"type": "created", "at": "2026-03-02T09:00:00+01:00", "ticket_id": "T", "requester": "c"}


@given(ticket_histories())
def test_tickets_round_trip_through_json(history: list[Event]) -> None:
    ticket = Ticket.replay(history)
    line = json.dumps(ticket.to_dict())
    again = Ticket.from_dict(json.loads(line))
    assert again == ticket
    assert [type(e) for e in again.history] == [type(e) for e in history]
    assert [e.at.utcoffset() for e in again.history] == [e.at.utcoffset() for e in history]


@given(ticket_histories())
def test_events_round_trip(history: list[Event]) -> None:
    for event in history:
        assert event_from_dict(json.loads(json.dumps(event_to_dict(event)))) == event


def test_every_event_type_is_named_by_its_dict_type() -> None:
    assert sorted(EVENT_TYPES) == sorted(
        ["created", "status_changed", "replied", "assigned", "priority_changed",
         "tags_changed", "field_changed", "satisfaction_rated", "merged", "escalated"]
    )  # fmt: skip


class TestErrors:
    @pytest.mark.parametrize(
        ("record", "path", "message"),
        [
            ({"type": "sent"}, "events[1].type", "unknown event type 'sent'"),
            ({"at": "2026-03-02T10:00Z"}, "events[1].type", "unknown event type None"),
            ({"type": "replied", "by": "agent"}, "events[1].at", "missing"),
            ({"type": "replied", "at": "soon", "by": "agent"}, "events[1].at", "'soon' is not"),
            ({"type": "replied", "at": 5, "by": "agent"}, "events[1].at", "ISO 8601"),
            (
                {"type": "replied", "at": "2026-03-02T10:00", "by": "agent"},
                "events[1].at",
                "naive datetime",
            ),
            (
                {"type": "replied", "at": "2026-03-02T10:00Z", "by": "agent", "mood": 1},
                "events[1].mood",
                "unknown key for replied",
            ),
            (
                {"type": "priority_changed", "at": "2026-03-02T10:00Z", "priority": "p1"},
                "events[1].priority",
                "'p1' is not a valid priority",
            ),
            (
                {"type": "replied", "at": "2026-03-02T10:00Z", "by": "agent", "public": "yes"},
                "events[1].public",
                "public must be true or false",
            ),
            (
                {"type": "satisfaction_rated", "at": "2026-03-02T10:00Z", "score": 9},
                "events[1]",
                "outside the scale",
            ),
            ("replied", "events[1]", "expected an event object"),
        ],
    )
    def test_errors_name_the_path(self, record: Any, path: str, message: str) -> None:
        with pytest.raises(InvalidRecordError, match=message) as info:
            Ticket.from_dict({"events": [CREATED, record]})
        assert info.value.path == path
        assert str(info.value).startswith(f"{path}: ")

    def test_ticket_record_shape(self) -> None:
        with pytest.raises(InvalidRecordError, match="expected a list"):
            Ticket.from_dict({"events": CREATED})
        with pytest.raises(InvalidRecordError, match="exactly one key") as info:
            Ticket.from_dict({"events": [CREATED], "id": "T"})
        assert info.value.path == "id"
        with pytest.raises(InvalidRecordError, match="expected a ticket object"):
            Ticket.from_dict([CREATED])  # type: ignore[arg-type]

    def test_a_valid_record_with_an_invalid_history(self) -> None:
        early = {"type": "replied", "at": "2026-03-02T07:00:00Z", "by": "agent"}
        with pytest.raises(InvalidTransitionError, match=r"events\[1\]: Replied .* earlier"):
            Ticket.from_dict({"events": [CREATED, early]})


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
FIELD_NAMES = st.sampled_from(
    ["type", "at", "by", "public", "status", "priority", "score", "scale", "tags", "added",
     "ticket_id", "requester", "channel", "into", "rule", "name", "value", "agent"]
)  # fmt: skip
VALUES = (
    JSON
    | st.sampled_from(list(EVENT_TYPES))
    | st.sampled_from(["2026-03-02T10:00:00Z", "2026-03-02", "agent", "customer", "urgent"])
)


@given(st.lists(st.dictionaries(FIELD_NAMES, VALUES, max_size=6), max_size=4))
def test_fuzzed_records_fail_only_with_clear_errors(records: list[dict[str, Any]]) -> None:
    try:
        ticket = Ticket.from_dict({"events": [CREATED, *records]})
    except (InvalidRecordError, InvalidTransitionError) as exc:
        message = str(exc)
        assert message.startswith("events[")
    else:
        assert len(ticket.history) == len(records) + 1
