"""Conditions from their plain-dict form, with errors that name the path."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from servicekit.calendars import Calendar
from servicekit.calendars._config import calendar_reference
from servicekit.conditions._changed import ANY, changed
from servicekit.conditions._conditions import (
    Condition,
    all_of,
    any_of,
    check_field,
    check_operator,
    checked_condition,
    not_,
)
from servicekit.conditions._sla import SLACondition, check_measure, check_metric, check_value
from servicekit.conditions._time import (
    TimeSince,
    check_anchor,
    check_comparison,
)
from servicekit.durations import checked_duration
from servicekit.errors import ConfigError, InvalidInputError, join_path

T = TypeVar("T")


def condition_from_dict(
    data: object, path: str = "", *, calendars: Mapping[str, Calendar] | None = None
) -> Condition:
    """A condition from its plain-dict form.

    Forms:

    - ``{"field": "priority", "op": ">=", "value": "high"}`` (:func:`where`)
    - ``{"changed": "status", "to": "pending", "from": "open"}`` (:func:`changed`;
      ``to`` and ``from`` optional)
    - ``{"since": "created", "op": ">=", "value": "4h", "calendar": "support"}``
      (:func:`time_since`; ``calendar`` optional: a name in ``calendars`` or a
      calendar dict)
    - ``{"sla": "first_reply", "measure": "used", "op": ">=", "value": 0.75}``
      (:func:`sla_clock`)
    - ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": {...}}``

    Raises:
        ConfigError: naming the path of the bad value (``applies_to.all[1].op``).
            Unknown keys, fields and operators are errors, never silently false.

    >>> condition_from_dict({"all": [{"field": "priority", "op": "is", "value": "urgent"},
    ...                              {"not": {"field": "tags", "op": "contains",
    ...                                       "value": "test"}}]})
    all_of(priority is 'urgent', not_(tags contains 'test'))
    >>> condition_from_dict({"since": "agent_reply", "op": ">=", "value": "4h"})
    time since public agent reply >= 4h
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
            where = join_path(path, combinator)
            if not isinstance(items, list):
                raise ConfigError(where, f"expected a list, got {items!r}")
            return build(
                *(
                    condition_from_dict(item, f"{where}[{index}]", calendars=calendars)
                    for index, item in enumerate(items)
                )
            )
    if keys == {"not"}:
        return not_(condition_from_dict(data["not"], join_path(path, "not"), calendars=calendars))
    for key, allowed, read in _FORMS:
        if key in keys:
            unknown = keys - allowed
            if unknown or not keys >= _REQUIRED[key]:
                expected = ", ".join(sorted(allowed))
                raise ConfigError(
                    path, f"a {key!r} condition has keys {expected}; got {sorted(keys, key=str)}"
                )
            return read(data, path, calendars)
    raise ConfigError(
        path,
        "expected keys field/op/value, changed, since, sla, all, any or not; "
        f"got {sorted(keys, key=str)}",
    )


def _field(data: Mapping[str, Any], path: str, _: object) -> Condition:
    field, operator = data["field"], data["op"]
    _located(path, "field", lambda: check_field(field))
    _located(path, "op", lambda: check_operator(field, operator))
    return _located(path, "value", lambda: checked_condition(field, operator, data["value"]))


def _changed(data: Mapping[str, Any], path: str, _: object) -> Condition:
    field, to, from_ = data["changed"], data.get("to", ANY), data.get("from", ANY)
    _located(path, "changed", lambda: changed(field))
    _located(path, "to", lambda: changed(field, to=to))
    return _located(path, "from", lambda: changed(field, to=to, from_=from_))


def _since(
    data: Mapping[str, Any], path: str, calendars: Mapping[str, Calendar] | None
) -> Condition:
    calendar = data.get("calendar")
    if calendar is not None:
        calendar = calendar_reference(calendar, calendars, join_path(path, "calendar"))
    return TimeSince(
        _located(path, "since", lambda: check_anchor(data["since"])),
        _located(path, "op", lambda: check_comparison(data["op"])),
        _located(path, "value", lambda: checked_duration("value", data["value"])),
        calendar,
    )


def _sla(data: Mapping[str, Any], path: str, _: object) -> Condition:
    measure = _located(path, "measure", lambda: check_measure(data["measure"]))
    return SLACondition(
        _located(path, "sla", lambda: check_metric(data["sla"])),
        measure,
        _located(path, "op", lambda: check_comparison(data["op"])),
        _located(path, "value", lambda: check_value(measure, data["value"])),
    )


_FORMS: tuple[tuple[str, frozenset[str], Callable[..., Condition]], ...] = (
    ("field", frozenset({"field", "op", "value"}), _field),
    ("changed", frozenset({"changed", "to", "from"}), _changed),
    ("since", frozenset({"since", "op", "value", "calendar"}), _since),
    ("sla", frozenset({"sla", "measure", "op", "value"}), _sla),
)
_REQUIRED = {
    "field": frozenset({"field", "op", "value"}),
    "changed": frozenset({"changed"}),
    "since": frozenset({"since", "op", "value"}),
    "sla": frozenset({"sla", "measure", "op", "value"}),
}


def _located(path: str, key: str, build: Callable[[], T]) -> T:
    """``build()``, with an input error re-raised as a config error at ``path.key``."""
    try:
        return build()
    except InvalidInputError as exc:
        raise ConfigError(join_path(path, key), str(exc)) from exc
