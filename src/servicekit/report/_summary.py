"""The weekly support report: the metrics a support lead reads every Monday, as data,
as plain text and as a JSON-ready dict."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs

from servicekit._time import require_aware
from servicekit.calendars import Calendar
from servicekit.durations import format_duration
from servicekit.errors import InvalidInputError
from servicekit.kpi import (
    NPS,
    Backlog,
    DurationSummary,
    FCRDefinition,
    Proportion,
    SLAAttainment,
    TicketTimeTally,
    backlog,
    fcr,
    reopen_rate,
    sla_attainment,
)
from servicekit.kpi import nps as nps_of
from servicekit.sla import Clock, PolicySet
from servicekit.tickets import Ticket


@attrs.frozen(kw_only=True)
class Report:
    """The metrics of the tickets of one period ``[start, end)``; see :func:`report`."""

    start: datetime
    end: datetime
    created: int
    solved: int
    csat: Proportion
    nps: NPS | None
    first_reply: DurationSummary
    resolution: DurationSummary
    business_hours: bool
    sla: SLAAttainment | None
    backlog: Backlog
    reopen_rate: Proportion
    fcr: Proportion

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: instants as ISO 8601, durations in seconds,
        proportions as fractions with their counts."""
        data: dict[str, Any] = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "created": self.created,
            "solved": self.solved,
            "csat": _proportion(self.csat),
            "first_reply": _durations(self.first_reply),
            "resolution": _durations(self.resolution),
            "business_hours": self.business_hours,
            "backlog": {"count": self.backlog.count, "age": _durations(self.backlog.age)},
            "reopen_rate": _proportion(self.reopen_rate),
            "fcr": _proportion(self.fcr),
        }
        if self.nps is not None:
            data["nps"] = {"score": self.nps.score, "count": self.nps.count,
                           "margin_of_error": self.nps.margin_of_error}  # fmt: skip
        if self.sla is not None:
            data["sla"] = {"achieved": self.sla.achieved, "breached": self.sla.breached,
                           "still_open": self.sla.still_open, "value": self.sla.value}  # fmt: skip
        return data

    def to_text(self) -> str:
        """The report as a support lead reads it."""
        hours = "business hours" if self.business_hours else "calendar hours"
        lines = [
            f"Support report {self.start.date()} to {self.end.date()}",
            f"  tickets created      {self.created}",
            f"  tickets solved       {self.solved}",
            f"  CSAT                 {_percent(self.csat)}",
        ]
        if self.nps is not None:
            score = "n/a" if self.nps.score is None else f"{self.nps.score:+.0f}"
            margin = (
                "" if self.nps.margin_of_error is None else f" ± {self.nps.margin_of_error:.0f}"
            )
            lines.append(f"  NPS                  {score}{margin} (n={self.nps.count})")
        lines += [
            f"  first reply ({hours}) {_p50_p90(self.first_reply)}",
            f"  resolution ({hours})  {_p50_p90(self.resolution)}",
        ]
        if self.sla is not None:
            lines.append(
                f"  SLA attainment       {_percent(self.sla.proportion)}"
                f" ({self.sla.still_open} clocks still running, not counted)"
            )
        lines += [
            f"  backlog at end       {self.backlog.count}"
            + ("" if not self.backlog.count else f" (oldest {_fmt(self.backlog.age.max)})"),
            f"  reopen rate          {_percent(self.reopen_rate)}",
            f"  one-touch FCR        {_percent(self.fcr)}",
        ]
        return "\n".join(lines)


def _fmt(value: timedelta | None) -> str:
    """A duration to the second, for reading."""
    return (
        "n/a" if value is None else format_duration(timedelta(seconds=round(value.total_seconds())))
    )


def _p50_p90(summary: DurationSummary) -> str:
    return f"p50 {_fmt(summary.median)}, p90 {_fmt(summary.percentile(90))} (n={summary.count})"


def _percent(proportion: Proportion) -> str:
    if proportion.value is None:
        return "n/a (n=0)"
    return f"{proportion.value:.0%} (n={proportion.count})"


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def _durations(summary: DurationSummary) -> dict[str, Any]:
    return {
        "count": summary.count,
        "mean": _seconds(summary.mean),
        "p50": _seconds(summary.median),
        "p90": _seconds(summary.percentile(90)),
    }


def _proportion(proportion: Proportion) -> dict[str, Any]:
    return {"value": proportion.value, "successes": proportion.successes,
            "count": proportion.count}  # fmt: skip


def _positive(score: int, scale: tuple[int, int]) -> bool:
    """Top-two-box on scales of five points or more, top box on shorter ones."""
    low, high = scale
    return score >= high - 1 if high - low >= 4 else score == high


def sla_clocks(tickets: Iterable[Ticket], policies: PolicySet, end: datetime) -> list[Clock]:
    """The SLA clocks of ``tickets`` as a report at ``end`` counts them: each ticket
    evaluated at ``end``, or at its last event if later."""
    return [
        clock for t in tickets for clock in policies.evaluate(t, now=max(end, t.updated_at)).clocks
    ]


def report(
    tickets: Iterable[Ticket],
    *,
    start: datetime,
    end: datetime,
    calendar: Calendar | None = None,
    policies: PolicySet | None = None,
    nps_scores: Iterable[Any] | None = None,
) -> Report:
    """The report of ``[start, end)``:

    - tickets created, and tickets whose (full) solve falls in the period;
    - CSAT of the satisfaction ratings given in the period (top-two-box on 5-point
      or longer scales, top box on shorter ones, such as good/bad);
    - NPS of ``nps_scores``, if given (surveys live outside tickets);
    - first reply times of tickets created in the period, resolution times of
      tickets solved in it, p50 and p90, in business hours on ``calendar`` if given;
    - SLA attainment of the clocks of tickets created in the period, under
      ``policies`` if given, each ticket evaluated at ``end`` (or at its last event,
      if later); running clocks are reported apart;
    - the backlog at ``end``, and reopen rate and one-touch FCR of the tickets
      solved in the period.

    Raises:
        InvalidInputError: ``end`` is not after ``start``;
            NaiveDatetimeError: either without a time zone.
    """
    start, end = require_aware(start, "start"), require_aware(end, "end")
    if end <= start:
        raise InvalidInputError(
            f"report end {end.isoformat()} is not after start {start.isoformat()}"
        )
    everything = list(tickets)
    created = [t for t in everything if start <= t.created_at < end]
    solved = [
        t for t in everything if t.facts.solved_at is not None and start <= t.facts.solved_at < end
    ]
    ratings = [
        t.facts.satisfaction
        for t in everything
        if t.facts.satisfaction is not None and start <= t.facts.satisfaction.at < end
    ]
    good = sum(_positive(r.score, r.scale) for r in ratings)
    clocks = None if policies is None else sla_attainment(sla_clocks(created, policies, end))
    return Report(
        start=start,
        end=end,
        created=len(created),
        solved=len(solved),
        csat=Proportion.of(good, len(ratings)),
        nps=None if nps_scores is None else nps_of(nps_scores),
        first_reply=TicketTimeTally("first_reply", calendar=calendar).update(created).result(),
        resolution=TicketTimeTally("full", calendar=calendar).update(solved).result(),
        business_hours=calendar is not None,
        sla=clocks,
        backlog=backlog(everything, now=end),
        reopen_rate=reopen_rate(solved),
        fcr=fcr(solved, definition=FCRDefinition.ONE_TOUCH),
    )
