"""Type-only checks of the public API: mypy --strict reads this file, pytest does not run it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, assert_type

from servicekit import (
    BusinessCalendar,
    Channel,
    HolidaySet,
    Priority,
    Status,
    Ticket,
    escalation,
    format_duration,
    parse_duration,
    staffing,
)
from servicekit.calendars import Calendar, CombinedCalendar
from servicekit.conditions import time_since
from servicekit.tickets import Event, Replied


def check_calendar_types() -> None:
    cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    t = datetime(2026, 1, 5, tzinfo=UTC)
    assert_type(cal.add(t, timedelta(hours=1)), datetime)
    assert_type(cal.elapsed(t, t), timedelta)
    assert_type(cal.is_open(t), bool)
    assert_type(cal.intervals(t, t), list[tuple[datetime, datetime]])
    assert_type(cal | cal, CombinedCalendar)
    combined: Calendar = cal & BusinessCalendar.always()
    assert_type(combined.next_open(t), datetime)
    assert_type(HolidaySet.from_dates([date(2026, 1, 1)]).name(date(2026, 1, 1)), str | None)
    assert_type(parse_duration("4h"), timedelta)
    assert_type(format_duration(timedelta(hours=4)), str)


def check_ticket_types() -> None:
    t = datetime(2026, 1, 5, tzinfo=UTC)
    ticket = Ticket.create(id="T-1", at=t, requester="c", priority="high", channel="sms")
    assert_type(ticket, Ticket)
    assert_type(ticket.apply(Replied(at=t, by="agent")), Ticket)
    assert_type(ticket.status, Status)
    assert_type(ticket.priority >= Priority.HIGH, bool)
    assert_type(ticket.channel, Channel | str)
    assert_type(ticket.history[0], Event)
    assert_type(ticket.history[1:], tuple[Event, ...])
    assert_type(ticket.facts.first_public_agent_reply_at, datetime | None)
    assert_type(ticket.facts.time_in_status(), dict[Status, timedelta])
    assert_type(ticket.to_dict(), dict[str, Any])


def check_staffing_types() -> None:
    plan = staffing.agents_required(calls=100, interval="30m", aht="3m", target="20s")
    assert_type(plan.agents, int)
    assert_type(plan.metrics.asa, timedelta | None)
    assert_type(staffing.erlang_c(10.0, 14), float)
    table = staffing.staffing_table([40, 100], interval="30m", aht="3m", target="20s")
    assert_type(table.rows[0].plan, staffing.StaffingPlan)
    assert_type(staffing.feasibility(table, team=[10, 20]).feasible, bool)
    assert_type(
        staffing.feasibility(table, team=12).intervals[0].achievable_target, timedelta | None
    )


def check_escalation_types() -> None:
    t = datetime(2026, 1, 5, tzinfo=UTC)
    ticket = Ticket.create(id="T-1", at=t, requester="c")
    rule = escalation.EscalationRule(
        "r", all=[time_since("created", ">=", "1h")], actions=[escalation.Notify("lead")]
    )
    decision = escalation.evaluate([rule], ticket, now=t)
    assert_type(decision.next_change_at, datetime | None)
    assert_type(decision.actions[0].action, escalation.Action)
    assert_type(decision.ticket, Ticket)
