"""Agent snapshots: who an agent is (skills, languages, groups), how much work they
can hold (per channel, or in weighted units) and what they hold now."""

from __future__ import annotations

import enum
import functools
import math
from collections.abc import Callable, Mapping
from datetime import datetime
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from servicekit._checks import (
    checked_name,
    config_object,
    count,
    counts,
    field_checked,
    instant,
    located,
    located_at,
    member,
    named,
    names,
    of_kind,
    optional_instant,
    shallow,
    short,
)
from servicekit.errors import (
    ConfigError,
    InvalidInputError,
    InvalidTypeError,
    NaiveDatetimeError,
    join_path,
)
from servicekit.routing._skills import skill_levels
from servicekit.routing._tasks import Task
from servicekit.tickets import Priority


class AgentStatus(enum.StrEnum):
    """Whether an agent takes new work: only ``online`` agents are routed to (unless a
    router leaves out the :func:`~servicekit.routing.online` filter).

    >>> AgentStatus("away")
    <AgentStatus.AWAY: 'away'>
    """

    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


def _status(value: object) -> AgentStatus:
    return member(AgentStatus, value)


def _priority_extra(value: object) -> Mapping[Priority, int]:
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"priority_extra must map priorities to units, got {short(value)}")
    return MappingProxyType(
        {
            member(Priority, priority): count(units, f"priority_extra[{short(priority)}]")
            for priority, units in value.items()
        }
    )


def _costs(value: object) -> Mapping[str, int]:
    return counts(value, "costs")


