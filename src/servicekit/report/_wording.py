"""The words of the report: metric labels, counts with their nouns, durations and
periods written the way a support lead reads them. JSON and CSV keep machine names;
only text and HTML go through here."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from servicekit.kpi import Proportion
from servicekit.sla import Metric
from servicekit.tickets import Priority

METRIC_LABELS = {
    Metric.FIRST_REPLY: "first reply",
    Metric.NEXT_REPLY: "next reply",
    Metric.PERIODIC_UPDATE: "periodic update",
    Metric.PAUSABLE_UPDATE: "update (pausable)",
    Metric.REQUESTER_WAIT: "requester wait",
    Metric.AGENT_WORK: "agent work",
    Metric.RESOLUTION: "resolution",
}

_PLURALS = {"SLA target": "SLA targets", "reply": "replies", "is": "are"}


def metric_label(metric: Metric) -> str:
    """The metric as a support lead says it.

    >>> metric_label(Metric.FIRST_REPLY)
    'first reply'
    """
    return METRIC_LABELS[metric]


def priority_label(priority: Priority) -> str:
    """The priority's name.

    >>> priority_label(Priority.URGENT)
    'urgent'
    """
    return priority.value


def count(number: int, noun: str) -> str:
    """``number`` with its noun, singular or plural, thousands separated.

    >>> count(1, "agent"), count(2, "agent"), count(1255, "SLA target"), count(0, "reply")
    ('1 agent', '2 agents', '1,255 SLA targets', '0 replies')
    """
    if number == 1:
        return f"1 {noun}"
    return f"{number:,} {_PLURALS.get(noun, noun + 's')}"


def duration(value: timedelta | None) -> str:
    """A duration rounded to what a person reads: seconds under a minute, minutes
    under an hour, hours and minutes under a day, days and hours beyond.

    >>> [duration(timedelta(seconds=s)) for s in (0, 41, 161, 6750, 316446)]
    ['0 s', '41 s', '3 min', '1 h 53 min', '3 days 16 h']
    >>> duration(None)
    'n/a'
    """
    if value is None:
        return "n/a"
    # Halves round up (112.5 minutes read as 1 h 53 min), on whole microseconds.
    micro = value // timedelta(microseconds=1)
    sign, micro = ("-", -micro) if micro < 0 else ("", micro)
    seconds = (micro + 500_000) // 1_000_000
    if seconds < 60:
        return f"{sign}{seconds} s"
    minutes = (seconds + 30) // 60
    if minutes < 60:
        return f"{sign}{minutes} min"
    if minutes < 24 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{sign}{hours} h" + (f" {rest} min" if rest else "")
    hours = (seconds + 1800) // 3600
    days, rest = divmod(hours, 24)
    return f"{sign}{count(days, 'day')}" + (f" {rest} h" if rest else "")


def percent(proportion: Proportion) -> str:
    """A proportion as a whole percentage, ``n/a`` when nothing was counted.

    >>> percent(Proportion.of(45, 50)), percent(Proportion.of(0, 0))
    ('90%', 'n/a')
    """
    return "n/a" if proportion.value is None else f"{proportion.value:.0%}"


def day(instant: datetime, tz: ZoneInfo, *, year: bool = True) -> str:
    """The local day of ``instant``: ``Mon 23 Nov 2026``.

    >>> from datetime import UTC
    >>> day(datetime(2026, 11, 23, 12, tzinfo=UTC), ZoneInfo("America/New_York"))
    'Mon 23 Nov 2026'
    """
    local = instant.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b}" + (f" {local.year}" if year else "")


def _midnight(instant: datetime, tz: ZoneInfo) -> bool:
    local = instant.astimezone(tz)
    return (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)


def period(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """The period ``[start, end)`` as a person reads it. Whole local days name the
    first and the last day included (the day before ``end``); other bounds are
    written with their times and the end marked as excluded.

    >>> ny = ZoneInfo("America/New_York")
    >>> period(datetime(2026, 11, 23, tzinfo=ny), datetime(2026, 11, 30, tzinfo=ny), ny)
    'Mon 23 Nov – Sun 29 Nov 2026'
    >>> period(datetime(2026, 12, 28, tzinfo=ny), datetime(2027, 1, 4, tzinfo=ny), ny)
    'Mon 28 Dec 2026 – Sun 3 Jan 2027'
    >>> period(datetime(2026, 11, 23, tzinfo=ny), datetime(2026, 11, 24, tzinfo=ny), ny)
    'Mon 23 Nov 2026'
    >>> period(datetime(2026, 11, 23, 9, tzinfo=ny), datetime(2026, 11, 23, 17, tzinfo=ny), ny)
    'Mon 23 Nov 2026 09:00 – 17:00 (end excluded)'
    """
    first, after = start.astimezone(tz), end.astimezone(tz)
    if _midnight(start, tz) and _midnight(end, tz):
        last = (after - timedelta(hours=12)).date()
        last_at = datetime(last.year, last.month, last.day, 12, tzinfo=tz)
        if last == first.date():
            return day(first, tz)
        same_year = last.year == first.year
        return f"{day(first, tz, year=not same_year)} – {day(last_at, tz)}"
    if first.date() == after.date():
        return f"{day(first, tz)} {first:%H:%M} – {after:%H:%M} (end excluded)"
    return f"{day(first, tz)} {first:%H:%M} – {day(after, tz)} {after:%H:%M} (end excluded)"
