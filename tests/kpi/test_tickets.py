"""Ticket metrics and periods."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given

from servicekit import BusinessCalendar, SLAPolicy, Ticket
from servicekit.errors import InvalidInputError
from servicekit.kpi import (
    backlog,
    by_period,
    fcr,
    first_reply_times,
    period_start,
    reopen_rate,
    resolution_times,
    segment_by,
    sla_attainment,
)
from servicekit.testing import ReferenceCalendar
from servicekit.testing.strategies import calendars, ticket_histories
from servicekit.tickets import Event, Replied, StatusChanged

MON = datetime(2026, 3, 2, 9, tzinfo=UTC)
HOURS = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})


def ticket(id: str, *steps: tuple[int, Event | str], requester: str = "c") -> Ticket:
    """A ticket created at MON, then each step ``(minutes after MON, event or kind)``."""
    t = Ticket.create(id=id, at=MON, requester=requester)
    for minutes, step in steps:
        at = MON + timedelta(minutes=minutes)
        if step == "agent":
            t = t.apply(Replied(at=at, by="agent"))
        elif step == "customer":
            t = t.apply(Replied(at=at, by="customer"))
        elif isinstance(step, str):
            t = t.apply(StatusChanged(at=at, status=step))
        else:
            t = t.apply(step)
    return t


# Zendesk's one-touch idea: solved with one public agent reply, never reopened.
ONE_TOUCH = ticket("one", (30, "agent"), (31, "solved"))
TWO_TOUCH = ticket("two", (30, "agent"), (90, "customer"), (120, "agent"), (121, "solved"))
REOPENED = ticket("reo", (30, "agent"), (31, "solved"), (600, "customer"), (660, "solved"))
NO_REPLY = ticket("none", (10, "solved"))
OPEN = ticket("open", (45, "agent"))
ALL = [ONE_TOUCH, TWO_TOUCH, REOPENED, NO_REPLY, OPEN]


class TestTicketMetrics:
    def test_first_reply(self) -> None:
        summary = first_reply_times(ALL)
        assert (4, timedelta(minutes=30), timedelta(minutes=45)) == (
            summary.count, summary.median, summary.max
        )  # fmt: skip

    def test_first_reply_in_business_hours(self) -> None:
        friday = datetime(2026, 3, 6, 16, tzinfo=UTC)
        late = Ticket.create(id="f", at=friday, requester="c").apply(
            Replied(at=friday + timedelta(days=3), by="agent")  # Monday 16:00
        )
        assert timedelta(hours=8) == first_reply_times([late], calendar=HOURS).median
        assert timedelta(days=3) == first_reply_times([late]).median

    def test_resolution_first_and_full(self) -> None:
        assert resolution_times(ALL, which="first").count == 4
        full = resolution_times(ALL, which="full")
        assert (4, timedelta(minutes=660)) == (full.count, full.max)

    @pytest.mark.parametrize(
        ("definition", "successes", "count"),
        [("one_touch", 1, 4), ("no_customer_followup", 2, 4)],
    )
    def test_fcr_definitions(self, definition: str, successes: int, count: int) -> None:
        result = fcr(ALL, definition=definition)
        assert (successes, count) == (result.successes, result.count)

    def test_fcr_repeat_window(self) -> None:
        first = ticket("a", (30, "agent"), (31, "solved"), requester="r1")
        again = Ticket.create(id="b", at=MON + timedelta(days=2), requester="r1")
        other = ticket("c", (30, "agent"), (31, "solved"), requester="r2")
        result = fcr([first, again, other], definition="repeat_window", window="3d")
        assert (result.successes, result.count) == (1, 2)
        assert fcr([first, again, other], definition="repeat_window", window="1d").value == 1.0

    def test_fcr_window_only_with_repeat_window(self) -> None:
        with pytest.raises(InvalidInputError, match="a window is needed"):
            fcr(ALL, definition="repeat_window")
        with pytest.raises(InvalidInputError, match="a window is needed"):
            fcr(ALL, definition="one_touch", window="3d")

    def test_reopen_rate(self) -> None:
        result = reopen_rate(ALL)
        assert (result.successes, result.count) == (1, 4)

    def test_backlog_at_an_instant(self) -> None:
        at = MON + timedelta(minutes=300)
        result = backlog(ALL, now=at)
        assert (1, timedelta(minutes=300)) == (result.count, result.age.max)
        assert backlog(ALL, now=MON + timedelta(minutes=620)).count == 2  # reopened one counts
        assert backlog(ALL, now=MON - timedelta(minutes=1)).count == 0

    def test_sla_attainment_leaves_running_clocks_out(self) -> None:
        policy = SLAPolicy("p", targets={"normal": {"first_reply": {"duration": "40m",
                                                    "business_hours": False}}})  # fmt: skip
        now = MON + timedelta(hours=12)
        clocks = [c for t in ALL for c in policy.evaluate(t, now=now).clocks
                  if c.metric == "first_reply"]  # fmt: skip
        clocks.append(policy.evaluate(Ticket.create(id="new", at=now, requester="c"), now=now)
                      .clocks[0])  # fmt: skip
        result = sla_attainment(clocks)
        # "none" was solved without a reply, which stops its first-reply clock in time.
        assert (result.achieved, result.breached, result.still_open) == (4, 1, 1)
        assert result.value == 0.8

    @given(ticket_histories(max_events=12), calendars(holidays=False, closures=False))
    def test_business_reply_time_agrees_with_the_reference(
        self, history: list[Event], calendar: BusinessCalendar
    ) -> None:
        t = Ticket.replay(history)
        summary = first_reply_times([t], calendar=calendar)
        reply = t.facts.first_public_agent_reply_at
        if reply is None:
            assert summary.count == 0
        else:
            assert (
                ReferenceCalendar(calendar, t.created_at).elapsed(t.created_at, reply)
                == summary.median
            )


class TestPeriods:
    def test_days_in_a_zone(self) -> None:
        ny = ZoneInfo("America/New_York")
        stamps = [MON, MON + timedelta(hours=20, microseconds=-1), MON + timedelta(hours=20)]
        grouped = by_period(stamps, key=lambda t: t, period="day", tz="America/New_York")
        assert [datetime(2026, 3, 2, tzinfo=ny), datetime(2026, 3, 3, tzinfo=ny)] == list(grouped)
        assert [len(items) for items in grouped.values()] == [2, 1]

    def test_dst_day_is_23_hours(self) -> None:
        ny = ZoneInfo("America/New_York")
        day = period_start(datetime(2026, 3, 8, 12, tzinfo=ny), "day", ny)
        following = period_start(datetime(2026, 3, 9, 12, tzinfo=ny), "day", ny)
        # Same-zone subtraction is wall-clock in Python; in UTC the day is 23 hours.
        assert timedelta(hours=23) == following.astimezone(UTC) - day.astimezone(UTC)

    def test_weeks_and_months(self) -> None:
        thursday = datetime(2026, 3, 5, 12, tzinfo=UTC)
        assert datetime(2026, 3, 2, tzinfo=UTC) == period_start(thursday, "week", ZoneInfo("UTC"))
        assert datetime(2026, 3, 1, tzinfo=UTC) == period_start(thursday, "week", ZoneInfo("UTC"),
                                                                week_start="sun")  # fmt: skip
        assert datetime(2026, 3, 1, tzinfo=UTC) == period_start(thursday, "month", ZoneInfo("UTC"))

    def test_bad_period(self) -> None:
        with pytest.raises(InvalidInputError, match="'year' is not a valid period"):
            period_start(MON, "year", ZoneInfo("UTC"))

    def test_segments_sorted(self) -> None:
        grouped = segment_by(ALL, key=lambda t: t.status)
        assert [str(status) for status in grouped] == ["open", "solved"]
