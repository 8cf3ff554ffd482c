"""Escalation rules as data: conditions, actions and the guards against firing twice."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar

import attrs

from servicekit._checks import (
    boolean,
    checked_items,
    checked_name,
    config_object,
    distinct,
    flag,
    located_at,
    named,
    of_kind,
    shallow,
    short,
)
from servicekit.calendars import Calendar
from servicekit.conditions import Condition, condition_from_dict
from servicekit.conditions._time_since import bounded
from servicekit.durations import format_duration
from servicekit.errors import ConfigError, InvalidInputError, join_path
from servicekit.escalation._actions import Action, action_from_dict
from servicekit.tickets import Ticket

T = TypeVar("T")


def _conditions(value: object) -> tuple[Condition, ...]:
    return checked_items(value, Condition, "condition")  # type: ignore[type-abstract]


def _actions(value: object) -> tuple[Action, ...]:
    return checked_items(value, Action, "action")


def _cooldown(value: object) -> timedelta | None:
    if value is None:
        return None
    return bounded("cooldown", value, positive=True)


@attrs.frozen
class EscalationRule:
    """When ``all`` conditions hold and at least one of ``any`` (if given), decide
    ``actions``.

    Guards against firing twice, read from the ticket's ``Escalated`` events (never
    from hidden state): with ``once`` (the default) a rule fires at most once per
    ticket; otherwise ``cooldown`` is the least time between two firings. With
    ``stop_processing`` no later rule fires in the same evaluation (first-match mode).

    Raises:
        InvalidInputError: a bad name, condition, action or cooldown; a cooldown on a
            ``once`` rule (it never fires again anyway); or a rule that neither acts
            nor stops processing.

    >>> from servicekit.conditions import time_since, where
    >>> from servicekit.escalation import Notify
    >>> EscalationRule("urgent unanswered",
    ...                all=[where("priority", "is", "urgent"),
    ...                     time_since("agent_reply", ">=", "1h")],
    ...                actions=[Notify("team-lead")]).all
    (priority is 'urgent', time since public agent reply >= 1h)
    """

    name: str = attrs.field(validator=named)
    all: tuple[Condition, ...] = attrs.field(default=(), converter=_conditions, kw_only=True)
    any: tuple[Condition, ...] = attrs.field(default=(), converter=_conditions, kw_only=True)
    actions: tuple[Action, ...] = attrs.field(default=(), converter=_actions, kw_only=True)
    once: bool = attrs.field(default=True, validator=flag, kw_only=True)
    cooldown: timedelta | None = attrs.field(default=None, converter=_cooldown, kw_only=True)
    stop_processing: bool = attrs.field(default=False, validator=flag, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.once and self.cooldown is not None:
            raise InvalidInputError(
                f"rule {short(self.name)}: a cooldown needs once=False (a once rule never refires)"
            )
        if not self.actions and not self.stop_processing:
            raise InvalidInputError(f"rule {short(self.name)} has no actions and does not stop")

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """``all`` then ``any``."""
        return self.all + self.any

    def last_fired(self, ticket: Ticket) -> datetime | None:
        """When the ticket's history last recorded this rule firing, if ever."""
        of_kind(ticket, Ticket, "ticket")
        fired = [event.at for event in ticket.facts.escalations if event.rule == self.name]
        return fired[-1] if fired else None

    def to_dict(self) -> dict[str, Any]:
        """Plain data that :meth:`RuleSet.from_dict` reads back."""
        data: dict[str, Any] = {"name": self.name}
        if self.all:
            data["all"] = [condition.to_dict() for condition in self.all]
        if self.any:
            data["any"] = [condition.to_dict() for condition in self.any]
        data["actions"] = [action.to_dict() for action in self.actions]
        data["once"] = self.once
        if self.cooldown is not None:
            data["cooldown"] = format_duration(self.cooldown)
        if self.stop_processing:
            data["stop_processing"] = True
        return data


_RULE_KEYS = ("name", "all", "any", "actions", "once", "cooldown", "stop_processing")


