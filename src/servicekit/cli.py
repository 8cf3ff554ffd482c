"""The command line: ``servicekit demo`` (the only module, with ``__main__``, doing I/O).

``demo`` prints a worked example of what servicekit computes today: due dates under
business hours with holidays and a DST change, business time elapsed, and a
follow-the-sun team built from two calendars.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from servicekit import BusinessCalendar, HolidaySet, format_duration, parse_duration
from servicekit.errors import ServicekitError

__all__ = ["main"]


def demo(out: list[str]) -> None:
    """Append the demo's lines to ``out`` (kept pure so tests read the same text)."""
    ny = ZoneInfo("America/New_York")
    us_holidays = HolidaySet.from_country("US", subdiv="NY", years=range(2026, 2028))
    new_york = BusinessCalendar(
        tz=ny,
        weekly={"mon-fri": ["09:00-12:00", "13:00-17:00"]},
        holidays=us_holidays,
        overrides={date(2026, 12, 24): ["09:00-13:00"]},
    )
    manila = BusinessCalendar(
        tz="Asia/Manila",
        weekly={"mon-fri": ["08:00-17:00"]},
        holidays=HolidaySet.from_country("PH", years=range(2026, 2028)),
    )
    out.append("servicekit demo: SLA due dates in business time")
    out.append(
        "New York support: Mon-Fri 09:00-12:00, 13:00-17:00; US/NY holidays; Dec 24 half day"
    )
    out.append("")
    out.append(f"{'ticket created':<26} {'target':>7}  {'due (New York)':<26} note")
    cases = [
        (datetime(2026, 3, 6, 16, 0, tzinfo=ny), "4h", "over a weekend and the DST change"),
        (datetime(2026, 11, 25, 15, 30, tzinfo=ny), "8h", "skips Thanksgiving"),
        (datetime(2026, 12, 23, 16, 0, tzinfo=ny), "PT6H", "half day, then Christmas"),
        (datetime(2026, 7, 6, 11, 30, tzinfo=ny), "1h", "lunch break is not counted"),
    ]
    for created, target, note in cases:
        due = new_york.add(created, parse_duration(target))
        out.append(
            f"{created:%a %Y-%m-%d %H:%M}       {target:>7}  {due:%a %Y-%m-%d %H:%M %Z}  {note}"
        )
    out.append("")
    start = datetime(2026, 12, 21, 9, tzinfo=ny)
    end = datetime(2027, 1, 4, 9, tzinfo=ny)
    worked = new_york.elapsed(start, end)
    out.append(
        f"Business time {start:%Y-%m-%d} -> {end:%Y-%m-%d}: {format_duration(worked)} "
        f"of {format_duration(end - start)} on the clock"
    )
    team = new_york | manila
    day_start = datetime(2026, 6, 1, tzinfo=ny)
    covered = team.elapsed(day_start, day_start + timedelta(days=1))
    out.append(
        f"Follow-the-sun New York | Manila covers {format_duration(covered)} of Mon 2026-06-01"
    )
    gap = team.next_open(datetime(2026, 6, 1, 17, 30, tzinfo=ny))
    out.append(f"After New York closes at 17:00, the team reopens at {gap:%H:%M %Z} (Manila 08:00)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="servicekit", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="print a worked example of business-time SLA math")
    args = parser.parse_args(argv)
    lines: list[str] = []
    try:
        if args.command == "demo":
            demo(lines)
    except ServicekitError as exc:
        print(f"servicekit: {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0
