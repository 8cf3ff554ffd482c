"""The command line, the only module (with ``__main__``) that does I/O.

- ``servicekit demo``: simulate the built-in example team for a week and print the
  weekly report.
- ``servicekit report EVENTS.jsonl --config team.toml``: the same report from a file
  of ticket events (text, JSON, CSV or a self-contained HTML page); ``--reviews
  FILE.jsonl`` adds the QA section.
- ``servicekit calendar add|elapsed|next-open --config team.toml ...``: quick
  business-time questions.
- ``servicekit import SOURCE FILE... > events.jsonl``: a help desk's export as
  servicekit's JSON lines, with the import report on stderr.
- ``servicekit crosscheck zendesk EVENTS.jsonl METRIC_EVENTS.json --config team.toml``:
  servicekit's SLA clocks against the vendor's own.
- ``servicekit plan EVENTS.jsonl --config team.toml``: next week's forecast per slot,
  staffing table and shift schedule (needs the ``wfm`` extra for the schedule), as
  text, CSV or a self-contained HTML page (``--format html``).

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

from servicekit import __version__, importers, simulation, sla
from servicekit._checks import short
from servicekit._stdout import quiet_stdout
from servicekit._time import zone
from servicekit.calendars import BusinessCalendar, Calendar, HolidaySet
from servicekit.calendars._day_units import business_duration
from servicekit.durations import format_duration
from servicekit.errors import ConfigError, HolidayCoverageError, ServicekitError
from servicekit.kpi import period_start
from servicekit.qa import Review
from servicekit.report import ReportConfig, WeeklyReport, read_reviews, weekly_report
from servicekit.report import _wording as words
from servicekit.report._weekly import COLUMNS as REPORT_COLUMNS
from servicekit.tickets import Created, Event, Ticket, event_from_dict, event_to_dict

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


def _read_text(path: Path) -> str:
    """A file's text; a file that is missing, unreadable or not UTF-8 is a UsageError."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        _fail(str(path), f"cannot read: {exc.strerror or exc}")
    except UnicodeDecodeError as exc:
        _fail(str(path), f"not UTF-8 text (byte {exc.start} is {exc.object[exc.start]:#04x})")


def _decode_json(text: str, where: str, what: str = "JSON") -> Any:
    """One JSON document; malformed or nested too deeply to read is a UsageError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(where, f"not {what}: {exc.msg} (line {exc.lineno}, column {exc.colno})")
    except RecursionError:
        _fail(where, f"not {what} that can be read: nested too deeply")


def _read_settings(path: Path) -> Any:
    """The document a TOML file (or, by its ``.json`` suffix, a JSON file) holds."""
    text = _read_text(path)
    if path.suffix == ".json":
        return _decode_json(text, str(path))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        _fail(str(path), f"not valid TOML: {exc}")
    except RecursionError:
        _fail(str(path), "not readable TOML: nested too deeply")


def read_config(path: Path) -> ReportConfig:
    """The report settings in a TOML or JSON file."""
    data = _read_settings(path)
    try:
        return ReportConfig.from_dict(data)
    except ServicekitError as exc:
        _fail(str(path), str(exc))


def read_tickets(path: Path) -> list[Ticket]:
    """The tickets whose events a JSON-lines file holds: one event per line, as
    :func:`~servicekit.tickets.event_to_dict` writes it, with a ``ticket_id`` (which a
    ``created`` event has anyway); each ticket's events in time order."""
    lines = _read_text(path).splitlines()
    tickets: dict[str, Ticket] = {}
    numbered = _progress(enumerate(lines, start=1), len(lines), "lines", f"reading {path.name}")
    for number, line in numbered:
        if not line.strip():
            continue
        where = f"{path}:{number}"
        record = _decode_json(line, where, "a JSON object")
        if not isinstance(record, dict):
            _fail(where, f"expected a JSON object, got {line.strip()[:40]}")
        ticket_id = record.get("ticket_id")
        if not isinstance(ticket_id, str):
            _fail(where, f"field 'ticket_id': expected the ticket's id, got {short(ticket_id)}")
        if record.get("type") != "created":
            del record["ticket_id"]
        try:
            event = event_from_dict(record)
            if isinstance(event, Created):
                if ticket_id in tickets:
                    _fail(where, f"ticket {short(ticket_id)} is created twice")
                tickets[ticket_id] = Ticket.replay([event])
            elif ticket_id not in tickets:
                _fail(
                    where, f"field 'ticket_id': ticket {short(ticket_id)} has no created event yet"
                )
            else:
                tickets[ticket_id] = tickets[ticket_id].apply(event)
        except ConfigError as exc:
            _fail(where, f"field {short(exc.path)}: {exc.message}" if exc.path else exc.message)
        except ServicekitError as exc:
            _fail(where, str(exc))
    return list(tickets.values())


