"""Keeping the command line's stdout clean of HiGHS: its MIP solver prints a debug
line (``HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();``) with
a plain C ``printf``, which no option (``disp=False``, ``output_flag``) turns off
(ERGO-Code/HiGHS#2734 reports such prints). ``servicekit plan --format csv`` must print
CSV only, so while it solves, the process's file descriptor 1 points at the null device,
and C's buffered output is flushed there before it is put back.

This is process-wide (output another thread writes meanwhile is discarded too), which a
command line may do and a library must not: the core never calls it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
from collections.abc import Iterator

_LOCK = threading.Lock()


def _flush_c_stdio() -> None:
    """``fflush(NULL)``: C's buffered output goes where descriptor 1 points now."""
    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(None).fflush(None)


def _flush_python_stdout() -> None:
    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stdout.flush()


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Run the body with file descriptor 1 on the null device, then restore it.

    >>> import os
    >>> with quiet_stdout():
    ...     _ = os.write(1, b"not shown")
    >>> print("shown")
    shown
    """
    with _LOCK:
        _flush_python_stdout()
        _flush_c_stdio()
        try:
            saved = os.dup(1)
        except OSError:  # no descriptor 1 to silence
            yield
            return
        try:
            null = os.open(os.devnull, os.O_WRONLY)
        except OSError:
            os.close(saved)
            yield
            return
        try:
            os.dup2(null, 1)
            yield
        finally:
            _flush_c_stdio()
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