def rule_from_dict(
    data: object, path: str, calendars: Mapping[str, Calendar] | None
) -> EscalationRule:
    """See :meth:`RuleSet.from_dict`."""
    data = config_object(data, path, "a rule object", keys=_RULE_KEYS, required=["name"])
    arguments: dict[str, Any] = {}
    for part in ("all", "any", "actions"):
        items = data.get(part, [])
        where = join_path(path, part)
        if not isinstance(items, list):
            raise ConfigError(where, f"expected a list, got {short(items)}")
        read = action_from_dict if part == "actions" else _condition_reader(calendars)
        arguments[part] = [read(item, f"{where}[{index}]") for index, item in enumerate(items)]
    located_at(path, "name", lambda: checked_name(data["name"], "name"))
    for key in ("once", "stop_processing"):
        if key in data:
            arguments[key] = located_at(path, key, functools.partial(boolean, key, data[key]))
    if "cooldown" in data:
        arguments["cooldown"] = located_at(path, "cooldown", lambda: _cooldown(data["cooldown"]))
    # what is left is how the parts fit: a cooldown on a once rule, or no actions
    leaf = "cooldown" if "cooldown" in data and arguments.get("once", True) else "actions"
    return located_at(path, leaf, lambda: EscalationRule(data["name"], **arguments))


def _condition_reader(calendars: Mapping[str, Calendar] | None) -> Any:
    def read(item: object, where: str) -> Condition:
        return condition_from_dict(item, where, calendars=calendars)

    return read


def _rules(value: object) -> tuple[EscalationRule, ...]:
    if not isinstance(value, Iterable) or isinstance(value, str | Mapping):
        raise InvalidInputError(f"expected escalation rules, got {short(value)}")
    rules = checked_items(value, EscalationRule, "escalation rule")
    return tuple(distinct(rules, _rule_name, "two rules are named {key!r}; names must be unique"))


def _rule_name(rule: EscalationRule) -> str:
    return rule.name


@attrs.frozen
class RuleSet:
    """Escalation rules in order, with unique names (the ``Escalated`` events name them).

    >>> from servicekit.escalation import Notify
    >>> RuleSet([EscalationRule("a", actions=[Notify("x")])]).names
    ('a',)
    """

    rules: tuple[EscalationRule, ...] = attrs.field(converter=_rules)

    def __iter__(self) -> Iterator[EscalationRule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    @property
    def names(self) -> tuple[str, ...]:
        """The rules' names, in order."""
        return tuple(rule.name for rule in self.rules)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, calendars: Mapping[str, Calendar] | None = None
    ) -> RuleSet:
        """Rules from plain data (JSON/TOML): ``{"rules": [{"name": ..., "all": [...],
        "any": [...], "actions": [...], "once": true, "cooldown": "1h",
        "stop_processing": false}]}``. Conditions and actions use the dict forms of
        :func:`~servicekit.conditions.condition_from_dict` and
        :func:`~servicekit.escalation.action_from_dict`; a time condition's
        ``calendar`` may name one in ``calendars``. Nothing is ever ``eval``-ed.

        Raises:
            ConfigError: naming the path of the bad value (``rules[1].all[0].op``).

        >>> rules = RuleSet.from_dict({"rules": [{
        ...     "name": "urgent unanswered",
        ...     "all": [{"field": "priority", "op": "is", "value": "urgent"},
        ...             {"since": "agent_reply", "op": ">=", "value": "1h"}],
        ...     "actions": [{"type": "notify", "target": "team-lead"}]}]})
        >>> rules.names
        ('urgent unanswered',)
        >>> RuleSet.from_dict({"rules": [{"name": "x", "all": [{"field": "prio"}]}]})
        Traceback (most recent call last):
        ...
        servicekit.errors.ConfigError: rules[0].all[0]: a 'field' condition has keys ...
        """
        shallow(data)
        if not isinstance(data, Mapping) or set(data) != {"rules"}:
            raise ConfigError("", f"expected {{'rules': [...]}}, got {short(data)}")
        items = data["rules"]
        if not isinstance(items, list):
            raise ConfigError("rules", f"expected a list, got {short(items)}")
        rules = []
        names: set[str] = set()
        for index, item in enumerate(items):
            rule = rule_from_dict(item, f"rules[{index}]", calendars)
            if rule.name in names:
                raise ConfigError(f"rules[{index}].name", f"a second rule named {short(rule.name)}")
            names.add(rule.name)
            rules.append(rule)
        return cls(rules)

    def to_dict(self) -> dict[str, Any]:
        """Plain data that :meth:`from_dict` reads back (calendars inline)."""
        return {"rules": [rule.to_dict() for rule in self.rules]}