def read_review_file(path: Path, config: ReportConfig, source: Path) -> tuple[Review, ...]:
    """The QA reviews of a JSON-lines file (see :func:`servicekit.report.read_reviews`),
    checked against the settings' scorecard."""
    if config.scorecard is None:
        _fail(str(source), "--reviews needs a [scorecard] section in the settings")
    lines = _read_text(path).splitlines()
    try:
        return read_reviews(lines, scorecard=config.scorecard)
    except ServicekitError as exc:
        text = str(exc)
        if text.startswith("line "):  # path:line: message, like the events reader
            number, _, message = text.removeprefix("line ").partition(": ")
            _fail(f"{path}:{number}", message)
        _fail(str(path), text)


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
        _fail(option, f"{short(text)} is not an ISO 8601 date or date-time")
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
    tickets = (
        read_tickets_leniently(args, config.tz) if _lenient(args) else read_tickets(args.events)
    )
    reviews = None if args.reviews is None else read_review_file(args.reviews, config, args.config)
    start, end = _period(tickets, args, config.tz, args.events)
    try:
        weekly = weekly_report(
            tickets,
            start=start,
            end=end,
            config=config,
            by=args.by,
            evaluate_rules=args.evaluate_rules,
            reviews=reviews,
        )
    except HolidayCoverageError as exc:
        _fail(str(args.config), _holiday_fault(config, exc))
    except ServicekitError as exc:
        _fail(str(args.events), str(exc))
    with _output(args) as out:
        _write_report(weekly, args.format, out)


def _pick_calendar(config: ReportConfig, name: str | None, source: Path) -> Calendar:
    if name is not None:
        if name not in config.calendars:
            known = ", ".join(sorted(config.calendars)) or "none"
            _fail(str(source), f"no calendar named {short(name)} (known: {known})")
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
            duration = business_duration(args.duration, cal)  # '3d' is refused: 72h or 3bd?
        except ServicekitError as exc:
            _fail("DURATION", str(exc))
        print(cal.add(_instant(args.start, tz, "START"), duration).isoformat())
    elif args.question == "elapsed":
        start, end = _instant(args.start, tz, "START"), _instant(args.end, tz, "END")
        print(format_duration(cal.elapsed(start, end), largest="h"))  # business time: no days
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
    rep.add_argument(
        "--reviews",
        type=Path,
        metavar="FILE.jsonl",
        help="QA reviews, one JSON object per line: {agent, ratings, reviewer, conversation}; "
        "scored on the settings' [scorecard]",
    )
    _report_options(rep)
    _lenient_options(rep)
    rep.set_defaults(handler=report)
    _import_parsers(commands)

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
    _add_plan_parser(commands)
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
            _fail("--start", f"{short(args.start)} is not a date (YYYY-MM-DD)")


# -- importing help-desk exports, and reading events leniently --------------------------

_PAGE_KEYS = (
    "audits",
    "history",
    "History",
    "Ticket",
    "ticket_events",
    "ticket_metric_events",
    "issues",
    "values",
    "users",
    "records",
    "tickets",
    "conversations",
    "payload",
    "data",
)


def _read_records(path: Path) -> list[Any]:
    """The records a file holds: a JSON array, an API page (an object whose records sit
    under ``audits``, ``ticket_events``, ``issues``, ``users``...; several pages may be a
    JSON array of such objects) or JSON lines, one record per line."""
    text = _read_text(path)
    try:
        data: Any = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        data = [
            _decode_json(line, f"{path}:{number}")
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip()
        ]
    pages = data if isinstance(data, list) else [data]
    found: list[Any] = []
    for page in pages:
        key = next((k for k in _PAGE_KEYS if isinstance(page, dict) and k in page), None)
        if key is not None and isinstance(page[key], list):
            found.extend(page[key])
        else:
            found.append(page)
    return found


