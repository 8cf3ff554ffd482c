"""servicekit.testing: each strategy keeps its promise, and the table assertions report
every mismatch at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import find, given
from hypothesis import strategies as st

from servicekit import BusinessCalendar, SLAPolicy, Ticket
from servicekit.errors import InvalidInputError
from servicekit.routing import AgentState, Task
from servicekit.testing import ReferenceCalendar, assert_due_dates, assert_sla_states
from servicekit.testing.strategies import (
    AGENT_IDS,
    ROUTING_AT,
    ZONES,
    agent_states,
    calendars,
    durations,
    instants,
    queued_tasks,
    ticket_histories,
)
from servicekit.tickets import Event, Replied

LOW = datetime(2026, 3, 1, tzinfo=UTC)
HIGH = datetime(2026, 4, 15, tzinfo=UTC)


class TestStrategies:
    @given(calendars(zones=("Europe/London", "Asia/Kathmandu")))
    def test_calendars_use_the_requested_zones(self, cal: BusinessCalendar) -> None:
        assert cal.tz.key in ("Europe/London", "Asia/Kathmandu")
        assert any(cal.weekly)

    @given(calendars(overnight=False, holidays=False, overrides=False, closures=False))
    def test_calendar_features_switch_off(self, cal: BusinessCalendar) -> None:
        assert cal.tz.key in ZONES
        assert not cal.holidays
        assert not cal.overrides
        assert not cal.closures
        assert all(iv.end <= 86_400 for day in cal.weekly for iv in day)

    @given(st.data())
    def test_instants_fall_between_their_bounds(self, data: st.DataObject) -> None:
        cal = data.draw(calendars())
        t = data.draw(instants(cal, min_value=LOW, max_value=HIGH))
        assert LOW <= t <= HIGH
        assert t.tzinfo is not None

    @given(st.data())
    def test_durations_are_positive_and_bounded(self, data: st.DataObject) -> None:
        cal = data.draw(st.none() | calendars())
        d = data.draw(durations(cal))
        assert timedelta(0) < d <= timedelta(days=30)

    @given(ticket_histories(max_events=12))
    def test_histories_replay(self, history: list[Event]) -> None:
        assert Ticket.replay(history).history == tuple(history)

    @given(agent_states(weighted=True, channels=("chat",)))
    def test_agent_states_keep_their_promises(self, agent: AgentState) -> None:
        assert agent.id in AGENT_IDS
        assert agent.weighted is not None
        assert set(agent.load) <= {"chat"}
        for at in (agent.last_assigned_at, agent.idle_since):
            assert at is None or ROUTING_AT - timedelta(days=1) <= at <= ROUTING_AT
        assert AgentState.from_dict(agent.to_dict()) == agent

    @given(queued_tasks(languages=("pt",)))
    def test_queued_tasks_keep_their_promises(self, task: Task) -> None:
        assert ROUTING_AT - timedelta(hours=8) <= task.arrived_at <= ROUTING_AT
        assert task.language in (None, "pt")
        assert set(task.preferred_agents) | task.excluded_agents <= set(AGENT_IDS)


class TestShrinking:
    """Failures shrink to small, readable examples."""

    def test_agent_states_shrink_to_one_skill(self) -> None:
        found = find(agent_states(), lambda agent: sum(agent.skills.values()) >= 3)
        assert len(found.skills) == 1
        assert sum(found.skills.values()) == 3
        assert (found.capacity, found.weighted, dict(found.load)) == (None, None, {})

    def test_histories_shrink_to_one_reply(self) -> None:
        found = find(ticket_histories(), lambda h: any(isinstance(e, Replied) for e in h))
        assert len(found) == 2


class TestReference:
    def test_window_is_enforced(self) -> None:
        cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
        reference = ReferenceCalendar(cal, around=LOW, days=10)
        with pytest.raises(InvalidInputError, match="outside the reference window"):
            reference.is_open(LOW + timedelta(days=30))


HOURS = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
MON = datetime(2026, 3, 2, 9, tzinfo=UTC)


class TestAssertions:
    def test_due_dates_pass_silently(self) -> None:
        assert_due_dates(HOURS, [(MON, "8h", MON + timedelta(hours=8))])

    def test_due_dates_report_every_mismatch(self) -> None:
        rows: list[tuple[datetime, timedelta | str, datetime]] = [
            (MON, "1h", MON + timedelta(hours=2)),
            (MON, "8h", MON + timedelta(hours=8)),
            (MON, timedelta(hours=9), MON + timedelta(hours=9)),
        ]
        with pytest.raises(AssertionError) as caught:
            assert_due_dates(HOURS, rows)
        report = str(caught.value)
        assert report.startswith("2 of 3 due dates differ:")
        assert [line.split(":")[0].strip() for line in report.splitlines()[1:]] == [
            "row 0",
            "row 2",
        ]

    def test_sla_states_report_every_mismatch(self) -> None:
        policy = SLAPolicy("p", calendar=HOURS, targets={"normal": {"first_reply": "4h"}})
        ticket = Ticket.create(id="T-1", at=MON, requester="c")
        assert_sla_states(policy, ticket, MON + timedelta(hours=1), {"first_reply": "running"})
        with pytest.raises(AssertionError) as caught:
            assert_sla_states(
                policy,
                ticket,
                MON + timedelta(hours=5),
                {"first_reply": "running", "resolution": "running", "next_reply#2": "none"},
            )
        report = str(caught.value)
        assert report.startswith("2 of 3 clocks differ:")
        assert "first_reply: expected running, got breached (first reply: breached" in report
        assert "resolution: expected running, got none" in report
