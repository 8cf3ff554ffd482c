"""Parse and format durations: ``"4h30m"``, ``"1w 2d"``, ``"PT4H30M"``.

The compact form is one or more ``<number><unit>`` parts, largest unit first, each
unit at most once, optionally separated by spaces; units are ``w`` (7 days), ``d``,
``h``, ``m``, ``s`` and ``ms``. The number may carry a decimal fraction (``"1.5h"``).
ISO 8601 durations are accepted without years or months, whose length is ambiguous.
Results are exact to the microsecond; anything finer is an error, not a rounding.
"""

from __future__ import annotations

import functools
import re
from datetime import timedelta
from decimal import Decimal

from servicekit._checks import short
from servicekit.errors import InvalidDurationError, InvalidInputError

__all__ = ["format_duration", "parse_duration"]

_UNIT_MICROSECONDS = {
    "w": 7 * 86_400_000_000,
    "d": 86_400_000_000,
    "h": 3_600_000_000,
    "m": 60_000_000,
    "s": 1_000_000,
    "ms": 1_000,
}
_NUMBER = r"\d+(?:\.\d+)?"
_COMPACT = re.compile(
    rf"\s*(?:(?P<w>{_NUMBER})\s*w)?\s*(?:(?P<d>{_NUMBER})\s*d)?\s*(?:(?P<h>{_NUMBER})\s*h)?"
    rf"\s*(?:(?P<m>{_NUMBER})\s*m(?!s))?\s*(?:(?P<s>{_NUMBER})\s*s)?"
    rf"\s*(?:(?P<ms>{_NUMBER})\s*ms)?\s*",
    re.IGNORECASE,
)
_ISO = re.compile(
    rf"P(?:(?P<w>{_NUMBER})W)?(?:(?P<d>{_NUMBER})D)?"
    rf"(?:T(?:(?P<h>{_NUMBER})H)?(?:(?P<m>{_NUMBER})M)?(?:(?P<s>{_NUMBER})S)?)?",
    re.IGNORECASE,
)
_ISO_YEARS_OR_MONTHS = re.compile(r"P[^T]*\d[YM]", re.IGNORECASE)
_MAX_MICROSECONDS = timedelta.max // timedelta(microseconds=1)


def parse_duration(value: str | timedelta | int, *, allow_negative: bool = False) -> timedelta:
    """Turn a duration written by a person or a config file into a ``timedelta``.

    Args:
        value: ``"4h30m"``, ``"90s"``, ``"1w 2d"``, ``"1.5h"``, ``"PT4H30M"``, a
            ``timedelta``, or an ``int`` number of seconds. A leading ``-`` negates.
        allow_negative: accept negative durations (rejected by default, since SLA
            targets and thresholds are never negative).

    Returns:
        The exact ``timedelta``.

    Raises:
        InvalidDurationError: empty text, an unknown or repeated unit, units out of
            order, a malformed number, a fraction finer than a microsecond, a negative
            value when not allowed, or a value beyond ``timedelta``'s range.

    >>> parse_duration("4h30m")
    datetime.timedelta(seconds=16200)
    >>> parse_duration("PT1H30M") == parse_duration("1.5h") == parse_duration(5400)
    True
    >>> parse_duration("1w 2d").days
    9
    """
    if isinstance(value, timedelta):
        return _check_sign(value, value, allow_negative)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidDurationError(
            f"invalid duration {short(value)}: expected text like '4h30m', a timedelta or int "
            "seconds"
        )
    if isinstance(value, int):
        return _check_sign(value, _from_microseconds(value, value * 1_000_000), allow_negative)
    return _check_sign(value, _parse_text(value), allow_negative)


@functools.lru_cache(maxsize=1024)
def _parse_text(value: str) -> timedelta:
    """The signed duration ``value`` spells; cached, since configs repeat a few texts."""
    text = value.strip()
    negative = text.startswith("-")
    body = text[1:].strip() if negative else text
    match = (_ISO if body[:1] in ("P", "p") else _COMPACT).fullmatch(body)
    parts = {
        unit: number for unit, number in (match.groupdict() if match else {}).items() if number
    }
    if _ISO_YEARS_OR_MONTHS.match(body):
        raise InvalidDurationError(
            f"invalid duration {value!r}: years and months have no fixed length; use weeks or days"
        )
    if not body or not parts:
        raise InvalidDurationError(
            f"invalid duration {value!r}: expected parts like '4h30m', '90s', '1w 2d' or 'PT4H'"
        )
    total = sum(
        (Decimal(number) * _UNIT_MICROSECONDS[unit] for unit, number in parts.items()), Decimal(0)
    )
    if total != total.to_integral_value():
        raise InvalidDurationError(f"invalid duration {value!r}: finer than a microsecond")
    microseconds = -int(total) if negative else int(total)
    return _from_microseconds(value, microseconds)


def checked_duration(name: str, value: object, *, positive: bool = False) -> timedelta:
    """``value`` parsed as the duration argument ``name``, or an
    :class:`~servicekit.errors.InvalidInputError` that names it.

    >>> checked_duration("cooldown", "0s", positive=True)
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidInputError: cooldown must be longer than zero, got '0s'
    """
    try:
        duration = parse_duration(value)  # type: ignore[arg-type]
    except InvalidDurationError as exc:
        raise InvalidInputError(f"{name}: {exc}") from exc
    if positive and duration <= timedelta(0):
        raise InvalidInputError(f"{name} must be longer than zero, got {value!r}")
    return duration


def format_duration(value: timedelta) -> str:
    """Write a ``timedelta`` the way :func:`parse_duration` reads it back.

    Units are weeks, days, hours, minutes and seconds (with a decimal fraction for
    sub-second parts), largest first, zero parts left out; zero is ``"0s"``.

    >>> from datetime import timedelta
    >>> format_duration(timedelta(hours=4, minutes=30))
    '4h 30m'
    >>> format_duration(timedelta(days=9, seconds=1, microseconds=500_000))
    '1w 2d 1.5s'
    >>> format_duration(-timedelta(minutes=5))
    '-5m'
    """
    if not isinstance(value, timedelta):
        raise InvalidDurationError(f"format_duration expects a timedelta, got {value!r}")
    microseconds = value // timedelta(microseconds=1)
    sign = "-" if microseconds < 0 else ""
    remaining = abs(microseconds)
    parts = []
    for unit in ("w", "d", "h", "m"):
        count, remaining = divmod(remaining, _UNIT_MICROSECONDS[unit])
        if count:
            parts.append(f"{count}{unit}")
    if remaining or not parts:
        seconds, fraction = divmod(remaining, 1_000_000)
        decimals = f".{fraction:06d}".rstrip("0") if fraction else ""
        parts.append(f"{seconds}{decimals}s")
    return sign + " ".join(parts)


def _from_microseconds(value: object, microseconds: int) -> timedelta:
    if abs(microseconds) > _MAX_MICROSECONDS:
        raise InvalidDurationError(f"invalid duration {value!r}: beyond timedelta's range")
    return timedelta(microseconds=microseconds)


def _check_sign(value: object, duration: timedelta, allow_negative: bool) -> timedelta:
    if duration < timedelta(0) and not allow_negative:
        raise InvalidDurationError(f"invalid duration {value!r}: must not be negative")
    return duration
