"""What an escalation rule does, as frozen values an app performs: notify someone,
change the ticket, or anything custom. Ticket changes come with the events that
record them, so the app appends them to the history."""

from __future__ import annotations

import abc
import functools
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from servicekit._checks import (
    field_checked,
    instant,
    located_at,
    member,
    named,
    of_kind,
    optional_named,
    shallow,
    short,
)
from servicekit.errors import ConfigError, InvalidInputError, InvalidTypeError, join_path
from servicekit.tickets import (
    Assigned,
    Event,
    FieldChanged,
    Priority,
    PriorityChanged,
    TagsChanged,
    Ticket,
)

ESCALATION_LEVEL = "escalation_level"
"""The custom field :class:`SetEscalationLevel` writes (read it with
``where("fields.escalation_level", ">=", 2)``)."""


class Action(abc.ABC):
    """Something a rule decides; the app performs it."""

    kind: ClassVar[str]

    def events(self, ticket: Ticket, at: datetime) -> tuple[Event, ...]:
        """The events that record this action's change to ``ticket`` at ``at`` (none
        when it changes nothing on the ticket, as a notification)."""
        checked(ticket, at)
        return ()

    def to_dict(self) -> dict[str, Any]:
        """The plain-dict form read by :func:`action_from_dict`."""
        names = attrs.fields_dict(type(self))  # type: ignore[arg-type]
        values = {name: _plain(getattr(self, name)) for name in names}
        return {"type": self.kind, **{k: v for k, v in values.items() if v is not None}}


def _plain(value: object) -> object:
    if isinstance(value, Priority):
        return value.value
    if isinstance(value, Mapping):
        return dict(value)
    return value


def checked(ticket: object, at: object) -> None:
    """The arguments of :meth:`Action.events`: a ticket and an aware instant."""
    of_kind(ticket, Ticket, "ticket")
    instant(at, "at")


