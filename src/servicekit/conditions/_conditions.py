"""Predicates over a ticket as small frozen values: readable, combinable, storable.

``where("priority", ">=", "high")`` is a :class:`FieldCondition`; ``&``, ``|`` and ``~``
(or :func:`all_of`, :func:`any_of`, :func:`not_`) combine conditions. Each has a
``repr`` a support lead can read and a plain-dict form for configuration.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Literal, get_args

import attrs

from servicekit.errors import ConfigError, InvalidInputError
from servicekit.tickets import Channel, Priority, Status, Ticket
from servicekit.tickets._enums import channel_of, member

Operator = Literal["is", "is_not", "in", "not_in", "contains", "not_contains", "<", "<=", ">", ">="]
"""How a field is compared with a value."""

OPERATORS: tuple[Operator, ...] = get_args(Operator)
_ORDERED = ("<", "<=", ">", ">=")
_FIELDS = ("priority", "status", "channel", "group", "assignee", "requester", "tags")


@attrs.frozen(kw_only=True)
class Context:
    """What a condition looks at: the ticket, and the instant of evaluation."""

    ticket: Ticket
    now: datetime


class Condition(abc.ABC):
    """A yes/no question about a ticket; combine with ``&``, ``|`` and ``~``."""

    @abc.abstractmethod
    def holds(self, context: Context) -> bool:
        """Whether the condition is true in ``context``."""

    @abc.abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """The plain-dict form read by :func:`condition_from_dict`."""

    def __and__(self, other: Condition) -> Condition:
        return all_of(self, other)

    def __or__(self, other: Condition) -> Condition:
        return any_of(self, other)

    def __invert__(self) -> Condition:
        return not_(self)


def _value_for(field: str, value: object) -> object:
    """``value`` converted to what ``field`` holds (a Priority for priority...)."""
    if field == "priority":
        return member(Priority, value) if isinstance(value, str) else _bad(field, value)
    if field == "status":
        return member(Status, value) if isinstance(value, str) else _bad(field, value)
    if field == "channel":
        return channel_of(value) if isinstance(value, str) else _bad(field, value)
    return value


def _bad(field: str, value: object) -> object:
    raise InvalidInputError(f"{field}: expected a name, got {value!r}")


@attrs.frozen(repr=False)
class FieldCondition(Condition):
    """Compare one ticket field with a value; see :func:`where`."""

    field: str
    operator: Operator
    value: Any

    def holds(self, context: Context) -> bool:
        actual = _read(context.ticket, self.field)
        return _COMPARE[self.operator](actual, self.value)

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "op": self.operator, "value": _plain(self.value)}

    def __repr__(self) -> str:
        return f"{self.field} {self.operator.replace('_', ' ')} {_plain(self.value)!r}"


def where(field: str, operator: Operator, value: object) -> FieldCondition:
    """A condition on a ticket field.

    Args:
        field: ``priority``, ``status``, ``channel``, ``group``, ``assignee``,
            ``requester``, ``tags``, or ``fields.<name>`` for a custom field.
        operator: ``is``, ``is_not``, ``in``, ``not_in`` (``value`` a list),
            ``contains`` / ``not_contains`` (tags), or ``<``, ``<=``, ``>``, ``>=``
            (priority by rank, custom fields by value). A missing value never compares.
        value: what to compare with; names of priorities and statuses are checked.

    Raises:
        InvalidInputError: an unknown field or operator, or a value the field can't hold.

    >>> where("priority", ">=", "high")
    priority >= 'high'
    >>> where("tags", "contains", "vip") & ~where("channel", "in", ["phone", "chat"])
    all_of(tags contains 'vip', not_(channel in ['phone', 'chat']))
    """
    _check_field(field)
    _check_operator(field, operator)
    return _checked_condition(field, operator, value)


def _check_field(field: object) -> None:
    if not isinstance(field, str) or (
        field not in _FIELDS and not (field.startswith("fields.") and len(field) > 7)
    ):
        raise InvalidInputError(
            f"unknown field {field!r}; expected one of {', '.join(_FIELDS)} or fields.<name>"
        )


def _check_operator(field: str, operator: object) -> None:
    if operator not in OPERATORS:
        raise InvalidInputError(
            f"unknown operator {operator!r}; expected one of {', '.join(OPERATORS)}"
        )
    if operator in ("contains", "not_contains") and field != "tags":
        raise InvalidInputError(f"{operator} applies to tags, not {field}")
    if operator in _ORDERED and field != "priority" and not field.startswith("fields."):
        raise InvalidInputError(f"{field} has no order; use is, is_not, in or not_in")


def _checked_condition(field: str, operator: Operator, value: object) -> FieldCondition:
    if operator in ("in", "not_in"):
        if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
            raise InvalidInputError(f"{operator} needs a list of values, got {value!r}")
        return FieldCondition(field, operator, tuple(_value_for(field, v) for v in value))
    return FieldCondition(field, operator, _value_for(field, value))


def _read(ticket: Ticket, field: str) -> object:
    if field.startswith("fields."):
        return ticket.fields.get(field[7:])
    return getattr(ticket, field)


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def check(actual: Any, value: Any) -> bool:
        try:
            return actual is not None and compare(actual, value)
        except TypeError:
            return False

    return check


_COMPARE: Mapping[str, Callable[[Any, Any], bool]] = {
    "is": lambda actual, value: bool(actual == value),
    "is_not": lambda actual, value: bool(actual != value),
    "in": lambda actual, value: actual in value,
    "not_in": lambda actual, value: actual not in value,
    "contains": lambda actual, value: value in actual,
    "not_contains": lambda actual, value: value not in actual,
    "<": _ordered(lambda actual, value: bool(actual < value)),
    "<=": _ordered(lambda actual, value: bool(actual <= value)),
    ">": _ordered(lambda actual, value: bool(actual > value)),
    ">=": _ordered(lambda actual, value: bool(actual >= value)),
}


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Priority | Status | Channel):
        return value.value
    return value


@attrs.frozen(repr=False)
class AllOf(Condition):
    """True when every condition is (true when there are none); see :func:`all_of`."""

    conditions: tuple[Condition, ...]

    def holds(self, context: Context) -> bool:
        return all(condition.holds(context) for condition in self.conditions)

    def to_dict(self) -> dict[str, Any]:
        return {"all": [condition.to_dict() for condition in self.conditions]}

    def __repr__(self) -> str:
        return f"all_of({', '.join(map(repr, self.conditions))})"


@attrs.frozen(repr=False)
class AnyOf(Condition):
    """True when at least one condition is; see :func:`any_of`."""

    conditions: tuple[Condition, ...]

    def holds(self, context: Context) -> bool:
        return any(condition.holds(context) for condition in self.conditions)

    def to_dict(self) -> dict[str, Any]:
        return {"any": [condition.to_dict() for condition in self.conditions]}

    def __repr__(self) -> str:
        return f"any_of({', '.join(map(repr, self.conditions))})"


@attrs.frozen(repr=False)
class Not(Condition):
    """True when ``condition`` is false; see :func:`not_`."""

    condition: Condition

    def holds(self, context: Context) -> bool:
        return not self.condition.holds(context)

    def to_dict(self) -> dict[str, Any]:
        return {"not": self.condition.to_dict()}

    def __repr__(self) -> str:
        return f"not_({self.condition!r})"


def _conditions(conditions: Iterable[Condition]) -> tuple[Condition, ...]:
    found = tuple(conditions)
    for condition in found:
        if not isinstance(condition, Condition):
            raise InvalidInputError(f"not a condition: {condition!r}")
    return found


def all_of(*conditions: Condition) -> AllOf:
    """All of ``conditions`` (``all_of()`` is always true).

    >>> all_of(where("status", "is", "open"), where("group", "is", "billing"))
    all_of(status is 'open', group is 'billing')
    """
    return AllOf(_conditions(conditions))


def any_of(*conditions: Condition) -> AnyOf:
    """At least one of ``conditions`` (``any_of()`` is never true).

    >>> any_of(where("priority", "is", "urgent"), where("tags", "contains", "vip"))
    any_of(priority is 'urgent', tags contains 'vip')
    """
    return AnyOf(_conditions(conditions))


def not_(condition: Condition) -> Not:
    """The negation of ``condition``.

    >>> not_(where("channel", "is", "api"))
    not_(channel is 'api')
    """
    return Not(_conditions([condition])[0])


ALWAYS: Condition = all_of()
"""The condition that always holds (``all_of()``); the default ``applies_to``."""


def condition_from_dict(data: object, path: str = "") -> Condition:
    """A condition from its plain-dict form.

    Forms: ``{"field": ..., "op": ..., "value": ...}``, ``{"all": [...]}``,
    ``{"any": [...]}``, ``{"not": {...}}``.

    Raises:
        ConfigError: naming the path of the bad value (``applies_to.all[1].op``).

    >>> condition_from_dict({"all": [{"field": "priority", "op": "is", "value": "urgent"},
    ...                              {"not": {"field": "tags", "op": "contains",
    ...                                       "value": "test"}}]})
    all_of(priority is 'urgent', not_(tags contains 'test'))
    >>> condition_from_dict({"any": [{"field": "priority", "op": "~", "value": 1}]},
    ...                     path="applies_to")
    Traceback (most recent call last):
    ...
    servicekit.errors.ConfigError: applies_to.any[0].op: unknown operator '~'; ...
    """
    if not isinstance(data, Mapping):
        raise ConfigError(path, f"expected a condition object, got {data!r}")
    keys = set(data)
    for combinator, build in (("all", all_of), ("any", any_of)):
        if keys == {combinator}:
            items = data[combinator]
            if not isinstance(items, list):
                raise ConfigError(_join(path, combinator), f"expected a list, got {items!r}")
            return build(
                *(
                    condition_from_dict(item, f"{_join(path, combinator)}[{index}]")
                    for index, item in enumerate(items)
                )
            )
    if keys == {"not"}:
        return not_(condition_from_dict(data["not"], _join(path, "not")))
    if keys != {"field", "op", "value"}:
        raise ConfigError(
            path, f"expected keys field/op/value, all, any or not; got {sorted(keys, key=str)}"
        )
    field, operator = data["field"], data["op"]
    try:
        _check_field(field)
    except InvalidInputError as exc:
        raise ConfigError(_join(path, "field"), str(exc)) from exc
    try:
        _check_operator(field, operator)
    except InvalidInputError as exc:
        raise ConfigError(_join(path, "op"), str(exc)) from exc
    try:
        return _checked_condition(field, operator, data["value"])
    except InvalidInputError as exc:
        raise ConfigError(_join(path, "value"), str(exc)) from exc


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
