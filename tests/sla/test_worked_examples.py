"""Worked SLA examples: due dates, pauses, cycles, reopens, boundaries, re-targeting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from servicekit import BusinessCalendar, Ticket
from servicekit.conditions import where
from servicekit.errors import ConfigError, InvalidInputError
from servicekit.sla import ClockState, Metric, PolicySet, SLAPolicy, Target
from servicekit.tickets import Event, PriorityChanged, Replied, StatusChanged

NY = ZoneInfo("America/New_York")
MON = datetime(2026, 3, 2, 9, tzinfo=UTC)
HOURS = BusinessCalendar(tz="America/New_York", weekly={"mon-fri": ["09:00-17:00"]})


def calendar_hours(**metrics: str) -> dict[str, dict[str, Any]]:
    """Targets in calendar hours for normal and urgent priority."""
    targets = {m: {"duration": d, "business_hours": False} for m, d in metrics.items()}
    return {"normal": targets, "urgent": targets}


def at(hours: float) -> datetime:
    return MON + timedelta(hours=hours)


def ticket(*events: Event, start: datetime = MON, **created: object) -> Ticket:
    result = Ticket.create(id="T-1", at=start, requester="c-1", **created)  # type: ignore[arg-type]
    for event in events:
        result = result.apply(event)
    return result


class TestDueDates:
    def test_friday_afternoon_first_reply_is_due_monday_noon(self) -> None:
        policy = SLAPolicy("std", calendar=HOURS, targets={"normal": {"first_reply": "4h"}})
        friday = datetime(2026, 3, 6, 16, tzinfo=NY)
        clock = policy.evaluate(ticket(start=friday), now=friday).clock(Metric.FIRST_REPLY)
        assert clock is not None
        assert clock.state is ClockState.RUNNING
        assert clock.due_at == datetime(2026, 3, 9, 12, tzinfo=NY)
        assert clock.due_at.tzinfo == NY
        # Thresholds: 2h Friday 16:00 + 1h, 3h, 3.6h of business time.
        assert [t.at for t in clock.thresholds] == [
            datetime(2026, 3, 9, 10, tzinfo=NY),
            datetime(2026, 3, 9, 11, tzinfo=NY),
            datetime(2026, 3, 9, 11, 36, tzinfo=NY),
        ]

    def test_evaluation_says_when_to_wake_up(self) -> None:
        policy = SLAPolicy("std", calendar=HOURS, targets={"normal": {"first_reply": "4h"}})
        friday = datetime(2026, 3, 6, 16, tzinfo=NY)
        evaluation = policy.evaluate(ticket(start=friday), now=friday)
        assert evaluation.next_change_at == datetime(2026, 3, 9, 10, tzinfo=NY)


class TestBoundaries:
    policy = SLAPolicy("24/7", targets=calendar_hours(first_reply="1h"))

    def test_a_reply_exactly_at_due_time_achieves(self) -> None:
        replied = ticket(Replied(at=at(1), by="agent"))
        clock = self.policy.evaluate(replied, now=at(1)).clock("first_reply")
        assert clock is not None
        assert clock.state is ClockState.ACHIEVED
        assert clock.remaining == timedelta(0)

    def test_still_running_at_due_time_is_breached_then(self) -> None:
        clock = self.policy.evaluate(ticket(), now=at(1)).clock("first_reply")
        assert clock is not None
        assert clock.state is ClockState.BREACHED
        assert clock.breached_at == clock.due_at == at(1)

    def test_one_microsecond_before_is_running(self) -> None:
        now = at(1) - timedelta(microseconds=1)
        evaluation = self.policy.evaluate(ticket(), now=now)
        clock = evaluation.clock("first_reply")
        assert clock is not None
        assert clock.state is ClockState.RUNNING
        assert evaluation.next_change_at == at(1)

    def test_a_late_reply_is_breached_at_due_time(self) -> None:
        clock = self.policy.evaluate(ticket(Replied(at=at(3), by="agent")), now=at(5)).clock(
            "first_reply"
        )
        assert clock is not None
        assert clock.state is ClockState.BREACHED
        assert clock.breached_at == at(1)
        assert clock.stopped_at == at(3)
        assert clock.remaining == timedelta(hours=-2)
        assert clock.fraction_used == 3.0

    def test_now_before_the_last_event_is_an_error(self) -> None:
        with pytest.raises(InvalidInputError, match="earlier than ticket T-1's last event"):
            self.policy.evaluate(ticket(Replied(at=at(3), by="agent")), now=at(2))


class TestPauses:
    policy = SLAPolicy(
        "24/7", targets=calendar_hours(requester_wait="8h", agent_work="8h", resolution="8h")
    )

    def test_pending_time_does_not_count_toward_requester_wait(self) -> None:
        t = ticket(
            StatusChanged(at=at(1), status="pending"),
            Replied(at=at(4), by="customer"),  # back to open
            StatusChanged(at=at(5), status="on_hold"),
            StatusChanged(at=at(6), status="solved"),
        )
        evaluation = self.policy.evaluate(t, now=at(10))
        elapsed = {clock.metric: clock.elapsed for clock in evaluation}
        assert elapsed == {
            Metric.REQUESTER_WAIT: timedelta(hours=3),  # 1h new + 1h open + 1h on hold
            Metric.AGENT_WORK: timedelta(hours=2),  # on hold pauses it too
            Metric.RESOLUTION: timedelta(hours=6),
        }
        assert all(clock.state is ClockState.ACHIEVED for clock in evaluation)
        assert evaluation.next_change_at is None

    def test_a_paused_clock_says_why(self) -> None:
        t = ticket(StatusChanged(at=at(1), status="pending"))
        clock = self.policy.evaluate(t, now=at(3)).clock("requester_wait")
        assert clock is not None
        assert clock.state is ClockState.PAUSED
        assert clock.paused_by is not None
        assert clock.due_at is None
        assert (
            clock.reason == "requester wait: paused while pending, 1h of 8h (calendar hours) used"
        )

    def test_pauses_are_configurable(self) -> None:
        policy = SLAPolicy(
            "custom", targets=calendar_hours(resolution="8h"), pauses={"resolution": ["on_hold"]}
        )
        t = ticket(StatusChanged(at=at(1), status="on_hold"))
        clock = policy.evaluate(t, now=at(3)).clock("resolution")
        assert clock is not None
        assert clock.state is ClockState.PAUSED

    def test_reopened_ticket_resumes_its_resolution_clock(self) -> None:
        t = ticket(StatusChanged(at=at(2), status="solved"), Replied(at=at(24), by="customer"))
        clock = self.policy.evaluate(t, now=at(25)).clock("resolution")
        assert clock is not None
        assert clock.state is ClockState.RUNNING
        assert clock.elapsed == timedelta(hours=3)
        assert clock.due_at == at(30)


class TestCycles:
    policy = SLAPolicy(
        "24/7", targets=calendar_hours(next_reply="2h", periodic_update="4h", first_reply="1h")
    )

    def test_next_reply_cycles(self) -> None:
        t = ticket(
            Replied(at=at(1), by="agent"),
            Replied(at=at(2), by="customer"),  # cycle 1 starts
            Replied(at=at(2.5), by="customer"),  # same cycle
            Replied(at=at(3), by="agent"),  # cycle 1 achieved after 1h
            Replied(at=at(5), by="customer"),  # cycle 2 starts
        )
        evaluation = self.policy.evaluate(t, now=at(8))
        cycles = [c for c in evaluation if c.metric is Metric.NEXT_REPLY]
        assert [(c.cycle, c.state, c.elapsed) for c in cycles] == [
            (1, ClockState.ACHIEVED, timedelta(hours=1)),
            (2, ClockState.BREACHED, timedelta(hours=3)),
        ]
        assert cycles[1].breached_at == at(7)
        assert evaluation.clock("next_reply", cycle=1) == cycles[0]

    def test_periodic_update_runs_from_each_agent_reply(self) -> None:
        t = ticket(Replied(at=at(1), by="agent"), Replied(at=at(3), by="agent"))
        cycles = [c for c in self.policy.evaluate(t, now=at(4)) if c.metric.cycles]
        assert [(c.metric, c.cycle, c.started_at, c.stopped_at) for c in cycles] == [
            (Metric.PERIODIC_UPDATE, 1, at(1), at(3)),
            (Metric.PERIODIC_UPDATE, 2, at(3), None),
        ]

    def test_solving_stops_cycles_and_drops_empty_ones(self) -> None:
        t = ticket(Replied(at=at(1), by="agent"), StatusChanged(at=at(1), status="solved"))
        assert [c.metric for c in self.policy.evaluate(t, now=at(9))] == [Metric.FIRST_REPLY]

    def test_agent_opened_ticket_waits_for_the_customer(self) -> None:
        t = ticket(Replied(at=MON, by="agent"), by="agent", author_id="a-1")
        assert self.policy.evaluate(t, now=at(5)).clock("first_reply") is None
        t = t.apply(Replied(at=at(6), by="customer"))
        clock = self.policy.evaluate(t, now=at(6.5)).clock("first_reply")
        assert clock is not None
        assert clock.started_at == at(6)
        assert clock.state is ClockState.RUNNING

    def test_bot_replies_do_not_stop_clocks(self) -> None:
        clock = self.policy.evaluate(ticket(Replied(at=at(0.5), by="bot")), now=at(0.75)).clock(
            "first_reply"
        )
        assert clock is not None
        assert clock.state is ClockState.RUNNING


class TestPriority:
    policy = SLAPolicy(
        "std",
        targets={
            "normal": {"first_reply": Target(duration=timedelta(hours=4), business_hours=False)},
            "urgent": {"first_reply": Target(duration=timedelta(hours=1), business_hours=False)},
        },
    )

    def test_priority_change_retargets_a_running_clock(self) -> None:
        t = ticket(PriorityChanged(at=at(0.5), priority="urgent"))
        clock = self.policy.evaluate(t, now=at(0.75)).clock("first_reply")
        assert clock is not None
        assert clock.target.duration == timedelta(hours=1)
        assert clock.due_at == at(1)

    def test_a_stopped_clock_keeps_the_priority_it_stopped_under(self) -> None:
        t = ticket(Replied(at=at(2), by="agent"), PriorityChanged(at=at(3), priority="urgent"))
        clock = self.policy.evaluate(t, now=at(3)).clock("first_reply")
        assert clock is not None
        assert (clock.state, clock.priority) == (ClockState.ACHIEVED, "normal")

    def test_no_target_for_the_priority_means_no_clock(self) -> None:
        t = ticket(priority="low")
        assert self.policy.evaluate(t, now=at(1)).clocks == ()


class TestPolicySet:
    vip = SLAPolicy(
        "vip", applies_to=where("tags", "contains", "vip"), targets=calendar_hours(first_reply="1h")
    )
    standard = SLAPolicy("standard", targets=calendar_hours(first_reply="8h"))

    def test_first_match_wins(self) -> None:
        policies = PolicySet([self.vip, self.standard])
        evaluation = policies.evaluate(ticket(tags=["vip"]), now=at(0))
        assert evaluation.policy == "vip"
        assert evaluation.reason == "policy 'vip' applies: tags contains 'vip'"
        assert policies.evaluate(ticket(), now=at(0)).policy == "standard"

    def test_no_match_means_no_clocks_and_says_so(self) -> None:
        evaluation = PolicySet([self.vip]).evaluate(ticket(), now=at(0))
        assert evaluation.clocks == ()
        assert evaluation.next_change_at is None
        assert evaluation.reason == "no policy applies (checked 'vip')"

    def test_names_are_unique(self) -> None:
        with pytest.raises(ConfigError, match=r"policies\[1\].name: duplicate policy name"):
            PolicySet([self.vip, self.vip])
