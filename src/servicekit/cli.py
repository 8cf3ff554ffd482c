"""The command line, the only module (with ``__main__``) that does I/O.

- ``servicekit demo``: simulate the built-in example team for a week and print the
  weekly report.
- ``servicekit report EVENTS.jsonl --config team.toml``: the same report from a file
  of ticket events (text, JSON, CSV or a self-contained HTML page).
- ``servicekit calendar add|elapsed|next-open --config team.toml ...``: quick
  business-time questions.

Bad input prints one line naming the file, line and field, and exits with 2. Long work
shows a progress bar on stderr when stderr is a terminal (with the ``cli`` extra's
tqdm); output piped into ``head`` ends quietly.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import importlib.util
import json
import os
import sys
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn, TextIO, TypeVar
from zoneinfo import ZoneInfo

from servicekit import __version__, simulation
from servicekit.calendars import Calendar
from servicekit.durations import format_duration, parse_duration
from servicekit.errors import ConfigError, ServicekitError
from servicekit.kpi import period_start
from servicekit.report import ReportConfig, WeeklyReport, weekly_report
from servicekit.report import _wording as words
from servicekit.report._weekly import COLUMNS as REPORT_COLUMNS
from servicekit.tickets import Created, Ticket, event_from_dict, event_to_dict

__all__ = ["main"]

DEMO_START = date(2026, 11, 23)  # a Monday, with US Thanksgiving on the Thursday
FORMATS = ("text", "json", "csv", "html")

DESCRIPTION = """\
Customer-service numbers from ticket histories: the weekly support report (SLA
targets met, first reply and resolution times, CSAT, backlog, escalations, staffing
advice, a week-by-week trend) and business-hour calendar questions.