def _read_agents(path: Path) -> tuple[list[Any] | None, list[Any] | None]:
    """``(agents, users)`` from a file: a users side-load (objects with ``role``) or a
    list of agent ids (JSON, or one id per line)."""
    try:
        records = _read_records(path)
    except UsageError:
        lines = _read_text(path).splitlines()
        return [line.strip() for line in lines if line.strip()], None
    if records and all(isinstance(r, dict) for r in records):
        return None, records
    return records, None


def _read_map(path: Path, source: str) -> importers.VendorMap:
    data = _read_settings(path)
    try:
        return importers.DEFAULT_MAPS[source].with_overrides(data)
    except ServicekitError as exc:
        _fail(str(path), str(exc))


def import_(args: argparse.Namespace) -> None:
    records: list[Any] = []
    for path in args.files:
        records.extend(_read_records(path))
    agents, users = _read_agents(args.agents) if args.agents is not None else (None, None)
    vendor = _read_map(args.map, args.source) if args.map is not None else None
    tz = zone(args.tz, "--tz") if args.tz else None
    if args.source == "zendesk":
        result = importers.from_zendesk(records, agents=agents, users=users, map=vendor, tz=tz)
    elif args.source == "jira":
        if users is not None:
            agents = [u.get("accountId", u.get("id")) for u in users if isinstance(u, dict)]
        result = importers.from_jira(records, agents=agents, map=vendor, tz=tz)
    elif args.source == "zammad":
        result = _zammad(records, vendor, tz)
    elif args.source == "freshdesk":
        tickets = [r for r in records if isinstance(r, dict) and "requester_id" in r]
        talk = [r for r in records if not (isinstance(r, dict) and "requester_id" in r)]
        result = importers.from_freshdesk(tickets, talk, agents=agents, map=vendor, tz=tz)
    elif args.source == "chatwoot":
        talk = [r for r in records if isinstance(r, dict) and "message_type" in r]
        found = [r for r in records if not (isinstance(r, dict) and "message_type" in r)]
        result = importers.from_chatwoot(found, talk, map=vendor, tz=tz)
    elif args.source == "otrs":
        history = [r for r in records if not (isinstance(r, dict) and "CustomerUserID" in r)]
        known = [r for r in records if isinstance(r, dict) and "CustomerUserID" in r]
        result = importers.from_otrs(history, tickets=known, map=vendor, tz=tz)
    else:  # pragma: no cover - argparse restricts the choices
        _fail("SOURCE", f"no importer for {short(args.source)}")
    out = sys.stdout
    for ticket in result.tickets:
        for event in ticket.history:
            record = event_to_dict(event)
            record.setdefault("ticket_id", ticket.id)
            out.write(json.dumps(record) + "\n")
    print(result.report.explain(), file=sys.stderr)


def _zammad(
    records: list[Any], vendor: importers.VendorMap | None, tz: ZoneInfo | None
) -> importers.ImportResult:
    """Zammad files mix history entries (``object``), articles (``sender``) and tickets."""
    history, articles, tickets = [], [], []
    for record in records:
        if isinstance(record, dict) and "object" in record:
            history.append(record)
        elif isinstance(record, dict) and ("sender" in record or "sender_id" in record):
            articles.append(record)
        elif isinstance(record, dict) and "customer_id" in record:
            tickets.append(record)
        else:
            history.append(record)  # read, and counted, as an unreadable history entry
    return importers.from_zammad(history, articles, tickets=tickets, map=vendor, tz=tz)


def _holiday_fault(config: ReportConfig, exc: HolidayCoverageError) -> str:
    """A holiday set that runs out is a settings fault: name the calendar's key."""
    text = str(exc)
    year = int(text[:4]) if text[:4].isdigit() else None
    for name, cal in config.calendars.items():
        holidays = getattr(cal, "holidays", None)
        if isinstance(holidays, HolidaySet) and year is not None and year not in holidays.years:
            return f"calendars.{name}.holidays.years: {text}"
    return f"calendars: {text}"


def _lenient(args: argparse.Namespace) -> bool:
    return bool(args.lenient or args.skip_bad or args.rejects is not None or args.assume_tz)


