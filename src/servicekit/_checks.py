"""Argument checks shared by the value classes of several packages: a flag, and one or
several items of a kind as a tuple. Each raises
:class:`~servicekit.errors.InvalidInputError` naming the argument and the value."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

import attrs

from servicekit.errors import InvalidInputError

T = TypeVar("T")


def flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    """attrs validator: ``value`` is ``True`` or ``False`` (not merely truthy)."""
    if not isinstance(value, bool):
        raise InvalidInputError(f"{attribute.name} must be true or false, got {value!r}")


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
