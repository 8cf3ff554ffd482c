"""Instants as integer microseconds: exact both ways, in every zone, folds included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit._time import EPOCH, from_us, to_us
from servicekit.errors import BeyondHorizonError, NaiveDatetimeError
from servicekit.testing.strategies import ZONES, transitions

MIN_US = to_us(datetime(1, 1, 2, tzinfo=UTC))
MAX_US = to_us(datetime(9999, 12, 30, tzinfo=UTC))
FLOAT_EDGE_US = 2**32 * 1_000_000  # where from_us leaves its float fast path
EDGES = [
    to_us(t) + offset
    for name in ZONES
    for year in (1970, 2026, 2100)
    for t in transitions(ZoneInfo(name), year)
    for offset in (-1_000_001, -1, 0, 1, 999_999)
] + [edge + offset for edge in (FLOAT_EDGE_US, -FLOAT_EDGE_US) for offset in (-1, 0, 1)]


def exact(us: int, tz: ZoneInfo) -> datetime:
    """The slow, obviously exact conversion."""
    return (EPOCH + timedelta(microseconds=us)).astimezone(tz)


def same_wall_and_fold(a: datetime, b: datetime) -> bool:
    return a.replace(tzinfo=None) == b.replace(tzinfo=None) and a.fold == b.fold


@given(
    st.one_of(st.integers(MIN_US, MAX_US), st.sampled_from(EDGES)),
    st.sampled_from(ZONES),
)
def test_from_us_is_exact_to_the_microsecond_and_the_fold(us: int, name: str) -> None:
    tz = ZoneInfo(name)
    got = from_us(us, tz)
    assert got.tzinfo is tz
    assert same_wall_and_fold(got, exact(us, tz))
    assert to_us(got) == us


def test_instants_in_a_repeated_hour_keep_their_fold() -> None:
    ny = ZoneInfo("America/New_York")
    first = datetime(2026, 11, 1, 5, 30, 0, 250_001, tzinfo=UTC)  # 01:30 EDT
    second = first + timedelta(hours=1)  # 01:30 EST, the repeat
    assert (from_us(to_us(first), ny).fold, from_us(to_us(second), ny).fold) == (0, 1)
    assert from_us(to_us(second), ny).microsecond == 250_001


def test_to_us_reads_any_aware_datetime() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert to_us(datetime(1970, 1, 1, 2, 0, 0, 7, tzinfo=plus_two)) == 7


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (datetime(2026, 3, 1), NaiveDatetimeError, "t needs a time zone"),  # noqa: DTZ001
        ("2026-03-01", TypeError, "t must be a datetime"),
        (1_772_830_800, TypeError, "t must be a datetime"),
    ],
)
def test_to_us_rejects_what_is_no_instant(value: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        to_us(value, "t")  # type: ignore[arg-type]


def test_from_us_beyond_datetime_is_a_horizon_error() -> None:
    with pytest.raises(BeyondHorizonError, match="outside the years"):
        from_us(MAX_US + 10 * 86_400_000_000, UTC)


class _NoEarlyTimestamps(datetime):
    """``datetime`` as on Windows, where ``fromtimestamp`` rejects instants before 1970."""

    @classmethod
    def fromtimestamp(cls, t: float, tz: tzinfo | None = None) -> _NoEarlyTimestamps:
        if t < 0:
            raise OSError(22, "Invalid argument")
        return super().fromtimestamp(t, tz)


def test_from_us_before_1970_without_platform_timestamps(monkeypatch: pytest.MonkeyPatch) -> None:
    tz = ZoneInfo("Europe/London")
    us = to_us(datetime(1960, 7, 1, 12, 0, 0, 5, tzinfo=tz))
    monkeypatch.setattr("servicekit._time.datetime", _NoEarlyTimestamps)
    assert same_wall_and_fold(from_us(us, tz), exact(us, tz))
