"""The one place argument checks live: names, enum members, flags, fractions, counts,
instants, one or several items of a kind, and the re-raise of an input error as a
config error at a path. Every public entry point validates through these; each raises
:class:`~servicekit.errors.InvalidInputError` (or :class:`~servicekit.errors.ConfigError`)
naming the argument and the value."""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from servicekit._time import require_aware
from servicekit.errors import ConfigError, InvalidInputError, InvalidTypeError, join_path
from servicekit.errors import short as short  # noqa: PLC0414 (re-exported for the checks)

T = TypeVar("T")
E = TypeVar("E", bound=enum.StrEnum)


def checked_name(value: object, what: str) -> str:
    """``value`` if it is a name: a non-empty string without surrounding whitespace."""
    if not isinstance(value, str) or not value or value.strip() != value:
        raise InvalidInputError(f"{what} must be a non-empty name, got {short(value)}")
    return value


def named(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: ``value`` is a name (see :func:`checked_name`)."""
    checked_name(value, attribute.name)


def optional_named(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: ``value`` is ``None`` or a name."""
    if value is not None:
        checked_name(value, attribute.name)


def member(kind: type[E], value: object) -> E:
    """The member of ``kind`` named ``value``.

    Raises:
        InvalidInputError: no such member; the message lists the valid names.

    >>> from servicekit.tickets import Priority
    >>> member(Priority, "top")
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidInputError: 'top' is not a valid priority; expected one of ...
    """
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            pass
    names = ", ".join(kind)
    raise InvalidInputError(
        f"{short(value)} is not a valid {kind.__name__.lower()}; expected one of {names}"
    )


def flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    """attrs validator: ``value`` is ``True`` or ``False`` (not merely truthy)."""
    boolean(attribute.name, value)


def fraction(name: str, value: object, low: float, high: float, *, closed_high: bool) -> float:
    """``value`` as a ``float`` in ``(low, high)``, or ``(low, high]`` if ``closed_high``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(f"{name} must be a number, got {short(value)}")
    inside = low < value <= high if closed_high else low < value < high
    if not inside:
        bracket = "]" if closed_high else ")"
        raise InvalidInputError(
            f"{name} must be in ({low:g}, {high:g}{bracket}, got {short(value)}"
        )
    return float(value)


def count(value: object, what: str) -> int:
    """A whole number >= 0 (``True`` is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError(f"{what} must be a whole number >= 0, got {short(value)}")
    return value


def counts(value: object, what: str) -> Mapping[str, int]:
    """A read-only mapping of names to whole numbers >= 0."""
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"{what} must be a mapping of names to numbers, got {short(value)}")
    return MappingProxyType(
        {
            checked_name(key, what): count(number, f"{what}[{short(key)}]")
            for key, number in value.items()
        }
    )


def names(value: object, what: str) -> frozenset[str]:
    """A set of names from one name or an iterable of names."""
    return frozenset(ordered_names(value, what))


def ordered_names(value: object, what: str) -> tuple[str, ...]:
    """Names in order, each once (the first occurrence wins), from one name or several."""
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, Iterable) or isinstance(items, Mapping):
        raise InvalidInputError(f"{what} must be names, got {short(value)}")
    return tuple(dict.fromkeys(checked_name(item, what) for item in items))


def instant(value: object, what: str) -> datetime:
    """A tz-aware datetime; a naive one is an error, never assumed UTC, and anything
    else an :class:`~servicekit.errors.InvalidTypeError`."""
    return require_aware(value, what)


def optional_instant(value: object, what: str) -> datetime | None:
    """``None`` or a tz-aware datetime."""
    return None if value is None else instant(value, what)


def optional_of(kind: type[Any], name: str) -> Callable[[object, Any, object], None]:
    """attrs validator: ``value`` is ``None`` or a ``kind``; the error names ``name``."""

    def check(_: object, attribute: object, value: object) -> None:
        if value is not None and not isinstance(value, kind):
            raise InvalidInputError(f"{name} must be a {kind.__name__} or None, got {short(value)}")

    return check


def checked_items(value: object, kind: type[T], what: str) -> tuple[T, ...]:
    """``value`` (one ``kind`` or several) as a tuple, each checked; ``what`` names one
    item (``"condition"``)."""
    items = (value,) if isinstance(value, kind) else value
    if not isinstance(items, Iterable) or isinstance(items, str | Mapping):
        raise InvalidInputError(f"expected {what}s, got {short(value)}")
    found = tuple(items)
    for item in found:
        if not isinstance(item, kind):
            article = "an" if what[0] in "aeiou" else "a"
            raise InvalidInputError(f"not {article} {what}: {short(item)}")
    return found


def distinct(items: Iterable[T], key: Callable[[T], str], clash: str) -> list[T]:
    """``items`` as a list, refusing two with one ``key``; ``clash`` is the message, with
    ``{key!r}`` where the repeated key goes (``"two tasks have the id {key!r}"``)."""
    found: list[T] = []
    seen: set[str] = set()
    for item in items:
        if key(item) in seen:
            raise InvalidInputError(clash.format(key=key(item)))
        seen.add(key(item))
        found.append(item)
    return found


def config_object(
    data: object, path: str, what: str, *, keys: Iterable[str], required: Iterable[str] = ()
) -> Mapping[Any, Any]:
    """``data`` as a config object (a mapping) with no key outside ``keys`` and every
    ``required`` key; an unknown or missing key is named by its own path."""
    if not isinstance(data, Mapping):
        raise ConfigError(path, f"expected {what}, got {short(data)}")
    known = tuple(keys)
    for key in data:
        if key not in known:
            raise ConfigError(
                join_path(path, str(key)), f"unknown key; expected one of {', '.join(known)}"
            )
    for key in required:
        if key not in data:
            raise ConfigError(join_path(path, key), "missing")
    return data


