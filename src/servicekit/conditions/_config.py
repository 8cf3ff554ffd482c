"""Conditions from their plain-dict form, with errors that name the path."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from servicekit._checks import located, located_at, shallow, short
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
from servicekit.conditions._time_since import (
    TimeSince,
    bounded,
    check_anchor,
    check_comparison,
)
from servicekit.errors import ConfigError, InvalidTypeError, join_path

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
      (:func:`servicekit.sla.sla_clock`; the form ``servicekit.sla`` registers)
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
    if not isinstance(path, str):
        raise InvalidTypeError(f"path must be text, got {short(path)}")
    shallow(data, path)
    return _read(data, path, calendars)


def _read(data: object, path: str, calendars: Mapping[str, Calendar] | None) -> Condition:
    """:func:`condition_from_dict` of data already checked for depth."""
    if not isinstance(data, Mapping):
        raise ConfigError(path, f"expected a condition object, got {short(data)}")
    keys = set(data)
    for combinator, build in (("all", all_of), ("any", any_of)):
        if keys == {combinator}:
            items = data[combinator]
            where = join_path(path, combinator)
            if not isinstance(items, list):
                raise ConfigError(where, f"expected a list, got {short(items)}")
            found = [
                _read(item, f"{where}[{index}]", calendars) for index, item in enumerate(items)
            ]
            return located(path, functools.partial(build, *found))
    if keys == {"not"}:
        negated = _read(data["not"], join_path(path, "not"), calendars)
        return located(path, lambda: not_(negated))
    for key, (allowed, required, read) in _FORMS.items():
        if key in keys:
            unknown = keys - allowed
            if unknown or not keys >= required:
                expected = ", ".join(sorted(allowed))
                got = short(sorted(keys, key=short))
                raise ConfigError(path, f"a {short(key)} condition has keys {expected}; got {got}")
            return read(data, path, calendars)
    got = short(sorted(keys, key=short))
    raise ConfigError(path, f"expected keys {', '.join(_form_names())}, all, any or not; got {got}")


def _field(data: Mapping[str, Any], path: str, _: object) -> Condition:
    field, operator = data["field"], data["op"]
    located_at(path, "field", lambda: check_field(field))
    located_at(path, "op", lambda: check_operator(field, operator))
    return located_at(path, "value", lambda: checked_condition(field, operator, data["value"]))


def _changed(data: Mapping[str, Any], path: str, _: object) -> Condition:
    field, to, from_ = data["changed"], data.get("to", ANY), data.get("from", ANY)
    located_at(path, "changed", lambda: changed(field))
    located_at(path, "to", lambda: changed(field, to=to))
    return located_at(path, "from", lambda: changed(field, to=to, from_=from_))


def _since(
    data: Mapping[str, Any], path: str, calendars: Mapping[str, Calendar] | None
) -> Condition:
    calendar = data.get("calendar")
    if calendar is not None:
        calendar = calendar_reference(calendar, calendars, join_path(path, "calendar"))
    return TimeSince(
        located_at(path, "since", lambda: check_anchor(data["since"])),
        located_at(path, "op", lambda: check_comparison(data["op"])),
        located_at(path, "value", lambda: bounded("value", data["value"])),
        calendar,
    )


Reader = Callable[[Mapping[str, Any], str, "Mapping[str, Calendar] | None"], Condition]
"""Reads one form of condition dict: ``(data, path, calendars)``."""

# key -> (allowed keys, required keys, reader); other packages add their kinds with
# register_form (servicekit.sla registers ``sla``), so this package needs none of them.
_FORMS: dict[str, tuple[frozenset[str], frozenset[str], Reader]] = {}


def register_form(key: str, *, keys: set[str], required: set[str] | None, read: Reader) -> None:
    """Teach :func:`condition_from_dict` a form of condition dict recognised by ``key``,
    with its allowed ``keys`` and ``required`` keys (all of ``keys`` when ``None``)."""
    _FORMS[key] = (frozenset(keys), frozenset(keys if required is None else required), read)


register_form("field", keys={"field", "op", "value"}, required=None, read=_field)
register_form("changed", keys={"changed", "to", "from"}, required={"changed"}, read=_changed)
register_form(
    "since",
    keys={"since", "op", "value", "calendar"},
    required={"since", "op", "value"},
    read=_since,
)


def _form_names() -> list[str]:
    return [
        "/".join(sorted(allowed)) if key == "field" else key
        for key, (allowed, _, _) in (_FORMS.items())
    ]
