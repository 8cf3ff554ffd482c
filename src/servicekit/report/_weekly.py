"""The weekly report: the KPI summary, SLA attainment by metric and priority, the
escalations, staffing advice for the worst interval, a period-by-period trend, agents
compared fairly, rising topics and, when reviews are given, QA scores.
What ``servicekit demo`` and ``servicekit report`` print."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from servicekit._checks import boolean, checked_items, member
from servicekit.errors import InvalidInputError, short
from servicekit.insights import RisingTopics
from servicekit.kpi import Period, Proportion, sla_attainment
from servicekit.qa import Review
from servicekit.report import _wording as words
from servicekit.report._config import ReportConfig, StaffingGoal
from servicekit.report._details import ReportDetails, agents_on, details
from servicekit.report._escalations import recorded, would_fire
from servicekit.report._insights import ShrunkScores, agents_text, fair_scores, rising, rising_text
from servicekit.report._qa import QASection, qa_section
from servicekit.report._sla import SLARow, sla_rows
from servicekit.report._summary import Report, decided_tickets, report, ticket_clocks
from servicekit.report._trend import PeriodRow, period_bounds, trend
from servicekit.staffing import StaffingPlan, agents_required
from servicekit.tickets import Ticket


@attrs.frozen(kw_only=True)
class StaffingAdvice:
    """The interval of one channel whose contacts were answered worst, and how many
    agents Erlang C says it needed.

    Attributes:
        channel: the channel.
        start, end: the interval, ``[start, end)``.
        contacts: tickets created on the channel in the interval.
        answered_within: the share whose first agent reply came within the target.
        agents_seen: the agents who took those tickets (were assigned one, or wrote a
            public reply on one).
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
        """One line: the worst interval of the channel and the agents it needed."""
        local = self.start.astimezone(tz)
        within = self.answered_within.value or 0.0
        answered = "none" if not self.answered_within.successes else f"{within:.0%}"
        return (
            f"  {self.channel}: worst hour {words.day(local, tz)} {local:%H:%M} "
            f"{local.tzname()}: {words.count(self.contacts, 'contact')}, {answered} answered "
            f"within {words.duration(self.plan.metrics.target)}, "
            f"{words.count(self.agents_seen, 'agent')} took them; "
            f"Erlang C: {_needed(self.plan)}"
        )


def _needed(plan: StaffingPlan) -> str:
    """The Erlang C answer in the report's words."""
    metrics = plan.metrics
    return (
        f"{words.count(plan.agents, 'agent')} would answer {metrics.service_level:.0%} within "
        f"{words.duration(metrics.target)} (goal {plan.service_level:.0%})"
    )


_BY_TITLE = {Period.DAY: "Day by day", Period.WEEK: "Week by week", Period.MONTH: "Month by month"}


