"""A router: eligibility filters, then rank keys, plus queue order, overflow steps and
stickiness, as one immutable value that plain-dict configuration can build."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from servicekit._checks import (
    boolean,
    checked_items,
    checked_name,
    config_object,
    field_checked,
    flag,
    instant,
    located,
    located_at,
    of_kind,
    shallow,
    short,
    whole,
)
from servicekit.durations import format_duration
from servicekit.errors import ConfigError, InvalidInputError, InvalidTypeError, join_path
from servicekit.routing._filters import DEFAULT_FILTERS, FILTERS, Filter
from servicekit.routing._keys import KEYS, RankKey, by_attribute, round_robin
from servicekit.routing._overflow import OverflowStep
from servicekit.routing._queue import (
    ORDERS,
    PriorityWithAging,
    QueueOrder,
    priority_then_age,
    priority_with_aging,
)
from servicekit.routing._tasks import Requirements, Task


def _filters(value: object) -> tuple[Filter, ...]:
    return checked_items(value, Filter, "filter")  # type: ignore[type-abstract]


def _keys(value: object) -> tuple[RankKey, ...]:
    return checked_items(value, RankKey, "rank key")  # type: ignore[type-abstract]


def _overflow(value: object) -> tuple[OverflowStep, ...]:
    return checked_items(value, OverflowStep, "overflow step")


def _unique_filters(_: object, attribute: attrs.Attribute[Any], value: tuple[Filter, ...]) -> None:
    if len(set(value)) != len(value):
        raise InvalidInputError(f"filters: each filter once, got {short(value)}")


def _increasing(
    _: object, attribute: attrs.Attribute[Any], steps: tuple[OverflowStep, ...]
) -> None:
    for earlier, later in itertools.pairwise(steps):
        if later.after <= earlier.after:
            raise InvalidInputError(
                f"overflow: steps must come in increasing order of 'after'; "
                f"{later.after} follows {earlier.after}"
            )


def _queue(value: object) -> QueueOrder:
    if not isinstance(value, QueueOrder):
        raise InvalidInputError(f"queue must be a queue order, got {short(value)}")
    return value


@attrs.frozen(kw_only=True)
class Router:
    """How tasks meet agents.

    ``filters`` decide who is eligible (in order; every built-in by default),
    ``keys`` rank the eligible (the strategy; round robin by default), and the agent
    id breaks every tie. With ``sticky`` (the default) a task's first eligible
    preferred agent wins before any ranking. ``queue`` orders a queue for
    :func:`~servicekit.routing.assign`; ``overflow`` relaxes a task's requirements
    as it ages.

    Raises:
        InvalidInputError: a filter twice, something that is not a filter, key,
            queue order or overflow step, or overflow steps out of order.

    >>> from servicekit.routing import least_loaded, round_robin
    >>> Router(keys=[least_loaded(), round_robin()])
    Router(filters=(online(), has_capacity(), ...), keys=(least_loaded(), round_robin()), ...)
    """

    filters: tuple[Filter, ...] = attrs.field(
        default=DEFAULT_FILTERS, converter=_filters, validator=_unique_filters
    )
    keys: tuple[RankKey, ...] = attrs.field(default=(round_robin(),), converter=_keys)
    queue: QueueOrder = attrs.field(factory=priority_then_age, converter=_queue)
    overflow: tuple[OverflowStep, ...] = attrs.field(
        default=(), converter=_overflow, validator=_increasing
    )
    sticky: bool = attrs.field(default=True, validator=flag)

    def requirements_at(self, task: Task, now: datetime) -> tuple[Requirements, int]:
        """The task's requirements at ``now`` after the overflow steps that are due,
        and how many steps that is."""
        applied = self.steps_due(task, now)
        return self.relaxed(Requirements.of(task), applied), applied

    def steps_due(self, task: Task, now: datetime) -> int:
        """How many overflow steps are due for ``task`` at ``now``."""
        waited = instant(now, "now") - of_kind(task, Task, "task").arrived_at
        return sum(1 for step in self.overflow if waited >= step.after)

    def relaxed(self, requirements: Requirements, steps: int) -> Requirements:
        """``requirements`` after the first ``steps`` overflow steps."""
        of_kind(requirements, Requirements, "requirements")
        for step in self.overflow[: whole("steps", steps, low=0)]:
            requirements = step.relax(requirements)
        return requirements

    def next_change_at(self, task: Task, *, now: datetime) -> datetime | None:
        """When the task's next overflow step is due after ``now`` (``None``: none
        left): an app with an unrouted task wakes up then."""
        of_kind(task, Task, "task")
        instant(now, "now")
        for step in self.overflow:
            due = task.arrived_at + step.after
            if due > now:
                return due
        return None

    def describe(self) -> str:
        """The ranking in words (``"round robin, then agent id"``)."""
        names = [key.name.replace("_", " ") for key in self.keys]
        return ", then ".join([*names, "agent id"])

    def to_dict(self) -> dict[str, Any]:
        """Plain data that :meth:`from_dict` reads back."""
        return {
            "filters": [f.name for f in self.filters],
            "rank": [key.to_dict() for key in self.keys],
            "queue": self.queue.to_dict(),
            "overflow": [step.to_dict() for step in self.overflow],
            "sticky": self.sticky,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: str = "") -> Router:
        """A router from plain configuration; every key is optional.

        ``filters`` and ``rank`` list names (``{"by_attribute": "seniority",
        "descending": true}`` for attribute order); ``queue`` is a name or
        ``{"type": "priority_with_aging", "rate": 2, "weights": {...}}``;
        ``overflow`` lists steps (``{"after": "5m", "lower_skills": 2}``).

        Raises:
            ConfigError: naming the path of the bad value.

        >>> Router.from_dict({"rank": ["least_loaded", "fastest"]}, "routing")
        Traceback (most recent call last):
        ...
        servicekit.errors.ConfigError: routing.rank[1]: unknown strategy 'fastest'; expected ...
        """
        if not isinstance(path, str):
            raise InvalidTypeError(f"path must be text, got {short(path)}")
        shallow(data, path)
        if not isinstance(data, Mapping):
            raise ConfigError(path, f"expected a router object, got {short(data)}")
        readers = {
            "filters": _read_filters,
            "rank": _read_keys,
            "queue": _read_queue,
            "overflow": _read_overflow,
            "sticky": _read_sticky,
        }
        arguments: dict[str, Any] = {}
        for key, value in data.items():
            where = join_path(path, str(key))
            if key not in readers:
                raise ConfigError(where, f"unknown key; expected one of {', '.join(readers)}")
            name = "keys" if key == "rank" else key
            arguments[name] = readers[key](value, where)
        return located(path, lambda: cls(**arguments))


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ConfigError(path, f"expected a list, got {short(value)}")
    return value


def _read_filters(value: object, path: str) -> tuple[Filter, ...]:
    found: list[Filter] = []
    for index, name in enumerate(_list(value, path)):
        where = f"{path}[{index}]"
        if not isinstance(name, str) or name not in FILTERS:
            known = ", ".join(FILTERS)
            raise ConfigError(where, f"unknown filter {short(name)}; expected one of {known}")
        if FILTERS[name] in found:
            raise ConfigError(where, f"{name} is listed twice; each filter once")
        found.append(FILTERS[name])
    return tuple(found)


def _read_keys(value: object, path: str) -> tuple[RankKey, ...]:
    found: list[RankKey] = []
    for index, item in enumerate(_list(value, path)):
        where = f"{path}[{index}]"
        if isinstance(item, Mapping) and "by_attribute" in item:
            config_object(item, where, "a rank key", keys=("by_attribute", "descending"))
            attribute = located_at(
                where,
                "by_attribute",
                functools.partial(checked_name, item["by_attribute"], "attribute"),
            )
            descending = located_at(
                where,
                "descending",
                functools.partial(boolean, "descending", item.get("descending", False)),
            )
            found.append(by_attribute(attribute, descending=descending))
        elif isinstance(item, str) and item in KEYS:
            found.append(KEYS[item])
        else:
            known = ", ".join([*KEYS, "{by_attribute: ...}"])
            raise ConfigError(where, f"unknown strategy {short(item)}; expected one of {known}")
    return tuple(found)


def _read_queue(value: object, path: str) -> QueueOrder:
    if isinstance(value, str) and value in ORDERS:
        return ORDERS[value]
    if isinstance(value, Mapping) and value.get("type") == PriorityWithAging.name:
        config_object(value, path, "a queue order", keys=("type", "rate", "weights"))
        if "rate" in value:
            located_at(path, "rate", lambda: priority_with_aging(rate=value["rate"]))
        if "weights" in value:
            located_at(path, "weights", lambda: priority_with_aging(weights=value["weights"]))
        arguments = {key: value[key] for key in ("rate", "weights") if key in value}
        return located(path, lambda: PriorityWithAging(**arguments))
    raise ConfigError(
        path, f"unknown queue order {short(value)}; expected one of {', '.join(ORDERS)}"
    )


def _read_overflow(value: object, path: str) -> tuple[OverflowStep, ...]:
    steps = []
    for index, item in enumerate(_list(value, path)):
        where = f"{path}[{index}]"
        known = attrs.fields_dict(OverflowStep)
        step = config_object(item, where, "an overflow step object", keys=known, required=["after"])
        for key in step:
            located_at(where, key, functools.partial(field_checked, OverflowStep, key, step[key]))
        steps.append(located(where, functools.partial(OverflowStep, **step)))
        if len(steps) > 1 and steps[-1].after <= steps[-2].after:
            raise ConfigError(
                f"{where}.after",
                f"{format_duration(steps[-1].after)} is not after the previous step's "
                f"{format_duration(steps[-2].after)}; steps come in increasing order of 'after'",
            )
    return tuple(steps)


def _read_sticky(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(path, f"expected true or false, got {short(value)}")
    return value
