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
from typing import Literal

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
_MAX_DIGITS = 24  # more digits than that before or after the point are out of range


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
            f"invalid duration {short(value)}: "
            "expected text like '4h30m', a timedelta or int seconds"
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
            f"invalid duration {short(value)}: "
            "years and months have no fixed length; use weeks or days"
        )
    if not body or not parts:
        raise InvalidDurationError(
            f"invalid duration {short(value)}: "
            "expected parts like '4h30m', '90s', '1w 2d' or 'PT4H'"
        )
    total = sum(_exact_microseconds(value, number, unit) for unit, number in parts.items())
    microseconds = -total if negative else total
    return _from_microseconds(value, microseconds)


def _exact_microseconds(value: str, number: str, unit: str) -> int:
    """``number`` (digits, maybe a decimal fraction) of ``unit`` in whole microseconds,
    by integer arithmetic (no rounding), or an error naming ``value``."""
    whole, _, fraction = number.partition(".")
    whole, fraction = whole.lstrip("0"), fraction.rstrip("0")
    if len(whole) > _MAX_DIGITS:
        raise InvalidDurationError(f"invalid duration {short(value)}: beyond timedelta's range")
    if len(fraction) > _MAX_DIGITS:
        raise InvalidDurationError(f"invalid duration {short(value)}: finer than a microsecond")
    scale = 10 ** len(fraction)
    microseconds, rest = divmod(int(whole + fraction or "0") * _UNIT_MICROSECONDS[unit], scale)
    if rest:
        raise InvalidDurationError(f"invalid duration {short(value)}: finer than a microsecond")
    return int(microseconds)


def uses_days(value: object) -> bool:
    """Whether ``value`` is duration text with a day or week part (``"3d"``, ``"1w"``,
    ``"2d4h"``, ``"P3D"``): in business time such a part would count 24 business hours
    per day, which is never what a person means (see :func:`business_days_of`).

    >>> uses_days("2d4h"), uses_days("P1W"), uses_days("72h"), uses_days("PT72H")
    (True, True, False, False)
    """
    if not isinstance(value, str):
        return False
    body = value.strip().lstrip("-").strip()
    match = (_ISO if body[:1] in ("P", "p") else _COMPACT).fullmatch(body)
    return match is not None and bool(match.group("w") or match.group("d"))


def weeks_and_days(value: object) -> tuple[int, int] | None:
    """``(weeks, days)`` when ``value`` is text made only of whole week and day parts
    (``"1w 2d"``, ``"P3D"``), else ``None``.

    >>> weeks_and_days("1w 2d"), weeks_and_days("3d"), weeks_and_days("2d4h")
    ((1, 2), (0, 3), None)
    """
    if not uses_days(value):
        return None
    assert isinstance(value, str)
    body = value.strip().lstrip("-").strip()
    match = (_ISO if body[:1] in ("P", "p") else _COMPACT).fullmatch(body)
    assert match is not None
    parts = {unit: number for unit, number in match.groupdict().items() if number}
    if set(parts) - {"w", "d"} or any("." in number for number in parts.values()):
        return None
    if any(len(number) > _MAX_DIGITS for number in parts.values()):
        return None
    return int(parts.get("w", "0")), int(parts.get("d", "0"))


_BUSINESS_DAYS = re.compile(r"\s*(\d+(?:\.\d+)?)\s*bd\s*", re.IGNORECASE | re.ASCII)


def business_days_of(value: object) -> int | None:
    """The number of business days ``value`` spells (``"3bd"`` is 3), ``None`` if it
    is not business-day text.

    Raises:
        InvalidDurationError: a fraction of a business day (``"1.5bd"``), which has no
            meaning: a business day is a date, not an amount of time.

    >>> business_days_of("3bd"), business_days_of("3d")
    (3, None)
    """
    if not isinstance(value, str):
        return None
    match = _BUSINESS_DAYS.fullmatch(value)
    if match is None:
        return None
    number = match.group(1)
    whole, _, fraction = number.partition(".")
    if fraction.strip("0") or len(whole.lstrip("0")) > _MAX_DIGITS:
        raise InvalidDurationError(
            f"invalid business days {short(value)}: expected a whole number like '3bd'"
        )
    return int(whole)


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
        raise InvalidInputError(f"{name} must be longer than zero, got {short(value)}")
    return duration


def format_duration(value: timedelta, *, largest: Literal["w", "h"] = "w") -> str:
    """Write a ``timedelta`` the way :func:`parse_duration` reads it back.

    Units are weeks, days, hours, minutes and seconds (with a decimal fraction for
    sub-second parts), largest first, zero parts left out; zero is ``"0s"``.
    ``largest="h"`` stops at hours, for business time, where a "day" of 24 business
    hours would read as a working day (``"72h"``, not ``"3d"``).

    >>> from datetime import timedelta
    >>> format_duration(timedelta(hours=4, minutes=30))
    '4h 30m'
    >>> format_duration(timedelta(days=9, seconds=1, microseconds=500_000))
    '1w 2d 1.5s'
    >>> format_duration(-timedelta(minutes=5))
    '-5m'
    >>> format_duration(timedelta(days=3, minutes=5), largest="h")
    '72h 5m'
    """
    if not isinstance(value, timedelta):
        raise InvalidDurationError(f"format_duration expects a timedelta, got {short(value)}")
    microseconds = value // timedelta(microseconds=1)
    sign = "-" if microseconds < 0 else ""
    remaining = abs(microseconds)
    parts = []
    if largest not in ("w", "h"):
        raise InvalidInputError(f"largest must be 'w' or 'h', got {short(largest)}")
    for unit in ("w", "d", "h", "m") if largest == "w" else ("h", "m"):
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
        raise InvalidDurationError(f"invalid duration {short(value)}: beyond timedelta's range")
    return timedelta(microseconds=microseconds)


def _check_sign(value: object, duration: timedelta, allow_negative: bool) -> timedelta:
    if duration < timedelta(0) and not allow_negative:
        raise InvalidDurationError(f"invalid duration {short(value)}: must not be negative")
    return duration
