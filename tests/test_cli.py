"""The command line, run as users run it (``python -m servicekit`` in a subprocess) on
files the tests write: the demo, the report of an events file (valid, malformed,
unknown field, empty), and calendar questions."""

from __future__ import annotations

import argparse
import fcntl
import functools
import io
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from servicekit import __version__, cli
from servicekit.cli import _parser, main

TEAM_TOML = """\
tz = "America/New_York"
business_hours = "support"

[calendars.support]
tz = "America/New_York"
weekly = { mon-fri = ["09:00-17:00"] }
holidays = { country = "US", subdiv = "NY", years = [2026, 2027] }

[[policies]]
name = "standard"
calendar = "support"
targets = { normal = { first_reply = "4h" } }

[[rules]]
name = "unanswered 2h"
all = [{ since = "created", op = ">=", value = "2h" }]
actions = [{ type = "notify", target = "lead" }]

[staffing]
channels = { email = { aht = "10m", target = "1h" } }
"""

EVENTS = [
    {"type": "created", "at": "2026-11-23T10:00:00-05:00", "ticket_id": "T-1",
     "requester": "c-1"},
    {"type": "replied", "at": "2026-11-23T11:00:00-05:00", "ticket_id": "T-1",
     "by": "agent", "author_id": "ana"},
    {"type": "status_changed", "at": "2026-11-23T11:05:00-05:00", "ticket_id": "T-1",
     "status": "solved"},
    {"type": "created", "at": "2026-11-24T16:00:00-05:00", "ticket_id": "T-2",
     "requester": "c-2", "priority": "normal"},
]  # fmt: skip


@functools.cache
def demo_run() -> subprocess.CompletedProcess[str]:
    """``servicekit demo``, run once for the tests that read it."""
    return run("demo")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "servicekit", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def team(tmp_path: Path) -> Path:
    path = tmp_path / "team.toml"
    path.write_text(TEAM_TOML)
    return path


