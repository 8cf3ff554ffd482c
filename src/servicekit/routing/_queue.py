"""Queue order: which waiting task is routed first. Ties always fall back to arrival
and then task id, so the order is total."""

from __future__ import annotations

import abc
import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from fractions import Fraction
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from servicekit._checks import count, member, short
from servicekit._time import to_us
from servicekit.errors import InvalidInputError
from servicekit.routing._tasks import Task
from servicekit.tickets import Priority

_MINUTE_US = 60_000_000


class QueueOrder(abc.ABC):
    """Orders waiting tasks; lower keys are routed first."""

    name: ClassVar[str]

    def __repr__(self) -> str:
        return f"{self.name}()"

    @abc.abstractmethod
    def key(self, task: Task, now: datetime) -> tuple[Any, ...]:
        """The sort key of ``task`` at ``now`` (ending on arrival and id)."""

    def to_dict(self) -> dict[str, Any] | str:
        """The configuration form :meth:`Router.from_dict` reads."""
        return self.name


@attrs.frozen(repr=False)
class Fifo(QueueOrder):
    """Oldest first, whatever the priority."""

    name: ClassVar[str] = "fifo"

    def key(self, task: Task, now: datetime) -> tuple[Any, ...]:
        return (to_us(task.arrived_at), task.id)


@attrs.frozen(repr=False)
class Lifo(QueueOrder):
    """Newest first, whatever the priority (ties: lower task id first)."""

    name: ClassVar[str] = "lifo"

    def key(self, task: Task, now: datetime) -> tuple[Any, ...]:
        return (-to_us(task.arrived_at), task.id)


@attrs.frozen(repr=False)
class PriorityThenAge(QueueOrder):
    """Highest priority first, oldest first within a priority (strict priority FIFO:
    a steady stream of urgent work can starve low priority; see
    :class:`PriorityWithAging`)."""

    name: ClassVar[str] = "priority_then_age"

    def key(self, task: Task, now: datetime) -> tuple[Any, ...]:
        return (-task.priority.rank, to_us(task.arrived_at), task.id)


DEFAULT_WEIGHTS: Mapping[Priority, int] = MappingProxyType(
    {Priority.LOW: 0, Priority.NORMAL: 15, Priority.HIGH: 30, Priority.URGENT: 60}
)
"""Points per priority for :func:`priority_with_aging`: with the default rate of one
point per minute, an urgent task goes first unless a low one has waited an hour
longer."""


def _rate(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        raise InvalidInputError(f"rate must be points per minute > 0, got {short(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidInputError(f"rate must be a finite number of points per minute, got {value}")
    rate = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    if rate <= 0:
        raise InvalidInputError(f"rate must be points per minute > 0, got {short(value)}")
    return rate


def _weights(value: object) -> Mapping[Priority, int]:
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"weights must map priorities to points, got {short(value)}")
    weights = {
        member(Priority, p): count(points, f"weights[{short(p)}]") for p, points in value.items()
    }
    missing = [str(p) for p in Priority if p not in weights]
    if missing:
        raise InvalidInputError(f"weights: no points for {', '.join(missing)}")
    return MappingProxyType(weights)


@attrs.frozen
class PriorityWithAging(QueueOrder):
    """Highest score first, where score = minutes waiting x ``rate`` + the priority's
    weight: every task gains ``rate`` points a minute, so low priority never starves
    (the "time in queue + priority" scoring of contact-centre routers). Exact: the
    rate is kept as a fraction and scores compare as integers."""

    name: ClassVar[str] = "priority_with_aging"
    rate: Fraction = attrs.field(default=Fraction(1), converter=_rate)
    weights: Mapping[Priority, int] = attrs.field(default=DEFAULT_WEIGHTS, converter=_weights)

    def score(self, task: Task, now: datetime) -> Fraction:
        """The task's score at ``now`` in points."""
        waited = Fraction(to_us(now) - to_us(task.arrived_at), _MINUTE_US)
        return waited * self.rate + self.weights[task.priority]

    def key(self, task: Task, now: datetime) -> tuple[Any, ...]:
        rate = self.rate
        arrived = to_us(task.arrived_at)
        points = self.weights[task.priority] * rate.denominator * _MINUTE_US
        scaled = points + rate.numerator * (to_us(now) - arrived)
        return (-scaled, arrived, task.id)

    def to_dict(self) -> dict[str, Any]:
        rate = int(self.rate) if self.rate.denominator == 1 else float(self.rate)
        weights = {str(p): points for p, points in self.weights.items()}
        return {"type": self.name, "rate": rate, "weights": weights}

    def __repr__(self) -> str:
        return f"priority_with_aging(rate={self.rate})"

    def overtakes_after(self, low: Priority, high: Priority) -> timedelta:
        """How much longer a ``low`` task must have waited to go before a ``high`` one.

        >>> priority_with_aging().overtakes_after(Priority.LOW, Priority.URGENT)
        datetime.timedelta(seconds=3600)
        """
        gap = Fraction(self.weights[high] - self.weights[low]) / self.rate
        return timedelta(microseconds=round(max(gap, Fraction(0)) * _MINUTE_US))


def fifo() -> Fifo:
    """Oldest task first.

    >>> fifo()
    fifo()
    """
    return Fifo()


def lifo() -> Lifo:
    """Newest task first.

    >>> lifo()
    lifo()
    """
    return Lifo()


def priority_then_age() -> PriorityThenAge:
    """Highest priority first, then oldest.

    >>> priority_then_age()
    priority_then_age()
    """
    return PriorityThenAge()


def priority_with_aging(
    rate: float | Fraction = 1,
    weights: Mapping[Priority, int] | Mapping[str, int] = DEFAULT_WEIGHTS,
) -> PriorityWithAging:
    """Highest score first: minutes waiting x ``rate`` + the priority's weight
    (:data:`DEFAULT_WEIGHTS` unless given; every priority needs a weight).

    Raises:
        InvalidInputError: a rate that is not > 0, or weights that miss a priority.

    >>> from datetime import datetime, timedelta, UTC
    >>> now = datetime(2026, 3, 2, 10, tzinfo=UTC)
    >>> old_low = Task(id="a", channel="email", priority="low",
    ...                arrived_at=now - timedelta(minutes=90))
    >>> new_urgent = Task(id="b", channel="email", priority="urgent", arrived_at=now)
    >>> order = priority_with_aging()
    >>> [t.id for t in sorted([new_urgent, old_low], key=lambda t: order.key(t, now))]
    ['a', 'b']
    >>> order.score(old_low, now), order.score(new_urgent, now)
    (Fraction(90, 1), Fraction(60, 1))
    """
    return PriorityWithAging(rate, weights)


ORDERS: dict[str, QueueOrder] = {
    order.name: order for order in (fifo(), lifo(), priority_then_age(), priority_with_aging())
}
"""The queue orders by configuration name (``priority_with_aging`` with its defaults)."""
