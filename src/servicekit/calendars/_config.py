"""Calendars to and from plain dicts (what an app stores in JSON or TOML).

Every error names the path of the offending value (``overrides.2026-12-24[0]``).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from datetime import date, datetime
from typing import Any, Literal, TypeVar

from servicekit._checks import shallow, short
from servicekit.calendars._calendar import BusinessCalendar, Calendar, CombinedCalendar
from servicekit.calendars._holidays import (
    DEFAULT_LANGUAGE,
    MAX_YEARS,
    HolidaySet,
    checked_categories,
    checked_text,
    checked_year,
    checked_years,
    country_source,
)
from servicekit.calendars._hours import WEEKDAYS
from servicekit.calendars._recurring import RecurringClosure
from servicekit.errors import ConfigError, InvalidCalendarError, InvalidTypeError, ServicekitError

_CALENDAR_KEYS = {"tz", "weekly", "holidays", "overrides", "closures"}
_HOLIDAY_KEYS = {
    "country",
    "subdiv",
    "observed",
    "categories",
    "language",
    "market",
    "dates",
    "years",
}

C = TypeVar("C", bound=BusinessCalendar)
T = TypeVar("T")


def calendar_from_dict(cls: type[C], data: Mapping[str, Any], path: str = "") -> C:
    shallow(data, path, error=InvalidCalendarError)
    prefix = f"{path}." if path else ""
    if not isinstance(data, Mapping):
        raise InvalidCalendarError(path, f"expected a mapping, got {short(data)}")
    unknown = sorted(set(data) - _CALENDAR_KEYS)
    if unknown:
        raise InvalidCalendarError(
            path, f"unknown keys {unknown}; expected {sorted(_CALENDAR_KEYS)}"
        )
    for key in ("tz", "weekly"):
        if key not in data:
            raise InvalidCalendarError(f"{prefix}{key}", "is required")
    overrides = data.get("overrides") or {}
    if not isinstance(overrides, Mapping):
        raise InvalidCalendarError(
            f"{prefix}overrides", f"expected a mapping, got {short(overrides)}"
        )
    closures = data.get("closures") or []
    if not isinstance(closures, list):
        raise InvalidCalendarError(f"{prefix}closures", f"expected a list, got {short(closures)}")
    try:
        return cls(
            tz=data["tz"],
            weekly=data["weekly"],
            holidays=_holidays_from(data.get("holidays"), f"{prefix}holidays"),
            overrides={_date(k, f"{prefix}overrides"): v for k, v in overrides.items()},
            closures=[_closure_from(c, f"{prefix}closures[{i}]") for i, c in enumerate(closures)],
        )
    except ConfigError as exc:
        if not prefix or exc.path.startswith(prefix):
            raise
        raise exc.within(path) from exc
    except ServicekitError as exc:
        if not path:
            raise
        raise InvalidCalendarError(path, str(exc)) from exc


def calendar_to_dict(calendar: BusinessCalendar) -> dict[str, Any]:
    result: dict[str, Any] = {"tz": calendar.tz.key, "weekly": {}}
    for name, hours in zip(WEEKDAYS, calendar.weekly, strict=True):
        if hours:
            result["weekly"][name] = [str(interval) for interval in hours]
    holidays = _holidays_to(calendar.holidays)
    if holidays:
        result["holidays"] = holidays
    if calendar.overrides:
        result["overrides"] = {
            day.isoformat(): [str(interval) for interval in hours]
            for day, hours in calendar.overrides.items()
        }
    if calendar.closures:
        result["closures"] = [closure.to_dict() for closure in calendar.closures]
    return result


def combined_from_dict(data: Mapping[str, Any], path: str = "") -> CombinedCalendar:
    prefix = f"{path}." if path else ""
    if not isinstance(data, Mapping) or len(data) != 1:
        raise InvalidCalendarError(
            path, f"expected {{'union': [a, b]}} or {{'intersection': [a, b]}}, got {short(data)}"
        )
    ((operation, parts),) = data.items()
    if operation not in ("union", "intersection"):
        raise InvalidCalendarError(path, f"unknown combination {short(operation)}")
    kind: Literal["union", "intersection"] = "union" if operation == "union" else "intersection"
    if not isinstance(parts, list) or len(parts) < 2:
        raise InvalidCalendarError(
            f"{prefix}{operation}", "expected a list of at least two calendars"
        )
    calendars = [
        any_calendar_from_dict(p, f"{prefix}{operation}[{i}]") for i, p in enumerate(parts)
    ]
    combined = CombinedCalendar(kind, calendars[0], calendars[1])
    for calendar in calendars[2:]:
        combined = CombinedCalendar(kind, combined, calendar)
    return combined


def combined_to_dict(calendar: CombinedCalendar) -> dict[str, Any]:
    parts = []
    for part in (calendar.left, calendar.right):
        if isinstance(part, CombinedCalendar) and part.operation == calendar.operation:
            parts.extend(combined_to_dict(part)[calendar.operation])
        elif isinstance(part, BusinessCalendar | CombinedCalendar):
            parts.append(part.to_dict())
        else:
            raise InvalidCalendarError("", f"cannot write {short(part)} as a dict")
    return {calendar.operation: parts}


def any_calendar_from_dict(data: Mapping[str, Any], path: str = "") -> Calendar:
    """A business calendar, or a union/intersection of calendars, from plain config."""
    if not isinstance(path, str):
        raise InvalidTypeError(f"path must be text, got {short(path)}")
    shallow(data, path, error=InvalidCalendarError)
    if isinstance(data, Mapping) and set(data) & {"union", "intersection"}:
        return combined_from_dict(data, path)
    return calendar_from_dict(BusinessCalendar, data, path)


def calendar_reference(
    value: object, calendars: Mapping[str, Calendar] | None, path: str
) -> Calendar:
    """A calendar from config: the name of one in ``calendars``, or an inline dict.

    Raises:
        ConfigError: an unknown name or a bad calendar, located at ``path``.
    """
    if isinstance(value, str):
        if calendars is None or value not in calendars:
            known = ", ".join(sorted(calendars or {})) or "none given"
            raise ConfigError(path, f"unknown calendar {short(value)} (known: {known})")
        return calendars[value]
    if not isinstance(value, Mapping):
        raise ConfigError(path, f"expected a calendar name or object, got {short(value)}")
    try:
        return any_calendar_from_dict(value)
    except ConfigError as exc:
        raise exc.within(path) from exc
    except ServicekitError as exc:  # e.g. an unknown zone: not path-aware
        raise ConfigError(path, str(exc)) from exc


def _date(value: object, path: str) -> date:
    if isinstance(value, datetime):
        raise InvalidCalendarError(
            path, f"{short(value)} is a date-time; a date (YYYY-MM-DD) is expected"
        )
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InvalidCalendarError(path, f"{short(value)} is not an ISO date (YYYY-MM-DD)") from exc


def _years(value: object, path: str) -> list[int]:
    """``[2020, 2030]`` is read as the list it is; ``{"from": 2020, "to": 2030}`` as a range.
    Each year is a whole number in ``[FIRST_YEAR, LAST_YEAR]``, at most ``MAX_YEARS``."""
    if isinstance(value, Mapping) and set(value) == {"from", "to"}:
        low = _leaf(f"{path}.from", lambda: checked_year(value["from"]))
        high = _leaf(f"{path}.to", lambda: checked_year(value["to"]))
        if low > high:
            raise InvalidCalendarError(path, f"'from' {low} is after 'to' {high}")
        return _leaf(path, lambda: checked_years(range(low, high + 1)))
    if isinstance(value, list):
        for index, year in enumerate(value[: MAX_YEARS * 4]):
            try:
                checked_year(year)
            except ServicekitError as exc:
                raise InvalidCalendarError(f"{path}[{index}]", str(exc)) from exc
        return _leaf(path, lambda: checked_years(value))
    raise InvalidCalendarError(
        path, f"expected a list of years or {{'from': Y, 'to': Y}}, got {short(value)}"
    )


def _leaf(path: str, build: Callable[[], T]) -> T:
    """``build()``, with any ServicekitError it raises located at ``path``."""
    try:
        return build()
    except ServicekitError as exc:
        raise InvalidCalendarError(path, str(exc)) from exc


def _holidays_from(value: object, path: str) -> Container[date] | None:
    if value is None:
        return None
    if isinstance(value, list):
        return frozenset(_date(v, f"{path}[{i}]") for i, v in enumerate(value))
    if not isinstance(value, Mapping):
        raise InvalidCalendarError(
            path, f"expected a list of dates or a mapping, got {short(value)}"
        )
    unknown = sorted(map(str, set(value) - _HOLIDAY_KEYS))
    if unknown:
        raise InvalidCalendarError(path, f"unknown keys {short(unknown)}")
    if "years" not in value:
        raise InvalidCalendarError(
            f"{path}.years", "is required: a holiday set covers explicit years"
        )
    years = _years(value["years"], f"{path}.years")
    language = _leaf(
        f"{path}.language",
        lambda: checked_text(value.get("language", DEFAULT_LANGUAGE), "language"),
    )
    if "country" in value:
        # Each argument is checked at its own path, the library's refusals included.
        country = value["country"]
        _leaf(f"{path}.country", lambda: country_source(country))
        subdiv = value.get("subdiv")
        _leaf(f"{path}.subdiv", lambda: country_source(country, subdiv=subdiv))
        categories = _leaf(
            f"{path}.categories", lambda: checked_categories(value.get("categories"))
        )
        _leaf(
            f"{path}.categories",
            lambda: country_source(country, subdiv=subdiv, categories=categories),
        )
        observed = value.get("observed", True)
        _leaf(f"{path}.observed", lambda: country_source(country, observed=observed))
        return _leaf(
            path,
            lambda: HolidaySet.from_country(
                country,
                years=years,
                subdiv=subdiv,
                observed=observed,
                categories=categories,
                language=language,
            ),
        )
    for key in ("subdiv", "categories", "observed"):
        if key in value:
            raise InvalidCalendarError(f"{path}.{key}", "applies to a 'country' only")
    if "market" in value:
        market = _leaf(f"{path}.market", lambda: checked_text(value["market"], "market"))
        return _leaf(
            f"{path}.market",
            lambda: HolidaySet.from_financial(market, years=years, language=language),
        )
    dates = value.get("dates", [])
    if isinstance(dates, Mapping):
        named = {}
        for key, name in dates.items():
            if not isinstance(name, str):
                raise InvalidCalendarError(
                    f"{path}.dates.{short(key, 40)}", f"a name must be text, got {short(name)}"
                )
            named[_date(key, f"{path}.dates.{short(key, 40)}")] = name
        return _leaf(f"{path}.dates", lambda: HolidaySet.from_dates(named, years=years))
    if isinstance(dates, list):
        days = [_date(d, f"{path}.dates[{i}]") for i, d in enumerate(dates)]
        return _leaf(f"{path}.dates", lambda: HolidaySet.from_dates(days, years=years))
    raise InvalidCalendarError(f"{path}.dates", f"expected a list or mapping, got {short(dates)}")


def _holidays_to(holidays: Container[date]) -> object:
    if isinstance(holidays, HolidaySet):
        return {
            "years": sorted(holidays.years),
            "dates": {day.isoformat(): name for day, name in holidays.names.items()},
        }
    if isinstance(holidays, frozenset):
        return sorted(day.isoformat() for day in holidays)
    raise InvalidCalendarError(
        "holidays", f"{type(holidays).__name__} cannot be written as a dict; use a HolidaySet"
    )


def _closure_from(value: object, path: str) -> RecurringClosure:
    if not isinstance(value, Mapping) or "rule" not in value:
        raise InvalidCalendarError(
            path, f"expected {{'rule': 'DTSTART...RRULE...', 'closed': [...]}}, got {short(value)}"
        )
    unknown = sorted(set(value) - {"rule", "closed"})
    if unknown:
        raise InvalidCalendarError(path, f"unknown keys {unknown}")
    try:
        return RecurringClosure(value["rule"], closed=value.get("closed"))
    except ConfigError as exc:
        raise exc.within(path) from exc
