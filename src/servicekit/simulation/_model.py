"""What a simulated team is: demand, handling times, customers, agents on shifts, and
the rules they work by. Plain frozen values, checked at construction."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from servicekit._checks import checked_items, member, optional_of
from servicekit._time import zone
from servicekit.calendars import Calendar
from servicekit.calendars._hours import weekday_indexes
from servicekit.durations import checked_duration
from servicekit.errors import ConfigError, InvalidInputError, short
from servicekit.escalation import RuleSet
from servicekit.routing import DEFAULT_ROUTER, AgentState, Router
from servicekit.sla import PolicySet
from servicekit.tickets import Channel, Priority, channel_of

HOURS = 24
_HOUR = timedelta(hours=1)
SCORES = (1, 2, 3, 4, 5)


def _rate(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(path, f"expected contacts per hour (a number), got {short(value)}")
    if value < 0:
        raise ConfigError(path, f"contacts per hour cannot be negative, got {short(value)}")
    return float(value)


def _weekly_rates(value: object) -> tuple[tuple[float, ...], ...]:
    """``{"mon-fri": [24 rates], "sat": 2.0}`` (or one number for every hour) as seven
    days of 24 hourly rates; days not named get no contacts."""
    if not isinstance(value, Mapping):
        rate = _rate(value, "weekly")
        return tuple((rate,) * HOURS for _ in range(7))
    days: list[tuple[float, ...]] = [(0.0,) * HOURS] * 7
    for key, hours in value.items():
        path = f"weekly.{key}"
        if isinstance(hours, list | tuple):
            if len(hours) != HOURS:
                raise ConfigError(path, f"expected {HOURS} hourly rates, got {len(hours)}")
            rates = tuple(_rate(rate, f"{path}[{hour}]") for hour, rate in enumerate(hours))
        else:
            rates = (_rate(hours, path),) * HOURS
        for day in weekday_indexes(key, path):
            days[day] = rates
    return tuple(days)


def _weights(value: object, name: str, key: Any) -> Mapping[Any, float]:
    if not isinstance(value, Mapping) or not value:
        raise InvalidInputError(f"{name} must map each {name[:-1]} to a weight, got {short(value)}")
    weights = {key(item): _rate(weight, f"{name}.{item}") for item, weight in value.items()}
    if sum(weights.values()) <= 0:
        raise InvalidInputError(f"{name} weights must not all be zero, got {short(value)}")
    return weights


def _channels(value: object) -> Mapping[Channel | str, float]:
    return _weights(value, "channels", channel_of)


def _priorities(value: object) -> Mapping[Priority, float]:
    return _weights(value, "priorities", lambda value: member(Priority, value))


@attrs.frozen(kw_only=True)
class Arrivals:
    """Contacts arriving as a Poisson process whose rate is constant within each local
    hour of the week.

    Args:
        weekly: contacts per hour: one number for every hour, or day keys (``"mon"``,
            ``"mon-fri"``) mapped to one number or a list of 24 hourly rates; days not
            named get none.
        tz: the zone whose wall clock the hours are read in (DST-aware).
        channels: the channel mix, as weights (``{"chat": 3, "email": 2}``).
        priorities: the priority mix, as weights.

    >>> arrivals = Arrivals(weekly={"mon-fri": 10}, tz="Europe/Berlin")
    >>> arrivals.per_week
    1200.0
    """

    weekly: tuple[tuple[float, ...], ...] = attrs.field(converter=_weekly_rates)
    tz: ZoneInfo = attrs.field(default=ZoneInfo("UTC"), converter=zone)
    channels: Mapping[Channel | str, float] = attrs.field(
        factory=lambda: {Channel.EMAIL: 1.0}, converter=_channels
    )
    priorities: Mapping[Priority, float] = attrs.field(
        factory=lambda: {Priority.NORMAL: 1.0}, converter=_priorities
    )

    @property
    def per_week(self) -> float:
        """Expected contacts in a week."""
        return sum(map(sum, self.weekly))

    def rate_at(self, t: datetime) -> float:
        """Contacts per hour in force at ``t``."""
        local = t.astimezone(self.tz)
        return self.weekly[local.weekday()][local.hour]

    def next_arrival(self, t: datetime, end: datetime, rng: random.Random) -> datetime | None:
        """The first arrival after ``t`` and before ``end``, or ``None``: exponential
        gaps at the hour's rate, restarting at each hour boundary (exact, as the
        process has no memory). Steps at most one hour at a time to ``end``."""
        while t < end:
            local = t.astimezone(self.tz)
            hour_end = t + timedelta(
                minutes=60 - local.minute, seconds=-local.second, microseconds=-local.microsecond
            )
            rate = self.weekly[local.weekday()][local.hour]
            if rate > 0:
                gap = rng.expovariate(rate)  # hours; compared first, as it may be huge
                if gap < (hour_end - t) / _HOUR:
                    arrival = t + timedelta(hours=gap)
                    return arrival if arrival < end else None
            t = hour_end
        return None


def _sigma(_: object, attribute: attrs.Attribute[float], value: object) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 5
    ):
        raise InvalidInputError(f"sigma must be a number in (0, 5) or None, got {short(value)}")


def _positive_duration(value: object) -> timedelta:
    return checked_duration("handle time mean", value, positive=True)


@attrs.frozen
class HandleTime:
    """How long an agent works on one touch: lognormal with mean ``mean`` and log-scale
    spread ``sigma`` (0.5 is typical of chat), or exponential when ``sigma`` is ``None``
    (the Erlang C assumption).

    >>> HandleTime("6m").mean
    datetime.timedelta(seconds=360)
    >>> HandleTime.exponential("3m").sigma is None
    True
    """

    mean: timedelta = attrs.field(converter=_positive_duration)
    sigma: float | None = attrs.field(default=0.5, validator=_sigma)

    @classmethod
    def exponential(cls, mean: timedelta | str) -> HandleTime:
        """Exponentially distributed handling times of mean ``mean``."""
        return cls(mean, None)

    def draw(self, rng: random.Random) -> timedelta:
        """One handling time."""
        mean = self.mean.total_seconds()
        if self.sigma is None:
            return timedelta(seconds=rng.expovariate(1 / mean))
        mu = math.log(mean) - self.sigma**2 / 2
        return timedelta(seconds=rng.lognormvariate(mu, self.sigma))


def _probability(_: object, attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InvalidInputError(
            f"{attribute.name} must be a probability in [0, 1], got {short(value)}"
        )


def _patience(value: object) -> Mapping[Channel | str, timedelta]:
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"patience must map channels to mean waits, got {short(value)}")
    return {
        channel_of(channel): checked_duration(f"patience.{channel}", mean, positive=True)
        for channel, mean in value.items()
    }


def _delay(value: object) -> timedelta:
    return checked_duration("delay", value, positive=True)


def _scores(value: object) -> tuple[float, ...]:
    if not isinstance(value, list | tuple) or len(value) != len(SCORES):
        raise InvalidInputError(f"expected 5 weights, for scores 1 to 5, got {short(value)}")
    weights = tuple(
        _rate(weight, f"score {score}") for score, weight in zip(SCORES, value, strict=True)
    )
    if sum(weights) <= 0:
        raise InvalidInputError(f"score weights must not all be zero, got {short(value)}")
    return weights


def _touches(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise InvalidInputError(f"max_touches must be 1 to 100, got {short(value)}")


@attrs.frozen(kw_only=True)
class Customers:
    """How customers behave. Probabilities are per occasion; delays are exponential
    with the given mean.

    Args:
        patience: mean patience per live channel (``{"chat": "2m"}``): a contact
            still waiting after its patience abandons. Channels not named wait forever.
        followup: after an agent's reply on an asynchronous channel, the chance the
            customer writes back (the ticket goes ``pending``, then back in the queue).
        followup_delay: mean time until that reply.
        max_touches: agent replies after which a ticket is always solved.
        reopen: the chance a solved ticket is reopened by the customer.
        reopen_delay: mean time until the reopening reply.
        survey: the chance a customer rates a solved ticket.
        survey_delay: mean time until the rating.
        satisfied: weights of the scores 1 to 5 when no SLA target was breached.
        dissatisfied: weights of the scores 1 to 5 after a breach.

    >>> Customers(patience={"chat": "90s"}).patience
    {<Channel.CHAT: 'chat'>: datetime.timedelta(seconds=90)}
    """

    patience: Mapping[Channel | str, timedelta] = attrs.field(factory=dict, converter=_patience)
    followup: float = attrs.field(default=0.0, validator=_probability)
    followup_delay: timedelta = attrs.field(default=timedelta(hours=4), converter=_delay)
    max_touches: int = attrs.field(default=5, validator=_touches)
    reopen: float = attrs.field(default=0.0, validator=_probability)
    reopen_delay: timedelta = attrs.field(default=timedelta(days=1), converter=_delay)
    survey: float = attrs.field(default=0.0, validator=_probability)
    survey_delay: timedelta = attrs.field(default=timedelta(hours=1), converter=_delay)
    satisfied: tuple[float, ...] = attrs.field(default=(2, 3, 10, 35, 50), converter=_scores)
    dissatisfied: tuple[float, ...] = attrs.field(default=(20, 20, 25, 20, 15), converter=_scores)


def _shift(_: object, attribute: attrs.Attribute[Calendar | None], value: object) -> None:
    if value is not None and not isinstance(value, Calendar):
        raise InvalidInputError(f"shift must be a calendar or None (always on), got {short(value)}")


def _agent(_: object, attribute: attrs.Attribute[AgentState], value: object) -> None:
    if not isinstance(value, AgentState):
        raise InvalidInputError(f"agent must be an AgentState, got {short(value)}")


@attrs.frozen
class AgentPlan:
    """An agent and the calendar of their shifts: online while it is open (finishing
    what they hold after it closes), offline otherwise; ``None`` is always on.

    The agent's skills, languages, groups and capacity are routed on; its status and
    load are the simulation's to set.

    >>> from servicekit.routing import AgentState
    >>> AgentPlan(AgentState(id="ana", capacity={"chat": 2})).shift is None
    True
    """

    agent: AgentState = attrs.field(validator=_agent)
    shift: Calendar | None = attrs.field(default=None, validator=_shift)


def _plans(value: object) -> tuple[AgentPlan, ...]:
    plans = checked_items(value, AgentPlan, "agent plan")
    ids = [plan.agent.id for plan in plans]
    if repeated := sorted({i for i in ids if ids.count(i) > 1}):
        raise InvalidInputError(f"agent ids must be unique, repeated: {repeated}")
    return plans


def _handle_times(value: object) -> Mapping[Channel | str, HandleTime]:
    if not isinstance(value, Mapping) or not all(isinstance(v, HandleTime) for v in value.values()):
        raise InvalidInputError(f"handle_times must map channels to HandleTime, got {short(value)}")
    return {channel_of(channel): time for channel, time in value.items()}


def _skills(value: object) -> Mapping[Channel | str, Mapping[str, int]]:
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"skills must map channels to required skills, got {short(value)}")
    return {channel_of(channel): dict(levels) for channel, levels in value.items()}


def _live(value: Iterable[str]) -> frozenset[Channel | str]:
    return frozenset(channel_of(channel) for channel in value)


def _router(_: object, attribute: attrs.Attribute[Router], value: object) -> None:
    if not isinstance(value, Router):
        raise InvalidInputError(f"router must be a Router, got {short(value)}")


@attrs.frozen(kw_only=True)
class Team:
    """A support team to simulate.

    Args:
        agents: the agents and their shifts.
        arrivals: when contacts come, on which channels, at which priorities.
        handle_times: the handling time of one touch, per channel (every channel of
            ``arrivals`` needs one).
        customers: patience, follow-ups, reopens and surveys.
        router: how the queue is ordered and agents are chosen.
        skills: the skills (and levels) a contact needs, per channel.
        policies: SLA policies, read by escalation rules and by satisfaction (a
            breached ticket draws from the ``dissatisfied`` scores).
        rules: escalation rules, evaluated as an app would: after every change to a
            ticket and at each ``next_change_at``, their events appended.
        live_channels: channels answered in one sitting (the first reply is the
            pickup, the contact is solved when handling ends); tickets on any other
            channel get a reply when handling ends.

    Raises:
        InvalidInputError: a channel of ``arrivals`` without a handling time, or a
            value of the wrong kind.
    """

    agents: tuple[AgentPlan, ...] = attrs.field(converter=_plans)
    arrivals: Arrivals = attrs.field(validator=attrs.validators.instance_of(Arrivals))
    handle_times: Mapping[Channel | str, HandleTime] = attrs.field(converter=_handle_times)
    customers: Customers = attrs.field(
        factory=Customers, validator=attrs.validators.instance_of(Customers)
    )
    router: Router = attrs.field(default=DEFAULT_ROUTER, validator=_router)
    skills: Mapping[Channel | str, Mapping[str, int]] = attrs.field(factory=dict, converter=_skills)
    policies: PolicySet | None = attrs.field(
        default=None, validator=optional_of(PolicySet, "policies")
    )
    rules: RuleSet | None = attrs.field(default=None, validator=optional_of(RuleSet, "rules"))
    live_channels: frozenset[Channel | str] = attrs.field(
        default=frozenset({Channel.CHAT, Channel.PHONE}), converter=_live
    )

    def __attrs_post_init__(self) -> None:
        missing = sorted(str(c) for c in self.arrivals.channels if c not in self.handle_times)
        if missing:
            raise InvalidInputError(f"no handle time for channel(s) {missing}")
