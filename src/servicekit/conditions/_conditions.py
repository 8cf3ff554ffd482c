"""Predicates over a ticket as small frozen values: readable, combinable, storable.

``where("priority", ">=", "high")`` is a :class:`FieldCondition`; ``&``, ``|`` and ``~``
(or :func:`all_of`, :func:`any_of`, :func:`not_`) combine conditions. Each has a
``repr`` a support lead can read and a plain-dict form for configuration.
"""

from __future__ import annotations

import abc
import functools
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Literal, Protocol, get_args

import attrs

from servicekit._checks import MAX_DEPTH, checked_name, instant, member, of_kind, short
from servicekit.errors import InvalidInputError, InvalidTypeError
from servicekit.tickets import Channel, Priority, Status, Ticket, channel_of

Operator = Literal["is", "is_not", "in", "not_in", "contains", "not_contains", "<", "<=", ">", ">="]
"""How a field is compared with a value."""

OPERATORS: tuple[Operator, ...] = get_args(Operator)
_ORDERED = ("<", "<=", ">", ">=")
_FIELDS = ("priority", "status", "channel", "group", "assignee", "requester", "tags")


class SLAClocks(Protocol):
    """What SLA conditions read from :attr:`Context.sla`: a ticket's clocks by metric
    (:class:`servicekit.sla.SLAEvaluation` is one). Typed here, so conditions need not
    know the SLA package, which builds on them."""

    def clock(self, metric: Any, /) -> Any:
        """The metric's latest clock, or ``None``."""


def _ticket(_: object, attribute: attrs.Attribute[Ticket], value: Ticket) -> None:
    of_kind(value, Ticket, "ticket")


