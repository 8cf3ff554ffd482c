"""Checked converters shared by the routing values: names, name sets, counts, skill
levels and instants. Each raises :class:`~servicekit.errors.InvalidInputError` naming
the argument and the value."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType

from servicekit._time import require_aware
from servicekit.errors import InvalidInputError
from servicekit.tickets._enums import check_name

MAX_SKILL_LEVEL = 10
"""Skill levels run from 0 (none) to this value (expert)."""


def names(value: object, what: str) -> frozenset[str]:
    """A set of names from one name or an iterable of names."""
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, Iterable) or isinstance(items, Mapping):
        raise InvalidInputError(f"{what} must be names, got {value!r}")
    return frozenset(check_name(item, what) for item in items)


def ordered_names(value: object, what: str) -> tuple[str, ...]:
    """Names in order, each once (the first occurrence wins)."""
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, Iterable) or isinstance(items, Mapping):
        raise InvalidInputError(f"{what} must be names, got {value!r}")
    return tuple(dict.fromkeys(check_name(item, what) for item in items))


def count(value: object, what: str) -> int:
    """A whole number >= 0 (``True`` is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError(f"{what} must be a whole number >= 0, got {value!r}")
    return value


def counts(value: object, what: str) -> Mapping[str, int]:
    """A read-only mapping of names to whole numbers >= 0."""
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"{what} must be a mapping of names to numbers, got {value!r}")
    return MappingProxyType(
        {check_name(key, what): count(number, f"{what}[{key!r}]") for key, number in value.items()}
    )


def skill_levels(value: object, what: str) -> Mapping[str, int]:
    """A read-only mapping of skill names to levels 0-10."""
    levels = counts(value, what)
    for skill, level in levels.items():
        if level > MAX_SKILL_LEVEL:
            raise InvalidInputError(
                f"{what}[{skill!r}] must be a level from 0 to {MAX_SKILL_LEVEL}, got {level}"
            )
    return levels


def instant(value: object, what: str) -> datetime:
    """A tz-aware datetime; a naive one is an error, never assumed UTC."""
    if not isinstance(value, datetime):
        raise InvalidInputError(f"{what} must be a datetime, got {value!r}")
    return require_aware(value, what)


def optional_instant(value: object, what: str) -> datetime | None:
    """``None`` or a tz-aware datetime."""
    return None if value is None else instant(value, what)
