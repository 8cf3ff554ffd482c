"""What the configured escalation rules would have fired: on the demo (whose
simulation applies the same rules as it goes) it is what the history records; recorded
events of other rules are not counted; fuzzed histories raise nothing else."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit import Ticket, simulation
from servicekit.errors import ServicekitError
from servicekit.kpi import period_start
from servicekit.report import ReportConfig, weekly_report
from servicekit.testing.strategies import ticket_histories
from servicekit.tickets import Escalated, Event
from tests.report.test_weekly import CONFIG, MONDAY, WEEK


def test_the_demo_fires_what_it_recorded() -> None:
    config = ReportConfig.from_dict(simulation.EXAMPLE_CONFIG)
    start = period_start(datetime(2026, 11, 23, 12, tzinfo=config.tz), "day", config.tz)
    result = simulation.simulate(simulation.example_team(), start=start, days=2, seed=4)
    weekly = weekly_report(result.tickets, start=result.start, end=result.end, config=config,
                           evaluate_rules=True)  # fmt: skip
    assert weekly.would_fire is not None
    fired = {rule: count for rule, count in weekly.would_fire if count}
    assert fired == dict(weekly.escalations)
    assert sum(fired.values()) > 10


def test_recorded_events_of_other_rules_are_set_aside() -> None:
    at = MONDAY + timedelta(hours=9)
    ticket = Ticket.create(id="T-1", at=at, requester="c", channel="email")
    ticket = ticket.apply(Escalated(at=at + timedelta(minutes=5), rule="old rule"))
    weekly = weekly_report([ticket], start=MONDAY, end=WEEK, config=CONFIG, evaluate_rules=True)
    assert weekly.escalations == (("old rule", 1),)
    assert weekly.would_fire == (("late", 1), ("quiet", 0))


def test_without_rules_evaluation_says_so() -> None:
    weekly = weekly_report([], start=MONDAY, end=WEEK, evaluate_rules=True)
    assert weekly.would_fire == ()
    assert "no rules in the settings" in weekly.to_text()


@settings(max_examples=30, deadline=None)
@given(st.lists(ticket_histories(max_events=8), max_size=4), st.sampled_from(["day", "week"]))
def test_fuzzed_histories_raise_only_servicekit_errors(
    histories: list[list[Event]], by: str
) -> None:
    tickets = []
    for history in histories:
        with contextlib.suppress(ServicekitError):
            tickets.append(Ticket.replay(history))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with contextlib.suppress(ServicekitError):
        weekly = weekly_report(tickets, start=start, end=start + timedelta(days=60), by=by,
                               config=CONFIG, evaluate_rules=True)  # fmt: skip
        assert weekly.to_text()
        assert weekly.to_rows()
