"""Changed, time and SLA conditions: values, the instant they next change, dict forms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import BusinessCalendar, SLAPolicy, Ticket
from servicekit.conditions import (
    COMPARISONS,
    Condition,
    Context,
    TimeSince,
    changed,
    condition_from_dict,
    time_since,
)
from servicekit.errors import ConfigError, InvalidInputError
from servicekit.sla import sla_clock
from servicekit.testing.strategies import calendars, ticket_histories
from servicekit.tickets import Created, Event, Replied, StatusChanged, TagsChanged

MON = datetime(2026, 3, 2, 9, tzinfo=UTC)
HOURS = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
POLICY = SLAPolicy(
    "p",
    calendar=HOURS,
    targets={"normal": {"first_reply": "4h"}, "urgent": {"first_reply": "1h"}},
)


def ticket(*events: Event) -> Ticket:
    """A ticket created Monday 09:00 by a customer, then ``events``."""
    return Ticket.replay([Created(at=MON, ticket_id="T-1", requester="c"), *events])


def at(ticket_: Ticket, now: datetime, *, sla: bool = False) -> Context:
    evaluation = POLICY.evaluate(ticket_, now=now) if sla else None
    return Context(ticket=ticket_, now=now, sla=evaluation)


class TestChanged:
    def test_sees_the_latest_update_only(self) -> None:
        t = ticket(StatusChanged(at=MON + timedelta(hours=1), status="pending"))
        assert changed("status", to="pending").holds(at(t, t.updated_at))
        assert changed("status", from_="new", to="pending").holds(at(t, t.updated_at))
        assert not changed("status", from_="open").holds(at(t, t.updated_at))
        later = t.apply(Replied(at=MON + timedelta(hours=2), by="agent", public=False))
        assert not changed("status").holds(at(later, later.updated_at))

    def test_an_update_is_every_event_at_the_last_instant(self) -> None:
        instant = MON + timedelta(hours=1)
        t = ticket(
            StatusChanged(at=instant, status="open"),
            TagsChanged(at=instant, added={"vip"}),
        )
        context = at(t, instant)
        assert changed("status", to="open").holds(context)
        assert changed("tags", to="vip").holds(context)
        assert not changed("tags", from_="vip").holds(context)
        assert changed("tags").describe(context) == "tags went from [] to ['vip']"

    def test_creation_changes_nothing(self) -> None:
        t = ticket()
        assert not changed("status").holds(at(t, MON))
        assert changed("status").describe(at(t, MON)) == "the latest update created the ticket"

    def test_rejects_fields_that_never_change(self) -> None:
        with pytest.raises(InvalidInputError, match="never changes"):
            changed("channel")


class TestTimeSince:
    def test_calendar_and_business_time(self) -> None:
        t = ticket()  # Monday 09:00
        friday = MON + timedelta(days=4, hours=7)  # Friday 16:00
        assert time_since("created", ">=", "4d").holds(at(t, friday))
        assert not time_since("created", ">=", "40h", calendar=HOURS).holds(at(t, friday))
        business = time_since("created", ">=", "39h", calendar=HOURS)
        assert business.holds(at(t, friday))
        assert business.describe(at(t, friday)) == "1d 15h since created (business hours)"

    def test_agent_reply_falls_back_to_creation(self) -> None:
        t = ticket()
        rule = time_since("agent_reply", ">=", "1h")
        assert rule.next_change_at(at(t, MON)) == MON + timedelta(hours=1)
        replied = t.apply(Replied(at=MON + timedelta(minutes=30), by="agent"))
        assert rule.next_change_at(at(replied, replied.updated_at)) == MON + timedelta(minutes=90)

    def test_a_status_anchor_applies_only_in_that_status(self) -> None:
        t = ticket(StatusChanged(at=MON + timedelta(hours=1), status="pending"))
        day_later = MON + timedelta(hours=25)
        assert time_since("pending", ">=", "24h").holds(at(t, day_later))
        reopened = t.apply(StatusChanged(at=day_later, status="open"))
        assert not time_since("pending", ">=", "1s").holds(at(reopened, day_later))
        assert time_since("pending", ">=", "1s").next_change_at(at(reopened, day_later)) is None

    def test_strict_comparisons_flip_a_microsecond_later(self) -> None:
        t = ticket()
        context = at(t, MON)
        assert time_since("created", ">", "1h").next_change_at(context) == MON + timedelta(
            hours=1, microseconds=1
        )
        assert time_since("created", "<", "1h").next_change_at(context) == MON + timedelta(hours=1)

    def test_business_flip_lands_inside_opening_hours(self) -> None:
        t = ticket()
        flip = time_since("created", ">=", "9h", calendar=HOURS).next_change_at(at(t, MON))
        assert flip == datetime(2026, 3, 3, 10, tzinfo=UTC)

    @given(
        calendar=st.none() | calendars(),
        history=ticket_histories(max_events=8),
        condition=st.builds(
            time_since,
            st.sampled_from(["created", "updated", "status", "agent_reply", "pending"]),
            st.sampled_from(COMPARISONS),
            st.integers(1, 3_000).map(lambda minutes: timedelta(minutes=minutes)),
        ),
        offsets=st.lists(st.floats(0, 1), min_size=1, max_size=5),
    )
    def test_next_change_is_honest(
        self,
        calendar: BusinessCalendar | None,
        history: list[Event],
        condition: TimeSince,
        offsets: list[float],
    ) -> None:
        condition = attrs.evolve(condition, calendar=calendar)
        t = Ticket.replay(history)
        assert_next_change_is_honest(condition, t, t.updated_at, offsets)


def assert_next_change_is_honest(
    condition: Condition, t: Ticket, now: datetime, offsets: list[float], *, sla: bool = False
) -> None:
    """No change before ``next_change_at``; a change at it (these conditions only flip)."""
    before = condition.holds(at(t, now, sla=sla))
    flip = condition.next_change_at(at(t, now, sla=sla))
    horizon = flip or now + timedelta(days=30)
    for offset in offsets:
        sample = now + (horizon - now) * offset
        if sample < horizon:
            assert condition.holds(at(t, sample, sla=sla)) == before, sample
    if flip is not None:
        assert flip > now
        assert condition.holds(at(t, flip, sla=sla)) != before or condition.next_change_at(
            at(t, flip, sla=sla)
        )


class TestDictForms:
    @pytest.mark.parametrize(
        "condition",
        [
            changed("status", from_="open", to="pending"),
            changed("tags", to="vip"),
            time_since("pending", ">=", "24h"),
            sla_clock("first_reply", "used", ">=", 0.75),
            sla_clock("resolution", "due_in", "<=", "30m"),
        ],
    )
    def test_round_trip(self, condition: Condition) -> None:
        assert condition_from_dict(condition.to_dict()) == condition

    def test_calendar_by_name_or_inline(self) -> None:
        data = {"since": "created", "op": ">=", "value": "4h", "calendar": "support"}
        by_name = condition_from_dict(data, calendars={"support": HOURS})
        inline = condition_from_dict(by_name.to_dict())
        context = at(ticket(), MON + timedelta(days=1))
        assert by_name.holds(context) == inline.holds(context)
        assert by_name.next_change_at(context) == inline.next_change_at(context)

    @pytest.mark.parametrize(
        ("data", "path", "message"),
        [
            ({"since": "birthday", "op": ">=", "value": "1h"}, "r.since", "unknown anchor"),
            ({"since": "created", "op": "~", "value": "1h"}, "r.op", "unknown operator"),
            ({"since": "created", "op": ">=", "value": "soon"}, "r.value", "invalid duration"),
            ({"since": "created", "op": ">=", "value": "1h", "calendar": "x"}, "r.calendar",
             "unknown calendar"),
            ({"sla": "first_answer", "measure": "used", "op": ">=", "value": 1}, "r.sla",
             "first_answer"),
            ({"sla": "first_reply", "measure": "left", "op": ">=", "value": 1}, "r.measure",
             "unknown measure 'left'"),
            ({"sla": "first_reply", "measure": "used", "op": ">=", "value": "75%"}, "r.value",
             "fraction"),
            ({"changed": "channel"}, "r.changed", "never changes"),
            ({"changed": "status", "to": "sleeping"}, "r.to", "sleeping"),
            ({"changed": "status", "when": "now"}, "r", "has keys"),
        ],
    )  # fmt: skip
    def test_errors_name_the_path(self, data: dict[str, object], path: str, message: str) -> None:
        with pytest.raises(ConfigError, match=message) as caught:
            condition_from_dict(data, "r")
        assert caught.value.path == path
