"""The command line, the only module (with ``__main__``) that does I/O.

- ``servicekit demo``: simulate the built-in example team for a week and print the
  weekly report.
- ``servicekit report EVENTS.jsonl --config team.toml``: the same report from a file
  of ticket events.
- ``servicekit calendar add|elapsed|next-open --config team.toml ...``: quick
  business-time questions.

Bad input prints one line naming the file, line and field, and exits with 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tomllib
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from servicekit import simulation
from servicekit.calendars import Calendar
from servicekit.durations import format_duration, parse_duration
from servicekit.errors import ConfigError, ServicekitError
from servicekit.kpi import period_start
from servicekit.report import ReportConfig, WeeklyReport, weekly_report
from servicekit.tickets import Created, Ticket, event_from_dict, event_to_dict

__all__ = ["main"]

DEMO_START = date(2026, 11, 23)  # a Monday, with US Thanksgiving on the Thursday
LONG_RUN_DAYS = 7  # longer demos report their progress on stderr


class UsageError(Exception):
    """Bad input from the command line or a file: one line for stderr, exit code 2."""


def _fail(where: str, message: str) -> NoReturn:
    raise UsageError(f"{where}: {message}" if where else message)


# -- reading files ---------------------------------------------------------------------


def read_config(path: Path) -> ReportConfig:
    """The report settings in a TOML or JSON file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        _fail(str(path), f"cannot read: {exc.strerror}")
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        _fail(str(path), f"not valid {'JSON' if path.suffix == '.json' else 'TOML'}: {exc}")
    try:
        return ReportConfig.from_dict(data)
    except ServicekitError as exc:
        _fail(str(path), str(exc))


def read_tickets(path: Path) -> list[Ticket]:
    """The tickets whose events a JSON-lines file holds: one event per line, as
    :func:`~servicekit.tickets.event_to_dict` writes it, with a ``ticket_id`` (which a
    ``created`` event has anyway); each ticket's events in time order."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        _fail(str(path), f"cannot read: {getattr(exc, 'strerror', None) or exc}")
    tickets: dict[str, Ticket] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            _fail(where, f"not a JSON object: {exc.msg}")
        if not isinstance(record, dict):
            _fail(where, f"expected a JSON object, got {line.strip()[:40]}")
        ticket_id = record.get("ticket_id")
        if not isinstance(ticket_id, str):
            _fail(where, f"field 'ticket_id': expected the ticket's id, got {ticket_id!r}")
        if record.get("type") != "created":
            del record["ticket_id"]
        try:
            event = event_from_dict(record)
            if isinstance(event, Created):
                if ticket_id in tickets:
                    _fail(where, f"ticket {ticket_id!r} is created twice")
                tickets[ticket_id] = Ticket.replay([event])
            elif ticket_id not in tickets:
                _fail(where, f"field 'ticket_id': ticket {ticket_id!r} has no created event yet")
            else:
                tickets[ticket_id] = tickets[ticket_id].apply(event)
        except ConfigError as exc:
            _fail(where, f"field {exc.path!r}: {exc.message}" if exc.path else exc.message)
        except ServicekitError as exc:
            _fail(where, str(exc))
    return list(tickets.values())


def write_events(tickets: Sequence[Ticket], path: Path) -> None:
    """Write the tickets' events as JSON lines that :func:`read_tickets` reads back."""
    with path.open("w", encoding="utf-8") as out:
        for ticket in tickets:
            for event in ticket.history:
                record = event_to_dict(event)
                record.setdefault("ticket_id", ticket.id)
                out.write(json.dumps(record) + "\n")


