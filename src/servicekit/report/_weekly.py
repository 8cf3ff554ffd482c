"""The weekly report: the KPI summary, SLA attainment by metric and priority, the rules
that escalated most, and staffing advice for the worst interval. What
``servicekit demo`` and ``servicekit report`` print."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from servicekit.durations import format_duration
from servicekit.escalation import RuleSet
from servicekit.kpi import Proportion, SLAAttainment, sla_attainment
from servicekit.report._config import ReportConfig, StaffingGoal
from servicekit.report._summary import Report, report, sla_clocks
from servicekit.sla import Clock, Metric
from servicekit.staffing import StaffingPlan, agents_required
from servicekit.tickets import Escalated, Priority, Ticket


@attrs.frozen(kw_only=True)
class SLARow:
    """SLA attainment of one metric at one priority (the priority in force when the
    clock was evaluated)."""

    metric: Metric
    priority: Priority
    attainment: SLAAttainment


@attrs.frozen(kw_only=True)
class StaffingAdvice:
    """The interval of one channel whose contacts were answered worst, and how many
    agents Erlang C says it needed.

    Attributes:
        channel: the channel.
        start, end: the interval, ``[start, end)``.
        contacts: tickets created on the channel in the interval.
        answered_within: the share whose first agent reply came within the target.
        agents_seen: the agents who picked up those tickets.
        plan: the fewest agents meeting the goal for that many contacts.
    """

    channel: str
    start: datetime
    end: datetime
    contacts: int
    answered_within: Proportion
    agents_seen: int
    plan: StaffingPlan

    def to_text(self, tz: ZoneInfo) -> str:
        local = self.start.astimezone(tz)
        within = self.answered_within.value or 0.0
        return (
            f"  {self.channel}: worst hour {local:%a %Y-%m-%d %H:%M} {local.tzname()}: "
            f"{self.contacts} contacts, {within:.0%} answered within "
            f"{format_duration(self.plan.metrics.target)}, {self.agents_seen} agents took "
            f"them; Erlang C: {self.plan.reason}"
        )


@attrs.frozen(kw_only=True)
class WeeklyReport:
    """What a support lead reads on Monday; see :func:`weekly_report`."""

    summary: Report
    tz: ZoneInfo
    sla: tuple[SLARow, ...]
    escalations: tuple[tuple[str, int], ...]
    quiet_rules: tuple[str, ...]
    staffing: tuple[StaffingAdvice, ...]

    def to_text(self) -> str:
        """The report as plain text."""
        lines = [self.summary.to_text(), "", "SLA attainment by metric and priority"]
        if not self.sla:
            lines.append("  no SLA policies given")
        for row in self.sla:
            value = row.attainment.value
            shown = "n/a" if value is None else f"{value:.0%}"
            lines.append(
                f"  {row.metric.value:<16} {row.priority.value:<7} {shown:>4} "
                f"({row.attainment.achieved} met, {row.attainment.breached} breached, "
                f"{row.attainment.still_open} running)"
            )
        lines += ["", "Top escalations"]
        lines += [f"  {count:>5}  {rule}" for rule, count in self.escalations[:5]]
        if not self.escalations:
            lines.append("  none")
        if self.quiet_rules:
            lines.append(f"  never fired: {', '.join(self.quiet_rules)}")
        lines += ["", "Staffing advice"]
        lines += [advice.to_text(self.tz) for advice in self.staffing]
        if not self.staffing:
            lines.append("  no staffing goal given (set [staffing] in the config)")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the summary as :meth:`Report.to_dict`, then the sections."""
        return {
            "summary": self.summary.to_dict(),
            "sla": [
                {"metric": row.metric.value, "priority": row.priority.value,
                 "achieved": row.attainment.achieved, "breached": row.attainment.breached,
                 "still_open": row.attainment.still_open, "value": row.attainment.value}
                for row in self.sla
            ],
            "escalations": [{"rule": rule, "count": count} for rule, count in self.escalations],
            "quiet_rules": list(self.quiet_rules),
            "staffing": [
                {"channel": a.channel, "start": a.start.isoformat(), "end": a.end.isoformat(),
                 "contacts": a.contacts, "answered_within": a.answered_within.value,
                 "agents_seen": a.agents_seen, "agents_needed": a.plan.agents,
                 "reason": a.plan.reason}
                for a in self.staffing
            ],
        }  # fmt: skip

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per figure (``section``, ``name``, ``value``, ``count``), for CSV."""
        rows = [
            {"section": "summary", "name": name, "value": value, "count": None}
            for name, value in _flat(self.summary.to_dict())
        ]
        rows += [
            {"section": "sla", "name": f"{row.metric.value}/{row.priority.value}",
             "value": row.attainment.value,
             "count": row.attainment.achieved + row.attainment.breached}
            for row in self.sla
        ]  # fmt: skip
        rows += [
            {"section": "escalations", "name": rule, "value": count, "count": count}
            for rule, count in self.escalations
        ]
        rows += [
            {"section": "staffing", "name": a.channel, "value": a.plan.agents,
             "count": a.contacts}
            for a in self.staffing
        ]  # fmt: skip
        return rows


def _flat(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            items += _flat(value, f"{name}.")
        else:
            items.append((name, value))
    return items


def _sla_rows(clocks: list[Clock]) -> tuple[SLARow, ...]:
    groups: dict[tuple[Metric, Priority], list[Clock]] = {}
    for clock in clocks:
        groups.setdefault((clock.metric, clock.priority), []).append(clock)
    metrics = list(Metric)
    return tuple(
        SLARow(metric=metric, priority=priority, attainment=sla_attainment(group))
        for (metric, priority), group in sorted(
            groups.items(), key=lambda item: (metrics.index(item[0][0]), -_rank(item[0][1]))
        )
    )


def _rank(priority: Priority) -> int:
    return list(Priority).index(priority)


def _escalations(
    tickets: list[Ticket], rules: RuleSet | None, start: datetime, end: datetime
) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
    counts = Counter(
        event.rule
        for ticket in tickets
        for event in ticket.history
        if isinstance(event, Escalated) and start <= event.at < end
    )
    ranked = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    quiet = () if rules is None else tuple(name for name in rules.names if name not in counts)
    return ranked, quiet


def _answered_within(ticket: Ticket, target: timedelta) -> bool:
    """Whether the first public agent reply came within ``target`` of creation."""
    replied = ticket.facts.first_public_agent_reply_at
    return replied is not None and replied - ticket.created_at <= target


def _advice(
    tickets: list[Ticket], goal: StaffingGoal, start: datetime, end: datetime
) -> tuple[StaffingAdvice, ...]:
    advice = []
    for channel, aht in goal.aht.items():
        target = goal.target[channel]
        buckets: dict[int, list[Ticket]] = {}
        for ticket in tickets:
            if ticket.channel == channel and start <= ticket.created_at < end:
                buckets.setdefault((ticket.created_at - start) // goal.interval, []).append(ticket)
        if not buckets:
            continue
        hits = {
            index: sum(_answered_within(t, target) for t in group)
            for index, group in buckets.items()
        }
        worst = min(
            buckets,
            key=lambda index: (hits[index] / len(buckets[index]), -len(buckets[index]), index),
        )
        group = buckets[worst]
        interval_start = start + worst * goal.interval
        agents = {
            event.agent
            for ticket in group
            for event in ticket.facts.assignments
            if event.agent is not None
        }
        advice.append(
            StaffingAdvice(
                channel=str(channel),
                start=interval_start,
                end=interval_start + goal.interval,
                contacts=len(group),
                answered_within=Proportion.of(hits[worst], len(group)),
                agents_seen=len(agents),
                plan=agents_required(
                    calls=len(group),
                    interval=goal.interval,
                    aht=aht,
                    target=target,
                    service_level=goal.service_level,
                ),
            )
        )
    return tuple(advice)


def weekly_report(
    tickets: Iterable[Ticket],
    *,
    start: datetime,
    end: datetime,
    config: ReportConfig | None = None,
    nps_scores: Iterable[Any] | None = None,
) -> WeeklyReport:
    """The report of ``[start, end)``: :func:`report`'s summary (in business hours on the
    config's ``business_hours`` calendar, SLA under its policies), then

    - SLA attainment per metric and priority, for tickets created in the period;
    - the escalation rules that fired in the period, most first, and the configured
      rules that never did;
    - per channel of the config's staffing goal: the interval (of the goal's length,
      counted from ``start``) whose tickets got their first agent reply within the
      target least often, and the agents Erlang C says that volume needed.

    Raises:
        InvalidInputError: ``end`` is not after ``start``; NaiveDatetimeError: either
            without a time zone.

    >>> from datetime import datetime, UTC
    >>> from servicekit import Ticket
    >>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c")
    >>> weekly = weekly_report([t], start=datetime(2026, 3, 2, tzinfo=UTC),
    ...                        end=datetime(2026, 3, 9, tzinfo=UTC))
    >>> weekly.summary.created, weekly.escalations
    (1, ())
    """
    config = ReportConfig() if config is None else config
    everything = list(tickets)
    summary = report(
        everything,
        start=start,
        end=end,
        calendar=config.business_hours,
        nps_scores=nps_scores,
    )
    created = [t for t in everything if start <= t.created_at < end]
    clocks = [] if config.policies is None else sla_clocks(created, config.policies, end)
    if config.policies is not None:  # the clocks of the rows, evaluated once, in the summary
        summary = attrs.evolve(summary, sla=sla_attainment(clocks))
    escalations, quiet = _escalations(everything, config.rules, start, end)
    return WeeklyReport(
        summary=summary,
        tz=config.tz,
        sla=_sla_rows(clocks),
        escalations=escalations,
        quiet_rules=quiet,
        staffing=() if config.staffing is None else _advice(created, config.staffing, start, end),
    )