def _events(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def _valid(tmp_path: Path) -> Path:
    return _events(tmp_path, [json.dumps(event) for event in EVENTS])


def _one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
    return done.stderr.strip()


class TestDemo:
    def test_prints_the_weekly_report(self) -> None:
        done = demo_run()
        assert done.returncode == 0, done.stderr
        for heading in ("Support report Mon 23 Nov – Sun 29 Nov 2026",
                        "SLA targets met by metric and priority",
                        "Escalations recorded in this period", "Staffing advice",
                        "Queue (simulated)"):  # fmt: skip
            assert heading in done.stdout
        assert done.stderr == ""  # stderr is not a terminal: no progress bar

    def test_readme_shows_real_demo_output(self) -> None:
        readme = (Path(__file__).parents[1] / "README.md").read_text()
        shown = readme.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
        printed = demo_run().stdout.splitlines()
        assert len(shown) > 5
        assert [line for line in shown if line not in printed] == []

    def test_json_is_format_json_and_quiet_off_a_terminal(self) -> None:
        done = run("demo", "--json", "--days", "9", "--seed", "3")
        assert done.returncode == 0, done.stderr
        data = json.loads(done.stdout)
        assert data["simulation"]["seed"] == 3
        assert data["summary"]["created"] > 0  # the report's keys, as `report` prints them
        assert data["period"]["by"] == "week"
        assert len(data["trend"]) == 2  # Mon 23 Nov to Tue 1 Dec
        assert done.stderr == ""
        short = ("--days", "1", "--seed", "3")
        assert (
            run("demo", "--json", *short).stdout == run("demo", "--format", "json", *short).stdout
        )

    def test_report_of_the_saved_events_is_the_demo_report(self, tmp_path: Path) -> None:
        demo = run("demo", "--days", "2", "--save", str(tmp_path))
        assert demo.returncode == 0, demo.stderr
        events, config = tmp_path / "events.jsonl", tmp_path / "team.json"
        period = ("--start", "2026-11-23", "--end", "2026-11-25")
        done = run("report", str(events), "--config", str(config), *period)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() in demo.stdout

    def test_bad_days_is_one_line(self) -> None:
        assert _one_error_line(run("demo", "--days", "0")).startswith("servicekit: --days")


class TestReport:
    def test_text(self, tmp_path: Path, team: Path) -> None:
        done = run("report", str(_valid(tmp_path)), "--config", str(team))
        assert done.returncode == 0, done.stderr
        assert "Support report Mon 23 Nov – Tue 24 Nov 2026" in done.stdout
        assert "tickets created      2" in done.stdout
        assert "never fired" not in done.stdout
        assert "configured, none recorded: unanswered 2h" in done.stdout
        assert "email: worst hour Tue 24 Nov 2026 16:00 EST: 1 contact, none answered" in (
            done.stdout
        )

    def test_evaluate_rules(self, tmp_path: Path, team: Path) -> None:
        # The rule has no status condition: T-1 (solved, not closed) and T-2 (never
        # answered) are both open two hours after creation.
        done = run("report", str(_valid(tmp_path)), "--config", str(team), "--evaluate-rules")
        assert "Escalations the configured rules would have fired\n      2  unanswered 2h" in (
            done.stdout
        )

    def test_json(self, tmp_path: Path, team: Path) -> None:
        done = run("report", str(_valid(tmp_path)), "--config", str(team), "--format", "json")
        data = json.loads(done.stdout)
        assert data["summary"]["solved"] == 1
        assert data["would_fire"] is None
        assert data["rules"] == ["unanswered 2h"]
        assert data["sla"][0] == {"metric": "first_reply", "priority": "normal", "achieved": 1,
                                  "breached": 0, "still_open": 1, "value": 1.0}  # fmt: skip

    def test_csv(self, tmp_path: Path, team: Path) -> None:
        done = run("report", str(_valid(tmp_path)), "--config", str(team), "--format", "csv")
        lines = done.stdout.splitlines()
        assert lines[0] == "section,period,name,label,value,unit,count"
        assert "summary,,created,tickets created,2,tickets," in lines
        assert "sla,,first_reply/normal,SLA first reply normal,1.0,fraction,1" in lines

    def test_malformed_line(self, tmp_path: Path, team: Path) -> None:
        events = _events(tmp_path, [json.dumps(EVENTS[0]), '{"type": "replied", "at": '])
        message = _one_error_line(run("report", str(events), "--config", str(team)))
        assert message.startswith(f"servicekit: {events}:2: not a JSON object")

    def test_unknown_field(self, tmp_path: Path, team: Path) -> None:
        bad = dict(EVENTS[1], colour="red")
        events = _events(tmp_path, [json.dumps(EVENTS[0]), json.dumps(bad)])
        message = _one_error_line(run("report", str(events), "--config", str(team)))
        assert message.startswith(f"servicekit: {events}:2: field 'colour': unknown key")

    def test_bad_value(self, tmp_path: Path, team: Path) -> None:
        bad = dict(EVENTS[0], priority="top")
        events = _events(tmp_path, [json.dumps(bad)])
        message = _one_error_line(run("report", str(events), "--config", str(team)))
        assert message.startswith(f"servicekit: {events}:1: field 'priority': 'top' is not")

    def test_event_before_its_ticket(self, tmp_path: Path, team: Path) -> None:
        events = _events(tmp_path, [json.dumps(EVENTS[1])])
        message = _one_error_line(run("report", str(events), "--config", str(team)))
        assert message == (
            f"servicekit: {events}:1: field 'ticket_id': ticket 'T-1' has no created event yet"
        )

    def test_impossible_transition_names_the_line(self, tmp_path: Path, team: Path) -> None:
        rated = {"type": "satisfaction_rated", "at": "2026-11-23T10:30:00-05:00",
                 "ticket_id": "T-1", "score": 5}  # fmt: skip
        events = _events(tmp_path, [json.dumps(EVENTS[0]), json.dumps(rated)])
        message = _one_error_line(run("report", str(events), "--config", str(team)))
        assert message.startswith(f"servicekit: {events}:2: ")

    def test_empty_file(self, tmp_path: Path, team: Path) -> None:
        events = _events(tmp_path, [])
        message = _one_error_line(run("report", str(events), "--config", str(team)))
        assert message == (
            f"servicekit: {events}: no ticket events, so no period to report; "
            "pass --start and --end"
        )
        done = run("report", str(events), "--config", str(team), "--start", "2026-11-23",
                   "--end", "2026-11-30")  # fmt: skip
        assert done.returncode == 0
        assert "tickets created      0" in done.stdout

    def test_missing_file(self, tmp_path: Path, team: Path) -> None:
        message = _one_error_line(run("report", str(tmp_path / "nope.jsonl"), "--config",
                                      str(team)))  # fmt: skip
        assert "nope.jsonl: cannot read: No such file or directory" in message

    def test_bad_config_names_file_and_path(self, tmp_path: Path) -> None:
        config = tmp_path / "team.toml"
        config.write_text(TEAM_TOML.replace('first_reply = "4h"', 'first_reply = "soon"'))
        message = _one_error_line(run("report", str(_valid(tmp_path)), "--config", str(config)))
        assert message.startswith(
            f"servicekit: {config}: policies[0].targets.normal.first_reply: invalid duration"
        )

    def test_config_that_is_not_toml(self, tmp_path: Path) -> None:
        config = tmp_path / "team.toml"
        config.write_text("tz = \n")
        message = _one_error_line(run("report", str(_valid(tmp_path)), "--config", str(config)))
        assert message.startswith(f"servicekit: {config}: not valid TOML")


class TestCalendar:
    def test_add(self, team: Path) -> None:
        done = run("calendar", "add", "--config", str(team), "2026-11-25T16:00", "2h")
        assert done.stdout.strip() == "2026-11-27T10:00:00-05:00"  # skips Thanksgiving

    def test_elapsed(self, team: Path) -> None:
        done = run("calendar", "elapsed", "--config", str(team), "2026-11-23", "2026-11-30")
        assert done.stdout.strip() == "32h"  # four 8-hour days (business time has no days)

    def test_add_refuses_days(self, team: Path) -> None:
        done = run("calendar", "add", "--config", str(team), "2026-11-25T16:00", "3d")
        assert "'3d' is 72 business hours" in done.stderr
        assert "'3bd' for three business days" in done.stderr

    def test_next_open(self, team: Path) -> None:
        done = run("calendar", "next-open", "--config", str(team), "2026-11-28T12:00:00Z")
        assert done.stdout.strip() == "2026-11-30T09:00:00-05:00"

    def test_unknown_calendar(self, team: Path) -> None:
        message = _one_error_line(
            run("calendar", "next-open", "--config", str(team), "--calendar", "x", "2026-11-28")
        )
        assert message == f"servicekit: {team}: no calendar named 'x' (known: support)"

    def test_bad_instant(self, team: Path) -> None:
        message = _one_error_line(run("calendar", "next-open", "--config", str(team), "soon"))
        assert message == "servicekit: AT: 'soon' is not an ISO 8601 date or date-time"


def test_unknown_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["nope"])
    assert caught.value.code == 2