@attrs.frozen(kw_only=True)
class WeeklyReport:
    """What a support lead reads on Monday; see :func:`weekly_report`.

    Attributes:
        summary: the whole period.
        tz: the zone days and hours are read in.
        by: the length of the trend's periods.
        periods: the trend, one row per local day, week or month.
        sla: SLA attainment per metric and priority (empty without SLA policies).
        has_policies: whether the settings have SLA policies.
        rules: the names of the configured escalation rules.
        escalations: the rules of the ``escalated`` events recorded in the period,
            with their counts, most first.
        would_fire: what the configured rules would have fired in the period, if
            they were evaluated (``evaluate_rules``), else ``None``.
        staffing_channels: the channels of the staffing goal.
        staffing: per channel, the advice for its worst interval.
        details: the figures behind the web page's charts (backlog over time,
            first-reply bands, staffing shortfall by hour of week, agents).
        fair: the agents' CSAT and one-touch resolution shrunk toward the team
            (empty when ``fair_note`` says why).
        fair_note: why there is no fair comparison (scipy missing), else empty.
        rising: the rising topics against the settings' baseline weeks, or ``None``
            when ``rising_note`` says why.
        rising_note: why there are no rising topics (scipy missing), else empty.
        baseline_weeks: the weeks before the period rising topics compare against.
        qa: the QA section, when reviews were given.
    """

    summary: Report
    tz: ZoneInfo
    by: Period = Period.WEEK
    periods: tuple[PeriodRow, ...] = ()
    sla: tuple[SLARow, ...]
    has_policies: bool = False
    rules: tuple[str, ...] = ()
    escalations: tuple[tuple[str, int], ...]
    would_fire: tuple[tuple[str, int], ...] | None = None
    staffing_channels: tuple[str, ...] = ()
    staffing: tuple[StaffingAdvice, ...]
    details: ReportDetails | None = None
    fair: tuple[ShrunkScores, ...] = ()
    fair_note: str = ""
    rising: RisingTopics | None = None
    rising_note: str = ""
    baseline_weeks: int = 4
    qa: QASection | None = None

    def to_html(self, *, title: str | None = None) -> str:
        """The report as one self-contained HTML page: inline SVG charts (drawn with
        matplotlib, the ``report`` extra), each with a title, a summary sentence and a
        table of its numbers; no JavaScript and no reference to anything outside the
        page. The same report gives the same bytes.

        Raises:
            ImportError: matplotlib is not installed.

        >>> from datetime import datetime, UTC
        >>> page = weekly_report([], start=datetime(2026, 3, 2, tzinfo=UTC),
        ...                      end=datetime(2026, 3, 9, tzinfo=UTC)).to_html()
        >>> page.startswith("<!DOCTYPE html>"), "<script" in page
        (True, False)
        """
        from servicekit.report._html import page  # noqa: PLC0415 - matplotlib is optional

        return page(self, title=title)

    def to_text(self) -> str:
        """The report as plain text, in the words of a support lead."""
        lines = [self.summary.to_text(self.tz)]
        if len(self.periods) > 1:
            lines += ["", *self._trend_text()]
        lines += ["", "SLA targets met by metric and priority"]
        if not self.has_policies:
            lines.append("  no SLA policies in the settings")
        elif not self.sla:
            lines.append("  no tickets with SLA targets in this period")
        for row in self.sla:
            attainment = row.attainment
            running = f", {attainment.still_open} still running" if attainment.still_open else ""
            lines.append(
                f"  {words.metric_label(row.metric):<16} {row.priority.value:<7} "
                f"{words.percent(attainment.proportion):>4}  ({attainment.achieved:,} met, "
                f"{attainment.breached:,} breached{running})"
            )
        lines += ["", *self._escalations_text(), "", "Staffing advice"]
        lines += [advice.to_text(self.tz) for advice in self.staffing]
        if not self.staffing_channels:
            lines.append("  no staffing goal in the settings")
        elif not self.staffing:
            lines.append(f"  no {' or '.join(self.staffing_channels)} tickets in this period")
        lines += ["", *agents_text(self.fair, self.fair_note)]
        lines += ["", *rising_text(self.rising, self.rising_note, self.baseline_weeks)]
        if self.qa is not None:
            lines += ["", *self.qa.to_text()]
        return "\n".join(lines)

    def _trend_text(self) -> list[str]:
        def label(row: PeriodRow) -> str:
            if self.by is Period.MONTH:
                return f"{row.summary.start.astimezone(self.tz):%b %Y}"
            return words.day(row.summary.start, self.tz)

        width = max(len(label(row)) for row in self.periods)
        head = (
            f"  {'':<{width}}  created  solved  first reply p50          p90  SLA met  CSAT"
            "  backlog"
        )
        lines = [_BY_TITLE[self.by], head.rstrip()]
        for row in self.periods:
            s = row.summary
            sla = "" if s.sla is None else words.percent(s.sla.proportion)
            lines.append(
                f"  {label(row):<{width}}  {s.created:>7,}  {s.solved:>6,}  "
                f"{words.duration(s.first_reply.median):>15}  "
                f"{words.duration(s.first_reply.percentile(90)):>11}  {sla:>7}  "
                f"{words.percent(s.csat):>4}  {s.backlog.count:>7,}"
            )
        return lines

    def _escalations_text(self) -> list[str]:
        lines = ["Escalations recorded in this period"]
        lines += [f"  {count:>5}  {rule}" for rule, count in self.escalations[:5]]
        if not self.escalations:
            lines.append("  none recorded")
        unrecorded = [rule for rule in self.rules if rule not in dict(self.escalations)]
        if unrecorded and self.would_fire is None:
            lines.append(f"  configured, none recorded: {', '.join(unrecorded)}")
            lines.append("  (rules not evaluated: --evaluate-rules shows what they would fire)")
        if self.would_fire is not None:
            lines += ["", "Escalations the configured rules would have fired"]
            lines += [f"  {count:>5}  {rule}" for rule, count in self.would_fire]
            if not self.would_fire:
                lines.append("  no rules in the settings")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data with machine names: the period and its ``by``, the summary
        as :meth:`Report.to_dict`, the sections, the ``trend`` (a summary and SLA
        rows per period), ``agents`` (the fair comparison per metric, or a ``note``),
        ``rising_topics`` (topics with their test, or a ``note``) and ``qa`` (or
        ``None`` without reviews)."""
        return {
            "period": {"start": self.summary.start.isoformat(),
                       "end": self.summary.end.isoformat(), "tz": self.tz.key,
                       "by": self.by.value},
            "summary": self.summary.to_dict(),
            "sla": _sla_dicts(self.sla),
            "escalations": [{"rule": rule, "count": count} for rule, count in self.escalations],
            "rules": list(self.rules),
            "would_fire": None if self.would_fire is None else [
                {"rule": rule, "count": count} for rule, count in self.would_fire
            ],
            "staffing": [
                {"channel": a.channel, "start": a.start.isoformat(), "end": a.end.isoformat(),
                 "contacts": a.contacts, "answered_within": a.answered_within.value,
                 "agents_seen": a.agents_seen, "agents_needed": a.plan.agents,
                 "reason": a.plan.reason}
                for a in self.staffing
            ],
            "trend": [
                {"summary": row.summary.to_dict(), "sla": _sla_dicts(row.sla)}
                for row in self.periods
            ],
            "agents": {"note": self.fair_note,
                       **{score.metric: score.to_dict() for score in self.fair}},
            "rising_topics": {
                "note": self.rising_note, "baseline_weeks": self.baseline_weeks,
                **({} if self.rising is None else {
                    "reason": self.rising.reason, "requesters": self.rising.requesters,
                    "baseline_requesters": self.rising.baseline_requesters,
                    "convention": self.rising.convention, "q": self.rising.q,
                    "topics": self.rising.to_rows()}),
            },
            "qa": None if self.qa is None else self.qa.to_dict(),
        }  # fmt: skip

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per figure, for CSV: ``section``, ``period`` (the start of a trend
        period, empty for the whole report), ``name`` (machine name), ``label`` (as the
        text says it), ``value``, ``unit`` (``tickets``, ``seconds``, ``fraction``,
        ``points``, ``targets``, ``agents``, ``events``, ``percent``, ``coefficient``) and
        ``count`` (what a fraction or a duration is taken over). The fair comparison
        gives a row per agent and metric (``csat/ana``: the shrunk rate), rising topics a
        row per topic (its share of requesters this period), QA a row per agent
        (``iqs/ana``) and the reviewers' ``alpha``."""
        rows = [_row("summary", "", figure) for figure in figures(self.summary)]
        rows += [
            _row("sla", "", (f"{row.metric.value}/{row.priority.value}",
                 f"SLA {words.metric_label(row.metric)} {row.priority.value}",
                 row.attainment.value, "fraction",
                 row.attainment.achieved + row.attainment.breached))
            for row in self.sla
        ]  # fmt: skip
        rows += [
            _row("escalations", "", (rule, f"recorded: {rule}", count, "events", count))
            for rule, count in self.escalations
        ]
        rows += [
            _row("would_fire", "", (rule, f"would fire: {rule}", count, "events", count))
            for rule, count in self.would_fire or ()
        ]
        rows += [
            _row("staffing", "", (a.channel, f"{a.channel}: agents needed in the worst hour",
                 a.plan.agents, "agents", a.contacts))
            for a in self.staffing
        ]  # fmt: skip
        rows += [
            _row("agents", "", (f"{score.metric}/{r.agent}",
                 f"{r.agent}: {score.label} shrunk toward the team", r.estimate, "fraction",
                 r.count))
            for score in self.fair for r in score.rows
        ]  # fmt: skip
        if self.rising is not None:
            rows += [
                _row("rising_topics", "", (t.topic, f"{t.topic}: share of requesters this "
                     "period", t.share, "fraction", self.rising.requesters))
                for t in self.rising.topics
            ]  # fmt: skip
        if self.qa is not None:
            rows += [
                _row("qa", "", (f"iqs/{a.agent}", f"{a.agent}: IQS", a.iqs, "percent", a.scored))
                for a in self.qa.agents
            ]
            if self.qa.calibration is not None:
                alpha = self.qa.calibration.alpha
                rows.append(_row("qa", "", ("alpha", "reviewer agreement (Krippendorff's alpha)",
                                            alpha.value, "coefficient", alpha.units)))  # fmt: skip
        if len(self.periods) > 1:
            for period in self.periods:
                day = period.summary.start.astimezone(self.tz).date().isoformat()
                rows += [_row("trend", day, figure) for figure in figures(period.summary)]
        return rows


