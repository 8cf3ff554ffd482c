"""The settings of the weekly report, from plain data (the TOML or JSON file that
``servicekit report --config`` reads): calendars, SLA policies, escalation rules, a
staffing goal, the insight settings and a QA scorecard. Every error names the path of
the bad value."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import attrs

from servicekit._checks import checked_name, config_object, fraction, of_kind, optional_of, whole
from servicekit._time import zone
from servicekit.calendars import Calendar, CombinedCalendar
from servicekit.calendars._config import calendar_reference
from servicekit.durations import checked_duration
from servicekit.errors import (
    ConfigError,
    InvalidInputError,
    InvalidTypeError,
    ServicekitError,
    short,
)
from servicekit.escalation import RuleSet
from servicekit.qa import Scorecard
from servicekit.sla import PolicySet
from servicekit.tickets import Channel, channel_of

_KEYS = ("tz", "calendars", "business_hours", "policies", "rules", "staffing", "insights",
         "scorecard")  # fmt: skip
_STAFFING_KEYS = ("interval", "service_level", "channels")
_INSIGHT_KEYS = ("min_count", "q", "baseline_weeks", "min_requesters", "topic_field")


def _durations(value: object) -> Mapping[Channel | str, timedelta]:
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"expected channels mapped to durations, got {short(value)}")
    return {
        channel_of(channel): checked_duration(str(channel), duration, positive=True)
        for channel, duration in value.items()
    }


def _goal(value: object) -> float:
    return fraction("service_level", value, 0.0, 1.0, closed_high=False)


def _interval(value: object) -> timedelta:
    return checked_duration("interval", value, positive=True)


@attrs.frozen(kw_only=True)
class StaffingGoal:
    """What the staffing advice aims at: per channel, the average handling time and
    the answer-time target; the share to answer within it; the interval length.

    Raises:
        InvalidInputError: a channel with an AHT but no target (or the reverse), a
            duration that is not positive, a goal outside (0, 1).

    >>> StaffingGoal(aht={"chat": "8m"}, target={"chat": "2m"}).interval
    datetime.timedelta(seconds=3600)
    """

    aht: Mapping[Channel | str, timedelta] = attrs.field(converter=_durations)
    target: Mapping[Channel | str, timedelta] = attrs.field(converter=_durations)
    service_level: float = attrs.field(default=0.8, converter=_goal)
    interval: timedelta = attrs.field(default=timedelta(hours=1), converter=_interval)

    def __attrs_post_init__(self) -> None:
        if set(self.aht) != set(self.target):
            raise InvalidInputError(
                f"every channel needs both an aht and a target; aht has {sorted(self.aht)}, "
                f"target has {sorted(self.target)}"
            )


def _positive(name: str) -> Any:
    def check(_: object, attribute: attrs.Attribute[int], value: object) -> None:
        whole(name, value, low=1, high=1_000_000)

    return check


def _rate(value: object) -> float:
    return fraction("q", value, 0.0, 1.0, closed_high=False)


def _topic_field(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        checked_name(value, "topic_field")


@attrs.frozen(kw_only=True)
class InsightSettings:
    """How the report compares agents and looks for rising topics.

    Attributes:
        min_count: the fewest CSAT ratings (or solved tickets, for one-touch resolution)
            an agent needs to be flagged; fewer is shown as "not enough data".
        q: the false discovery rate of the flags (agents and topics), in (0, 1).
        baseline_weeks: the weeks before the period that rising topics compare against.
        min_requesters: the fewest distinct requesters of a topic in the period for it
            to be called rising.
        topic_field: the custom field whose values are the topics, or ``None`` for the
            tickets' tags.

    Raises:
        InvalidInputError: a count below 1 (or above 1,000,000), ``q`` outside (0, 1),
            a blank field name.

    >>> InsightSettings().baseline_weeks, InsightSettings(q=0.1).q
    (4, 0.1)
    """

    min_count: int = attrs.field(default=20, validator=_positive("min_count"))
    q: float = attrs.field(default=0.05, converter=_rate)
    baseline_weeks: int = attrs.field(default=4, validator=_positive("baseline_weeks"))
    min_requesters: int = attrs.field(default=5, validator=_positive("min_requesters"))
    topic_field: str | None = attrs.field(default=None, validator=_topic_field)


def _calendars(value: object) -> Mapping[str, Calendar]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError(f"calendars must map names to calendars, got {short(value)}")
    for name, calendar in value.items():
        checked_name(name, "a calendar name")
        of_kind(calendar, Calendar, f"calendars[{name!r}]")
    return dict(value)


@attrs.frozen(kw_only=True)
class ReportConfig:
    """The weekly report's settings; see :meth:`from_dict` for the file format.

    Attributes:
        tz: the zone the report is read in (the staffing interval's wall clock).
        calendars: named calendars, for reference.
        business_hours: the calendar reply and resolution times are measured on,
            or ``None`` for calendar hours.
        policies: the SLA policies, or ``None`` for no SLA section.
        rules: the escalation rules, to list the ones that never fired.
        staffing: the staffing goal, or ``None`` for no advice.
        insights: how agents are compared and rising topics found.
        scorecard: the QA scorecard reviews are scored on, or ``None``.
    """

    tz: ZoneInfo = attrs.field(default=ZoneInfo("UTC"), converter=zone)
    calendars: Mapping[str, Calendar] = attrs.field(factory=dict, converter=_calendars)
    business_hours: Calendar | None = attrs.field(
        default=None, validator=optional_of(Calendar, "business_hours")
    )
    policies: PolicySet | None = attrs.field(
        default=None, validator=optional_of(PolicySet, "policies")
    )
    rules: RuleSet | None = attrs.field(default=None, validator=optional_of(RuleSet, "rules"))
    staffing: StaffingGoal | None = attrs.field(
        default=None, validator=optional_of(StaffingGoal, "staffing")
    )
    insights: InsightSettings = attrs.field(
        factory=InsightSettings, validator=attrs.validators.instance_of(InsightSettings)
    )
    scorecard: Scorecard | None = attrs.field(
        default=None, validator=optional_of(Scorecard, "scorecard")
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReportConfig:
        """Read the settings from plain data (parsed TOML or JSON)::

            tz = "America/New_York"
            business_hours = "follow-the-sun"

            [calendars.new-york]              # any calendar dict, see the calendar docs
            tz = "America/New_York"
            weekly = { mon-fri = ["08:00-17:00"] }

            [calendars.follow-the-sun]        # a union of calendars named above
            union = ["new-york", "manila"]

            [[policies]]                      # SLA policy dicts; calendar by name
            [[rules]]                         # escalation rule dicts

            [staffing]
            interval = "1h"
            service_level = 0.8
            channels = { chat = { aht = "8m", target = "2m" } }

            [insights]                        # agent comparison and rising topics
            min_count = 20                    # ratings before an agent can be flagged
            q = 0.05                          # false discovery rate of the flags
            baseline_weeks = 4                # rising topics: weeks to compare against
            min_requesters = 5                # rising topics: fewest requesters
            topic_field = "reason"            # a custom field instead of the tags

            [scorecard]                       # the QA scorecard, for --reviews
            name = "Email"
            criteria = [{ name = "Solution", scale = [0, 1], weight = 3, critical = true }]

        Every key is optional.

        Raises:
            ConfigError: naming the path of the bad value (``policies[0].targets``).

        >>> ReportConfig.from_dict({"business_hours": "support"})
        Traceback (most recent call last):
        ...
        servicekit.errors.ConfigError: business_hours: unknown calendar 'support' ...
        """
        data = config_object(data, "", "a table of settings", keys=_KEYS)
        try:
            tz = zone(data.get("tz", "UTC"))
        except ServicekitError as exc:
            raise ConfigError("tz", str(exc)) from exc
        calendars = _read_calendars(data.get("calendars", {}))
        hours = data.get("business_hours")
        policies, rules = data.get("policies"), data.get("rules")
        return cls(
            tz=tz,
            calendars=calendars,
            business_hours=None if hours is None else _calendar(hours, calendars, "business_hours"),
            policies=None
            if policies is None
            else PolicySet.from_dict({"policies": policies}, calendars=calendars),
            rules=None
            if rules is None
            else RuleSet.from_dict({"rules": rules}, calendars=calendars),
            staffing=_read_staffing(data.get("staffing")),
            insights=_read_insights(data.get("insights")),
            scorecard=_read_scorecard(data.get("scorecard")),
        )


def _calendar(value: object, known: Mapping[str, Calendar], path: str) -> Calendar:
    """A calendar name, an inline calendar, or a union/intersection whose parts are
    names or inline calendars."""
    if isinstance(value, Mapping) and len(value) == 1:
        ((operation, parts),) = value.items()
        if operation in ("union", "intersection") and isinstance(parts, list) and len(parts) > 1:
            kind: Literal["union", "intersection"] = (
                "union" if operation == "union" else "intersection"
            )
            found = [_calendar(p, known, f"{path}.{kind}[{i}]") for i, p in enumerate(parts)]
            combined = CombinedCalendar(kind, found[0], found[1])
            for part in found[2:]:
                combined = CombinedCalendar(kind, combined, part)
            return combined
    return calendar_reference(value, known, path)


def _read_calendars(value: object) -> dict[str, Calendar]:
    if not isinstance(value, Mapping):
        raise ConfigError("calendars", f"expected a table of named calendars, got {short(value)}")
    calendars: dict[str, Calendar] = {}
    for name, item in value.items():
        calendars[str(name)] = _calendar(item, calendars, f"calendars.{name}")
    return calendars


def _duration(value: object, path: str) -> timedelta:
    try:
        return checked_duration(path, value, positive=True)
    except InvalidInputError as exc:
        raise ConfigError(path, str(exc).removeprefix(f"{path}: ")) from exc


def _read_staffing(value: object) -> StaffingGoal | None:
    if value is None:
        return None
    value = config_object(value, "staffing", "a table", keys=_STAFFING_KEYS)
    channels = value.get("channels")
    if not isinstance(channels, Mapping) or not channels:
        raise ConfigError(
            "staffing.channels",
            f"expected channels with an aht and a target, got {short(channels)}",
        )
    aht, target = {}, {}
    for channel, item in channels.items():
        path = f"staffing.channels.{channel}"
        if not isinstance(item, Mapping) or set(item) != {"aht", "target"}:
            raise ConfigError(path, f"expected {{aht = ..., target = ...}}, got {short(item)}")
        aht[channel] = _duration(item["aht"], f"{path}.aht")
        target[channel] = _duration(item["target"], f"{path}.target")
    try:
        return StaffingGoal(
            aht=aht,
            target=target,
            service_level=value.get("service_level", 0.8),
            interval=value.get("interval", "1h"),
        )
    except InvalidInputError as exc:
        raise ConfigError("staffing", str(exc)) from exc


def _read_insights(value: object) -> InsightSettings:
    if value is None:
        return InsightSettings()
    value = config_object(value, "insights", "a table", keys=_INSIGHT_KEYS)
    for key, item in value.items():
        try:
            InsightSettings(**{key: item})
        except ServicekitError as exc:
            raise ConfigError(f"insights.{key}", str(exc)) from exc
    return InsightSettings(**value)


def _read_scorecard(value: object) -> Scorecard | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ConfigError(
            "scorecard", f"expected a table with a name and criteria, got {short(value)}"
        )
    try:
        return Scorecard.from_dict(value)
    except ConfigError as exc:
        raise exc.within("scorecard") from None
