"""Every exception servicekit raises on purpose.

Each one subclasses :class:`ServicekitError` *and* the builtin that fits, so callers
can catch either ``ServicekitError`` (everything from this library) or the builtin
they already handle (``ValueError``, ``LookupError``, ``TypeError``).

Two families are kept apart: *you called it wrong* (bad arguments, bad config) and
*the recorded history is inconsistent* (:class:`InvalidTransitionError`).
"""

from __future__ import annotations

import reprlib

__all__ = [
    "BeyondHorizonError",
    "ConfigError",
    "HolidayCoverageError",
    "InvalidCalendarError",
    "InvalidDurationError",
    "InvalidInputError",
    "InvalidRecordError",
    "InvalidTransitionError",
    "InvalidTypeError",
    "MissingExtraError",
    "NaiveDatetimeError",
    "NeverOpensError",
    "ServicekitError",
    "UnknownHolidayCalendarError",
    "UnknownTimeZoneError",
]


class ServicekitError(Exception):
    """Base class of every error servicekit raises on purpose.

    >>> issubclass(InvalidDurationError, ServicekitError)
    True
    """


class ConfigError(ServicekitError, ValueError):
    """A value read from plain-dict configuration is invalid.

    ``path`` locates the value inside the configuration (``weekly.mon[1]``); the
    message starts with it so a log line alone says what to fix.

    >>> err = ConfigError("weekly.mon[1]", "'13:00-12:00' closes before it opens")
    >>> str(err)
    "weekly.mon[1]: '13:00-12:00' closes before it opens"
    >>> err.path
    'weekly.mon[1]'
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)

    def within(self, prefix: str) -> ConfigError:
        """The same error, of the same class, located inside ``prefix``: how a loader
        of nested configuration passes an inner error up.

        >>> ConfigError("weekly.mon[1]", "bad interval").within("policies[0].calendar").path
        'policies[0].calendar.weekly.mon[1]'
        """
        if not prefix:
            return self
        return type(self)(join_path(prefix, self.path), self.message)


def join_path(prefix: str, key: str) -> str:
    """``prefix.key``, or whichever of the two is not empty (config error paths)."""
    return f"{prefix}.{key}" if prefix and key else prefix or key


class InvalidCalendarError(ConfigError):
    """Business hours that cannot describe a calendar: malformed or overlapping
    intervals, unknown weekday keys, a bad override.

    >>> raise InvalidCalendarError("weekly", "unknown weekday 'mnd'")
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidCalendarError: weekly: unknown weekday 'mnd'
    """


class InvalidDurationError(ServicekitError, ValueError):
    """A duration that cannot be parsed or is out of the allowed range.

    >>> from servicekit import parse_duration
    >>> parse_duration("1.5.h")
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidDurationError: invalid duration '1.5.h': ...
    """


class InvalidInputError(ServicekitError, ValueError):
    """An argument outside its documented domain (a negative call volume, an NPS of 11).

    >>> raise InvalidInputError("shrinkage must be in [0, 1), got 1.2")
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidInputError: shrinkage must be in [0, 1), got 1.2
    """


class InvalidTypeError(ServicekitError, TypeError):
    """An argument of the wrong kind (``None`` where an event belongs, a number where a
    priority belongs): you called it wrong. Also a ``TypeError``.

    >>> from servicekit.tickets import Priority
    >>> Priority.HIGH < 5
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidTypeError: cannot compare a priority with 5
    """


class NaiveDatetimeError(ServicekitError, ValueError):
    """A datetime without a time zone was given; servicekit never assumes UTC.

    >>> from datetime import datetime
    >>> from servicekit import BusinessCalendar
    >>> BusinessCalendar.always().is_open(datetime(2026, 1, 1))
    Traceback (most recent call last):
    ...
    servicekit.errors.NaiveDatetimeError: naive datetime 2026-01-01 00:00:00: ...
    """


class UnknownTimeZoneError(ServicekitError, LookupError):
    """An IANA time zone name that the zone database does not know.

    >>> from servicekit import BusinessCalendar
    >>> BusinessCalendar(tz="Mars/Olympus_Mons", weekly={"mon": ["09:00-17:00"]})
    Traceback (most recent call last):
    ...
    servicekit.errors.UnknownTimeZoneError: tz: unknown time zone 'Mars/Olympus_Mons'
    """


class NeverOpensError(ServicekitError, ValueError):
    """A calendar has no open time at all, or none within the search horizon.

    >>> from servicekit import BusinessCalendar
    >>> BusinessCalendar(tz="UTC", weekly={})
    Traceback (most recent call last):
    ...
    servicekit.errors.NeverOpensError: calendar has no open hours on any weekday ...
    """


class BeyondHorizonError(ServicekitError, ValueError):
    """An answer lies beyond the search horizon (see
    :data:`servicekit.calendars.HORIZON`) or outside the years ``datetime`` can hold.
    """


class HolidayCoverageError(ServicekitError, LookupError):
    """A :class:`~servicekit.HolidaySet` was asked about a year it does not cover.

    >>> from datetime import date
    >>> from servicekit import HolidaySet
    >>> date(2031, 1, 1) in HolidaySet.from_dates([date(2030, 1, 1)])
    Traceback (most recent call last):
    ...
    servicekit.errors.HolidayCoverageError: 2031-01-01: holiday set covers 2030 only...
    """


class UnknownHolidayCalendarError(ServicekitError, LookupError):
    """The ``holidays`` library knows no such country, market or subdivision.

    >>> from servicekit import HolidaySet
    >>> HolidaySet.from_country("XX", years=[2026])
    Traceback (most recent call last):
    ...
    servicekit.errors.UnknownHolidayCalendarError: unknown holiday calendar country='XX' ...
    """


class InvalidTransitionError(ServicekitError, ValueError):
    """A ticket event that the recorded history does not allow (out of order, after
    ``closed``, or a transition the lifecycle table does not list).
    """


class InvalidRecordError(ConfigError):
    """A stored ticket or event (a plain dict, e.g. one JSON line) is malformed.

    ``path`` locates the bad value (``events[3].at``), as for configuration.

    >>> from servicekit import Ticket
    >>> Ticket.from_dict({"events": [{"type": "created", "at": "2026-03-02T09:00"}]})
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidRecordError: events[0].at: naive datetime 2026-03-02 09:00:00: ...
    """


# --- optional extras (qa-insights branch) ------------------------------------------------


class MissingExtraError(ServicekitError, ImportError):
    """A function needs an optional dependency that is not installed; the message names
    the extra to install (``pip install 'servicekit[insights]'``).

    >>> raise MissingExtraError("rising_topics needs scipy: pip install 'servicekit[insights]'")
    Traceback (most recent call last):
    ...
    servicekit.errors.MissingExtraError: rising_topics needs scipy: ...
    """


def short(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to about ``limit`` characters, for error messages.

    Safe and quick on any value: containers are shown at most three levels deep and a
    dozen items wide (deeper or longer parts as ``...``), so a value nested 100,000
    deep or a list of a million items costs no more than a small one; a value whose
    repr fails is named by its type.

    >>> short([[[["deep"]]]])
    '[[[[...]]]]'
    >>> short("a long value " * 100)
    "'a long value a long value a long valu... long value a long value a long value '"
    """
    try:
        text = _SHORT.repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _short_repr() -> reprlib.Repr:
    shown = reprlib.Repr()
    shown.maxlevel = 3
    shown.maxstring = shown.maxother = 80
    for name in ("maxtuple", "maxlist", "maxarray", "maxdict", "maxset", "maxfrozenset"):
        setattr(shown, name, 12)
    shown.maxlong = 40
    return shown


_SHORT = _short_repr()