def _message(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidInputError(f"message must be text or None, got {short(value)}")


def _priority(value: object) -> Priority:
    return member(Priority, value)


@attrs.frozen
class Notify(Action):
    """Tell ``target`` (a person, a team, a channel: the app's address) about the ticket.

    >>> Notify("team-lead", message="Urgent ticket unanswered for 1h")
    Notify(target='team-lead', message='Urgent ticket unanswered for 1h')
    """

    kind: ClassVar[str] = "notify"
    target: str = attrs.field(validator=named)
    message: str | None = attrs.field(default=None, kw_only=True, validator=_message)


@attrs.frozen
class SetPriority(Action):
    """Change the ticket's priority.

    >>> SetPriority("urgent")
    SetPriority(priority=<Priority.URGENT: 'urgent'>)
    """

    kind: ClassVar[str] = "set_priority"
    priority: Priority = attrs.field(converter=_priority)

    def events(self, ticket: Ticket, at: datetime) -> tuple[Event, ...]:
        checked(ticket, at)
        if ticket.priority is self.priority:
            return ()
        return (PriorityChanged(at=at, priority=self.priority),)


@attrs.frozen(kw_only=True)
class Assign(Action):
    """Make the assignment exactly ``agent`` in ``group`` (``None``: no agent, or no
    group), as :class:`~servicekit.tickets.Assigned` does.

    >>> Assign(group="tier-2")
    Assign(agent=None, group='tier-2')
    """

    kind: ClassVar[str] = "assign"
    agent: str | None = attrs.field(default=None, validator=optional_named)
    group: str | None = attrs.field(default=None, validator=optional_named)

    def __attrs_post_init__(self) -> None:
        if self.agent is None and self.group is None:
            raise InvalidInputError("assign needs an agent, a group or both")

    def events(self, ticket: Ticket, at: datetime) -> tuple[Event, ...]:
        checked(ticket, at)
        if (ticket.assignee, ticket.group) == (self.agent, self.group):
            return ()
        return (Assigned(at=at, agent=self.agent, group=self.group),)


@attrs.frozen
class AddTag(Action):
    """Add a tag.

    >>> AddTag("escalated")
    AddTag(tag='escalated')
    """

    kind: ClassVar[str] = "add_tag"
    tag: str = attrs.field(validator=named)

    def events(self, ticket: Ticket, at: datetime) -> tuple[Event, ...]:
        checked(ticket, at)
        if self.tag in ticket.tags:
            return ()
        return (TagsChanged(at=at, added={self.tag}),)


@attrs.frozen
class RemoveTag(Action):
    """Remove a tag.

    >>> RemoveTag("waiting")
    RemoveTag(tag='waiting')
    """

    kind: ClassVar[str] = "remove_tag"
    tag: str = attrs.field(validator=named)

    def events(self, ticket: Ticket, at: datetime) -> tuple[Event, ...]:
        checked(ticket, at)
        if self.tag not in ticket.tags:
            return ()
        return (TagsChanged(at=at, removed={self.tag}),)


def _level(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError(f"level must be a whole number >= 0, got {short(value)}")


@attrs.frozen
class SetEscalationLevel(Action):
    """Record the escalation level in the custom field ``escalation_level``.

    >>> SetEscalationLevel(2)
    SetEscalationLevel(level=2)
    """

    kind: ClassVar[str] = "set_escalation_level"
    level: int = attrs.field(validator=_level)

    def events(self, ticket: Ticket, at: datetime) -> tuple[Event, ...]:
        checked(ticket, at)
        if ticket.fields.get(ESCALATION_LEVEL) == self.level:
            return ()
        return (FieldChanged(at=at, name=ESCALATION_LEVEL, value=self.level),)


def _payload(value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        raise InvalidInputError(f"payload must be a mapping with text keys, got {short(value)}")
    try:
        shallow(value, "payload")
    except ConfigError as exc:
        raise InvalidInputError(str(exc)) from None
    return MappingProxyType(dict(value))


@attrs.frozen
class Custom(Action):
    """Anything else the app knows how to do: a name and a payload of plain data.

    >>> Custom("page", {"service": "billing-oncall"})
    Custom(name='page', payload=mappingproxy({'service': 'billing-oncall'}))
    """

    kind: ClassVar[str] = "custom"
    name: str = attrs.field(validator=named)
    payload: Mapping[str, Any] = attrs.field(
        factory=dict,
        converter=_payload,
        eq=attrs.cmp_using(eq=lambda a, b: dict(a) == dict(b)),
        hash=False,
    )


ACTION_TYPES: Mapping[str, type[Action]] = MappingProxyType(
    {
        action.kind: action
        for action in (Notify, SetPriority, Assign, AddTag, RemoveTag, SetEscalationLevel, Custom)
    }
)
"""Every action class by its ``type`` in the dict form."""


def action_from_dict(data: object, path: str = "") -> Action:
    """An action from its plain-dict form: ``{"type": "notify", "target": "lead"}``,
    ``{"type": "set_priority", "priority": "urgent"}``, ``{"type": "assign", "group":
    "tier-2"}``, ``{"type": "add_tag", "tag": ...}``, ``{"type": "remove_tag", ...}``,
    ``{"type": "set_escalation_level", "level": 2}``, ``{"type": "custom", "name":
    ..., "payload": {...}}``.

    Raises:
        ConfigError: naming the path of the bad value (``rules[0].actions[1].type``).

    >>> action_from_dict({"type": "notify", "target": "team-lead"})
    Notify(target='team-lead', message=None)
    """
    if not isinstance(path, str):
        raise InvalidTypeError(f"path must be text, got {short(path)}")
    shallow(data, path)
    if not isinstance(data, Mapping):
        raise ConfigError(path, f"expected an action object, got {short(data)}")
    kind = data.get("type")
    action = ACTION_TYPES.get(kind) if isinstance(kind, str) else None
    if action is None:
        known = ", ".join(ACTION_TYPES)
        raise ConfigError(
            join_path(path, "type"), f"unknown action {short(kind)}; expected one of {known}"
        )
    fields = attrs.fields_dict(action)  # type: ignore[arg-type]
    arguments = {key: value for key, value in data.items() if key != "type"}
    for key, value in arguments.items():
        field = fields.get(key)
        if field is None:
            raise ConfigError(
                join_path(path, str(key)), f"unknown key for {kind}; expected {sorted(fields)}"
            )
        located_at(path, key, functools.partial(field_checked, action, key, value))
    for name, field in fields.items():
        if name not in arguments and field.default is attrs.NOTHING:
            raise ConfigError(join_path(path, name), f"missing (required for {kind})")
    try:
        return action(**arguments)
    except InvalidInputError as exc:
        raise ConfigError(path, f"{kind}: {exc}") from exc
