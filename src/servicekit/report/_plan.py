"""The plan as one self-contained HTML page (what ``servicekit plan --format html``
writes): the forecast against the history it came from, staffing needed against
staffing scheduled per interval, and the shifts, each chart followed by a table of
its numbers, built from the weekly report's blocks (same style, no JavaScript, no
reference outside the page)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from servicekit._checks import short
from servicekit.errors import InvalidInputError
from servicekit.forecast import Forecast, SlotCounts
from servicekit.report import _charts as charts
from servicekit.report._html import _cell, _chart, _table, document
from servicekit.staffing import Schedule

HISTORY_DAYS = 28
"""Days of history drawn before the forecast."""


def _per_day(days: Sequence[date], values: Sequence[float | None]) -> dict[date, float]:
    totals: dict[date, float] = {}
    for day, value in zip(days, values, strict=True):
        totals[day] = totals.get(day, 0.0) + (value or 0.0)
    return totals


def _forecast_section(forecast: Forecast, history: SlotCounts | None) -> str:
    title = "Contacts per day: history and forecast"
    ahead = _per_day(tuple(s.day for s in forecast.grid.slots), forecast.values)
    before: dict[date, float] = {}
    if history is not None:
        everything = _per_day(tuple(s.day for s in history.grid.slots), history.counts)
        before = {day: n for day, n in everything.items() if day < forecast.grid.start}
        before = dict(sorted(before.items())[-HISTORY_DAYS:])
    days = [*before, *ahead]
    labels = [f"{day:%a} {day.day} {day:%b}" for day in days]
    svg = charts.series(
        labels,
        [("history", [before.get(day) for day in days]),
         ("forecast", [ahead.get(day) for day in days])],
        title, "contacts", "plan-forecast",
    )  # fmt: skip
    said = (
        f"{forecast.method}: {forecast.total:,.0f} contacts expected over "
        f"{forecast.grid.days} days"
        + (f", after {len(before)} days of history shown." if before else ".")
    )
    if forecast.missing:
        said += f" {forecast.missing} slots have no history and no forecast."
    rows = (
        [_cell(label), _cell("history" if day in before else "forecast"),
         _cell(before.get(day, ahead.get(day, 0.0)),
               f"{before.get(day, ahead.get(day, 0.0)):,.1f}")]
        for day, label in zip(days, labels, strict=True)
    )  # fmt: skip
    table = _table("plan-forecast", ["day", "kind", "contacts"], rows)
    return _chart("plan-forecast-chart", title, said, svg, table)


def _coverage_section(schedule: Schedule) -> str:
    title = "Agents needed and scheduled per interval"
    labels = [row.label for row in schedule.coverage]
    svg = charts.series(
        labels,
        [("needed", [float(row.needed) for row in schedule.coverage]),
         ("scheduled", [float(row.staffed) for row in schedule.coverage])],
        title, "agents", "plan-coverage", steps=True,
    )  # fmt: skip
    short_rows = schedule.uncovered
    said = (
        f"Agents Erlang C says each interval needs against the agents the schedule puts on; "
        f"{len(short_rows)} intervals left short."
        if short_rows
        else "Agents Erlang C says each interval needs against the agents the schedule "
        "puts on; every interval is covered."
    )
    level = schedule.service_level
    if level is not None:
        said += f" Service level re-checked: {level:.1%} over the week."
    busy = [row for row in schedule.coverage if row.calls or row.needed or row.staffed]
    rows = (
        [_cell(row.label), _cell(row.calls, f"{row.calls:.1f}"), _cell(row.needed),
         _cell(row.staffed), _cell(row.uncovered),
         _cell(row.metrics.service_level, f"{row.metrics.service_level:.0%}")]
        for row in busy
    )  # fmt: skip
    table = _table("plan-coverage", ["interval", "contacts", "needed", "scheduled", "short",
                                     "service level"], rows)  # fmt: skip
    return _chart(
        "plan-coverage-chart",
        title,
        said,
        svg,
        f"<details><summary>The {len(busy)} staffed or busy intervals</summary>{table}</details>",
    )


def _shifts_section(schedule: Schedule) -> str:
    rows = (
        [_cell(row["shift"]), _cell(row["days"]), _cell(row["start"]), _cell(row["end"]),
         _cell(row["agents"]), _cell("tour" if row["tour"] else "shift"),
         _cell(row["paid_hours"], f"{row['paid_hours']:g}")]
        for row in schedule.to_rows()
    )  # fmt: skip
    return (
        '<section id="plan-shifts"><h2>Shifts</h2>'
        f'<p class="note">{escape(schedule.explain().splitlines()[0])}</p>'
        + _table(
            "plan-shifts", ["shift", "days", "start", "end", "agents", "kind", "paid hours"], rows
        )
        + f"<pre>{escape(schedule.explain())}</pre></section>"
    )


def plan_html(
    forecast: Forecast,
    schedule: Schedule,
    *,
    history: SlotCounts | None = None,
    title: str | None = None,
) -> str:
    """The plan as one self-contained HTML page: contacts per day (the last 28 days of
    ``history`` and the forecast), agents needed against agents scheduled per interval
    of ``schedule`` (with the intervals left short), and the shifts. Needs matplotlib
    (the ``report`` extra). The same plan gives the same bytes.

    Args:
        forecast: contacts per slot ahead (e.g. :func:`~servicekit.forecast.weekly_average`).
        schedule: its :func:`~servicekit.staffing.schedule`.
        history: the contacts the forecast was made from, to draw before it.
        title: the page title (default "Plan from <first day>").

    Raises:
        InvalidInputError: an argument of the wrong kind.
        ImportError: matplotlib is not installed.

    >>> from datetime import date, datetime, timedelta, UTC
    >>> from servicekit import forecast, staffing
    >>> from servicekit.calendars import BusinessCalendar
    >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    >>> monday = datetime(2026, 3, 2, 9, tzinfo=UTC)
    >>> created = [monday + timedelta(days=d, minutes=m) for d in range(5)
    ...            for m in range(0, 480, 15)]
    >>> history = forecast.contacts_per_slot(created, calendar=cal, start=date(2026, 3, 2),
    ...                                      days=7, slot="1h")
    >>> ahead = forecast.seasonal_naive(history, start=date(2026, 3, 9))
    >>> rota = staffing.schedule(ahead.to_staffing(aht="5m", target="1m"),
    ...                          shifts=[staffing.Shift(length="8h")])
    >>> page = plan_html(ahead, rota, history=history)
    >>> page.startswith("<!DOCTYPE html>"), "<script" in page, 'id="plan-coverage-chart"' in page
    (True, False, True)
    """
    if not isinstance(forecast, Forecast):
        raise InvalidInputError(f"forecast must be a Forecast, got {short(forecast)}")
    if not isinstance(schedule, Schedule):
        raise InvalidInputError(f"schedule must be a Schedule, got {short(schedule)}")
    if history is not None and not isinstance(history, SlotCounts):
        raise InvalidInputError(f"history must be SlotCounts or None, got {short(history)}")
    first = forecast.grid.start
    heading = title or f"Plan from {first:%a} {first.day} {first:%B %Y}"
    tz = getattr(forecast.grid.calendar, "tz", None)
    note = f"Days and hours in {getattr(tz, 'key', tz)}." if tz is not None else ""
    return document(
        heading,
        note,
        [_forecast_section(forecast, history), _coverage_section(schedule),
         _shifts_section(schedule)],
    )  # fmt: skip
