"""parse_duration / format_duration: formats, errors, and the round trip."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import format_duration, parse_duration
from servicekit.errors import InvalidDurationError


class TestParse:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("4h30m", timedelta(hours=4, minutes=30)),
            ("4h 30m", timedelta(hours=4, minutes=30)),
            ("90s", timedelta(seconds=90)),
            ("1w 2d", timedelta(days=9)),
            ("1.5h", timedelta(minutes=90)),
            ("250ms", timedelta(milliseconds=250)),
            ("PT4H30M", timedelta(hours=4, minutes=30)),
            ("P1DT2H", timedelta(days=1, hours=2)),
            ("PT0.5S", timedelta(milliseconds=500)),
            ("P2W", timedelta(days=14)),
            ("0s", timedelta(0)),
        ],
    )
    def test_formats(self, text: str, expected: timedelta) -> None:
        assert expected == parse_duration(text)

    def test_timedelta_and_int_seconds(self) -> None:
        assert parse_duration(timedelta(minutes=5)) == timedelta(minutes=5)
        assert parse_duration(300) == timedelta(minutes=5)

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("", "expected parts"),
            ("1.5.h", "expected parts"),
            ("4x", "expected parts"),
            ("30m4h", "expected parts"),
            ("4h4h", "expected parts"),
            ("P1Y", "years and months"),
            ("-4h", "must not be negative"),
            (-5, "must not be negative"),
            ("0.0000001s", "finer than a microsecond"),
            ("99999999999w", "beyond timedelta's range"),
            (True, "expected text"),
            (1.5, "expected text"),
        ],
    )
    def test_bad_input_names_the_value(self, value: object, message: str) -> None:
        with pytest.raises(InvalidDurationError, match=message) as caught:
            parse_duration(value)  # type: ignore[arg-type]
        assert repr(value) in str(caught.value)

    def test_negative_when_allowed(self) -> None:
        assert parse_duration("-1h", allow_negative=True) == -timedelta(hours=1)


class TestFormat:
    def test_examples(self) -> None:
        assert format_duration(timedelta(hours=4, minutes=30)) == "4h 30m"
        assert format_duration(timedelta(0)) == "0s"
        assert format_duration(timedelta(microseconds=1)) == "0.000001s"

    @given(st.timedeltas())
    def test_round_trip(self, value: timedelta) -> None:
        assert parse_duration(format_duration(value), allow_negative=True) == value

    @given(st.timedeltas(min_value=timedelta(0)))
    def test_iso_and_compact_agree(self, value: timedelta) -> None:
        seconds = value // timedelta(seconds=1)
        assert parse_duration(f"PT{seconds}S") == parse_duration(f"{seconds}s")

    def test_rejects_non_timedelta(self) -> None:
        with pytest.raises(InvalidDurationError):
            format_duration(5)  # type: ignore[arg-type]
