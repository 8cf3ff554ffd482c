"""The trend of a report: its period cut into local days, weeks or months, each with
the summary a report of that part alone would give."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs

from servicekit.calendars import Calendar
from servicekit.errors import InvalidInputError
from servicekit.kpi import Period, period_start, sla_attainment
from servicekit.report._sla import SLARow, sla_rows
from servicekit.report._summary import Report, decided_tickets, report
from servicekit.sla import Clock
from servicekit.tickets import Status, Ticket

MAX_PERIODS = 1000
"""Most periods in one report (nearly three years by day)."""

_DONE = (Status.SOLVED, Status.CLOSED)


@attrs.frozen(kw_only=True)
class PeriodRow:
    """One period of a report's trend: the summary of ``[start, end)`` (as
    :func:`~servicekit.report.report` gives it) and its SLA rows. SLA targets are
    those of the tickets created in the period, evaluated at the end of the whole
    report, so the periods add up to the report's totals.

    >>> from datetime import datetime, UTC
    >>> from servicekit.report import weekly_report
    >>> weekly = weekly_report([], start=datetime(2026, 3, 2, tzinfo=UTC),
    ...                        end=datetime(2026, 3, 16, tzinfo=UTC))
    >>> [row.summary.start.day for row in weekly.periods]
    [2, 9]
    """

    summary: Report
    sla: tuple[SLARow, ...]


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tz).astimezone(UTC).astimezone(tz)


def _following(instant: datetime, by: Period, tz: ZoneInfo) -> datetime:
    """The start of the local period after the one holding ``instant``."""
    first = period_start(instant, by, tz).date()
    if by is Period.DAY:
        return _midnight(first + timedelta(days=1), tz)
    if by is Period.WEEK:
        return _midnight(first + timedelta(days=7), tz)
    month = first.month % 12 + 1
    return _midnight(date(first.year + (first.month == 12), month, 1), tz)


def period_bounds(
    start: datetime, end: datetime, by: Period, tz: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """``[start, end)`` cut at local period starts (the first and last parts may be
    partial).

    Raises:
        InvalidInputError: more than :data:`MAX_PERIODS` parts.

    >>> from datetime import UTC
    >>> bounds = period_bounds(datetime(2026, 3, 4, tzinfo=UTC),
    ...                        datetime(2026, 3, 17, tzinfo=UTC), Period.WEEK, ZoneInfo("UTC"))
    >>> [(a.day, b.day) for a, b in bounds]
    [(4, 9), (9, 16), (16, 17)]
    """
    bounds: list[tuple[datetime, datetime]] = []
    cursor = start
    while cursor < end:
        if len(bounds) == MAX_PERIODS:
            raise InvalidInputError(
                f"{start.isoformat()} to {end.isoformat()} is more than {MAX_PERIODS} "
                f"{by.value}s; report by a longer period"
            )
        following = min(_following(cursor, by, tz), end)
        bounds.append((cursor, following))
        cursor = following
    return bounds


def trend(
    tickets: Sequence[Ticket],
    per_ticket: dict[int, tuple[Clock, ...]] | None,
    bounds: Sequence[tuple[datetime, datetime]],
    calendar: Calendar | None,
) -> tuple[PeriodRow, ...]:
    """The rows of ``bounds``; ``per_ticket`` holds each created ticket's SLA clocks
    by the ticket's ``id()`` (``None`` without SLA policies)."""
    rows = []
    for start, end in bounds:
        # A ticket whose history ended before the period counts only in its backlog.
        relevant = [
            t
            for t in tickets
            if t.created_at < end and (t.updated_at >= start or t.status not in _DONE)
        ]
        summary = report(relevant, start=start, end=end, calendar=calendar)
        rows_sla: tuple[SLARow, ...] = ()
        if per_ticket is not None:
            created = [
                (t, per_ticket.get(id(t), ())) for t in relevant if start <= t.created_at < end
            ]
            clocks = [clock for _, cs in created for clock in cs]
            summary = attrs.evolve(
                summary, sla=sla_attainment(clocks), sla_tickets=decided_tickets(created)
            )
            rows_sla = sla_rows(clocks)
        rows.append(PeriodRow(summary=summary, sla=rows_sla))
    return tuple(rows)