def _now(_: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    instant(value, "now")


def _clocks(_: object, attribute: attrs.Attribute[SLAClocks | None], value: object) -> None:
    if value is not None and not callable(getattr(value, "clock", None)):
        raise InvalidTypeError(
            f"sla must be SLA clocks (an SLAEvaluation) or None, got {short(value)}"
        )


def checked_context(context: object) -> Context:
    """``context`` if it is a :class:`Context`: every condition method checks its
    argument with this, so a wrong kind is an InvalidTypeError, not an AttributeError."""
    return of_kind(context, Context, "context")


@attrs.frozen(kw_only=True)
class Context:
    """What a condition looks at: the ticket, the instant of evaluation, and the
    ticket's SLA clocks at that instant (for SLA conditions)."""

    ticket: Ticket = attrs.field(validator=_ticket)
    now: datetime = attrs.field(validator=_now)
    sla: SLAClocks | None = attrs.field(default=None, validator=_clocks)

    @functools.cached_property
    def previous(self) -> Ticket | None:
        """The ticket before its latest update (the events at its last instant), or
        ``None`` when that update created it."""
        history = self.ticket.history
        last = history[-1].at
        first_of_update = len(history)
        while first_of_update and history[first_of_update - 1].at == last:
            first_of_update -= 1
        return Ticket.replay(history[:first_of_update]) if first_of_update else None


class Condition(abc.ABC):
    """A yes/no question about a ticket; combine with ``&``, ``|`` and ``~``."""

    @abc.abstractmethod
    def holds(self, context: Context) -> bool:
        """Whether the condition is true in ``context``."""

    @abc.abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """The plain-dict form read by :func:`condition_from_dict`."""

    def next_change_at(self, context: Context) -> datetime | None:
        """The earliest instant after ``context.now`` at which :meth:`holds` could
        change with no new event (time and SLA conditions), or ``None``."""
        checked_context(context)
        return None

    def describe(self, context: Context) -> str:
        """What the condition sees in ``context``, for a trace."""
        checked_context(context)
        return f"{self!r}: {'yes' if self.holds(context) else 'no'}"

    def __and__(self, other: Condition) -> Condition:
        return all_of(self, other)

    def __or__(self, other: Condition) -> Condition:
        return any_of(self, other)

    def __invert__(self) -> Condition:
        return not_(self)


def value_for(field: str, value: object) -> object:
    """``value`` converted to what ``field`` holds (a Priority for priority...), or an
    :class:`~servicekit.errors.InvalidInputError` when the field can never hold it:
    ``group``, ``assignee`` and ``requester`` hold names (``None`` for no group or
    assignee), ``tags`` a tag name, custom fields a JSON scalar (text, a finite
    number, true/false or ``None``). A condition comparing ``group`` with ``5`` could
    never be true, so it is refused rather than silently false."""
    if field == "priority":
        return member(Priority, value) if isinstance(value, str) else _bad(field, value)
    if field == "status":
        return member(Status, value) if isinstance(value, str) else _bad(field, value)
    if field == "channel":
        return channel_of(value) if isinstance(value, str) else _bad(field, value)
    if field in ("group", "assignee") and value is None:
        return None
    if field in ("group", "assignee", "requester"):
        return checked_name(value, field)
    if field == "tags":
        return checked_name(value, "tag")
    if (
        value is None
        or isinstance(value, str | int)
        or (isinstance(value, float) and math.isfinite(value))
    ):
        return value
    raise InvalidInputError(
        f"{field}: expected text, a finite number, true/false or null, got {short(value)}"
    )


def _bad(field: str, value: object) -> object:
    raise InvalidInputError(f"{field}: expected a name, got {short(value)}")


def _checked_value(field: str, operator: str, value: object) -> object:
    """One value of a field condition: what the field holds, and for ``<`` and the
    like on a custom field a finite number or text (``None`` and flags never order)."""
    found = value_for(field, value)
    if (
        operator in _ORDERED
        and field.startswith("fields.")
        and (found is None or isinstance(found, bool))
    ):
        raise InvalidInputError(
            f"{field} {operator}: expected a number or text, got {short(found)}"
        )
    return found


@attrs.frozen(repr=False)
class FieldCondition(Condition):
    """Compare one ticket field with a value; see :func:`where`."""

    field: str
    operator: Operator
    value: Any
    _members: frozenset[Any] | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        """Refuse what could only fail later, in ``holds``; :func:`where` converts names."""
        check_field(self.field)
        check_operator(self.field, self.operator)
        if self.operator in ("in", "not_in"):
            if not isinstance(self.value, tuple):
                raise InvalidInputError(
                    f"{self.operator} needs a tuple of values, got {short(self.value)}"
                )
            for item in self.value:
                _checked_value(self.field, self.operator, item)
        else:
            _checked_value(self.field, self.operator, self.value)

    @_members.default
    def _hashed_members(self) -> frozenset[Any] | None:
        """The values of ``in`` / ``not_in`` as a set, for long lists (VIP customers)."""
        if self.operator not in ("in", "not_in"):
            return None
        try:
            return frozenset(self.value)
        except TypeError:  # some value is unhashable: compare one by one
            return None

    def holds(self, context: Context) -> bool:
        checked_context(context)
        actual = read(context.ticket, self.field)
        if self._members is None:
            return _COMPARE[self.operator](actual, self.value)
        found = actual in self._members  # ticket fields hold hashable values
        return found if self.operator == "in" else not found

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "op": self.operator, "value": plain(self.value)}

    def describe(self, context: Context) -> str:
        checked_context(context)
        actual = read(context.ticket, self.field)
        shown = sorted(actual) if isinstance(actual, frozenset) else plain(actual)
        return f"{self.field} is {shown!r}"

    def __repr__(self) -> str:
        return f"{self.field} {self.operator.replace('_', ' ')} {plain(self.value)!r}"


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
    check_field(field)
    check_operator(field, operator)
    return checked_condition(field, operator, value)


def check_field(field: object) -> None:
    if not isinstance(field, str) or (
        field not in _FIELDS and not (field.startswith("fields.") and len(field) > 7)
    ):
        raise InvalidInputError(
            f"unknown field {short(field)}; expected one of {', '.join(_FIELDS)} or fields.<name>"
        )


def check_operator(field: str, operator: object) -> None:
    if operator not in OPERATORS:
        raise InvalidInputError(
            f"unknown operator {short(operator)}; expected one of {', '.join(OPERATORS)}"
        )
    if operator in ("contains", "not_contains") and field != "tags":
        raise InvalidInputError(f"{operator} applies to tags, not {field}")
    if operator in _ORDERED and field != "priority" and not field.startswith("fields."):
        raise InvalidInputError(f"{field} has no order; use is, is_not, in or not_in")
    if field == "tags" and operator not in ("contains", "not_contains"):
        raise InvalidInputError(f"tags are a set: use contains or not_contains, not {operator}")


def checked_condition(field: str, operator: Operator, value: object) -> FieldCondition:
    if operator in ("in", "not_in"):
        if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
            raise InvalidInputError(f"{operator} needs a list of values, got {short(value)}")
        return FieldCondition(field, operator, tuple(value_for(field, v) for v in value))
    return FieldCondition(field, operator, _checked_value(field, operator, value))


