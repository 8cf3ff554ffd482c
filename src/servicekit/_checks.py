"""Argument checks shared by the value classes of several packages: a flag, a fraction,
an optional value of a kind, and one or several items of a kind as a tuple. Each raises
:class:`~servicekit.errors.InvalidInputError` naming the argument and the value."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import attrs

from servicekit.errors import InvalidInputError

T = TypeVar("T")


def flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    """attrs validator: ``value`` is ``True`` or ``False`` (not merely truthy)."""
    if not isinstance(value, bool):
        raise InvalidInputError(f"{attribute.name} must be true or false, got {value!r}")


def fraction(name: str, value: object, low: float, high: float, *, closed_high: bool) -> float:
    """``value`` as a ``float`` in ``(low, high)``, or ``(low, high]`` if ``closed_high``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(f"{name} must be a number, got {value!r}")
    inside = low < value <= high if closed_high else low < value < high
    if not inside:
        bracket = "]" if closed_high else ")"
        raise InvalidInputError(f"{name} must be in ({low:g}, {high:g}{bracket}, got {value!r}")
    return float(value)


def optional_of(kind: type[Any], name: str) -> Callable[[object, Any, object], None]:
    """attrs validator: ``value`` is ``None`` or a ``kind``; the error names ``name``."""

    def check(_: object, attribute: object, value: object) -> None:
        if value is not None and not isinstance(value, kind):
            raise InvalidInputError(f"{name} must be a {kind.__name__} or None, got {value!r}")

    return check


def checked_items(value: object, kind: type[T], what: str) -> tuple[T, ...]:
    """``value`` (one ``kind`` or several) as a tuple, each checked; ``what`` names one
    item (``"condition"``)."""
    items = (value,) if isinstance(value, kind) else value
    if not isinstance(items, Iterable) or isinstance(items, str | Mapping):
        raise InvalidInputError(f"expected {what}s, got {value!r}")
    found = tuple(items)
    for item in found:
        if not isinstance(item, kind):
            raise InvalidInputError(f"not {'an' if what[0] in 'aeiou' else 'a'} {what}: {item!r}")
    return found


# -- report: plain (non-attrs) argument checks ------------------------------------------


def boolean(name: str, value: object) -> bool:
    """``value`` if it is ``True`` or ``False`` (not merely truthy); the error names
    ``name``."""
    if not isinstance(value, bool):
        raise InvalidInputError(f"{name} must be true or false, got {value!r}")
    return value
