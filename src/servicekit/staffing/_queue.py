"""A queue's predicted performance for one interval: the inputs, checked, and the metrics."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol, runtime_checkable

import attrs

from servicekit.durations import checked_duration, format_duration
from servicekit.staffing._erlang import (
    BlockingTable,
    Outcome,
    _check_traffic,
    check_count,
    check_number,
    erlang_a_outcome,
    erlang_c_outcome,
)

DurationLike = timedelta | str | int
"""A duration as :func:`~servicekit.parse_duration` reads it: ``"3m"``, ``"PT20S"``, a
``timedelta`` or whole seconds."""


@runtime_checkable
class HasDuration(Protocol):
    """Anything with a ``duration``, such as an SLA policy's
    :class:`~servicekit.sla.Target` (staffing need not know SLA policies)."""

    @property
    def duration(self) -> timedelta:
        """The target duration."""


TargetLike = HasDuration | DurationLike
"""An answer-time target: a duration, or anything with a ``duration`` such as an SLA
policy's :class:`~servicekit.sla.Target` (its duration is used; the queue is assumed
staffed while the clock runs)."""

_MICROSECOND = timedelta(microseconds=1)


def _duration(name: str, value: object, *, positive: bool) -> timedelta:
    """A duration argument; an SLA :class:`~servicekit.sla.Target` counts as its duration."""
    if isinstance(value, HasDuration):
        value = value.duration
    return checked_duration(name, value, positive=positive)


@attrs.frozen
class Load:
    """One interval's offered work, checked: what every staffing function starts from."""

    calls: float
    interval: timedelta
    aht: timedelta
    target: timedelta
    patience: timedelta | None
    traffic: float  # erlangs: calls x aht / interval

    @classmethod
    def of(
        cls,
        *,
        calls: float,
        interval: DurationLike,
        aht: DurationLike,
        target: TargetLike,
        patience: DurationLike | None,
    ) -> Load:
        """Check every input; errors name the argument."""
        return cls(
            calls=0.0,
            interval=_duration("interval", interval, positive=True),
            aht=_duration("aht", aht, positive=True),
            target=_duration("target", target, positive=False),
            patience=None if patience is None else _duration("patience", patience, positive=True),
            traffic=0.0,
        ).with_calls(calls)

    def with_calls(self, calls: float) -> Load:
        """The same queue with ``calls`` contacts in the interval."""
        count = check_number("calls", calls)
        traffic = count * (self.aht / _MICROSECOND) / (self.interval / _MICROSECOND)
        return attrs.evolve(self, calls=count, traffic=_check_traffic(traffic))

    def blocking(self, first: int) -> BlockingTable:
        """Erlang B for this traffic from ``first`` agents up."""
        return BlockingTable(self.traffic, first)

    def outcome(self, agents: int, blocking: float, target: timedelta | None = None) -> Outcome:
        """The model's prediction with ``agents`` (Erlang A when there is a patience)."""
        tau = (self.target if target is None else target) / self.aht
        if self.patience is None:
            return erlang_c_outcome(self.traffic, agents, blocking, tau)
        return erlang_a_outcome(self.traffic, agents, blocking, tau, self.patience / self.aht)

    def metrics(self, agents: int, blocking: float) -> QueueMetrics:
        outcome = self.outcome(agents, blocking)
        return QueueMetrics(
            agents=agents,
            traffic=self.traffic,
            target=self.target,
            patience=self.patience,
            p_wait=outcome.p_wait,
            service_level=outcome.service_level,
            asa=None if outcome.wait is None else _ahts(self.aht, outcome.wait),
            occupancy=outcome.occupancy,
            p_abandon=outcome.p_abandon,
        )


def _ahts(aht: timedelta, count: float) -> timedelta | None:
    """``count`` handling times, or ``None`` past what a ``timedelta`` holds (a queue a
    hair's breadth from unstable waits millions of years)."""
    try:
        return aht * count
    except OverflowError:
        return None


