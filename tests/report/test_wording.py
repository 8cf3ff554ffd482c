"""The report's words: durations rounded as a person reads them (against a plain
oracle), counts with their nouns, periods with the last day included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.report import _wording as words

NY = ZoneInfo("America/New_York")


def _half_up(value: Decimal, unit: int) -> int:
    return int((value / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def oracle(value: timedelta) -> str:
    """Round the exact number of seconds half up to the unit the size calls for."""
    exact = Decimal(value // timedelta(microseconds=1)) / 1_000_000
    sign = "-" if exact < 0 else ""
    exact = abs(exact)
    seconds = _half_up(exact, 1)
    if seconds < 60:
        return f"{sign}{seconds} s"
    minutes = _half_up(Decimal(seconds), 60)
    if minutes < 1440:
        hours, rest = divmod(minutes, 60)
        if not hours:
            return f"{sign}{rest} min"
        return f"{sign}{hours} h" + (f" {rest} min" if rest else "")
    days, hours = divmod(_half_up(Decimal(seconds), 3600), 24)
    return f"{sign}{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")


class TestDuration:
    @given(st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(days=400)))
    def test_agrees_with_the_oracle(self, value: timedelta) -> None:
        assert words.duration(value) == oracle(value)

    @pytest.mark.parametrize(
        ("seconds", "shown"),
        [(59.4, "59 s"), (59.5, "1 min"), (89, "1 min"), (90, "2 min"), (3569, "59 min"),
         (3570, "1 h"), (86_369, "23 h 59 min"), (86_370, "1 day"), (90_000, "1 day 1 h"),
         (1_800, "30 min")],
    )  # fmt: skip
    def test_boundaries(self, seconds: float, shown: str) -> None:
        assert words.duration(timedelta(seconds=seconds)) == shown


class TestCount:
    def test_plurals(self) -> None:
        assert [words.count(n, "agent") for n in (0, 1, 2)] == ["0 agents", "1 agent", "2 agents"]
        assert words.count(1, "reply") == "1 reply"
        assert words.count(12_345, "ticket") == "12,345 tickets"


class TestPeriod:
    def test_a_week_names_its_last_day(self) -> None:
        start, end = datetime(2026, 11, 23, tzinfo=NY), datetime(2026, 11, 30, tzinfo=NY)
        assert words.period(start, end, NY) == "Mon 23 Nov – Sun 29 Nov 2026"

    def test_across_a_dst_change(self) -> None:
        # 1 Nov 2026 has 25 hours in New York; the week still ends on Sunday 1 Nov.
        start, end = datetime(2026, 10, 26, tzinfo=NY), datetime(2026, 11, 2, tzinfo=NY)
        assert words.period(start, end, NY) == "Mon 26 Oct – Sun 1 Nov 2026"

    def test_read_in_the_reports_zone(self) -> None:
        start = datetime(2026, 11, 23, 5, tzinfo=UTC)  # New York midnight
        end = datetime(2026, 11, 30, 5, tzinfo=UTC)
        assert words.period(start, end, NY) == "Mon 23 Nov – Sun 29 Nov 2026"
        assert words.period(start, end, ZoneInfo("UTC")) == (
            "Mon 23 Nov 2026 05:00 – Mon 30 Nov 2026 05:00 (end excluded)"
        )
