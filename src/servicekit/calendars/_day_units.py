"""The business-day trap: why ``"3d"`` is no business-hours duration.

On a 09:00-17:00 calendar, ``"3d"`` read as a duration is 72 business hours, nine
working days, while the person who wrote it meant three business days. So business
durations given with a day or week unit are refused with that explanation; calendars
open around the clock (where a day is a day) keep the units.
"""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

from servicekit._time import micros
from servicekit.calendars._calendar import BusinessCalendar, Calendar
from servicekit.calendars._hours import DAY
from servicekit.durations import format_duration, parse_duration, uses_days, weeks_and_days
from servicekit.errors import InvalidDurationError

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def business_duration(
    value: object, calendar: Calendar | None, *, allow_negative: bool = False
) -> timedelta:
    """``value`` (text like ``"4h30m"``, a ``timedelta``, int seconds) as a duration of
    business time on ``calendar``.

    Raises:
        InvalidDurationError: what :func:`~servicekit.durations.parse_duration` rejects,
            and text with a day or week unit unless ``calendar`` is open around the
            clock; the message says what the text would mean and what to write.

    >>> hours = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    >>> business_duration("72h", hours) == timedelta(hours=72)
    True
    >>> business_duration("3d", hours)
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidDurationError: '3d' is 72 business hours, 9 working days on this \
calendar; write '72h', or '3bd' for three business days
    >>> business_duration("3d", BusinessCalendar.always()) == timedelta(days=3)
    True
    """
    duration = parse_duration(value, allow_negative=allow_negative)  # type: ignore[arg-type]
    if uses_days(value) and not _around_the_clock(calendar):
        raise InvalidDurationError(day_unit_message(str(value), duration, calendar))
    return duration


def _weekly_seconds(calendar: Calendar | None) -> list[int] | None:
    """Open seconds configured on each weekday (``None`` when not a plain weekly
    calendar), before holidays and overrides."""
    if not isinstance(calendar, BusinessCalendar):
        return None
    return [sum(i.end - i.start for i in day) for day in calendar.weekly]


def _around_the_clock(calendar: Calendar | None) -> bool:
    weekly = _weekly_seconds(calendar)
    return weekly is not None and all(seconds == DAY for seconds in weekly)


def day_unit_message(text: str, duration: timedelta, calendar: Calendar | None) -> str:
    """What ``text`` (with a day or week unit) would mean in business time, and what to
    write instead (``"'3d' is 72 business hours, 9 working days on this calendar; write
    '72h', or '3bd' for three business days"``)."""
    shown = repr(text) if len(text) <= 40 else repr(text[:37] + "...")
    hours = Fraction(abs(micros(duration)), 3_600_000_000)
    message = f"{shown} is {_number(hours)} business hours"
    weekly = _weekly_seconds(calendar)
    open_days = [seconds for seconds in weekly or () if seconds]
    if open_days:
        working_day = Fraction(sum(open_days), 3600 * len(open_days))
        message += f", {_number(hours / working_day)} working days on this calendar"
    else:
        message += ", not a number of business days"
    message += f"; write '{format_duration(duration, largest='h').replace(' ', '')}'"
    parts = weeks_and_days(text)
    if parts is not None:
        weeks, days = parts
        business_days = weeks * len(open_days) + days
        if business_days and (weeks == 0 or open_days):
            words = _WORDS[business_days] if business_days < len(_WORDS) else str(business_days)
            plural = "s" if business_days != 1 else ""
            message += f", or '{business_days}bd' for {words} business day{plural}"
    return message


def _number(value: Fraction) -> str:
    """``9``, or ``6.5`` (one decimal) when not whole."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.1f}".removesuffix(".0")