def located(path: str, build: Callable[[], T]) -> T:
    """``build()``, with an :class:`InvalidInputError` re-raised as a :class:`ConfigError`
    at ``path``: how every config reader turns a Python-API error into a located one."""
    try:
        return build()
    except InvalidInputError as exc:
        raise ConfigError(path, str(exc)) from exc


def located_at(path: str, key: str, build: Callable[[], T]) -> T:
    """:func:`located` at ``path.key``."""
    return located(join_path(path, key), build)


def finite(name: str, value: object, *, low: float | None = None) -> float:
    """``value`` as a finite ``float`` (not a bool), at least ``low`` when given."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInputError(f"{name} must be a finite number, got {short(value)}")
    if low is not None and value < low:
        raise InvalidInputError(f"{name} must be at least {low:g}, got {short(value)}")
    return float(value)


def whole(name: str, value: object, *, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an ``int`` (not a bool) in ``[low, high]`` where given."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"{name} must be a whole number, got {short(value)}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidInputError(
            f"{name} must be in [{'' if low is None else low}, {'' if high is None else high}], "
            f"got {value}"
        )
    return value


def boolean(name: str, value: object) -> bool:
    """``value`` if it is ``True`` or ``False`` (not merely truthy); the error names
    ``name``."""
    if not isinstance(value, bool):
        raise InvalidInputError(f"{name} must be true or false, got {short(value)}")
    return value


def callback(value: object, what: str) -> Callable[..., Any]:
    """``value`` if it can be called (a key or metric function)."""
    if not callable(value):
        raise InvalidTypeError(f"{what} must be a function, got {short(value)}")
    return value


def collection(value: object, what: str) -> Iterable[Any]:
    """``value`` if it is a collection of items (a list, tuple, generator, array...);
    a mapping, a string or a single value is refused."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidInputError(f"{what} must be a collection of values, got {short(value)}")
    return value


# --- nesting depth (hard-config branch, issue #20) --------------------------------------

MAX_DEPTH = 32
"""How deeply plain-dict configuration and stored records may nest: mappings, lists,
tuples and sets inside each other, the outermost counting as level 1. Every
``from_dict`` checks it (with :func:`shallow`) before walking its data, so no reader
recurses without bound; conditions built in Python nest at most this deep too."""


def shallow(
    data: object,
    path: str = "",
    *,
    error: type[ConfigError] = ConfigError,
    limit: int = MAX_DEPTH,
) -> None:
    """Refuse ``data`` nested more than ``limit`` levels deep, naming the path of the
    first container too deep. The walk is iterative and visits each container at most
    once per depth, so a structure nested 100,000 deep (or referring to itself) costs
    no more than ``limit`` levels of it.

    Raises:
        ConfigError: (or ``error``) at the path of the container past the limit.

    >>> shallow({"all": [{"field": "group", "op": "is", "value": "billing"}]}, "applies_to")
    >>> deep: list[object] = []
    >>> for _ in range(100_000):
    ...     deep = [deep]
    >>> shallow({"events": deep}, limit=3)
    Traceback (most recent call last):
    ...
    servicekit.errors.ConfigError: events[0][0]: nested deeper than 3 levels; ...
    """
    seen: dict[int, int] = {}
    stack: list[tuple[object, str, int]] = [(data, path, 1)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, Mapping):
            children = [(item, join_path(where, _key(key))) for key, item in value.items()]
        elif isinstance(value, list | tuple | set | frozenset):
            children = [(item, f"{where}[{index}]") for index, item in enumerate(value)]
        else:
            continue
        if depth > limit:
            raise error(
                where, f"nested deeper than {limit} levels; configuration this deep is refused"
            )
        if seen.get(id(value), 0) >= depth:
            continue  # walked already, from as deep or deeper
        seen[id(value)] = depth
        stack.extend((item, child, depth + 1) for item, child in reversed(children))


def _key(key: object) -> str:
    return key if isinstance(key, str) else short(key, 40)


# --- kinds at public boundaries (hard-config branch, issue #20) --------------------------


def of_kind(value: object, kind: type[T] | tuple[type[Any], ...], what: str) -> T:
    """``value`` if it is a ``kind`` (a class or a tuple of classes), else an
    :class:`~servicekit.errors.InvalidTypeError` naming ``what`` and the value.

    >>> from servicekit import Ticket
    >>> of_kind(None, Ticket, "ticket")
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidTypeError: ticket must be a Ticket, got None
    """
    if not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        names = " or ".join(k.__name__ for k in kinds)
        raise InvalidTypeError(f"{what} must be a {names}, got {short(value)}")
    return value


def field_checked(kind: type[Any], name: str, value: object) -> object:
    """``value`` run through the converter and validator of the attrs field ``name`` of
    ``kind`` on its own, as the constructor would: how a config reader names the field
    of a bad value (``routing.overflow[1].lower_skills``) before building the whole.

    >>> from servicekit.routing import OverflowStep
    >>> field_checked(OverflowStep, "lower_skills", -1)
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidInputError: lower_skills must be a whole number >= 0, got -1
    """
    field = attrs.fields_dict(kind)[name]
    if field.converter is not None:
        assert callable(field.converter)
        value = field.converter(value)
    if field.validator is not None:
        field.validator(None, field, value)
    return value
