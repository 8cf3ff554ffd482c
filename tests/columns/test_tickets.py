"""Tickets from long and wide frames equal tickets built event by event, and bad
frames fail naming the row and the column."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit import columns
from servicekit.errors import InvalidInputError, InvalidRecordError, ServicekitError
from servicekit.sla import PolicySet, SLAPolicy
from servicekit.testing.strategies import ticket_histories
from servicekit.tickets import (
    Assigned,
    Author,
    Created,
    Replied,
    StatusChanged,
    Ticket,
    event_to_dict,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
HOUR = timedelta(hours=1)


def long_frame(tickets: list[Ticket]) -> pd.DataFrame:
    """The JSON-lines records of ``tickets`` as a long table."""
    rows = []
    for ticket in tickets:
        for event in ticket.history:
            record = event_to_dict(event)
            record["ticket_id"] = ticket.id
            rows.append(record)
    frame = pd.DataFrame(rows)
    frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
    return frame


class TestLongTable:
    @settings(max_examples=40)
    @given(st.lists(ticket_histories(), min_size=1, max_size=4))
    def test_round_trips_random_histories(self, histories: list[Any]) -> None:
        built = []
        for number, events in enumerate(histories):
            first = events[0]
            renamed = Created(
                at=first.at,
                ticket_id=f"T-{number}",
                requester=first.requester,
                channel=first.channel,
                priority=first.priority,
                by=first.by,
                author_id=first.author_id,
                tags=first.tags,
            )
            built.append(Ticket.replay([renamed, *events[1:]]))
        found = columns.tickets(long_frame(built))
        assert [t.id for t in found] == [t.id for t in built]
        for got, want in zip(found, built, strict=True):
            assert [event_to_dict(e) | {"at": e.at.astimezone(UTC)} for e in got.history] == [
                event_to_dict(e) | {"at": e.at.astimezone(UTC)} for e in want.history
            ]

    def test_bad_value_names_the_row_and_field(self) -> None:
        ticket = Ticket.create(id="T-1", at=T0, requester="c").apply(
            StatusChanged(at=T0 + HOUR, status="pending")
        )
        frame = long_frame([ticket])
        frame.loc[1, "status"] = "parked"
        with pytest.raises(InvalidRecordError, match=r"^row 1: field 'status': 'parked'"):
            columns.tickets(frame)

    def test_same_error_paths_as_the_json_lines_reader(self) -> None:
        ticket = Ticket.create(id="T-1", at=T0, requester="c")
        frame = long_frame([ticket])
        with pytest.raises(InvalidRecordError, match="row 1: ticket 'T-1' is created twice"):
            columns.tickets(pd.concat([frame, frame], ignore_index=True))
        orphan = pd.DataFrame(
            {"ticket_id": ["T-9"], "type": ["replied"], "at": [T0], "by": ["agent"]}
        )
        with pytest.raises(InvalidRecordError, match="row 0: field 'ticket_id': ticket 'T-9'"):
            columns.tickets(orphan)
        with pytest.raises(InvalidRecordError, match="row 0: field 'channel': unknown key"):
            columns.tickets(orphan.assign(channel="chat"))
        with pytest.raises(InvalidRecordError, match="row 0: field 'ticket_id'"):
            columns.tickets(frame.assign(ticket_id=[7]))
        with pytest.raises(InvalidInputError, match="no such column"):
            columns.tickets(frame.drop(columns=["at"]))

    def test_kind_column_and_float_cells(self) -> None:
        ticket = Ticket.create(id="T-1", at=T0, requester="c")
        frame = long_frame([ticket]).rename(columns={"type": "kind"})
        frame["score"] = [np.nan]
        assert columns.tickets(frame) == [ticket]


def wide() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["T-1", "T-2", "T-3"],
            "created": pd.DatetimeIndex([T0, T0 + HOUR, T0 + 2 * HOUR]).tz_convert("Europe/Paris"),
            "first_reply": pd.DatetimeIndex([T0 + HOUR, None, T0 + 2 * HOUR], tz=UTC),
            "solved": pd.DatetimeIndex([T0 + 3 * HOUR, None, T0 + 2 * HOUR], tz=UTC),
            "priority": ["high", None, "urgent"],
            "channel": ["chat", "email", "whatsapp"],
            "group": ["billing", None, "api"],
            "customer": ["c-1", "c-2", None],
        }
    )


MILESTONES = {
    "created": "created",
    "first_reply": "first_reply",
    "solved": "solved",
    "id": "id",
    "priority": "priority",
    "channel": "channel",
    "group": "group",
    "requester": "customer",
}


class TestWideTable:
    def test_equals_tickets_built_event_by_event(self) -> None:
        paris = T0.astimezone(pd.Timestamp(0, tz="Europe/Paris").tzinfo)
        one = Ticket.replay(
            [
                Created(
                    at=paris, ticket_id="T-1", requester="c-1", channel="chat", priority="high"
                ),
                Assigned(at=paris, group="billing"),
                Replied(at=T0 + HOUR, by=Author.AGENT),
                StatusChanged(at=T0 + 3 * HOUR, status="solved"),
            ]
        )
        found = columns.tickets_from_timestamps(wide(), **MILESTONES)
        assert found[0] == one
        assert [e.at for e in found[0].history] == [e.at for e in one.history]
        assert found[1].history[0] == Created(
            at=found[1].created_at, ticket_id="T-2", requester="c-2"
        )
        assert found[2].requester == "T-3"
        assert found[2].facts.one_touch

    def test_ids_default_to_the_index(self) -> None:
        frame = wide().set_index("id")
        found = columns.tickets_from_timestamps(frame, created="created")
        assert [t.id for t in found] == ["T-1", "T-2", "T-3"]

    @pytest.mark.parametrize(
        ("change", "argument", "match"),
        [
            ({"priority": "top"}, {}, r"priority='priority', row 0: 'top' is not a valid"),
            ({}, {"solved": "solved_at"}, r"solved='solved_at': no such column"),
            ({"id": "T-2"}, {}, r"'T-2' appears twice \(rows 1 and 0\)"[:24]),
            ({"group": " x"}, {}, r"group='group', row 0"),
            ({"created": "2026-03-02"}, {}, r"created \('created'\): expected tz-aware"),
        ],
    )
    def test_bad_columns_name_column_and_row(
        self, change: dict[str, object], argument: dict[str, str], match: str
    ) -> None:
        frame = wide()
        for column, value in change.items():
            frame[column] = frame[column].astype(object)
            frame.loc[0, column] = value
        if "created" in change:
            frame["created"] = frame["created"].astype(str)
        with pytest.raises(InvalidInputError, match=match):
            columns.tickets_from_timestamps(frame, **(MILESTONES | argument))

    def test_reply_before_creation_names_the_row(self) -> None:
        frame = wide()
        frame.loc[2, "first_reply"] = T0
        with pytest.raises(InvalidRecordError, match=r"row 2: first_reply .* before creation"):
            columns.tickets_from_timestamps(frame, **MILESTONES)

    def test_naive_milestones(self) -> None:
        frame = wide().assign(created=pd.to_datetime(["2026-03-02"] * 3))
        with pytest.raises(ServicekitError, match="naive"):
            columns.tickets_from_timestamps(frame, created="created")

    @settings(max_examples=30)
    @given(st.dictionaries(st.sampled_from(list(MILESTONES)), st.text(max_size=3) | st.none()))
    def test_fuzz_only_servicekit_errors(self, arguments: dict[str, Any]) -> None:
        with contextlib.suppress(ServicekitError):
            columns.tickets_from_timestamps(wide(), **(MILESTONES | arguments))


POLICY = SLAPolicy(
    "24/7",
    targets={
        "high": {
            "first_reply": {"duration": "30m", "business_hours": False},
            "resolution": {"duration": "8h", "business_hours": False},
        },
        "normal": {"first_reply": {"duration": "4h", "business_hours": False}},
    },
)


class TestSLAClocks:
    def test_one_row_per_clock_equal_to_the_evaluation(self) -> None:
        found = columns.tickets_from_timestamps(wide(), **MILESTONES)
        now = T0 + 10 * HOUR
        frame = columns.sla_clocks(found, PolicySet([POLICY]), now=now)
        expected = [
            (t.id, c.metric.value, c.state.value, c.due_at, c.elapsed)
            for t in found
            for c in POLICY.evaluate(t, now=now).clocks
        ]
        got = list(frame[["ticket_id", "metric", "state", "due_at", "elapsed"]].itertuples(False))
        assert len(got) == len(expected) == 3
        for row, want in zip(got, expected, strict=True):
            assert (row[0], row[1], row[2]) == want[:3]
            assert (row[3] is pd.NaT and want[3] is None) or row[3] == want[3]
            assert row[4] == want[4]
        assert str(frame["breached_at"].dtype) == "datetime64[us, UTC]"
        assert frame.loc[0, "channel"] == "chat"
        assert frame.loc[0, "state"] == "breached"
        assert frame.loc[0, "remaining"] == pd.Timedelta(minutes=-30)

    def test_bad_arguments(self) -> None:
        with pytest.raises(InvalidInputError, match="PolicySet"):
            columns.sla_clocks([], "policy", now=T0)  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError, match=r"tickets\[0\]"):
            columns.sla_clocks(["T-1"], POLICY, now=T0)  # type: ignore[list-item]
        with pytest.raises(ServicekitError, match="naive"):
            columns.sla_clocks([], POLICY, now=datetime(2026, 3, 2))  # noqa: DTZ001


CELLS = st.one_of(
    st.none(),
    st.text(max_size=4),
    st.integers(-3, 12),
    st.floats(allow_nan=True),
    st.booleans(),
    st.sampled_from(["created", "replied", "agent", "customer", "solved", "T-1", "high"]),
    st.sampled_from(["2026-03-02T09:00:00+00:00", "2026-03-02", "tomorrow"]),
    st.lists(st.text(max_size=2), max_size=2),
)
NAMES = st.sampled_from(
    ["ticket_id", "type", "at", "by", "status", "priority", "requester", "tags", "junk"]
)


class TestFuzz:
    @settings(max_examples=60)
    @given(st.dictionaries(NAMES, st.lists(CELLS, min_size=2, max_size=2), max_size=7))
    def test_long_tables_raise_only_servicekit_errors(self, data: dict[str, list[Any]]) -> None:
        frame = pd.DataFrame(data) if data else pd.DataFrame({"x": [1]})
        with contextlib.suppress(ServicekitError):
            columns.tickets(frame)

    @given(st.one_of(st.none(), st.integers(), st.text(), st.lists(st.none())))
    def test_other_entry_points_raise_only_servicekit_errors(self, junk: Any) -> None:
        for call in (
            lambda: columns.tickets(junk),
            lambda: columns.tickets_from_timestamps(junk, created="c"),
            lambda: columns.sla_clocks(junk, POLICY, now=T0),
            lambda: columns.sla_clocks([], junk, now=T0),
            lambda: columns.sla_clocks([], POLICY, now=junk),
        ):
            with contextlib.suppress(ServicekitError):
                call()
