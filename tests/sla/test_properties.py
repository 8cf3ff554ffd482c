"""SLA clocks against the calendar and against themselves, on random histories and
calendars in DST-heavy zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from servicekit import Ticket
from servicekit.calendars import BusinessCalendar
from servicekit.sla import DEFAULT_PAUSES, ClockState, Metric, SLAEvaluation, SLAPolicy, Target
from servicekit.testing.strategies import calendars, ticket_histories
from servicekit.tickets import Event, Priority, Status

DONE = {Status.SOLVED, Status.CLOSED}
FORWARD = {
    ClockState.RUNNING: {ClockState.RUNNING, ClockState.BREACHED},
    ClockState.PAUSED: {ClockState.PAUSED},
    ClockState.ACHIEVED: {ClockState.ACHIEVED},
    ClockState.BREACHED: {ClockState.BREACHED},
}


@st.composite
def policies(draw: st.DrawFn, calendar: BusinessCalendar) -> SLAPolicy:
    """Every metric for every priority, in business or calendar hours."""
    targets = {
        priority: {
            metric: Target(
                duration=timedelta(minutes=draw(st.integers(1, 72 * 60))),
                business_hours=draw(st.booleans()),
            )
            for metric in Metric
        }
        for priority in Priority
    }
    return SLAPolicy("p", calendar=calendar, targets=targets)


@st.composite
def cases(draw: st.DrawFn) -> tuple[SLAPolicy, Ticket, datetime]:
    calendar = draw(calendars())
    history: list[Event] = draw(ticket_histories(max_events=12))
    ticket = Ticket.replay(history)
    now = ticket.updated_at + timedelta(seconds=draw(st.integers(0, 5 * 86_400)))
    return draw(policies(calendar)), ticket, now


def measured(policy: SLAPolicy, target: Target, start: datetime, end: datetime) -> timedelta:
    if not target.business_hours:
        return end - start
    assert policy.calendar is not None
    return policy.calendar.elapsed(start, end)


def oracle_elapsed(
    policy: SLAPolicy, ticket: Ticket, metric: Metric, target: Target, now: datetime
) -> timedelta:
    """Time outside pauses and solved/closed, from the ticket's own status periods."""
    total = timedelta(0)
    for period in ticket.facts.status_periods:
        if period.status in DEFAULT_PAUSES[metric] | DONE:
            continue
        end = now if period.end is None else min(period.end, now)
        if end > period.start:
            total += measured(policy, target, period.start, end)
    return total


@given(cases())
def test_resolution_type_clocks_count_the_calendar_outside_pauses(
    case: tuple[SLAPolicy, Ticket, datetime],
) -> None:
    policy, ticket, now = case
    evaluation = policy.evaluate(ticket, now=now)
    for clock in evaluation:
        assert clock.remaining + clock.elapsed == clock.target.duration
        if not clock.metric.resumes:
            continue
        assert clock.elapsed == oracle_elapsed(policy, ticket, clock.metric, clock.target, now)
        if clock.breached_at is not None:
            assert (
                oracle_elapsed(policy, ticket, clock.metric, clock.target, clock.breached_at)
                == clock.target.duration
            )


@given(cases())
def test_running_clocks_are_due_after_their_remaining_time(
    case: tuple[SLAPolicy, Ticket, datetime],
) -> None:
    policy, ticket, now = case
    for clock in policy.evaluate(ticket, now=now):
        if clock.state is ClockState.RUNNING:
            assert clock.due_at is not None
            assert clock.due_at > now
            assert measured(policy, clock.target, now, clock.due_at) == clock.remaining
        if clock.state is ClockState.BREACHED:
            assert clock.due_at == clock.breached_at
            assert clock.breached_at is not None
            assert clock.breached_at <= now


def signature(evaluation: SLAEvaluation, at: datetime) -> list[tuple[object, ...]]:
    """What an app would act on: each clock's state and thresholds crossed by ``at``."""
    return [
        (c.metric, c.cycle, c.state, sum(t.at is not None and t.at <= at for t in c.thresholds))
        for c in evaluation
    ]


@given(cases(), st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=4))
def test_nothing_changes_before_next_change_at_and_something_does_at_it(
    case: tuple[SLAPolicy, Ticket, datetime], fractions: list[float]
) -> None:
    policy, ticket, now = case
    evaluation = policy.evaluate(ticket, now=now)
    wake = evaluation.next_change_at
    if wake is None:
        later = policy.evaluate(ticket, now=now + timedelta(days=400))
        assert signature(later, later.now) == signature(evaluation, now)
        return
    assert wake > now
    for fraction in fractions:
        between = now + (wake - now) * fraction
        if between < wake:
            assert signature(policy.evaluate(ticket, now=between), between) == signature(
                evaluation, now
            )
    assert signature(policy.evaluate(ticket, now=wake), wake) != signature(evaluation, now)


@given(cases(), st.integers(1, 10 * 86_400))
def test_states_only_move_forward(case: tuple[SLAPolicy, Ticket, datetime], seconds: int) -> None:
    policy, ticket, now = case
    before = policy.evaluate(ticket, now=now)
    after = policy.evaluate(ticket, now=now + timedelta(seconds=seconds))
    assert [(c.metric, c.cycle) for c in after] == [(c.metric, c.cycle) for c in before]
    for old, new in zip(before, after, strict=True):
        assert new.state in FORWARD[old.state]
        assert new.elapsed >= old.elapsed


@given(cases(), st.sampled_from(["UTC", "Asia/Kathmandu", "America/Santiago", "Pacific/Chatham"]))
def test_results_do_not_depend_on_the_zone_of_now(
    case: tuple[SLAPolicy, Ticket, datetime], zone: str
) -> None:
    policy, ticket, now = case
    here = policy.evaluate(ticket, now=now.astimezone(UTC))
    there = policy.evaluate(ticket, now=now.astimezone(ZoneInfo(zone)))
    assert there.clocks == here.clocks
    assert there.next_change_at == here.next_change_at
