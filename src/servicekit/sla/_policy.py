"""SLA policies (targets per priority and metric) and policy sets (first match wins)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

import attrs

from servicekit._checks import (
    E,
    checked_name,
    config_object,
    located,
    member,
    named,
    of_kind,
    shallow,
    short,
)
from servicekit._time import to_us
from servicekit.calendars import Calendar
from servicekit.calendars._config import calendar_reference
from servicekit.calendars._day_units import business_duration
from servicekit.conditions import ALWAYS, Combination, Condition, Context, Not, condition_from_dict
from servicekit.durations import business_days_of, format_duration, parse_duration
from servicekit.errors import ConfigError, InvalidDurationError, InvalidInputError
from servicekit.sla._clock import SLAEvaluation, Target
from servicekit.sla._clock_facts import clock_facts_of
from servicekit.sla._clock_maker import ClockMaker
from servicekit.sla._conditions import SLACondition
from servicekit.sla._meter import Meter
from servicekit.sla._metrics import DEFAULT_PAUSES, STOPPING, Metric
from servicekit.tickets import Priority, Status, Ticket

Targets = Mapping[Priority, Mapping[Metric, Target]]
DEFAULT_THRESHOLDS = (0.5, 0.75, 0.9)


_TARGET_KEYS = ("duration", "business_hours", "business_days")


def _target(value: object, path: str, calendar: Calendar | None) -> Target:
    """One target as config or Python gives it: duration text (business hours on
    ``calendar``), ``"3bd"``, ``{"business_days": 3}``, ``{"duration": ...,
    "business_hours": false}``, a ``timedelta`` or a :class:`Target`."""
    if isinstance(value, Target):
        return value
    if not isinstance(value, Mapping):
        return _duration_target(value, path, calendar, business=True)
    unknown = set(value) - set(_TARGET_KEYS)
    if unknown or ("duration" in value) == ("business_days" in value):
        raise ConfigError(
            path,
            "expected the keys duration (and business_hours), or business_days, got "
            f"{short(dict(value))}",
        )
    business = value.get("business_hours", True)
    if not isinstance(business, bool):
        raise ConfigError(
            f"{path}.business_hours", f"expected true or false, got {short(business)}"
        )
    if "business_days" in value:
        if not business:
            raise ConfigError(
                f"{path}.business_hours", "business days count on the policy's calendar"
            )
        days = value["business_days"]
        return located(f"{path}.business_days", lambda: Target(business_days=days))
    return _duration_target(value["duration"], f"{path}.duration", calendar, business=business)


def _duration_target(
    value: object, path: str, calendar: Calendar | None, *, business: bool
) -> Target:
    try:
        days = business_days_of(value)
        if days is None:
            duration = (
                business_duration(value, calendar) if business else parse_duration(value)  # type: ignore[arg-type]
            )
    except InvalidDurationError as exc:
        raise ConfigError(path, str(exc)) from exc
    if days is not None:
        if not business:
            raise ConfigError(
                path, f"business days count on the policy's calendar, got {short(value)}"
            )
        return located(path, lambda: Target(business_days=days))
    if duration <= timedelta(0):
        raise ConfigError(path, f"a target must be positive, got {format_duration(duration)}")
    return Target(duration=duration, business_hours=business)


def _targets(value: object, policy: Any) -> Targets:
    """The converter of :attr:`SLAPolicy.targets`; ``policy`` is the policy being built,
    whose (earlier) ``calendar`` field tells what ``"3d"`` would mean."""
    if not isinstance(value, Mapping) or not value:
        raise ConfigError(
            "targets", f"expected {{priority: {{metric: target}}}}, got {short(value)}"
        )
    calendar = policy.calendar if isinstance(policy.calendar, Calendar) else None
    parsed: dict[Priority, Mapping[Metric, Target]] = {}
    for priority_name, metrics in value.items():
        path = f"targets.{priority_name}"
        priority = _member(Priority, priority_name, path)
        if not isinstance(metrics, Mapping):
            raise ConfigError(path, f"expected {{metric: target}}, got {short(metrics)}")
        parsed[priority] = MappingProxyType(
            {
                _member(Metric, name, f"{path}.{name}"): _target(target, f"{path}.{name}", calendar)
                for name, target in metrics.items()
            }
        )
    return MappingProxyType(parsed)


def _pauses(value: object) -> Mapping[Metric, frozenset[Status]]:
    if value is None:
        return DEFAULT_PAUSES
    if not isinstance(value, Mapping):
        raise ConfigError("pauses", f"expected {{metric: [statuses]}}, got {short(value)}")
    pauses = dict(DEFAULT_PAUSES)
    for name, statuses in value.items():
        path = f"pauses.{name}"
        metric = _member(Metric, name, path)
        if isinstance(statuses, str) or not isinstance(statuses, Iterable):
            raise ConfigError(path, f"expected a list of statuses, got {short(statuses)}")
        chosen = frozenset(_member(Status, status, path) for status in statuses)
        if chosen & STOPPING:
            raise ConfigError(path, "solved and closed stop clocks; they cannot pause them")
        pauses[metric] = chosen
    return MappingProxyType(pauses)


def _thresholds(value: object) -> tuple[float, ...]:
    if not isinstance(value, list | tuple):
        raise ConfigError(
            "thresholds", f"expected a list of fractions such as [0.5, 0.75], got {short(value)}"
        )
    found = tuple(value)
    for fraction in found:
        if (
            isinstance(fraction, bool)
            or not isinstance(fraction, int | float)
            or not 0 < fraction < 1
        ):
            raise ConfigError(
                "thresholds", f"each threshold is a fraction in (0, 1), got {short(fraction)}"
            )
    if list(found) != sorted(set(found)):
        raise ConfigError(
            "thresholds", f"thresholds must increase without repeats, got {list(found)}"
        )
    return found


def _member(kind: type[E], value: object, path: str) -> E:
    return located(path, lambda: member(kind, value))


def _condition(_: object, attribute: attrs.Attribute[Condition], value: object) -> None:
    if not isinstance(value, Condition):
        raise ConfigError(attribute.name, f"expected a condition, got {short(value)}")
    if _reads_sla(value):
        raise ConfigError(
            attribute.name,
            f"{short(value)} reads SLA clocks, which exist only once a policy applies; "
            "select policies by ticket fields, changes or time",
        )


def _reads_sla(condition: Condition) -> bool:
    """Whether ``condition`` or any part of it is an SLA condition."""
    if isinstance(condition, SLACondition):
        return True
    if isinstance(condition, Combination):
        return any(_reads_sla(part) for part in condition.conditions)
    return isinstance(condition, Not) and _reads_sla(condition.condition)


def _calendar(_: object, attribute: attrs.Attribute[Calendar | None], value: object) -> None:
    if value is not None and not isinstance(value, Calendar):
        raise ConfigError(attribute.name, f"expected a calendar or None, got {short(value)}")


@attrs.frozen
class SLAPolicy:
    """Targets per priority and metric for the tickets a condition selects.

    Args:
        name: shown in evaluations and reasons.
        targets: ``{priority: {metric: target}}``; a target is a duration (``"4h"``,
            ``"PT4H"``, a ``timedelta``), counted in business hours on ``calendar``; a
            number of business days (``"3bd"``, ``{"business_days": 3}``), due at
            ``calendar.add_business_days(start, 3)``; ``{"duration": "24h",
            "business_hours": False}`` for calendar hours; or a :class:`Target`. A
            business-hours duration may not use days or weeks (``"3d"`` would be 72
            business hours, nine 8-hour days): write ``"72h"`` or ``"3bd"``; calendar
            hours, and a calendar open around the clock, keep them. A metric without a
            target for a priority has no clock.
        calendar: the business hours; required when any target counts business hours.
        applies_to: the condition selecting tickets (default: every ticket).
        pauses: ``{metric: [statuses]}`` overriding :data:`DEFAULT_PAUSES`.
        thresholds: warning fractions of the target, increasing, in (0, 1).

    Raises:
        ConfigError: naming the bad value's path (``targets.urgent.first_reply``).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from servicekit import BusinessCalendar, Ticket
    >>> hours = BusinessCalendar(tz="America/New_York", weekly={"mon-fri": ["09:00-17:00"]})
    >>> policy = SLAPolicy("standard", calendar=hours, targets={"normal": {"first_reply": "4h"}})
    >>> friday_4pm = datetime(2026, 3, 6, 16, tzinfo=ZoneInfo("America/New_York"))
    >>> ticket = Ticket.create(id="T-1", at=friday_4pm, requester="c-1")
    >>> clock = policy.evaluate(ticket, now=friday_4pm).clock("first_reply")
    >>> clock.due_at
    datetime.datetime(2026, 3, 9, 12, 0, tzinfo=zoneinfo.ZoneInfo(key='America/New_York'))
    """

    name: str = attrs.field(validator=named)
    # The calendar comes first: reading the targets needs it (see _targets).
    calendar: Calendar | None = attrs.field(kw_only=True, default=None, validator=_calendar)
    targets: Targets = attrs.field(
        kw_only=True,
        # The attrs mypy plugin cannot read a Converter; the field's type is as declared.
        converter=attrs.Converter(_targets, takes_self=True),  # type: ignore[misc]
        hash=False,
    )
    applies_to: Condition = attrs.field(kw_only=True, default=ALWAYS, validator=_condition)
    pauses: Mapping[Metric, frozenset[Status]] = attrs.field(
        kw_only=True, default=None, converter=_pauses, hash=False
    )
    thresholds: tuple[float, ...] = attrs.field(
        kw_only=True, default=DEFAULT_THRESHOLDS, converter=_thresholds
    )

    def __attrs_post_init__(self) -> None:
        if self.calendar is None:
            for priority, metrics in self.targets.items():
                for metric, target in metrics.items():
                    if target.business_hours:
                        raise ConfigError(
                            f"targets.{priority.value}.{metric.value}",
                            "a business-hours target needs the policy's calendar",
                        )

    def applies(self, ticket: Ticket, now: datetime) -> bool:
        """Whether :attr:`applies_to` holds for ``ticket`` at ``now``."""
        return self.applies_to.holds(Context(ticket=ticket, now=now))

    def evaluate(self, ticket: Ticket, *, now: datetime) -> SLAEvaluation:
        """Every clock of ``ticket`` under this policy at ``now`` (whether or not the
        policy's condition selects the ticket; :class:`PolicySet` does the choosing).

        Events at ``now`` count: a stop at exactly ``due_at`` is achieved; a clock
        still running at ``due_at`` is breached from that instant, with
        ``breached_at == due_at``.

        Raises:
            InvalidInputError: ``now`` is earlier than the ticket's last event.
            NaiveDatetimeError: ``now`` has no time zone.
        """
        return self._evaluate(ticket, now, self._applies_reason)

    @functools.cached_property
    def _meters(self) -> dict[bool, Meter]:
        """How to measure, by ``business_hours``."""
        return {True: Meter(self.calendar), False: Meter(None)}

    @functools.cached_property
    def _metrics(self) -> tuple[Metric, ...]:
        """The metrics with a target for some priority, in table order."""
        return tuple(m for m in Metric if any(m in t for t in self.targets.values()))

    @functools.cached_property
    def _applies_reason(self) -> str:
        if self.applies_to == ALWAYS:
            return f"policy {self.name!r} applies to every ticket"
        return f"policy {self.name!r} applies: {self.applies_to!r}"

    def _evaluate(self, ticket: Ticket, now: datetime, reason: str) -> SLAEvaluation:
        now_us = _checked_now(ticket, now)
        maker = ClockMaker(
            clock_facts=clock_facts_of(ticket),
            metrics=self._metrics,
            now=now_us,
            priority=ticket.priority,
            targets=self.targets,
            pauses=self.pauses,
            thresholds=self.thresholds,
            meters=self._meters,
            tz=UTC if self.calendar is None else self.calendar.tz,
        )
        clocks = tuple(maker.clocks())
        return SLAEvaluation(
            policy=self.name,
            now=now,
            clocks=clocks,
            next_change_at=maker.next_change_at(),
            reason=reason,
        )

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, calendars: Mapping[str, Calendar] | None = None
    ) -> SLAPolicy:
        """A policy from plain data (JSON/TOML). ``calendar`` is a calendar dict or the
        name of one in ``calendars``; ``applies_to`` a condition dict.

        Raises:
            ConfigError: naming the path (``targets.urgent.first_reply``).

        >>> SLAPolicy.from_dict({"name": "vip", "targets": {"urgent": {"first_reply": "soon"}}})
        Traceback (most recent call last):
        ...
        servicekit.errors.ConfigError: targets.urgent.first_reply: invalid duration 'soon': ...
        """
        return policy_from_dict(data, calendars=calendars)

    def to_dict(self) -> dict[str, Any]:
        """Plain data that :meth:`from_dict` reads back (the calendar inline)."""
        data: dict[str, Any] = {"name": self.name, "targets": _targets_to_dict(self.targets)}
        if self.calendar is not None:
            data["calendar"] = self.calendar.to_dict()  # type: ignore[attr-defined]
        if self.applies_to != ALWAYS:
            data["applies_to"] = self.applies_to.to_dict()
        changed = {m: s for m, s in self.pauses.items() if s != DEFAULT_PAUSES[m]}
        if changed:
            data["pauses"] = {m.value: sorted(s.value for s in v) for m, v in changed.items()}
        data["thresholds"] = list(self.thresholds)
        return data


def _targets_to_dict(targets: Targets) -> dict[str, dict[str, Any]]:
    def plain(target: Target) -> Any:
        if target.business_days is not None:
            return f"{target.business_days}bd"
        if target.business_hours:
            return format_duration(target.duration, largest="h")
        return {"duration": format_duration(target.duration), "business_hours": False}

    return {
        priority.value: {metric.value: plain(t) for metric, t in metrics.items()}
        for priority, metrics in targets.items()
    }


def _checked_now(ticket: Ticket, now: datetime) -> int:
    """``now`` in microseconds, if it is aware and not before the ticket's last event."""
    of_kind(ticket, Ticket, "ticket")
    now_us = to_us(now, "now")
    if now < ticket.updated_at:
        raise InvalidInputError(
            f"now={now.isoformat()} is earlier than ticket {ticket.id}'s last event at "
            f"{ticket.updated_at.isoformat()}"
        )
    return now_us


_POLICY_KEYS = ("name", "targets", "calendar", "applies_to", "pauses", "thresholds")


def policy_from_dict(
    data: Mapping[str, Any], *, calendars: Mapping[str, Calendar] | None = None, path: str = ""
) -> SLAPolicy:
    """See :meth:`SLAPolicy.from_dict`; ``path`` prefixes error paths."""
    shallow(data, path)
    try:
        data = config_object(
            data, "", "a policy object", keys=_POLICY_KEYS, required=["name", "targets"]
        )
        located("name", lambda: checked_name(data["name"], "name"))
        calendar = data.get("calendar")
        if calendar is not None:
            calendar = calendar_reference(calendar, calendars, "calendar")
        applies_to = data.get("applies_to")
        condition = (
            ALWAYS
            if applies_to is None
            else condition_from_dict(applies_to, "applies_to", calendars=calendars)
        )
        return SLAPolicy(
            data["name"],
            targets=data["targets"],
            calendar=calendar,
            applies_to=condition,
            pauses=data.get("pauses"),
            thresholds=data.get("thresholds", DEFAULT_THRESHOLDS),
        )
    except ConfigError as exc:
        if not path:
            raise
        raise exc.within(path) from exc


def _policies(value: Iterable[SLAPolicy]) -> tuple[SLAPolicy, ...]:
    if not isinstance(value, Iterable) or isinstance(value, str | bytes | Mapping):
        raise ConfigError("policies", f"expected SLA policies in order, got {short(value)}")
    policies = tuple(value)
    names = set()
    for index, policy in enumerate(policies):
        if not isinstance(policy, SLAPolicy):
            raise ConfigError(f"policies[{index}]", f"not an SLAPolicy: {short(policy)}")
        if policy.name in names:
            raise ConfigError(
                f"policies[{index}].name", f"duplicate policy name {short(policy.name)}"
            )
        names.add(policy.name)
    return policies


@attrs.frozen
class PolicySet:
    """Policies in order; the *first* whose condition holds applies (as Zendesk).

    >>> from datetime import datetime, UTC
    >>> from servicekit import Ticket
    >>> from servicekit.conditions import where
    >>> vip = SLAPolicy("vip", applies_to=where("tags", "contains", "vip"),
    ...                 targets={"normal": {"first_reply": {"duration": "1h",
    ...                                                     "business_hours": False}}})
    >>> policies = PolicySet([vip])
    >>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c")
    >>> policies.evaluate(t, now=t.created_at).reason
    "no policy applies (checked 'vip')"
    """

    policies: tuple[SLAPolicy, ...] = attrs.field(converter=_policies)

    def select(self, ticket: Ticket, *, now: datetime) -> SLAPolicy | None:
        """The first policy whose condition holds for ``ticket`` at ``now``."""
        context = Context(ticket=ticket, now=now)
        return next((p for p in self.policies if p.applies_to.holds(context)), None)

    def evaluate(self, ticket: Ticket, *, now: datetime) -> SLAEvaluation:
        """The clocks under the first matching policy; none (and a reason) if none does.

        Raises:
            InvalidInputError: ``now`` is earlier than the ticket's last event.
        """
        policy = self.select(ticket, now=now)
        if policy is not None:
            return policy._evaluate(ticket, now, policy._applies_reason)
        _checked_now(ticket, now)
        checked = ", ".join(repr(p.name) for p in self.policies) or "no policies"
        return SLAEvaluation(
            policy=None,
            now=now,
            clocks=(),
            next_change_at=None,
            reason=f"no policy applies (checked {checked})",
        )

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, calendars: Mapping[str, Calendar] | None = None
    ) -> PolicySet:
        """``{"policies": [policy, ...]}``; errors name ``policies[1].targets...``."""
        shallow(data)
        if not isinstance(data, Mapping) or set(data) != {"policies"}:
            raise ConfigError("", f"expected {{'policies': [...]}}, got {short(data)}")
        items = data["policies"]
        if not isinstance(items, list):
            raise ConfigError("policies", f"expected a list, got {short(items)}")
        return cls(
            policy_from_dict(item, calendars=calendars, path=f"policies[{index}]")
            for index, item in enumerate(items)
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data that :meth:`from_dict` reads back."""
        return {"policies": [policy.to_dict() for policy in self.policies]}