COLUMNS = ("section", "period", "name", "label", "value", "unit", "count")
"""The CSV columns of :meth:`WeeklyReport.to_rows`."""


Figure = tuple[str, str, Any, str, int | None]


def _row(section: str, period: str, figure: Figure) -> dict[str, Any]:
    """A CSV row of a figure (name, label, value, unit, count)."""
    return dict(zip(COLUMNS, (section, period, *figure), strict=True))


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def figures(s: Report) -> list[Figure]:
    """(name, label, value, unit, count) of each figure of a summary."""
    hours = "business hours" if s.business_hours else "calendar hours"
    figures: list[Figure] = [
        ("created", "tickets created", s.created, "tickets", None),
        ("solved", "tickets solved", s.solved, "tickets", None),
        ("csat", "CSAT", s.csat.value, "fraction", s.csat.count),
    ]
    if s.nps is not None:
        figures.append(("nps", "NPS", s.nps.score, "points", s.nps.count))
    for name, label, times in (("first_reply", "first reply", s.first_reply),
                               ("resolution", "resolution", s.resolution)):  # fmt: skip
        figures += [
            (f"{name}.p50", f"{label} p50 ({hours})", _seconds(times.median), "seconds",
             times.count),
            (f"{name}.p90", f"{label} p90 ({hours})", _seconds(times.percentile(90)),
             "seconds", times.count),
        ]  # fmt: skip
    if s.sla is not None:
        figures += [
            ("sla", "SLA targets met", s.sla.value, "fraction",
             s.sla.achieved + s.sla.breached),
            ("sla.still_open", "SLA targets still running", s.sla.still_open, "targets", None),
            ("sla.tickets", "tickets with SLA targets met or breached", s.sla_tickets,
             "tickets", None),
        ]  # fmt: skip
    figures += [
        ("backlog", "backlog at end", s.backlog.count, "tickets", None),
        ("backlog.oldest", "oldest open ticket", _seconds(s.backlog.age.max), "seconds",
         s.backlog.count),
        ("reopen_rate", "reopened", s.reopen_rate.value, "fraction", s.reopen_rate.count),
        ("fcr", "solved in one touch", s.fcr.value, "fraction", s.fcr.count),
    ]  # fmt: skip
    return figures


