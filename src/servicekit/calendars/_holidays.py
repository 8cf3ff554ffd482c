"""``HolidaySet``: an immutable snapshot of holidays for explicit years.

This is the only module that imports ``holidays``. Its objects expand years lazily
(mutating themselves, not thread-safe) and answer "not a holiday" for years nobody
asked about; a snapshot fixes the years and raises outside them instead.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from itertools import islice
from types import MappingProxyType
from typing import Any

import attrs
import holidays

from servicekit._checks import short
from servicekit.errors import (
    HolidayCoverageError,
    InvalidInputError,
    InvalidTypeError,
    UnknownHolidayCalendarError,
)

DEFAULT_LANGUAGE = "en_US"

FIRST_YEAR, LAST_YEAR = 2, 9998
"""The years a holiday set may cover: those servicekit calendars handle."""

MAX_YEARS = 1000
"""The most years one holiday set may cover (expanding each costs the ``holidays``
library a fraction of a millisecond)."""


def checked_year(value: object, what: str = "year") -> int:
    """``value`` if it is a whole year from :data:`FIRST_YEAR` to :data:`LAST_YEAR`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(f"{what} must be a whole number, got {short(value)}")
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise InvalidInputError(f"{what} must be in [{FIRST_YEAR}, {LAST_YEAR}], got {value}")
    return value


def checked_years(value: object) -> list[int]:
    """The distinct years of an iterable of years, sorted; at most :data:`MAX_YEARS`."""
    if not isinstance(value, Iterable) or isinstance(value, str | bytes | Mapping):
        raise InvalidTypeError(f"years must be an iterable of years, got {short(value)}")
    years = list(islice(value, MAX_YEARS * 4 + 1))
    found = sorted({checked_year(year) for year in years})
    if len(found) > MAX_YEARS or len(years) > MAX_YEARS * 4:
        raise InvalidInputError(f"years: at most {MAX_YEARS} years, got {short(value)}")
    return found


def checked_text(value: object, what: str) -> str:
    """``value`` if it is a non-empty string (a country, subdivision, market, language)."""
    if not isinstance(value, str) or not value:
        raise InvalidTypeError(f"{what} must be a non-empty string, got {short(value)}")
    return value


def checked_categories(value: object) -> tuple[str, ...] | None:
    """``None`` or the categories of a list or tuple of names (one string is not a list:
    ``"public"`` would be read as its letters)."""
    if value is None:
        return None
    if not isinstance(value, list | tuple | set | frozenset):
        raise InvalidTypeError(f"categories must be a list of names, got {short(value)}")
    return tuple(checked_text(category, "category") for category in value)


def country_source(
    country: object,
    *,
    years: Iterable[int] = (),
    subdiv: object = None,
    observed: object = True,
    categories: object = None,
    language: object = DEFAULT_LANGUAGE,
) -> holidays.HolidayBase:
    """``holidays.country_holidays(...)`` after checking every argument's kind; what the
    library does not know raises :class:`UnknownHolidayCalendarError` naming it."""
    name = checked_text(country, "country")
    region = None if subdiv is None else checked_text(subdiv, "subdiv")
    kinds = checked_categories(categories)
    if not isinstance(observed, bool):
        raise InvalidTypeError(f"observed must be true or false, got {short(observed)}")
    words = checked_text(language, "language")
    try:
        return holidays.country_holidays(
            name,
            years=list(years),
            subdiv=region,
            observed=observed,
            categories=kinds,
            language=words,
        )
    except (NotImplementedError, ValueError, KeyError, AttributeError) as exc:
        raise UnknownHolidayCalendarError(
            f"unknown holiday calendar country={short(name)} subdiv={short(region)} "
            f"categories={short(kinds)}: {short(str(exc), 120)}"
        ) from exc


def _checked_day(day: object) -> date:
    if not isinstance(day, date) or isinstance(day, datetime):
        raise InvalidTypeError(
            f"holiday {short(day)} is not a date (a datetime never matches a day)"
        )
    return day


def _freeze_names(names: object) -> Mapping[date, str]:
    """Holiday names by date, checked: every key a date (a datetime never matches a
    day), every name text."""
    if not isinstance(names, Mapping):
        raise InvalidTypeError(f"names must map dates to holiday names, got {short(names)}")
    for day, name in names.items():
        _checked_day(day)
        if not isinstance(name, str):
            raise InvalidTypeError(f"the name of holiday {day} must be text, got {short(name)}")
    return MappingProxyType(dict(sorted(names.items())))


def _frozen_years(years: object) -> frozenset[int]:
    return frozenset(checked_years(years))


