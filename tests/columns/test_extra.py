"""servicekit imports without numpy and pandas; columns functions then say what to
install."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
sys.modules["numpy"] = None  # as if neither were installed
sys.modules["pandas"] = None
import servicekit
from servicekit import columns, kpi
from servicekit.errors import MissingExtraError
cal = servicekit.BusinessCalendar.always()
for call in (lambda: columns.elapsed(cal, None, None), lambda: kpi.to_frame([])):
    try:
        call()
    except MissingExtraError as exc:
        assert "pip install servicekit[columns]" in str(exc), exc
    else:
        raise AssertionError("no MissingExtraError")
print(kpi.csat([5, None]).missing)
"""


def test_core_imports_and_columns_name_the_extra() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