def _positive_units(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if count(value, attribute.name) == 0:
        raise InvalidInputError(f"{attribute.name} must be at least 1, got 0")


@attrs.frozen(kw_only=True)
class WeightedCapacity:
    """Capacity as a budget of ``units``: each open item costs its channel's units
    (``costs``, 1 for a channel not listed) plus its priority's ``priority_extra``.

    Raises:
        InvalidInputError: units below 1, or a cost that is not a whole number >= 0.

    >>> capacity = WeightedCapacity(units=10, costs={"chat": 3, "email": 1},
    ...                             priority_extra={"urgent": 1})
    >>> capacity.cost("chat", Priority.URGENT), capacity.cost("phone", Priority.LOW)
    (4, 1)
    """

    units: int = attrs.field(validator=_positive_units)
    costs: Mapping[str, int] = attrs.field(factory=dict, converter=_costs)
    priority_extra: Mapping[Priority, int] = attrs.field(factory=dict, converter=_priority_extra)

    def cost(self, channel: str, priority: Priority) -> int:
        """Units one item of ``channel`` at ``priority`` takes."""
        return self.costs.get(channel, 1) + self.priority_extra.get(priority, 0)

    def to_dict(self) -> dict[str, Any]:
        """Plain data that :meth:`AgentState.from_dict` reads back (as ``weighted``)."""
        data: dict[str, Any] = {"units": self.units}
        if self.costs:
            data["costs"] = dict(self.costs)
        if self.priority_extra:
            data["priority_extra"] = {str(p): units for p, units in self.priority_extra.items()}
        return data


def _capacity(value: object) -> Mapping[str, int] | None:
    return None if value is None else counts(value, "capacity")


def _skills(value: object) -> Mapping[str, int]:
    return skill_levels(value, "skills")


def _languages(value: object) -> frozenset[str]:
    return names(value, "languages")


def _groups(value: object) -> frozenset[str]:
    return names(value, "groups")


def _load(value: object) -> Mapping[str, int]:
    return counts(value, "load")


def _units_used(value: object) -> int:
    return count(value, "units_used")


def _last_assigned_at(value: object) -> datetime | None:
    return optional_instant(value, "last_assigned_at")


def _assigned_at_last(value: object) -> int:
    return count(value, "assigned_at_last")


def _idle_since(value: object) -> datetime | None:
    return optional_instant(value, "idle_since")


def _weighted(value: object) -> WeightedCapacity | None:
    if value is None or isinstance(value, WeightedCapacity):
        return value
    raise InvalidInputError(f"weighted must be a WeightedCapacity or None, got {short(value)}")


def _attributes(value: object) -> Mapping[str, int | float | str]:
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"attributes must be a mapping, got {short(value)}")
    for key, item in value.items():
        checked_name(key, "attributes")
        if isinstance(item, float) and not math.isfinite(item):
            raise InvalidInputError(
                f"attributes[{short(key)}] must be a finite number or text, got {item}: "
                "a NaN would rank before or after every agent by accident"
            )
        if isinstance(item, bool) or not isinstance(item, int | float | str):
            raise InvalidInputError(
                f"attributes[{short(key)}] must be a number or text, got {short(item)}"
            )
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class AgentState:
    """One agent at one instant, as routing sees them.

    Capacity has two independent limits, both optional: ``capacity`` caps open items
    per channel (a channel not listed is not taken at all; ``None`` means no
    per-channel cap), and ``weighted`` caps the units all open items cost together
    (``units_used``). ``load`` counts open items per channel. ``last_assigned_at``
    drives round robin, ``idle_since`` (``None`` while busy) longest idle, and
    ``attributes`` (seniority, cost, ...) attribute ordering.

    Raises:
        InvalidInputError: a bad id, status, skill level (0-10), name, count or
            attribute; NaiveDatetimeError: an instant without a time zone.

    >>> agent = AgentState(id="ana", skills={"billing": 7}, languages={"en", "de"},
    ...                    capacity={"chat": 3, "email": 10}, load={"chat": 2})
    >>> agent.room("chat", Priority.NORMAL), agent.room("phone", Priority.NORMAL)
    (1, 0)
    """

    id: str = attrs.field(validator=named)
    status: AgentStatus = attrs.field(default=AgentStatus.ONLINE, converter=_status)
    skills: Mapping[str, int] = attrs.field(factory=dict, converter=_skills)
    languages: frozenset[str] = attrs.field(factory=frozenset, converter=_languages)
    groups: frozenset[str] = attrs.field(factory=frozenset, converter=_groups)
    capacity: Mapping[str, int] | None = attrs.field(default=None, converter=_capacity)
    weighted: WeightedCapacity | None = attrs.field(default=None, converter=_weighted)
    load: Mapping[str, int] = attrs.field(factory=dict, converter=_load)
    units_used: int = attrs.field(default=0, converter=_units_used)
    last_assigned_at: datetime | None = attrs.field(default=None, converter=_last_assigned_at)
    assigned_at_last: int = attrs.field(default=0, converter=_assigned_at_last)
    idle_since: datetime | None = attrs.field(default=None, converter=_idle_since)
    attributes: Mapping[str, int | float | str] = attrs.field(factory=dict, converter=_attributes)

    def __attrs_post_init__(self) -> None:
        if self.assigned_at_last and self.last_assigned_at is None:
            raise InvalidInputError(
                f"assigned_at_last is {self.assigned_at_last} but last_assigned_at is None"
            )

    @property
    def open_items(self) -> int:
        """Open items over all channels."""
        return sum(self.load.values())

    def channel_room(self, channel: str) -> int | None:
        """More items of ``channel`` the per-channel cap allows (``None``: no cap)."""
        if self.capacity is None:
            return None
        return max(0, self.capacity.get(channel, 0) - self.load.get(channel, 0))

    def units_room(self) -> int | None:
        """Units left in the weighted budget (``None``: no weighted capacity)."""
        if self.weighted is None:
            return None
        return max(0, self.weighted.units - self.units_used)

    def room(self, channel: str, priority: Priority) -> int | None:
        """How many more items of ``channel`` at ``priority`` fit under both limits
        (``None``: no limit at all)."""
        if not isinstance(channel, str):
            raise InvalidTypeError(f"channel must be a channel name, got {short(channel)}")
        if type(priority) is not Priority:
            priority = member(Priority, priority)
        rooms = [self.channel_room(channel)]
        if self.weighted is not None:
            cost = self.weighted.cost(channel, priority)
            units = self.units_room()
            rooms.append(None if cost == 0 else (units or 0) // cost)
        limits = [room for room in rooms if room is not None]
        return min(limits) if limits else None

    def spare(self, channel: str) -> int | None:
        """Spare capacity: units left when weighted, else items left on ``channel``
        (``None``: unlimited)."""
        return self.units_room() if self.weighted is not None else self.channel_room(channel)

    def spare_share(self, channel: str) -> Fraction:
        """Spare capacity as a share of the whole (1 when unlimited), exact."""
        if self.weighted is not None:
            return Fraction(self.units_room() or 0, self.weighted.units)
        limit = None if self.capacity is None else self.capacity.get(channel, 0)
        if limit is None:
            return Fraction(1)
        return Fraction(self.channel_room(channel) or 0, limit) if limit else Fraction(0)

    def with_assigned(self, task: Task, at: datetime) -> AgentState:
        """This agent after taking ``task`` at ``at``: one more open item on its
        channel, its cost in units used, last assigned ``at``, no longer idle.

        >>> from datetime import datetime, UTC
        >>> now = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> task = Task(id="T-1", channel="chat", arrived_at=now)
        >>> AgentState(id="ana").with_assigned(task, now).load["chat"]
        1
        """
        of_kind(task, Task, "task")
        instant(at, "at")
        load = dict(self.load)
        load[task.channel] = load.get(task.channel, 0) + 1
        return attrs.evolve(
            self,
            load=load,
            units_used=self.units_used + self._cost(task),
            last_assigned_at=at,
            assigned_at_last=self.assigned_at_last + 1 if at == self.last_assigned_at else 1,
            idle_since=None,
        )

    def with_released(self, task: Task, at: datetime) -> AgentState:
        """This agent after ``task`` left them at ``at`` (solved, transferred, or an
        offer rejected or timed out); idle since ``at`` when nothing is left open.

        Raises:
            InvalidInputError: the agent holds no item of the task's channel.
        """
        of_kind(task, Task, "task")
        instant(at, "at")
        held = self.load.get(task.channel, 0)
        if held == 0:
            raise InvalidInputError(
                f"agent {short(self.id)} holds no {task.channel} item to release"
            )
        load = dict(self.load)
        load[task.channel] = held - 1
        idle = at if sum(load.values()) == 0 else self.idle_since
        return attrs.evolve(
            self,
            load=load,
            units_used=max(0, self.units_used - self._cost(task)),
            idle_since=idle,
        )

    def _cost(self, task: Task) -> int:
        return 0 if self.weighted is None else self.weighted.cost(task.channel, task.priority)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data that :meth:`from_dict` reads back."""
        data: dict[str, Any] = {"id": self.id, "status": str(self.status)}
        if self.skills:
            data["skills"] = dict(self.skills)
        for key in ("languages", "groups"):
            if getattr(self, key):
                data[key] = sorted(getattr(self, key))
        if self.capacity is not None:
            data["capacity"] = dict(self.capacity)
        if self.weighted is not None:
            data["weighted"] = self.weighted.to_dict()
        if self.load:
            data["load"] = dict(self.load)
        for key in ("units_used", "assigned_at_last"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        for key in ("last_assigned_at", "idle_since"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key).isoformat()
        if self.attributes:
            data["attributes"] = dict(self.attributes)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: str = "") -> AgentState:
        """An agent from plain data (instants as ISO 8601 text with an offset).

        Raises:
            ConfigError: naming the path of the bad value (``agents[3].skills``).

        >>> AgentState.from_dict({"id": "ana", "skills": {"billing": 11}}, "agents[0]")
        Traceback (most recent call last):
        ...
        servicekit.errors.ConfigError: agents[0].skills: skills['billing'] must be a level ...
        """
        if not isinstance(path, str):
            raise InvalidTypeError(f"path must be text, got {short(path)}")
        shallow(data, path)
        if not isinstance(data, Mapping):
            raise ConfigError(path, f"expected an agent object, got {short(data)}")
        known = attrs.fields_dict(cls)
        arguments: dict[str, Any] = {}
        for key, value in data.items():
            where = join_path(path, str(key))
            if key not in known:
                raise ConfigError(where, f"unknown key; expected one of {', '.join(known)}")
            try:
                arguments[key] = _CONVERTERS.get(key, _same)(_read(key, value, where))
            except (InvalidInputError, NaiveDatetimeError) as exc:
                raise ConfigError(where, str(exc)) from exc
        if "id" not in arguments:
            raise ConfigError(join_path(path, "id"), "missing")
        return located(path, lambda: cls(**arguments))


def _read(key: str, value: object, where: str) -> object:
    """One field of :meth:`AgentState.from_dict`, from its plain form."""
    if key in ("last_assigned_at", "idle_since") and value is not None:
        if not isinstance(value, str):
            raise InvalidInputError(f"expected an ISO 8601 instant, got {short(value)}")
        try:
            value = datetime.fromisoformat(value)
        except ValueError as exc:
            raise InvalidInputError(f"not an ISO 8601 instant: {short(value)}") from exc
    if key == "weighted" and value is not None:
        if not isinstance(value, Mapping):
            raise InvalidInputError(f"expected a weighted capacity object, got {short(value)}")
        config_object(
            value,
            where,
            "a weighted capacity",
            keys=attrs.fields_dict(WeightedCapacity),
            required=["units"],
        )
        for part in value:
            located_at(
                where, part, functools.partial(field_checked, WeightedCapacity, part, value[part])
            )
        return WeightedCapacity(**value)
    return value


def _same(value: object) -> object:
    return value


_CONVERTERS: dict[str, Callable[[Any], object]] = {
    "id": functools.partial(field_checked, AgentState, "id"),
    "status": _status,
    "skills": _skills,
    "languages": _languages,
    "groups": _groups,
    "capacity": _capacity,
    "load": _load,
    "units_used": _units_used,
    "last_assigned_at": _last_assigned_at,
    "assigned_at_last": _assigned_at_last,
    "idle_since": _idle_since,
    "attributes": _attributes,
}
"""Each field's converter, run one by one in :meth:`AgentState.from_dict` so an error
names its field's path."""