def _lenient_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="sort each ticket's events by time, start a ticket first seen mid-history "
        "with a synthesised (flagged) creation, and count events the lifecycle refuses "
        "instead of stopping",
    )
    parser.add_argument(
        "--skip-bad", action="store_true", help="skip malformed lines (counted; implies --lenient)"
    )
    parser.add_argument("--rejects", type=Path, help="write skipped lines to this file")
    parser.add_argument(
        "--assume-tz",
        action="store_true",
        help="read timestamps without an offset in the settings' tz (implies --lenient)",
    )


def read_tickets_leniently(args: argparse.Namespace, tz: ZoneInfo) -> list[Ticket]:
    """The tickets of a JSON-lines file of events, read as ``--lenient``, ``--skip-bad``
    and ``--assume-tz`` say; what was skipped or synthesised goes to stderr."""
    path: Path = args.events
    lines = _read_text(path).splitlines()
    pairs: list[tuple[str, Event]] = []
    rejected: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        problem = _event_of_line(line, tz if args.assume_tz else None, pairs)
        if problem is None:
            continue
        if not args.skip_bad:
            _fail(f"{path}:{number}", problem)
        rejected.append(line)
        if len(rejected) <= MAX_QUOTED_REJECTS:
            print(f"servicekit: skipped {path}:{number}: {problem}", file=sys.stderr)
    if args.rejects is not None:
        args.rejects.write_text("".join(line + "\n" for line in rejected), encoding="utf-8")
    result = importers.from_events(pairs)
    report = result.report
    summary = f"servicekit: read {len(pairs)} events of {report.tickets} tickets from {path}"
    if rejected:
        summary += f"; skipped {len(rejected)} malformed lines"
    print(summary, file=sys.stderr)
    if report.ignored_total or report.synthesised or report.skipped:
        for line in report.explain().splitlines()[1:]:
            print(f"servicekit: {line}", file=sys.stderr)
    return list(result.tickets)


MAX_QUOTED_REJECTS = 20
"""Skipped lines quoted on stderr (all are counted, and written to ``--rejects``)."""