def _sla_dicts(rows: Iterable[SLARow]) -> list[dict[str, Any]]:
    return [
        {"metric": row.metric.value, "priority": row.priority.value,
         "achieved": row.attainment.achieved, "breached": row.attainment.breached,
         "still_open": row.attainment.still_open, "value": row.attainment.value}
        for row in rows
    ]  # fmt: skip


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
        agents = set().union(*(agents_on(ticket) for ticket in group))
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
    by: Period | str = Period.WEEK,
    evaluate_rules: bool = False,
    reviews: Iterable[Review] | None = None,
) -> WeeklyReport:
    """The report of ``[start, end)``: :func:`report`'s summary (in business hours on the
    config's ``business_hours`` calendar, SLA under its policies), then

    - the trend: the period cut at local day, week or month starts (``by``, in the
      config's ``tz``), each part with its own summary and SLA rows;
    - SLA attainment per metric and priority, for tickets created in the period;
    - the escalation rules whose ``escalated`` events fall in the period, most first;
      with ``evaluate_rules``, also what the configured rules would have fired:
      evaluated along each ticket's history (after each instant's events and at each
      decision's next-change instant), recorded ``escalated`` events set aside;
    - per channel of the config's staffing goal: the interval (of the goal's length,
      counted from ``start``) whose tickets got their first agent reply within the
      target least often, the agents who took them, and the agents Erlang C says that
      volume needed;
    - agents compared fairly: each agent's CSAT and one-touch resolution (the agents of
      the web page's table) shrunk toward the team with
      :func:`~servicekit.insights.compare_agents` (``min_count`` of the config's
      ``insights``, seed 0), and flagged above or below the team only when an exact
      binomial test against the team rate (two-sided by doubling the smaller tail)
      survives Benjamini-Hochberg at the config's ``q`` across the agents with
      enough data;
    - rising topics: :func:`~servicekit.insights.rising_topics_from_tickets` over the
      tickets' tags (or the config's ``topic_field``), the period against the
      ``baseline_weeks`` before it, ``convention="exact"``;
    - with ``reviews``, the QA section: each agent's IQS on the config's ``scorecard``
      and, when conversations were reviewed by several reviewers, their calibration
      (Krippendorff's alpha on category scores at the interval level).

    The fair comparison and rising topics need scipy (the ``insights`` extra); without
    it the report says what to install instead.

    Raises:
        InvalidInputError: ``end`` is not after ``start``, an unknown ``by``, more
            than 1000 periods, something other than tickets, settings or a flag where
            they belong; reviews without a scorecard in the settings, or that do not
            fit it; NaiveDatetimeError: either without a time zone.

    >>> from datetime import datetime, UTC
    >>> from servicekit import Ticket
    >>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c")
    >>> weekly = weekly_report([t], start=datetime(2026, 3, 2, tzinfo=UTC),
    ...                        end=datetime(2026, 3, 9, tzinfo=UTC))
    >>> weekly.summary.created, weekly.escalations, len(weekly.periods)
    (1, (), 1)
    """
    config = ReportConfig() if config is None else config
    if not isinstance(config, ReportConfig):
        raise InvalidInputError(f"config must be a ReportConfig or None, got {short(config)}")
    evaluate_rules = boolean("evaluate_rules", evaluate_rules)
    period = member(Period, by)
    everything = list(checked_items(tickets, Ticket, "ticket"))
    quality = None
    if reviews is not None:
        if config.scorecard is None:
            raise InvalidInputError("reviews need a scorecard in the settings ([scorecard])")
        quality = qa_section(config.scorecard, checked_items(reviews, Review, "review"))
    summary = report(
        everything,
        start=start,
        end=end,
        calendar=config.business_hours,
        nps_scores=nps_scores,
    )
    bounds = period_bounds(summary.start, summary.end, period, config.tz)
    created = [t for t in everything if start <= t.created_at < end]
    per_ticket = [] if config.policies is None else ticket_clocks(created, config.policies, end)
    clocks = [clock for _, cs in per_ticket for clock in cs]
    if config.policies is not None:  # the clocks of the rows, evaluated once, in the summary
        summary = attrs.evolve(
            summary, sla=sla_attainment(clocks), sla_tickets=decided_tickets(per_ticket)
        )
    rules = config.rules
    periods = trend(
        everything,
        None if config.policies is None else {id(t): cs for t, cs in per_ticket},
        bounds,
        config.business_hours,
    )
    shown = details(
        everything,
        periods,
        start=summary.start,
        end=summary.end,
        tz=config.tz,
        calendar=config.business_hours,
        goal=config.staffing,
    )
    fair, fair_note = fair_scores(shown.agents, config.insights)
    topics, rising_note = rising(everything, summary.start, summary.end, config.insights)
    return WeeklyReport(
        summary=summary,
        tz=config.tz,
        by=period,
        periods=periods,
        sla=sla_rows(clocks),
        has_policies=config.policies is not None,
        rules=() if rules is None else rules.names,
        escalations=recorded(everything, start, end),
        would_fire=None
        if not evaluate_rules
        else ()
        if rules is None
        else would_fire(everything, rules, start=start, end=end, sla=config.policies),
        staffing_channels=()
        if config.staffing is None
        else tuple(str(channel) for channel in config.staffing.aht),
        staffing=() if config.staffing is None else _advice(created, config.staffing, start, end),
        details=shown,
        fair=fair,
        fair_note=fair_note,
        rising=topics,
        rising_note=rising_note,
        baseline_weeks=config.insights.baseline_weeks,
        qa=quality,
    )
