"""The command line on hostile files (issue #20): a binary settings file, lines and
settings nested past what Python's parsers can read, instants at the ends of the
datetime range, huge values. Each ends with one short ``servicekit:`` line on stderr and
exit code 2, never a traceback; a fuzz test mutates a valid settings file and events
file and runs ``main`` on them."""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicekit.cli import main
from tests.test_cli import EVENTS, TEAM_TOML, run

LONGEST_MESSAGE = 400
"""Characters an error line may have: values in it are shortened to about 80."""


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _events_text(events: list[Any]) -> str:
    return "".join(json.dumps(event) + "\n" for event in events)


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run ``main`` in-process; it must exit 2 with one short line on stderr."""
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("servicekit: "), err[:500]
    assert err.count("\n") == 1, err[:500]
    assert len(err) <= LONGEST_MESSAGE, err[:500]
    return err


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return _write(tmp_path, "team.toml", TEAM_TOML)


@pytest.fixture
def events(tmp_path: Path) -> Path:
    return _write(tmp_path, "events.jsonl", _events_text(EVENTS))


class TestHostileFiles:
    def test_binary_settings(
        self, tmp_path: Path, events: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        binary = _write(tmp_path, "bin.toml", bytes(range(256)) * 8)
        err = _refused(capsys, ["report", "--config", str(binary), str(events)])
        assert "not UTF-8 text" in err

    def test_binary_events(
        self, tmp_path: Path, team: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        binary = _write(tmp_path, "events.jsonl", b"\xff\xfe\x00garbage")
        assert "not UTF-8 text" in _refused(capsys, ["report", "--config", str(team), str(binary)])

    def test_a_two_megabyte_line_of_brackets(
        self, tmp_path: Path, team: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        deep = _write(tmp_path, "events.jsonl", "[" * 2_000_000 + "\n")
        err = _refused(capsys, ["report", "--config", str(team), str(deep)])
        assert "events.jsonl:1" in err

    @pytest.mark.parametrize("suffix", [".toml", ".json"])
    def test_settings_nested_100000_deep(
        self, tmp_path: Path, events: Path, suffix: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        text = "a = " + "[" * 100_000 if suffix == ".toml" else "[" * 100_000
        deep = _write(tmp_path, f"team{suffix}", text)
        _refused(capsys, ["report", "--config", str(deep), str(events)])

    @pytest.mark.parametrize(
        ("at", "year"), [("0001-01-01T00:00:00Z", "0001"), ("9999-12-31T23:59:59-14:00", "9999")]
    )
    def test_instants_at_the_ends_of_the_datetime_range(
        self, tmp_path: Path, team: Path, at: str, year: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        record = {"type": "created", "at": at, "ticket_id": "T-1", "requester": "c"}
        path = _write(tmp_path, "events.jsonl", _events_text([record]))
        err = _refused(capsys, ["report", "--config", str(team), str(path)])
        assert "events.jsonl:1" in err
        assert f"{year}-" in err
        assert "outside the years" in err

    def test_a_two_megabyte_value_is_shortened(
        self, tmp_path: Path, team: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        record = {"type": "created", "at": "x" * 2_000_000, "ticket_id": "T-1"}
        path = _write(tmp_path, "events.jsonl", _events_text([record]))
        assert "xxx..." in _refused(capsys, ["report", "--config", str(team), str(path)])

    def test_as_a_user_runs_it(self, tmp_path: Path, team: Path) -> None:
        binary = _write(tmp_path, "bin.toml", bytes(range(256)))
        done = run("report", "--config", str(binary), str(team))
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert done.stderr.count("\n") == 1


# ---------------------------------------------------------------- fuzzing

SETTINGS = tomllib.loads(TEAM_TOML)
HOSTILE_JSON: list[Any] = [
    None,
    True,
    0,
    -1,
    10**30,
    1e308,
    0.5,
    "",
    "x" * 300,
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00Z",
    "99999999w",
    "-1h",
    [],
    {},
    [[[[[]]]]],
    {"all": [{"all": [{"all": []}]}]},
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside nested dicts and lists."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    changed = copy.deepcopy(document)
    holder = changed
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return changed


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> Any:
    """``document`` with one to three values replaced by hostile ones."""
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(document)
        path = paths[draw(st.integers(0, len(paths) - 1))]
        document = _replace(
            document, path, HOSTILE_JSON[draw(st.integers(0, len(HOSTILE_JSON) - 1))]
        )
    return document


def _run_main(tmp_path: Path, config: Any, events: list[Any]) -> None:
    settings_file = tmp_path / "team.json"
    settings_file.write_text(json.dumps(config), encoding="utf-8")
    events_file = tmp_path / "events.jsonl"
    events_file.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    code = main(["report", "--config", str(settings_file), str(events_file), "--start",
                 "2026-11-23", "--end", "2026-11-30"])  # fmt: skip
    assert code in (0, 2)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=mutated(SETTINGS))
def test_mutated_settings_never_crash(tmp_path: Path, config: Any) -> None:
    _run_main(tmp_path, config, EVENTS)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=mutated(EVENTS))
def test_mutated_events_never_crash(tmp_path: Path, events: Any) -> None:
    _run_main(tmp_path, SETTINGS, events if isinstance(events, list) else [events])


def test_the_fuzzers_start_from_files_the_report_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run_main(tmp_path, SETTINGS, EVENTS)
    assert "Support report" in capsys.readouterr().out
