"""``servicekit plan``: events and settings in, forecast, staffing table and schedule out."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from servicekit.cli import main

TEAM_TOML = """\
tz = "Europe/Berlin"
business_hours = "support"

[calendars.support]
tz = "Europe/Berlin"
weekly = { mon-fri = ["08:00-18:00"] }

[staffing]
interval = "1h"
service_level = 0.8
channels = { email = { aht = "10m", target = "30m" }, chat = { aht = "6m", target = "1m" } }
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    config = tmp_path / "team.toml"
    config.write_text(TEAM_TOML)
    events = tmp_path / "events.jsonl"
    berlin = ZoneInfo("Europe/Berlin")
    lines = []
    for day in range(28):  # four weeks from Monday 2 November 2026
        for hour in range(8, 18):
            for n in range(3 if hour in (10, 11, 14) else 1):
                at = datetime(2026, 11, 2, hour, 10 + 10 * n, tzinfo=berlin) + timedelta(days=day)
                record = {
                    "type": "created",
                    "at": at.isoformat(),
                    "ticket_id": f"T-{day}-{hour}-{n}",
                    "requester": "c",
                    "channel": "chat" if n else "email",
                }
                lines.append(json.dumps(record))
    events.write_text("\n".join(lines) + "\n")
    return events, config


def test_text(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    events, config = files
    assert main(["plan", str(events), "--config", str(config), "--tours", "5/2"]) == 0
    out = capsys.readouterr().out
    assert "4-week average: 80 contacts over 7 days" in out  # 16 a weekday, from Mon 30 Nov
    assert "Mon 10:00" in out
    assert "paid hours" in out
    assert "every interval covered" in out
    assert "x tour 8h" in out


def test_csv(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    events, config = files
    code = main(["plan", str(events), "--config", str(config), "--format", "csv", "--goal", "week"])
    assert code == 0
    coverage, shifts = capsys.readouterr().out.split("\n\n")
    rows = list(csv.DictReader(io.StringIO(coverage)))
    assert len(rows) == 7 * 24
    assert rows[10]["interval"] == "Mon 10:00"
    assert float(rows[10]["calls"]) == 3.0
    assert sum(int(row["uncovered"]) for row in rows) == 0
    lines = list(csv.DictReader(io.StringIO(shifts)))
    assert lines
    assert {line["shift"] for line in lines} == {"8h"}


def test_without_a_staffing_section(
    tmp_path: Path, files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    events, _ = files
    config = tmp_path / "bare.toml"
    config.write_text('tz = "UTC"\n')
    assert main(["plan", str(events), "--config", str(config)]) == 2
    assert "[staffing]" in capsys.readouterr().err


def test_bad_shift_is_one_line(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    events, config = files
    assert main(["plan", str(events), "--config", str(config), "--shift", "25h"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "under 24h" in err


def test_bad_start(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    events, config = files
    assert main(["plan", str(events), "--config", str(config), "--start", "monday"]) == 2
    assert "--start" in capsys.readouterr().err
