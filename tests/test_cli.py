"""``servicekit demo`` prints real numbers computed by the library."""

from __future__ import annotations

import pytest

from servicekit.cli import main


def test_demo_prints_worked_due_dates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Fri 2026-03-06 16:00            4h  Mon 2026-03-09 12:00 EDT" in out
    assert "Fri 2026-11-27 16:30 EST  skips Thanksgiving" in out
    assert "Mon 2026-07-06 13:30 EDT" in out
    assert "2d 5h of 2w on the clock" in out
    assert "covers 16h" in out


def test_unknown_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["nope"])
    assert caught.value.code == 2