class TestPolish:
    def test_version(self) -> None:
        done = run("--version")
        assert done.stdout.strip() == f"servicekit {__version__}"

    def test_help_is_written_for_users_and_every_argument_has_help(self) -> None:
        top = run("--help").stdout
        assert "the only module" not in top  # not the module's docstring
        assert "servicekit demo" in top
        assert "--evaluate-rules" in run("report", "--help").stdout
        parsers = [_parser()]
        while parsers:
            parser = parsers.pop()
            for action in parser._actions:
                if isinstance(action, argparse._SubParsersAction):
                    parsers += action.choices.values()
                    continue
                assert action.help, f"{parser.prog} {action.dest} has no help"

    def test_piped_into_head_ends_quietly(self, tmp_path: Path, team: Path) -> None:
        # The page is larger than a pipe's buffer, so the writer meets the closed pipe.
        done = subprocess.run(
            f"{sys.executable} -m servicekit report {_valid(tmp_path)} --config {team} "
            "--format html | head -c 15",
            shell=True, capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        assert done.stdout == "<!DOCTYPE html>"
        assert done.stderr == ""

    def test_html_report_to_a_file(self, tmp_path: Path, team: Path) -> None:
        page = tmp_path / "report.html"
        done = run("report", str(_valid(tmp_path)), "--config", str(team), "--format", "html",
                   "-o", str(page))  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
        text = page.read_text()
        assert text.startswith("<!DOCTYPE html>")
        assert "Support report Mon 23 Nov – Tue 24 Nov 2026" in text

    def test_demo_html(self, tmp_path: Path) -> None:
        page = tmp_path / "demo.html"
        done = run("demo", "--days", "1", "--html", str(page))
        assert done.returncode == 0, done.stderr
        assert f"Wrote the report as a web page: {page}" in done.stdout
        # five charts, and the agents' CSAT and one-touch rates raw and shrunk
        assert page.read_text().count("<svg ") == 7

    def test_progress_bar_on_a_terminal(self) -> None:
        leader, follower = pty.openpty()
        # a terminal of 24 rows and 100 columns (a new pseudo-terminal has none)
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "servicekit", "demo", "--days", "2", "--format", "json"],
                stdout=subprocess.PIPE, stderr=follower,
            )  # fmt: skip
            os.close(follower)
            seen = b""
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
            assert process.wait(timeout=300) == 0
            assert process.stdout is not None
            assert json.loads(process.stdout.read())["simulation"]["seed"] == 1
            process.stdout.close()
        finally:
            os.close(leader)
        text = seen.decode(errors="replace")
        assert "simulating" in text
        assert "2/2" in text
        assert "days" in text


class TestWithoutExtras:
    def test_html_without_matplotlib_is_one_line(self, tmp_path: Path, team: Path) -> None:
        script = (
            "import sys\n"
            "sys.modules['matplotlib'] = None\n"
            "from servicekit.cli import main\n"
            f"raise SystemExit(main(['report', {str(_valid(tmp_path))!r}, '--config', "
            f"{str(team)!r}, '--format', 'html']))\n"
        )
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=False, timeout=300)  # fmt: skip
        message = _one_error_line(done)
        assert message == (
            "servicekit: --format html: needs matplotlib: pip install 'servicekit[report]'"
        )

    def test_no_tqdm_hints_once_and_draws_no_bar(self, monkeypatch: pytest.MonkeyPatch) -> None:
        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        terminal = Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        monkeypatch.setitem(sys.modules, "tqdm", None)
        monkeypatch.setattr(cli, "_hinted", [])
        assert list(cli._progress(range(3), 3, "lines", "reading")) == [0, 1, 2]
        assert cli._bar(3, "days", "simulating") is None
        assert terminal.getvalue() == "servicekit: install servicekit[cli] for a progress bar\n"