@attrs.frozen(kw_only=True)
class QueueMetrics:
    """What a team of ``agents`` can expect in one interval.

    Attributes:
        agents: agents taking contacts (after shrinkage).
        traffic: offered load in erlangs (calls x AHT / interval).
        target: the answer-time target the service level counts against.
        patience: callers' mean patience (Erlang A), or ``None`` (Erlang C).
        p_wait: probability that a contact waits at all.
        service_level: share of *all* offered contacts answered within ``target``
            (a contact that abandons counts as missed).
        asa: average speed of answer of answered contacts, including those answered
            at once; ``None`` when the queue is unstable (Erlang C with
            ``agents <= traffic``), no contact is answered, or the average is beyond
            a ``timedelta``'s range.
        occupancy: share of the agents' time spent handling contacts.
        p_abandon: probability that a contact hangs up before an answer (0 in Erlang C).
    """

    agents: int
    traffic: float
    target: timedelta
    patience: timedelta | None
    p_wait: float
    service_level: float
    asa: timedelta | None
    occupancy: float
    p_abandon: float

    @property
    def stable(self) -> bool:
        """Whether waits stay finite: more agents than erlangs, or callers who abandon."""
        return self.patience is not None or self.agents > self.traffic or self.traffic == 0

    @property
    def reason(self) -> str:
        """The prediction in one sentence a support lead can read.

        >>> queue_metrics(calls=100, interval="30m", aht="3m", agents=10, target="20s").reason
        'unstable: 10 agents cannot keep up with 10 erlangs; waits grow without bound'
        """
        team = f"{self.agents} agent{'s' if self.agents != 1 else ''}"
        load = f"{self.traffic:.4g} erlangs"
        if not self.stable:
            return f"unstable: {team} cannot keep up with {load}; waits grow without bound"
        parts = [
            f"{team} on {load}: {self.service_level:.1%} answered within "
            f"{format_duration(self.target)}",
            f"{self.p_wait:.1%} wait",
        ]
        if self.asa is not None:
            parts.append(f"ASA {format_duration(_tenths(self.asa))}")
        if self.patience is not None:
            parts.append(f"{self.p_abandon:.1%} abandon")
        parts.append(f"occupancy {self.occupancy:.1%}")
        return ", ".join(parts)


def _tenths(duration: timedelta) -> timedelta:
    """``duration`` to the nearest tenth of a second, for reading."""
    return timedelta(seconds=round(duration.total_seconds(), 1))


def queue_metrics(
    *,
    calls: float,
    interval: DurationLike,
    aht: DurationLike,
    agents: int,
    target: TargetLike,
    patience: DurationLike | None = None,
) -> QueueMetrics:
    """Predict service level, waiting, ASA, occupancy and abandonment for one interval.

    Erlang C (callers wait as long as it takes) unless a mean ``patience`` is given,
    then Erlang A (M/M/N+M: callers hang up after an exponentially distributed
    patience), computed by a stable birth-death sum.

    Args:
        calls: contacts expected in the interval, >= 0.
        interval: the interval's length (``"30m"``).
        aht: average handling time, > 0.
        agents: agents taking contacts, >= 0.
        target: answer-time target, or an SLA :class:`~servicekit.sla.Target`.
        patience: callers' mean patience before hanging up, > 0.

    Raises:
        InvalidInputError: negative calls, a zero interval or AHT, a negative target,
            a negative agent count, or traffic beyond
            :data:`~servicekit.staffing.MAX_TRAFFIC`.

    >>> m = queue_metrics(calls=100, interval="30m", aht="3m", agents=14, target="20s")
    >>> round(m.service_level, 4), m.asa, round(m.occupancy, 4)
    (0.8884, datetime.timedelta(seconds=7, microseconds=835937), 0.7143)
    >>> m.reason
    '14 agents on 10 erlangs: 88.8% answered within 20s, 17.4% wait, ASA 7.8s, occupancy 71.4%'
    """
    agents = check_count("agents", agents)
    load = Load.of(calls=calls, interval=interval, aht=aht, target=target, patience=patience)
    return load.metrics(agents, load.blocking(agents).at(agents))