def read(ticket: Ticket, field: str) -> object:
    """The value of ``field`` (``priority``, ``fields.<name>``...) on ``ticket``."""
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


def compare(operator: Operator, actual: object, value: object) -> bool:
    """``actual <operator> value``; ordered comparisons are false for ``None``."""
    return _COMPARE[operator](actual, value)


def plain(value: object) -> object:
    """``value`` as plain data: enum members by their names, tuples as lists."""
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    if isinstance(value, Priority | Status | Channel):
        return value.value
    return value


def _conditions(conditions: object) -> tuple[Condition, ...]:
    if not isinstance(conditions, Iterable) or isinstance(conditions, str | Mapping):
        raise InvalidTypeError(f"expected conditions, got {short(conditions)}")
    found = tuple(conditions)
    for condition in found:
        if not isinstance(condition, Condition):
            raise InvalidInputError(f"not a condition: {short(condition)}")
    return found


def _condition(value: object) -> Condition:
    return _conditions([value])[0]


def nested(conditions: Iterable[Condition]) -> int:
    """The depth of a combination of ``conditions``: one more than the deepest of them
    (each already checked); refused beyond :data:`~servicekit._checks.MAX_DEPTH`, so
    evaluating, printing and storing a condition never recurses without bound."""
    depth = 1 + max((getattr(c, "depth", 0) for c in conditions), default=0)
    if depth > MAX_DEPTH:
        raise InvalidInputError(f"conditions nest more than {MAX_DEPTH} levels deep")
    return depth


@attrs.frozen(repr=False)
class Combination(Condition):
    """Several conditions combined (:class:`AllOf`, :class:`AnyOf`): each says its
    dict key (``all``, ``any``) and factory, and how it combines answers."""

    key: ClassVar[str]
    factory: ClassVar[str]
    conditions: tuple[Condition, ...] = attrs.field(converter=_conditions)
    depth: int = attrs.field(init=False, eq=False, repr=False)
    """How deeply the combination nests (1 with no combination inside), at most
    :data:`~servicekit._checks.MAX_DEPTH`."""

    @depth.default
    def _depth(self) -> int:
        return nested(self.conditions)

    def next_change_at(self, context: Context) -> datetime | None:
        checked_context(context)
        return earliest(condition.next_change_at(context) for condition in self.conditions)

    def to_dict(self) -> dict[str, Any]:
        return {self.key: [condition.to_dict() for condition in self.conditions]}

    def __repr__(self) -> str:
        return f"{self.factory}({', '.join(map(repr, self.conditions))})"


@attrs.frozen(repr=False)
class AllOf(Combination):
    """True when every condition is (true when there are none); see :func:`all_of`."""

    key: ClassVar[str] = "all"
    factory: ClassVar[str] = "all_of"

    def holds(self, context: Context) -> bool:
        checked_context(context)
        return all(condition.holds(context) for condition in self.conditions)


@attrs.frozen(repr=False)
class AnyOf(Combination):
    """True when at least one condition is; see :func:`any_of`."""

    key: ClassVar[str] = "any"
    factory: ClassVar[str] = "any_of"

    def holds(self, context: Context) -> bool:
        checked_context(context)
        return any(condition.holds(context) for condition in self.conditions)


@attrs.frozen(repr=False)
class Not(Condition):
    """True when ``condition`` is false; see :func:`not_`."""

    condition: Condition = attrs.field(converter=_condition)
    depth: int = attrs.field(init=False, eq=False, repr=False)
    """How deeply the negation nests, at most :data:`~servicekit._checks.MAX_DEPTH`."""

    @depth.default
    def _depth(self) -> int:
        return nested((self.condition,))

    def holds(self, context: Context) -> bool:
        checked_context(context)
        return not self.condition.holds(context)

    def next_change_at(self, context: Context) -> datetime | None:
        checked_context(context)
        return self.condition.next_change_at(context)

    def to_dict(self) -> dict[str, Any]:
        return {"not": self.condition.to_dict()}

    def __repr__(self) -> str:
        return f"not_({self.condition!r})"


def earliest(instants: Iterable[datetime | None]) -> datetime | None:
    """The earliest of ``instants`` that is not ``None``."""
    return min((instant for instant in instants if instant is not None), default=None)


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