Try `servicekit demo` for the report of a simulated team, then
`servicekit report EVENTS.jsonl --config team.toml` on your own tickets.
"""


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
    numbered = _progress(enumerate(lines, start=1), len(lines), "lines", f"reading {path.name}")
    for number, line in numbered:
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
                tickets[ticket_id] = Ticket([event])
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


T = TypeVar("T")
_hinted: list[bool] = []


def _bar(total: int, unit: str, desc: str) -> Any:
    """A tqdm bar on stderr when stderr is a terminal, else ``None``; without tqdm,
    ``None`` and a one-time hint."""
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm  # noqa: PLC0415 - the cli extra, optional
    except ImportError:
        if not _hinted:
            _hinted.append(True)
            print("servicekit: install servicekit[cli] for a progress bar", file=sys.stderr)
        return None
    return tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, leave=False)


def _progress(items: Iterable[T], total: int, unit: str, desc: str) -> Iterator[T]:
    """``items``, with a progress bar over ``total`` of them on a terminal."""
    bar = _bar(total, unit, desc)
    if bar is None:
        yield from items
        return
    with bar:
        for done, item in enumerate(items, start=1):
            if done % 500 == 0 or done == total:
                bar.update(done - bar.n)
            yield item


def _output(args: argparse.Namespace) -> contextlib.AbstractContextManager[TextIO]:
    """``--output`` opened for writing, or stdout."""
    path: Path | None = args.output
    if path is None:
        return contextlib.nullcontext(sys.stdout)
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        _fail(str(path), f"cannot write: {exc.strerror}")


def _write_report(
    weekly: WeeklyReport, form: str, out: TextIO, extra: Mapping[str, Any] | None = None
) -> None:
    if form == "json":
        data = {**weekly.to_dict(), **(extra or {})}  # the demo adds "simulation"
        out.write(json.dumps(data, indent=2) + "\n")
    elif form == "csv":
        writer = csv.DictWriter(out, fieldnames=list(REPORT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(weekly.to_rows())
    elif form == "html":
        out.write(_html(weekly))
    else:
        out.write(weekly.to_text() + "\n")


def _html(weekly: WeeklyReport) -> str:
    if importlib.util.find_spec("matplotlib") is None:
        _fail("--format html", "needs matplotlib: pip install 'servicekit[report]'")
    return weekly.to_html()


def demo(args: argparse.Namespace) -> None:
    config = ReportConfig.from_dict(simulation.EXAMPLE_CONFIG)
    day = DEMO_START if args.start is None else date.fromisoformat(args.start)
    start = _local_midnight(day, config.tz)
    bar = _bar(args.days, "days", "simulating")

    def progress(done: int, days: int) -> None:
        if bar is not None:
            bar.update(done - bar.n)

    with contextlib.nullcontext() if bar is None else bar:
        result = simulation.simulate(
            simulation.example_team(),
            start=start,
            days=args.days,
            seed=args.seed,
            progress=progress,
        )
    if args.save is not None:
        args.save.mkdir(parents=True, exist_ok=True)
        write_events(result.tickets, args.save / "events.jsonl")
        (args.save / "team.json").write_text(json.dumps(simulation.EXAMPLE_CONFIG, indent=2))
    weekly = weekly_report(
        result.tickets,
        start=result.start,
        end=result.end,
        config=config,
        by=args.by,
        evaluate_rules=args.evaluate_rules,
    )
    if args.html is not None:
        page = _html(weekly)
        try:
            args.html.write_text(page, encoding="utf-8")
        except OSError as exc:
            _fail(str(args.html), f"cannot write: {exc.strerror}")
    chat_level = result.service_level("2m", channel="chat")
    chat_abandoned = result.abandonment_rate(channel="chat")
    simulated = {
        "seed": args.seed,
        "queue_stints": len(result.contacts),
        "chat_answered_within_2m": chat_level.value,
        "chat_abandoned": chat_abandoned.value,
    }
    form = "json" if args.json else args.format
    with _output(args) as out:
        if form != "text":
            _write_report(weekly, form, out, {"simulation": simulated} if form == "json" else None)
            return
        out.write(
            f"servicekit demo: the example team (New York and Manila following the sun), "
            f"{words.count(args.days, 'day')} from {words.day(start, config.tz)}, "
            f"seed {args.seed}\n\n"
        )
        out.write(weekly.to_text() + "\n")
        out.write(
            f"\nQueue (simulated): {len(result.contacts):,} times a ticket waited for an "
            f"agent; chat answered within 2 min {_share(chat_level.value)}, "
            f"abandoned {_share(chat_abandoned.value)}\n"
        )
        if args.html is not None:
            out.write(f"\nWrote the report as a web page: {args.html}\n")
        if args.save is not None:
            out.write(
                f"\nSaved {args.save / 'events.jsonl'} and {args.save / 'team.json'}; the same "
                f"report: servicekit report {args.save / 'events.jsonl'} "
                f"--config {args.save / 'team.json'}\n"
            )


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def report(args: argparse.Namespace) -> None:
    config = read_config(args.config)
    tickets = read_tickets(args.events)
    start, end = _period(tickets, args, config.tz, args.events)
    try:
        weekly = weekly_report(
            tickets,
            start=start,
            end=end,
            config=config,
            by=args.by,
            evaluate_rules=args.evaluate_rules,
        )
    except ServicekitError as exc:
        _fail(str(args.events), str(exc))
    with _output(args) as out:
        _write_report(weekly, args.format, out)


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


def _report_options(command: argparse.ArgumentParser) -> None:
    """The options ``demo`` and ``report`` share."""
    command.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text to read (default), json or csv for machines, html for a page with charts",
    )
    command.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the report to FILE instead of the terminal",
    )
    command.add_argument(
        "--by",
        choices=["week", "day", "month"],
        default="week",
        help="cut a period longer than one of these into a trend (default: week)",
    )
    command.add_argument(
        "--evaluate-rules",
        action="store_true",
        help="also say what the escalation rules in the settings would have fired "
        "(slower: replays every ticket's history)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="servicekit",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"servicekit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "demo",
        help="simulate an example support team and print its weekly report",
        description="Simulate the built-in example team (New York and Manila following the "
        "sun, chat and email, three priorities) and print the report of the tickets it "
        "handled.",
    )
    run.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    run.add_argument("--days", type=int, default=7, help="days to simulate (default 7)")
    run.add_argument(
        "--start", metavar="DATE", help=f"first day, YYYY-MM-DD (default {DEMO_START})"
    )
    _report_options(run)
    run.add_argument("--json", action="store_true", help="the same as --format json")
    run.add_argument(
        "--html", type=Path, metavar="FILE", help="also write the report as a web page to FILE"
    )
    run.add_argument(
        "--save",
        type=Path,
        metavar="DIR",
        help="also write the simulated events.jsonl and team.json into DIR",
    )
    run.set_defaults(handler=demo)

    rep = commands.add_parser(
        "report",
        help="the weekly report of a file of ticket events",
        description="The support report of your own ticket events: tickets created and "
        "solved, first reply and resolution times, SLA targets met, CSAT, backlog, "
        "escalations and staffing advice, with a trend for periods longer than a week.",
    )
    rep.add_argument(
        "events",
        type=Path,
        metavar="EVENTS.jsonl",
        help="ticket events, one JSON object per line (see the report docs)",
    )
    rep.add_argument(
        "--config",
        type=Path,
        required=True,
        metavar="FILE",
        help="the team's settings: calendars, SLA policies, rules, staffing (.toml or .json)",
    )
    rep.add_argument(
        "--start", help="period start, a date or date-time (default: the first ticket's day)"
    )
    rep.add_argument("--end", help="period end, excluded (default: the day after the last event)")
    _report_options(rep)
    rep.set_defaults(handler=report)

    cal = commands.add_parser(
        "calendar",
        help="business-time questions on a calendar of the settings",
        description="Business-time arithmetic on a calendar of a settings file.",
    )
    questions = cal.add_subparsers(dest="question", required=True, metavar="QUESTION")
    add = questions.add_parser("add", help="START plus DURATION of business time")
    add.add_argument("start", metavar="START", help="a date or date-time")
    add.add_argument("duration", metavar="DURATION", help="business time to add, e.g. 4h30m")
    elapsed = questions.add_parser("elapsed", help="business time from START to END")
    elapsed.add_argument("start", metavar="START", help="a date or date-time")
    elapsed.add_argument("end", metavar="END", help="a date or date-time")
    next_open = questions.add_parser("next-open", help="AT if open, else the next opening")
    next_open.add_argument("at", metavar="AT", help="a date or date-time")
    for question in (add, elapsed, next_open):
        question.add_argument(
            "--config", type=Path, required=True, metavar="FILE", help="settings (.toml or .json)"
        )
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
        sys.stdout.flush()
    except (UsageError, ServicekitError) as exc:
        print(f"servicekit: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (``| head``) left: end quietly, and keep Python's exit flush from
        # failing again on the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def _check_demo(args: argparse.Namespace) -> None:
    if not 1 <= args.days <= simulation.MAX_DAYS:
        _fail("--days", f"must be 1 to {simulation.MAX_DAYS}, got {args.days}")
    if args.start is not None:
        try:
            date.fromisoformat(args.start)
        except ValueError:
            _fail("--start", f"{args.start!r} is not a date (YYYY-MM-DD)")
