"""Nothing a schedule solve does reaches the caller's stdout or stderr: HiGHS's C-level
debug print is sent to the null device while the solver runs."""

from __future__ import annotations

import ctypes
import os
import threading

import pytest

from servicekit.staffing import Shift, schedule, staffing_table
from servicekit.staffing._quiet import quiet_stdout

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


def test_solves_print_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    calls = [40.0 * (1 + (h % 24 in range(8, 18))) for h in range(24 * 7)]
    table = staffing_table(calls, interval="1h", aht="5m", target="30s", service_level=0.8)
    shifts = [Shift(length="8h", every="1h"), Shift(length="4h", every="1h")]
    plain = schedule(table, shifts=shifts, time_limit=5)
    tours = schedule(table, shifts=[Shift(length="8h", every="2h")], tours="5/2", time_limit=5)
    week = schedule(table, shifts=shifts, goal="week", floor=0.5, time_limit=2)
    LIBC.fflush(None)
    assert min(plain.paid_hours, tours.paid_hours, week.paid_hours) > 0
    assert capfd.readouterr() == ("", "")


def test_threads_solve_one_at_a_time(capfd: pytest.CaptureFixture[str]) -> None:
    table = staffing_table([30.0] * 48, interval="30m", aht="4m", target="20s")
    results = []

    def solve() -> None:
        results.append(schedule(table, shifts=[Shift(length="8h")]).paid_hours)

    workers = [threading.Thread(target=solve) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    os.write(1, b"ok\n")
    assert results == [results[0]] * 3
    assert capfd.readouterr().out == "ok\n"
