"""``HolidaySet``: an immutable snapshot of holidays for explicit years.

This is the only module that imports ``holidays``. Its objects expand years lazily
(mutating themselves, not thread-safe) and answer "not a holiday" for years nobody
asked about; a snapshot fixes the years and raises outside them instead.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs
import holidays

from servicekit.errors import HolidayCoverageError, InvalidTypeError, UnknownHolidayCalendarError

DEFAULT_LANGUAGE = "en_US"


def _freeze_names(names: Mapping[date, str]) -> Mapping[date, str]:
    return MappingProxyType(dict(sorted(names.items())))


def _frozen_years(years: Iterable[int]) -> frozenset[int]:
    return frozenset(years)


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
        covered = sorted(set(years))
        try:
            source = holidays.country_holidays(
                country,
                years=covered,
                subdiv=subdiv,
                observed=observed,
                categories=tuple(categories) if categories is not None else None,
                language=language,
            )
        except NotImplementedError as exc:
            raise UnknownHolidayCalendarError(
                f"unknown holiday calendar country={country!r} subdiv={subdiv!r}: {exc}"
            ) from exc
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
        covered = sorted(set(years))
        try:
            source = holidays.financial_holidays(market, years=covered, language=language)
        except NotImplementedError as exc:
            raise UnknownHolidayCalendarError(
                f"unknown holiday calendar market={market!r}: {exc}"
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
            raise InvalidTypeError(f"expected a holidays.HolidayBase, got {source!r}")
        covered = sorted(set(years))
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
        names = dict(dates) if isinstance(dates, Mapping) else dict.fromkeys(dates, "Holiday")
        for day in names:
            if not isinstance(day, date):
                raise InvalidTypeError(f"holiday {day!r} is not a date")
        return cls(names, years if years is not None else {day.year for day in names})

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
