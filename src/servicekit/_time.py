"""Instants as integer microseconds since the Unix epoch, and time zone lookup.

The arithmetic of the whole library runs on these integers: exact, fast, and free of
wall-clock surprises. Only the public edges speak ``datetime``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from servicekit.errors import (
    BeyondHorizonError,
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownTimeZoneError,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)

# Below 2**32 seconds (1833 to 2106) a float timestamp is within a quarter of a
# microsecond of the exact one, so ``fromtimestamp`` rounds it back exactly: the fast way.
_FLOAT_EXACT_US = 2**32 * 1_000_000


def require_aware(value: object, name: str = "datetime") -> datetime:
    """Return ``value`` if it is a tz-aware ``datetime``; raise otherwise."""
    if isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None:
        return value
    raise _not_aware(value, name)


def _not_aware(value: object, name: str) -> Exception:
    if not isinstance(value, datetime):
        return InvalidTypeError(f"{name} must be a datetime, got {_shown(value)}")
    return NaiveDatetimeError(
        f"naive datetime {value}: {name} needs a time zone; "
        "servicekit never assumes UTC (use datetime(..., tzinfo=ZoneInfo(...)))"
    )


def _shown(value: object) -> str:
    """``repr(value)`` cut to 80 characters, or its type when the repr fails (a list
    nested too deep to print); ``_checks.short`` builds on this module, so not that."""
    try:
        return repr(value)[:80]
    except Exception:
        return f"<{type(value).__name__}>"


def to_us(value: datetime, name: str = "datetime") -> int:
    """Microseconds since the epoch of a tz-aware datetime."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            return micros(value - EPOCH)
        except TypeError:  # its tzinfo gave no offset: naive after all
            pass
    raise _not_aware(value, name)


def micros(delta: timedelta) -> int:
    """The exact number of microseconds in ``delta`` (faster than ``delta // 1us``)."""
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_us(us: int, tz: tzinfo) -> datetime:
    """The instant ``us`` microseconds after the epoch, expressed in ``tz``."""
    if -_FLOAT_EXACT_US < us < _FLOAT_EXACT_US:
        try:
            return datetime.fromtimestamp(us / 1_000_000, tz)
        except OSError:  # Windows has no timestamps before 1970
            pass
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