def _event_of_line(line: str, tz: ZoneInfo | None, pairs: list[tuple[str, Event]]) -> str | None:
    """Append the line's ``(ticket id, event)`` to ``pairs``, or say what is wrong with
    it (naming the ticket where the line has one)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"not a JSON object: {exc.msg}"
    except RecursionError:
        return "not a JSON object: nested too deeply"
    if not isinstance(record, dict):
        return f"expected a JSON object, got {line.strip()[:40]}"
    ticket_id = record.get("ticket_id")
    if not isinstance(ticket_id, str):
        return f"field 'ticket_id': expected the ticket's id, got {short(ticket_id)}"
    if record.get("type") != "created":
        del record["ticket_id"]
    at = record.get("at")
    if tz is not None and isinstance(at, str):
        try:
            parsed = datetime.fromisoformat(at)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is None:
            record["at"] = parsed.replace(tzinfo=tz)
    try:
        pairs.append((ticket_id, event_from_dict(record)))
    except ConfigError as exc:
        field = f"field {exc.path!r}: " if exc.path else ""
        hint = (
            " (pass --assume-tz to read it in the settings' tz)" if "naive" in exc.message else ""
        )
        return f"ticket {short(ticket_id)}: {field}{exc.message}{hint}"
    return None


# -- cross-checking SLA clocks --------------------------------------------------------------


def crosscheck_(args: argparse.Namespace) -> None:
    config = read_config(args.config)
    if config.policies is None:
        _fail(str(args.config), "policies: the settings have no SLA policies to check")
    tickets = (
        read_tickets_leniently(args, config.tz) if _lenient(args) else read_tickets(args.events)
    )
    by_ticket: dict[str, list[Any]] = {}
    for path in args.metrics:
        for index, record in enumerate(_read_records(path)):
            if not isinstance(record, dict):
                _fail(
                    f"{path}: record {index}",
                    f"expected a metric event object, got {short(record, 60)}",
                )
            key = next(
                (record[k] for k in ("ticket_id", "issueKey", "key", "id") if k in record), None
            )
            by_ticket.setdefault(str(key), []).append(record)
    checked = differing = 0
    counts: dict[str, int] = {}
    for ticket in tickets:
        records = by_ticket.get(ticket.id)
        if not records:
            continue
        try:
            result = sla.crosscheck(ticket, records, config.policies)
        except ServicekitError as exc:
            _fail(f"ticket {short(ticket.id)}", str(exc))
        checked += 1
        if not result.agrees:
            differing += 1
            print(result.explain())
            for difference in result.differences:
                counts[difference.reason.value] = counts.get(difference.reason.value, 0) + 1
    summary = ", ".join(f"{reason} {count}" for reason, count in sorted(counts.items()))
    print(
        f"servicekit: {checked} tickets cross-checked, {differing} with differences"
        + (f" ({summary})" if summary else ""),
        file=sys.stderr,
    )


def _import_parsers(commands: Any) -> None:
    imp = commands.add_parser(
        "import", help="a help desk's export as servicekit JSON lines (report on stderr)"
    )
    imp.add_argument("source", choices=list(importers.SOURCES), help="the help desk")
    imp.add_argument("files", type=Path, nargs="+", help="export files (JSON or JSON lines)")
    imp.add_argument("--agents", type=Path, help="agent ids, or the users side-load with roles")
    imp.add_argument("--map", type=Path, help="status/priority/channel overrides (.toml/.json)")
    imp.add_argument("--tz", help="zone for timestamps without an offset")
    imp.set_defaults(handler=import_)

    check = commands.add_parser(
        "crosscheck", help="servicekit's SLA clocks against the vendor's (Zendesk, Jira, Zammad)"
    )
    check.add_argument("events", type=Path, help="ticket events, one JSON object per line")
    check.add_argument(
        "metrics",
        type=Path,
        nargs="+",
        help="Zendesk ticket metric events, Jira SLA values (each with the issue's 'key') "
        "or Zammad tickets",
    )
    check.add_argument("--config", type=Path, required=True, help="settings with SLA policies")
    _lenient_options(check)
    check.set_defaults(handler=crosscheck_)


# -- plan: forecast, staffing table and schedule ---------------------------------------------


def _plan_calendar(config: ReportConfig, name: str | None, source: Path) -> Calendar:
    if name is None and config.business_hours is None and not config.calendars:
        return BusinessCalendar.always(config.tz)
    return _pick_calendar(config, name, source)


def _plan_queue(config: ReportConfig, tickets: Sequence[Ticket], source: Path) -> dict[str, Any]:
    """The staffing goal as one queue: the channels' AHTs weighted by their tickets, the
    strictest answer-time target."""
    goal = config.staffing
    if goal is None:
        _fail(str(source), "plan needs a [staffing] section (channels with aht and target)")
    counts = dict.fromkeys(goal.aht, 0)
    for ticket in tickets:
        if ticket.channel in counts:
            counts[ticket.channel] += 1
    total = sum(counts.values())
    weights = {c: (n / total if total else 1 / len(counts)) for c, n in counts.items()}
    aht = sum((goal.aht[c] * w for c, w in weights.items()), timedelta())
    return {
        "aht": aht,
        "target": min(goal.target.values()),
        "service_level": goal.service_level,
        "slot": goal.interval,
        "channels": set(goal.aht),
    }


def plan(args: argparse.Namespace) -> None:
    from servicekit import forecast, staffing  # noqa: PLC0415 - only this command needs them

    config = read_config(args.config)
    tickets = read_tickets(args.events)
    if not tickets:
        _fail(str(args.events), "no tickets, so nothing to forecast from")
    queue = _plan_queue(config, tickets, args.config)
    calendar = _plan_calendar(config, args.calendar, args.config)
    tz = calendar.tz
    contacts = [t for t in tickets if t.channel in queue["channels"]]
    first = min(t.created_at for t in tickets).astimezone(tz).date()
    last = max(t.updated_at for t in tickets).astimezone(tz).date()
    if args.start is None:
        start = last + timedelta(days=7 - last.weekday())  # the Monday after the last event
    else:
        try:
            start = date.fromisoformat(args.start)
        except ValueError:
            _fail("--start", f"{short(args.start)} is not a date (YYYY-MM-DD)")
    try:
        history = forecast.contacts_per_slot(
            contacts,
            calendar=calendar,
            start=first,
            days=max(1, min((start - first).days, forecast.MAX_DAYS)),
            slot=queue["slot"],
        )
        ahead = forecast.weekly_average(history, start=start, days=7, weeks=args.weeks)
        table = ahead.to_staffing(
            aht=queue["aht"], target=queue["target"], service_level=queue["service_level"]
        )
        shifts = [
            staffing.Shift(length=length, earliest=args.earliest, latest=args.latest)
            for length in args.shift or ["8h"]
        ]
        with quiet_stdout():  # HiGHS may printf a debug line into the CSV
            rota = staffing.schedule(
                table,
                shifts=shifts,
                tours=args.tours,
                goal=args.goal,
                week_start=("mon", "tue", "wed", "thu", "fri", "sat", "sun")[start.weekday()],
                time_limit=args.time_limit,
            )
    except ServicekitError as exc:
        _fail(str(args.events), str(exc))
    except ImportError as exc:
        _fail("plan", f"{exc.name or 'scipy'} is missing: pip install 'servicekit[wfm]'")
    page = _plan_html(ahead, rota, history) if args.format == "html" else None
    with _output(args) as out, contextlib.redirect_stdout(out):
        if page is not None:
            print(page, end="")
        elif args.format == "csv":
            _plan_csv(ahead, table, rota)
        else:
            _plan_text(ahead, table, rota, queue)


def _plan_html(ahead: Any, rota: Any, history: Any) -> str:
    from servicekit.report import plan_html  # noqa: PLC0415 - only this format needs it

    if importlib.util.find_spec("matplotlib") is None:
        _fail("--format html", "needs matplotlib: pip install 'servicekit[report]'")
    return plan_html(ahead, rota, history=history)


def _plan_text(ahead: Any, table: Any, rota: Any, queue: Mapping[str, Any]) -> None:
    print(
        f"Forecast ({ahead.method} of the same slot; AHT {format_duration(queue['aht'])}, "
        f"{queue['service_level']:.0%} within {format_duration(queue['target'])})"
    )
    print(ahead.explain())
    print("\nStaffing (open intervals)")
    print(f"{'interval':<10} {'calls':>7} {'agents':>7} {'scheduled':>9}")
    for cover, row in zip(rota.coverage, table.rows, strict=True):
        if row.calls:
            print(
                f"{cover.label:<10} {row.calls:>7.1f} {row.plan.agents:>7} {row.plan.scheduled:>9}"
            )
    print(f"\nSchedule\n{rota.explain()}")


def _plan_csv(ahead: Any, table: Any, rota: Any) -> None:
    fields = ["interval", "calls", "agents", "needed", "staffed", "uncovered", "service_level"]
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for cover, row in zip(rota.coverage, table.rows, strict=True):
        writer.writerow(
            {
                "interval": cover.label,
                "calls": round(row.calls, 3),
                "agents": row.plan.agents,
                "needed": cover.needed,
                "staffed": cover.staffed,
                "uncovered": cover.uncovered,
                "service_level": round(cover.metrics.service_level, 4),
            }
        )
    print()
    shifts = ["shift", "days", "start", "end", "agents", "tour", "paid_hours"]
    writer = csv.DictWriter(sys.stdout, fieldnames=shifts, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rota.to_rows())


def _add_plan_parser(commands: Any) -> None:
    cmd = commands.add_parser(
        "plan", help="next week's forecast, staffing table and schedule from ticket events"
    )
    cmd.add_argument("events", type=Path, help="ticket events, one JSON object per line")
    cmd.add_argument("--config", type=Path, required=True, help="settings with [staffing]")
    cmd.add_argument("--calendar", help="a calendar name (default: business_hours, else 24/7)")
    cmd.add_argument("--start", help="first day to plan, YYYY-MM-DD (default: next Monday)")
    cmd.add_argument("--weeks", type=int, default=4, help="weeks to average (default 4)")
    cmd.add_argument(
        "--shift", action="append", default=None, help="a shift length, repeatable (default 8h)"
    )
    cmd.add_argument("--earliest", default="00:00", help="earliest shift start, HH:MM")
    cmd.add_argument("--latest", default=None, help="latest shift start, HH:MM")
    cmd.add_argument("--tours", action="append", help="weekly tours, e.g. 5/2 (repeatable)")
    cmd.add_argument(
        "--goal",
        choices=["interval", "week"],
        default="interval",
        help="meet the service level in every interval, or over the whole week with a floor "
        "per interval (fewer paid hours)",
    )
    cmd.add_argument("--time-limit", type=float, default=10.0, help="solver seconds (10)")
    cmd.add_argument(
        "--format",
        choices=["text", "csv", "html"],
        default="text",
        help="text for people, CSV rows, or html: a page with the forecast and coverage charts",
    )
    cmd.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the plan to FILE, any format"
    )
    cmd.set_defaults(handler=plan)
