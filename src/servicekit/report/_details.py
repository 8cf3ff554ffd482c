"""What the report's charts show beyond the period summaries: the backlog over time,
the first-reply distribution, the staffing shortfall by hour of week, and a row per
agent. Computed by :func:`~servicekit.report.weekly_report` from the tickets, so the
page renders from the report alone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import attrs

from servicekit.calendars import Calendar
from servicekit.errors import ServicekitError
from servicekit.kpi import (
    DurationSummary,
    FCRDefinition,
    Period,
    Proportion,
    backlog,
    fcr,
    first_reply_times,
    reopen_rate,
)
from servicekit.report._config import StaffingGoal
from servicekit.report._summary import positive
from servicekit.report._trend import PeriodRow, period_bounds
from servicekit.staffing import agents_required
from servicekit.tickets import Author, Replied, Ticket

FIRST_REPLY_EDGES = tuple(timedelta(minutes=m) for m in (0, 1, 5, 15, 30, 60, 120, 240, 480, 1440))
"""The lower edges of the first-reply bins; the last bin has no upper edge."""

_DAILY_BACKLOG_DAYS = 62  # up to two months the backlog is drawn day by day


@attrs.frozen(kw_only=True)
class AgentRow:
    """One agent's tickets: those they own (last assigned, or else the first to reply
    publicly) created, solved or rated in the period.

    Attributes:
        agent: the agent's id.
        tickets: tickets created in the period that they own.
        first_reply: first reply times of those tickets (business hours if the report
            has a calendar).
        csat: satisfaction ratings given in the period on their tickets.
        fcr: one-touch resolution of their tickets solved in the period.
        reopened: the share of those solved tickets that were reopened.

    >>> from servicekit.kpi import Proportion, first_reply_times
    >>> AgentRow(agent="ana", tickets=0, first_reply=first_reply_times([]),
    ...          csat=Proportion.of(0, 0), fcr=Proportion.of(0, 0),
    ...          reopened=Proportion.of(0, 0)).first_reply.count
    0
    """

    agent: str
    tickets: int
    first_reply: DurationSummary
    csat: Proportion
    fcr: Proportion
    reopened: Proportion


@attrs.frozen(kw_only=True)
class ShortfallCell:
    """One hour of the week (local): contacts per occurrence of that hour, the agents
    Erlang C says they needed, the agents who took them, and the difference.

    Attributes:
        weekday: 0 (Monday) to 6.
        hour: 0 to 23, local.
        contacts: tickets created in that hour, averaged over its occurrences.
        needed: agents needed by the staffing goal, summed over its channels
            (``None`` if the goal is out of reach at that volume).
        seen: agents who took those tickets, averaged over the occurrences.

    >>> ShortfallCell(weekday=0, hour=9, contacts=12.0, needed=3, seen=1.5).shortfall
    1.5
    """

    weekday: int
    hour: int
    contacts: float
    needed: int | None
    seen: float

    @property
    def shortfall(self) -> float:
        """Agents needed minus agents seen, at least 0 (0 when unknown)."""
        return 0.0 if self.needed is None else max(0.0, self.needed - self.seen)


@attrs.frozen(kw_only=True)
class ReportDetails:
    """The figures behind the report's charts: ``WeeklyReport.details``.

    >>> from datetime import datetime, UTC
    >>> from servicekit.report import weekly_report
    >>> details = weekly_report([], start=datetime(2026, 3, 2, tzinfo=UTC),
    ...                         end=datetime(2026, 3, 4, tzinfo=UTC)).details
    >>> [count for _, count in details.backlog], details.agents
    ([0, 0], ())

    Attributes:
        backlog: ``(instant, open tickets)`` at each day's end for periods up to two
            months, else at each trend period's end.
        first_reply_bins: ``(low, high, tickets)``, ``high`` ``None`` for the last bin.
        business_hours: whether first replies are measured in business hours.
        shortfall: the 168 hours of the week (empty without a staffing goal).
        agents: one row per agent, most tickets first.
    """

    backlog: tuple[tuple[datetime, int], ...]
    first_reply_bins: tuple[tuple[timedelta, timedelta | None, int], ...]
    business_hours: bool
    shortfall: tuple[ShortfallCell, ...]
    agents: tuple[AgentRow, ...]


def agents_on(ticket: Ticket) -> set[str]:
    """The agents who took ``ticket``: assigned to it, or wrote a public reply on it."""
    agents = {event.agent for event in ticket.facts.assignments if event.agent is not None}
    agents.update(
        event.author_id
        for event in ticket.history
        if isinstance(event, Replied)
        and event.by is Author.AGENT
        and event.public
        and event.author_id is not None
    )
    return agents


def owner(ticket: Ticket) -> str | None:
    """The agent a ticket belongs to: the last assigned, else the first public replier."""
    assignees = [e.agent for e in ticket.facts.assignments if e.agent is not None]
    if assignees:
        return assignees[-1]
    for event in ticket.history:
        if isinstance(event, Replied) and event.by is Author.AGENT and event.public:
            return event.author_id
    return None


def _first_reply(ticket: Ticket, calendar: Calendar | None) -> timedelta | None:
    replied = ticket.facts.first_public_agent_reply_at
    if replied is None:
        return None
    start = ticket.created_at
    return replied - start if calendar is None else calendar.elapsed(start, replied)


def _bins(
    created: Sequence[Ticket], calendar: Calendar | None
) -> tuple[tuple[timedelta, timedelta | None, int], ...]:
    counts = [0] * len(FIRST_REPLY_EDGES)
    for ticket in created:
        spent = _first_reply(ticket, calendar)
        if spent is not None:
            index = sum(edge <= spent for edge in FIRST_REPLY_EDGES) - 1
            counts[max(index, 0)] += 1
    highs: list[timedelta | None] = [*FIRST_REPLY_EDGES[1:], None]
    return tuple(zip(FIRST_REPLY_EDGES, highs, counts, strict=True))


def _backlog(
    tickets: Sequence[Ticket], periods: Sequence[PeriodRow], start: datetime, end: datetime,
    tz: ZoneInfo,
) -> tuple[tuple[datetime, int], ...]:  # fmt: skip
    if end - start > timedelta(days=_DAILY_BACKLOG_DAYS):
        return tuple((row.summary.end, row.summary.backlog.count) for row in periods)
    relevant = [t for t in tickets if t.created_at < end]
    return tuple(
        (day_end, backlog(relevant, now=day_end).count)
        for _, day_end in period_bounds(start, end, Period.DAY, tz)
    )


def _agents(
    tickets: Sequence[Ticket], start: datetime, end: datetime, calendar: Calendar | None
) -> tuple[AgentRow, ...]:
    owned: dict[str, list[Ticket]] = {}
    for ticket in tickets:
        name = owner(ticket)
        if name is not None and ticket.created_at < end and ticket.updated_at >= start:
            owned.setdefault(name, []).append(ticket)
    rows = []
    for name, group in owned.items():
        created = [t for t in group if start <= t.created_at < end]
        solved = [t for t in group if t.facts.solved_at is not None and
                  start <= t.facts.solved_at < end]  # fmt: skip
        ratings = [
            t.facts.satisfaction
            for t in group
            if t.facts.satisfaction is not None and start <= t.facts.satisfaction.at < end
        ]
        rows.append(
            AgentRow(
                agent=name,
                tickets=len(created),
                first_reply=first_reply_times(created, calendar=calendar),
                csat=Proportion.of(sum(positive(r.score, r.scale) for r in ratings), len(ratings)),
                fcr=fcr(solved, definition=FCRDefinition.ONE_TOUCH),
                reopened=reopen_rate(solved),
            )
        )
    return tuple(sorted(rows, key=lambda row: (-row.tickets, row.agent)))


def _shortfall(
    created: Sequence[Ticket], goal: StaffingGoal, start: datetime, end: datetime, tz: ZoneInfo
) -> tuple[ShortfallCell, ...]:
    occurrences = [0] * 168
    hour = start.astimezone(tz).replace(minute=0, second=0, microsecond=0)
    while hour < end:  # bounded: at most MAX_PERIODS days of hours
        local = hour.astimezone(tz)
        occurrences[local.weekday() * 24 + local.hour] += 1
        hour += timedelta(hours=1)
    contacts: dict[tuple[int, str], int] = {}
    agents: dict[datetime, set[str]] = {}
    for ticket in created:
        if ticket.channel not in goal.aht:
            continue
        local = ticket.created_at.astimezone(tz)
        slot = local.weekday() * 24 + local.hour
        contacts[slot, str(ticket.channel)] = contacts.get((slot, str(ticket.channel)), 0) + 1
        bucket = local.replace(minute=0, second=0, microsecond=0)
        agents.setdefault(bucket, set()).update(agents_on(ticket))
    seen = [0] * 168
    for bucket, names in agents.items():
        seen[bucket.weekday() * 24 + bucket.hour] += len(names)
    cells = []
    for slot in range(168):
        times = occurrences[slot] or 1
        needed: int | None = 0
        volume = 0.0
        for channel, aht in goal.aht.items():
            calls = contacts.get((slot, str(channel)), 0) / times
            volume += calls
            if calls and needed is not None:
                try:
                    needed += agents_required(
                        calls=calls, interval="1h", aht=aht, target=goal.target[channel],
                        service_level=goal.service_level,
                    ).agents  # fmt: skip
                except ServicekitError:
                    needed = None
        cells.append(
            ShortfallCell(
                weekday=slot // 24,
                hour=slot % 24,
                contacts=volume,
                needed=needed,
                seen=seen[slot] / times,
            )
        )
    return tuple(cells)


def details(
    tickets: Sequence[Ticket],
    periods: Sequence[PeriodRow],
    *,
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    calendar: Calendar | None,
    goal: StaffingGoal | None,
) -> ReportDetails:
    """The figures behind the charts of the report of ``[start, end)``."""
    created = [t for t in tickets if start <= t.created_at < end]
    return ReportDetails(
        backlog=_backlog(tickets, periods, start, end, tz),
        first_reply_bins=_bins(created, calendar),
        business_hours=calendar is not None,
        shortfall=() if goal is None else _shortfall(created, goal, start, end, tz),
        agents=_agents(tickets, start, end, calendar),
    )