# -- instants and periods --------------------------------------------------------------


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The start of ``day`` in ``tz`` (the first instant after a skipped midnight)."""
    return period_start(datetime(day.year, day.month, day.day, 12, tzinfo=tz), "day", tz)


def _instant(text: str, tz: ZoneInfo, option: str) -> datetime:
    """An ISO 8601 date (local midnight) or datetime (naive ones read in ``tz``)."""
    try:
        if len(text) == 10:
            return _local_midnight(date.fromisoformat(text), tz)
        value = datetime.fromisoformat(text)
    except ValueError:
        _fail(option, f"{text!r} is not an ISO 8601 date or date-time")
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def _period(
    tickets: Sequence[Ticket], args: argparse.Namespace, tz: ZoneInfo, source: Path
) -> tuple[datetime, datetime]:
    """``--start``/``--end``, or the local days from the first ticket to the last event."""
    if (args.start is None or args.end is None) and not tickets:
        _fail(str(source), "no ticket events, so no period to report; pass --start and --end")
    start = (
        _local_midnight(min(t.created_at for t in tickets).astimezone(tz).date(), tz)
        if args.start is None
        else _instant(args.start, tz, "--start")
    )
    end = (
        _local_midnight(
            max(t.updated_at for t in tickets).astimezone(tz).date() + timedelta(days=1), tz
        )
        if args.end is None
        else _instant(args.end, tz, "--end")
    )
    return start, end


# -- commands ----------------------------------------------------------------------------


def _print_report(weekly: WeeklyReport, form: str, extra: Mapping[str, Any] | None) -> None:
    if form == "json":
        data = weekly.to_dict() if extra is None else {"report": weekly.to_dict(), **extra}
        print(json.dumps(data, indent=2))
    elif form == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=["section", "name", "value", "count"])
        writer.writeheader()
        writer.writerows(weekly.to_rows())
    else:
        print(weekly.to_text())


def demo(args: argparse.Namespace) -> None:
    config = ReportConfig.from_dict(simulation.EXAMPLE_CONFIG)
    day = DEMO_START if args.start is None else date.fromisoformat(args.start)
    start = _local_midnight(day, config.tz)

    def progress(done: int, days: int) -> None:
        print(f"servicekit demo: simulated {done} of {days} days", file=sys.stderr)

    result = simulation.simulate(
        simulation.example_team(),
        start=start,
        days=args.days,
        seed=args.seed,
        progress=progress if args.days > LONG_RUN_DAYS else None,
    )
    if args.save is not None:
        args.save.mkdir(parents=True, exist_ok=True)
        write_events(result.tickets, args.save / "events.jsonl")
        (args.save / "team.json").write_text(json.dumps(simulation.EXAMPLE_CONFIG, indent=2))
    weekly = weekly_report(result.tickets, start=result.start, end=result.end, config=config)
    chat_level = result.service_level("2m", channel="chat")
    chat_abandoned = result.abandonment_rate(channel="chat")
    stints = {
        "seed": args.seed,
        "queue_stints": len(result.contacts),
        "chat_answered_within_2m": chat_level.value,
        "chat_abandoned": chat_abandoned.value,
    }
    if args.json:
        _print_report(weekly, "json", {"simulation": stints})
        return
    print(
        f"servicekit demo: the example team (New York and Manila following the sun), "
        f"{args.days} days from {day}, seed {args.seed}\n"
    )
    print(weekly.to_text())
    print(
        f"\nQueue (simulated): {len(result.contacts)} stints; chat answered within 2m "
        f"{_share(chat_level.value)}, abandoned {_share(chat_abandoned.value)}"
    )
    if args.save is not None:
        print(
            f"\nSaved {args.save / 'events.jsonl'} and {args.save / 'team.json'}; the same "
            f"report: servicekit report {args.save / 'events.jsonl'} "
            f"--config {args.save / 'team.json'}"
        )


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def report(args: argparse.Namespace) -> None:
    config = read_config(args.config)
    tickets = read_tickets(args.events)
    start, end = _period(tickets, args, config.tz, args.events)
    try:
        weekly = weekly_report(tickets, start=start, end=end, config=config)
    except ServicekitError as exc:
        _fail(str(args.events), str(exc))
    _print_report(weekly, args.format, None)


def _pick_calendar(config: ReportConfig, name: str | None, source: Path) -> Calendar:
    if name is not None:
        if name not in config.calendars:
            known = ", ".join(sorted(config.calendars)) or "none"
            _fail(str(source), f"no calendar named {name!r} (known: {known})")
        return config.calendars[name]
    if config.business_hours is not None:
        return config.business_hours
    if len(config.calendars) == 1:
        return next(iter(config.calendars.values()))
    known = ", ".join(sorted(config.calendars)) or "none"
    _fail(str(source), f"pass --calendar to pick one (known: {known})")


def calendar(args: argparse.Namespace) -> None:
    config = read_config(args.config)
    cal = _pick_calendar(config, args.calendar, args.config)
    tz = cal.tz
    if args.question == "add":
        try:
            duration = parse_duration(args.duration)
        except ServicekitError as exc:
            _fail("DURATION", str(exc))
        print(cal.add(_instant(args.start, tz, "START"), duration).isoformat())
    elif args.question == "elapsed":
        start, end = _instant(args.start, tz, "START"), _instant(args.end, tz, "END")
        print(format_duration(cal.elapsed(start, end)))
    else:
        print(cal.next_open(_instant(args.at, tz, "AT")).isoformat())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="servicekit", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("demo", help="simulate the example team and print its report")
    run.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    run.add_argument("--days", type=int, default=7, help="days to simulate (default 7)")
    run.add_argument("--start", help=f"first day, YYYY-MM-DD (default {DEMO_START})")
    run.add_argument("--json", action="store_true", help="print JSON instead of text")
    run.add_argument(
        "--save", type=Path, help="also write events.jsonl and team.json into this folder"
    )
    run.set_defaults(handler=demo)

    rep = commands.add_parser("report", help="the weekly report of a file of ticket events")
    rep.add_argument("events", type=Path, help="ticket events, one JSON object per line")
    rep.add_argument("--config", type=Path, required=True, help="settings (.toml or .json)")
    rep.add_argument("--format", choices=["text", "json", "csv"], default="text")
    rep.add_argument("--start", help="period start (date or date-time; default: first day)")
    rep.add_argument("--end", help="period end, exclusive (default: after the last event)")
    rep.set_defaults(handler=report)

    cal = commands.add_parser("calendar", help="business-time questions on a calendar")
    questions = cal.add_subparsers(dest="question", required=True)
    add = questions.add_parser("add", help="START plus DURATION of business time")
    add.add_argument("start")
    add.add_argument("duration")
    elapsed = questions.add_parser("elapsed", help="business time from START to END")
    elapsed.add_argument("start")
    elapsed.add_argument("end")
    next_open = questions.add_parser("next-open", help="AT if open, else the next opening")
    next_open.add_argument("at")
    for question in (add, elapsed, next_open):
        question.add_argument("--config", type=Path, required=True)
        question.add_argument("--calendar", help="a calendar name (default: business_hours)")
        question.set_defaults(handler=calendar)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code (2 for bad input)."""
    args = _parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], None] = args.handler
    try:
        if args.command == "demo":
            _check_demo(args)
        handler(args)
    except (UsageError, ServicekitError) as exc:
        print(f"servicekit: {exc}", file=sys.stderr)
        return 2
    return 0


def _check_demo(args: argparse.Namespace) -> None:
    if not 1 <= args.days <= simulation.MAX_DAYS:
        _fail("--days", f"must be 1 to {simulation.MAX_DAYS}, got {args.days}")
    if args.start is not None:
        try:
            date.fromisoformat(args.start)
        except ValueError:
            _fail("--start", f"{args.start!r} is not a date (YYYY-MM-DD)")
