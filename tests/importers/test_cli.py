"""``servicekit import`` and the lenient ``servicekit report``, run in-process on files
the tests write."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from servicekit.cli import main
from servicekit.importers import from_zendesk
from servicekit.tickets import Ticket, event_from_dict
from tests.importers.test_zendesk import DOC_AUDIT_47, DOC_AUDIT_666

TEAM = """\
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
"""


@pytest.fixture
def team(tmp_path: Path) -> Path:
    path = tmp_path / "team.toml"
    path.write_text(TEAM)
    return path


def _lines(tmp_path: Path, records: Sequence[Mapping[str, Any] | str]) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return path


class TestImport:
    def test_writes_json_lines_and_reports_on_stderr(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        page = tmp_path / "audits.json"
        page.write_text(json.dumps({"audits": [DOC_AUDIT_47, DOC_AUDIT_666]}))
        users = tmp_path / "users.json"
        users.write_text(json.dumps({"users": [{"id": 35436, "role": "end-user"}]}))
        assert main(["import", "zendesk", str(page), "--agents", str(users)]) == 0
        out, err = capsys.readouterr()
        records = [json.loads(line) for line in out.splitlines()]
        assert [r["type"] for r in records] == ["created", "replied"]
        assert {r["ticket_id"] for r in records[1:]} == {"47"}
        assert err.startswith("zendesk: 5 records read, 1 ticket, 1 events made")
        assert "skipped ticket 666" in err
        tickets, _ = from_zendesk([DOC_AUDIT_47], users=[{"id": 35436, "role": "end-user"}])
        replayed = Ticket.replay(
            event_from_dict(
                {k: v for k, v in r.items() if k != "ticket_id" or r["type"] == "created"}
            )
            for r in records
        )
        assert replayed == tickets[0]

    def test_a_bad_map_names_the_file_and_key(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        page = tmp_path / "audits.json"
        page.write_text(json.dumps([DOC_AUDIT_47]))
        mapping = tmp_path / "map.toml"
        mapping.write_text('[statuses]\nhold = "waiting"\n')
        assert main(["import", "zendesk", str(page), "--map", str(mapping)]) == 2
        err = capsys.readouterr().err
        assert f"{mapping}: statuses.hold: 'waiting' is not a servicekit status" in err

    def test_json_lines_input_and_a_bad_zone(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = _lines(tmp_path, [DOC_AUDIT_47, DOC_AUDIT_666])
        assert main(["import", "zendesk", str(path), "--tz", "Mars/Base"]) == 2
        assert "--tz: unknown time zone 'Mars/Base'" in capsys.readouterr().err


CREATED = {
    "type": "created",
    "at": "2026-11-23T10:00:00-05:00",
    "ticket_id": "T-1",
    "requester": "c-1",
}
REPLY = {"type": "replied", "at": "2026-11-23T11:00:00-05:00", "ticket_id": "T-1", "by": "agent"}
SOLVED = {
    "type": "status_changed",
    "at": "2026-11-23T11:05:00-05:00",
    "ticket_id": "T-1",
    "status": "solved",
}
OLD = {
    "type": "replied",
    "at": "2026-11-24T09:30:00-05:00",
    "ticket_id": "OLD-9",
    "by": "customer",
    "author_id": "c-9",
}


class TestLenientReport:
    def test_out_of_order_and_mid_history_tickets(
        self, tmp_path: Path, team: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        events = _lines(tmp_path, [SOLVED, OLD, REPLY, CREATED])
        assert main(["report", str(events), "--config", str(team), "--lenient"]) == 0
        out, err = capsys.readouterr()
        assert "read 4 events of 2 tickets" in err
        assert (
            "created before the export window (Created synthesised from its first event): OLD-9"
            in err
        )
        assert "tickets created      2" in out

    def test_without_lenient_the_report_stays_strict(
        self, tmp_path: Path, team: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        events = _lines(tmp_path, [OLD])
        assert main(["report", str(events), "--config", str(team)]) == 2
        assert "has no created event yet" in capsys.readouterr().err

    def test_skip_bad_counts_and_writes_rejects(
        self, tmp_path: Path, team: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        truncated = '{"type": "replied", "at": '
        events = _lines(tmp_path, [CREATED, truncated, dict(REPLY, colour="red"), SOLVED])
        rejects = tmp_path / "rejects.jsonl"
        args = ["report", str(events), "--config", str(team)]
        assert main([*args, "--lenient"]) == 2
        assert f"{events}:2: not a JSON object" in capsys.readouterr().err
        assert main([*args, "--skip-bad", "--rejects", str(rejects)]) == 0
        err = capsys.readouterr().err
        assert f"skipped {events}:3: ticket 'T-1': field 'colour': unknown key" in err
        assert "skipped 2 malformed lines" in err
        assert rejects.read_text().splitlines()[0] == truncated

    def test_timestamps_without_offset_need_assume_tz(
        self, tmp_path: Path, team: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        naive = dict(CREATED, at="2026-11-23T10:00:00")
        events = _lines(tmp_path, [naive, REPLY])
        args = ["report", str(events), "--config", str(team)]
        assert main([*args, "--lenient"]) == 2
        err = capsys.readouterr().err
        assert "ticket 'T-1': field 'at': naive datetime" in err
        assert "pass --assume-tz" in err
        assert main([*args, "--assume-tz"]) == 0
        assert "first reply" in capsys.readouterr().out

    def test_refused_events_are_counted_with_their_ticket(
        self, tmp_path: Path, team: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        rated = {
            "type": "satisfaction_rated",
            "at": "2026-11-23T10:30:00-05:00",
            "ticket_id": "T-1",
            "score": 5,
        }
        events = _lines(tmp_path, [CREATED, rated, REPLY])
        assert main(["report", str(events), "--config", str(team), "--lenient"]) == 0
        err = capsys.readouterr().err
        assert "ignored 1 SatisfactionRated: a new ticket does not take 'satisfaction rated'" in err
        assert "ticket T-1 at 2026-11-23T10:30:00-05:00" in err


class TestCrosscheck:
    def test_differences_are_printed_with_their_reason(
        self, tmp_path: Path, team: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        events = _lines(tmp_path, [CREATED, REPLY])
        metrics = tmp_path / "metrics.json"
        base = {"ticket_id": "T-1", "metric": "reply_time", "instance_id": 1}
        metrics.write_text(
            json.dumps(
                {
                    "ticket_metric_events": [
                        dict(base, type="activate", time="2026-11-23T15:00:00Z"),
                        dict(
                            base,
                            type="apply_sla",
                            time="2026-11-23T15:00:00Z",
                            sla={"target": 240, "business_hours": False},
                        ),
                        dict(base, type="fulfill", time="2026-11-23T16:00:00Z"),
                    ]
                }
            )
        )
        assert main(["crosscheck", str(events), str(metrics), "--config", str(team)]) == 0
        out, err = capsys.readouterr()
        assert "first_reply #1 target: servicekit 240m, vendor 240m [business_vs_calendar]" in out
        assert "1 tickets cross-checked, 1 with differences (business_vs_calendar 1)" in err


def test_a_holiday_set_that_runs_out_names_the_settings_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team.toml"
    team.write_text(TEAM.replace("years = [2026, 2027]", "years = [2027]"))
    events = _lines(tmp_path, [CREATED, REPLY])
    assert main(["report", str(events), "--config", str(team)]) == 2
    err = capsys.readouterr().err
    assert f"{team}: calendars.support.holidays.years: 2026-" in err