@attrs.frozen
class HolidaySet:
    """Holiday dates (with names) for a fixed set of years; immutable and hashable.

    Use it as the ``holidays`` of a :class:`~servicekit.BusinessCalendar`. Asking about
    a date in a year it does not cover raises :class:`~servicekit.errors.HolidayCoverageError`.

    >>> us = HolidaySet.from_country("US", subdiv="NY", years=range(2026, 2028))
    >>> date(2026, 7, 3) in us, us.name(date(2026, 7, 3))
    (True, 'Independence Day (observed)')
    >>> date(2026, 7, 6) in us
    False
    """

    names: Mapping[date, str] = attrs.field(converter=_freeze_names, eq=False, hash=False)
    years: frozenset[int] = attrs.field(converter=_frozen_years)
    _dates: frozenset[date] = attrs.field(init=False, repr=False)

    @_dates.default
    def _collect_dates(self) -> frozenset[date]:
        return frozenset(self.names)

    def __attrs_post_init__(self) -> None:
        outside = sorted({day.year for day in self.names} - self.years)
        if outside:
            raise HolidayCoverageError(f"holiday dates in years {outside} outside years given")

    def __reduce__(self) -> tuple[Any, ...]:
        return (HolidaySet, (dict(self.names), self.years))

    @classmethod
    def from_country(
        cls,
        country: str,
        *,
        years: Iterable[int],
        subdiv: str | None = None,
        observed: bool = True,
        categories: Iterable[str] | None = None,
        language: str = DEFAULT_LANGUAGE,
    ) -> HolidaySet:
        """Snapshot ``holidays.country_holidays(country, ...)`` for ``years``.

        Parameters keep the ``holidays`` library's names. ``language`` is fixed (US
        English by default) so names never depend on the machine's locale.

        Raises:
            UnknownHolidayCalendarError: no such country or subdivision.
        """
        covered = checked_years(years)
        source = country_source(
            country,
            years=covered,
            subdiv=subdiv,
            observed=observed,
            categories=categories,
            language=language,
        )
        return cls.from_holidays(source, years=covered)

    @classmethod
    def from_financial(
        cls, market: str, *, years: Iterable[int], language: str = DEFAULT_LANGUAGE
    ) -> HolidaySet:
        """Snapshot ``holidays.financial_holidays(market)`` (e.g. ``"NYSE"``) for ``years``.

        >>> nyse = HolidaySet.from_financial("NYSE", years=[2026])
        >>> date(2026, 4, 3) in nyse  # Good Friday
        True
        """
        covered = checked_years(years)
        name = checked_text(market, "market")
        try:
            source = holidays.financial_holidays(
                name, years=covered, language=checked_text(language, "language")
            )
        except (NotImplementedError, ValueError, KeyError, AttributeError) as exc:
            raise UnknownHolidayCalendarError(
                f"unknown holiday calendar market={short(name)}: {short(str(exc), 120)}"
            ) from exc
        return cls.from_holidays(source, years=covered)

    @classmethod
    def from_holidays(cls, source: Any, *, years: Iterable[int]) -> HolidaySet:
        """Snapshot any ``holidays.HolidayBase`` object for ``years``.

        The source is deep-copied before the years are expanded, so the caller's
        object is never mutated.

        >>> import holidays
        >>> fr = HolidaySet.from_holidays(holidays.France(language="en_US"), years=[2026])
        >>> fr.name(date(2026, 7, 14))
        'National Day'
        """
        if not isinstance(source, holidays.HolidayBase):
            hint = (
                "; for explicit dates use HolidaySet.from_dates"
                if isinstance(source, Mapping | Iterable)
                else ""
            )
            raise InvalidTypeError(
                f"expected a holidays.HolidayBase (such as holidays.France()), "
                f"got {short(source)}{hint}"
            )
        covered = checked_years(years)
        snapshot = copy.deepcopy(source)
        snapshot.expand = True  # the constructor's documented switch for lazy years
        for year in covered:
            _ = date(year, 1, 1) in snapshot  # expands the year, as HolidayBase documents
        names = {day: snapshot[day] for day in sorted(snapshot) if day.year in covered}
        return cls(names, covered)

    @classmethod
    def from_dates(
        cls, dates: Iterable[date] | Mapping[date, str], *, years: Iterable[int] | None = None
    ) -> HolidaySet:
        """Build from explicit dates (or a date-to-name mapping).

        ``years`` defaults to the years the dates fall in.

        >>> company = HolidaySet.from_dates({date(2026, 12, 24): "Company day"})
        >>> sorted(company.years), company.name(date(2026, 12, 24))
        ([2026], 'Company day')
        """
        given: object = dates
        if not isinstance(given, Iterable) or isinstance(given, str | bytes):
            raise InvalidTypeError(f"dates must be dates or a mapping of dates, got {short(dates)}")
        if isinstance(dates, Mapping):
            names = _freeze_names(dates)
        else:
            names = _freeze_names(dict.fromkeys(map(_checked_day, dates), "Holiday"))
        covered = checked_years(years if years is not None else {day.year for day in names})
        return cls(names, covered)

    def __contains__(self, day: object) -> bool:
        """Whether ``day`` is a holiday; raise for a year this set does not cover."""
        if not isinstance(day, date):
            return False
        if day.year not in self.years:
            covered = _describe_years(self.years)
            raise HolidayCoverageError(
                f"{day.isoformat()}: holiday set covers {covered} only; "
                "build it with years=... that include this date"
            )
        return day in self._dates

    def __iter__(self) -> Iterator[date]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def name(self, day: date) -> str | None:
        """The holiday's name on ``day``, or ``None`` on a working day."""
        return self.names.get(day) if day in self else None

    def between(self, start: date, end: date) -> list[tuple[date, str]]:
        """Holidays in ``[start, end)`` as ``(date, name)`` pairs, in order."""
        for value in (start, end):
            if not isinstance(value, date) or isinstance(value, datetime):
                raise InvalidTypeError(f"between takes two dates, got {short(value)}")
        return [(day, name) for day, name in self.names.items() if start <= day < end]

    def __or__(self, other: HolidaySet) -> HolidaySet:
        """Holidays of either set, over the years both cover.

        >>> a = HolidaySet.from_dates([date(2026, 1, 1)])
        >>> b = HolidaySet.from_dates([date(2026, 12, 24)])
        >>> len(a | b)
        2
        """
        years = self.years & other.years
        names = {d: n for d, n in {**other.names, **self.names}.items() if d.year in years}
        return HolidaySet(names, years)


def _describe_years(years: frozenset[int]) -> str:
    if not years:
        return "no years"
    ordered = sorted(years)
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}" if len(ordered) == 1 else f"{ordered[0]}-{ordered[-1]}"
    return ", ".join(map(str, ordered))
