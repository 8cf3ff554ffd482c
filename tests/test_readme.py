"""The README's examples run as written (they are the first code a user copies)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest


def test_readme_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    code = "\n".join(re.findall(r"```python\n(.*?)```", readme, re.S))
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        "2026-03-09 12:00:00-04:00 2026-03-09 13:00:00-04:00",
        "2026-03-09 12:00:00-04:00",
        "2026-03-09 10:00:00-04:00",
        "achieved",
        "not met: sla first_reply used >= 75% -> 2026-03-09 11:00:00-04:00",
        "14 agents answer 88.8% within 20s (goal 80%); schedule 20 for 30% shrinkage",
        "  has_capacity: kept 1, dropped 1: ana (chat 2/2 full)",
        "NPS +50 ± 61 (n=6)",
    ]
