"""Instants as integer microseconds since the Unix epoch, and time zone lookup.

The arithmetic of the whole library runs on these integers: exact, fast, and free of
wall-clock surprises. Only the public edges speak ``datetime``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from servicekit.errors import BeyondHorizonError, NaiveDatetimeError, UnknownTimeZoneError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)


def require_aware(value: datetime, name: str = "datetime") -> datetime:
    """Return ``value`` if it is a tz-aware ``datetime``; raise otherwise."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            f"naive datetime {value}: {name} needs a time zone; "
            "servicekit never assumes UTC (use datetime(..., tzinfo=ZoneInfo(...)))"
        )
    return value


def to_us(value: datetime, name: str = "datetime") -> int:
    """Microseconds since the epoch of a tz-aware datetime."""
    return (require_aware(value, name) - EPOCH) // ONE_MICROSECOND


def from_us(us: int, tz: tzinfo) -> datetime:
    """The instant ``us`` microseconds after the epoch, expressed in ``tz``."""
    try:
        return (EPOCH + timedelta(microseconds=us)).astimezone(tz)
    except OverflowError as exc:
        raise BeyondHorizonError(
            f"{us} microseconds after 1970 is outside the years datetime can hold"
        ) from exc


def zone(value: str | ZoneInfo, path: str = "tz") -> ZoneInfo:
    """Resolve an IANA name (or pass a ``ZoneInfo`` through)."""
    if isinstance(value, ZoneInfo):
        return value
    if not isinstance(value, str) or not value:
        raise UnknownTimeZoneError(f"{path}: expected an IANA zone name, got {value!r}")
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownTimeZoneError(f"{path}: unknown time zone {value!r}") from exc
