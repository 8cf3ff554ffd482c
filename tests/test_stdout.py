"""``servicekit plan`` keeps HiGHS's C-level debug print out of its output: stdout's
descriptor points at the null device while the solver runs."""

from __future__ import annotations

import ctypes
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from servicekit import cli
from servicekit._stdout import quiet_stdout
from servicekit.staffing import Shift, schedule, staffing_table
from tests.forecast.test_plan_cli import files  # noqa: F401 (the plan's events and settings)

LIBC = ctypes.CDLL(None)


def test_c_printf_inside_is_silenced_and_stdout_works_after(
    capfd: pytest.CaptureFixture[str],
) -> None:
    print("before", flush=True)
    with quiet_stdout():
        LIBC.printf(b"HighsMipSolverData::transformNewIntegerFeasibleSolution\n")
        os.write(1, b"raw write\n")
    LIBC.fflush(None)
    print("after", flush=True)
    out, err = capfd.readouterr()
    assert out == "before\nafter\n"
    assert err == ""


def test_an_exception_inside_restores_stdout(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ZeroDivisionError), quiet_stdout():
        _ = 1 / 0
    os.write(1, b"still here\n")
    assert capfd.readouterr().out == "still here\n"


def test_plan_keeps_a_solver_print_out_of_its_csv(
    files: tuple[Path, Path],  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    def printing_schedule(*args: Any, **kwargs: Any) -> Any:
        LIBC.printf(b"HighsMipSolverData::transformNewIntegerFeasibleSolution\n")
        return schedule(*args, **kwargs)

    monkeypatch.setattr("servicekit.staffing.schedule", printing_schedule)
    events, config = files
    assert cli.main(["plan", str(events), "--config", str(config), "--format", "csv"]) == 0
    LIBC.fflush(None)
    out = capfd.readouterr().out
    assert "Highs" not in out
    assert "interval" in out.splitlines()[0]


def test_threads_solve_one_at_a_time(capfd: pytest.CaptureFixture[str]) -> None:
    table = staffing_table([30.0] * 48, interval="30m", aht="4m", target="20s")
    results = []

    def solve() -> None:
        with quiet_stdout():
            results.append(schedule(table, shifts=[Shift(length="8h")]).paid_hours)

    workers = [threading.Thread(target=solve) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    os.write(1, b"ok\n")
    assert results == [results[0]] * 3
    assert capfd.readouterr().out == "ok\n"
