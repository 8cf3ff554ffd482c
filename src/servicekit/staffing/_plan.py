"""The fewest agents that meet a service-level goal, and the head count to schedule."""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from fractions import Fraction

import attrs

from servicekit._checks import fraction
from servicekit.durations import format_duration
from servicekit.errors import InvalidInputError, short
from servicekit.staffing._erlang import MAX_AGENTS
from servicekit.staffing._queue import DurationLike, Load, QueueMetrics, TargetLike


class Limit(enum.StrEnum):
    """What set a plan's agent count."""

    SERVICE_LEVEL = "service level"
    """The service-level goal."""
    OCCUPANCY = "occupancy"
    """The occupancy cap: the goal alone needed fewer agents."""
    NO_CONTACTS = "no contacts"
    """A forecast of no contacts at all: no agents needed."""


@attrs.frozen
class Goal:
    """A staffing goal, checked: service level, optional occupancy cap, and shrinkage."""

    service_level: float
    max_occupancy: float | None
    shrinkage: float
    available: Fraction = attrs.field(init=False)
    """The share of scheduled time agents take contacts, exact as written (``0.3``
    means 3/10, so 14 agents need exactly 20 scheduled)."""

    @available.default
    def _available(self) -> Fraction:
        return 1 - Fraction(str(self.shrinkage))

    @classmethod
    def of(cls, *, service_level: float, max_occupancy: float | None, shrinkage: float) -> Goal:
        cap = max_occupancy
        if cap is not None:
            cap = fraction("max_occupancy", cap, 0.0, 1.0, closed_high=True)
        if isinstance(shrinkage, bool) or not isinstance(shrinkage, int | float):
            raise InvalidInputError(f"shrinkage must be a number, got {short(shrinkage)}")
        if not 0.0 <= shrinkage < 1.0:
            raise InvalidInputError(f"shrinkage must be in [0, 1), got {short(shrinkage)}")
        level = fraction("service_level", service_level, 0.0, 1.0, closed_high=False)
        return cls(level, cap, float(shrinkage))

    def scheduled(self, agents: int) -> int:
        """Head count to schedule so that ``agents`` remain after shrinkage."""
        return math.ceil(agents / self.available)

    def productive(self, team: int) -> int:
        """Agents taking contacts out of a scheduled ``team``."""
        return math.floor(team * self.available)


def fewest(meets: Callable[[int], bool], start: int, limit: int) -> int | None:
    """The smallest ``n`` in ``[start, limit]`` with ``meets(n)``, or ``None``, for a
    predicate that stays true once true: gallop up by doubling steps, then bisect."""
    if meets(start):
        return start
    failing, step = start, 1
    while not meets(probe := min(failing + step, limit)):
        if probe == limit:
            return None
        failing, step = probe, step * 2
    meeting = probe
    while meeting - failing > 1:
        middle = (failing + meeting) // 2
        if meets(middle):
            meeting = middle
        else:
            failing = middle
    return meeting


def _fewest_agents(meets: Callable[[int], bool], start: int, goal: str) -> int:
    agents = fewest(meets, start, MAX_AGENTS)
    if agents is None:
        raise InvalidInputError(f"{goal} is out of reach with up to {MAX_AGENTS:,} agents")
    return agents


@attrs.frozen(kw_only=True)
class StaffingPlan:
    """How many agents one interval needs.

    Attributes:
        agents: the fewest agents taking contacts that meet the goal.
        scheduled: the head count to schedule, ``ceil(agents / (1 - shrinkage))``.
        service_level: the goal: share of contacts answered within the target.
        max_occupancy: the occupancy cap, if any.
        shrinkage: share of scheduled time agents are away (breaks, training).
        limited_by: what set ``agents``.
        metrics: the predicted performance with ``agents``.
    """

    agents: int
    scheduled: int
    service_level: float
    max_occupancy: float | None
    shrinkage: float
    limited_by: Limit
    metrics: QueueMetrics

    @property
    def reason(self) -> str:
        """Why this many agents, in one sentence.

        >>> agents_required(calls=100, interval="30m", aht="3m", target="20s",
        ...                 shrinkage=0.3).reason
        '14 agents answer 88.8% within 20s (goal 80%); schedule 20 for 30% shrinkage'
        """
        if self.limited_by is Limit.NO_CONTACTS:
            return "no contacts forecast: no agents needed"
        metrics = self.metrics
        one = self.agents == 1  # "1 agent answers", "2 agents answer"
        agents, s = (f"{self.agents} agent", "s") if one else (f"{self.agents} agents", "")
        achieved = (
            f"answer{s} {metrics.service_level:.1%} within {format_duration(metrics.target)} "
            f"(goal {self.service_level:.0%})"
        )
        if self.limited_by is Limit.OCCUPANCY:
            text = (
                f"{agents} keep{s} occupancy at {metrics.occupancy:.1%} "
                f"(cap {self.max_occupancy:.0%}) and {achieved}"
            )
        else:
            text = f"{agents} {achieved}"
        if self.shrinkage:
            text += f"; schedule {self.scheduled} for {self.shrinkage:.0%} shrinkage"
        return text


def agents_required(
    *,
    calls: float,
    interval: DurationLike,
    aht: DurationLike,
    target: TargetLike,
    service_level: float = 0.8,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
    patience: DurationLike | None = None,
) -> StaffingPlan:
    """The fewest agents that answer ``service_level`` of contacts within ``target``.

    The search starts where a queue can first keep up (``floor(traffic) + 1`` agents
    in Erlang C; with a ``patience``, Erlang A, where a service level ``s`` needs more
    than ``s * traffic`` agents), extends Erlang B one agent at a time and bisects, so
    the answer is the true minimum: one agent fewer misses the goal.

    Args:
        calls, interval, aht, target, patience: as for :func:`queue_metrics`.
        service_level: goal, in (0, 1).
        max_occupancy: optional cap on occupancy, in (0, 1]; more agents if needed.
        shrinkage: share of scheduled time away from contacts, in [0, 1).

    Raises:
        InvalidInputError: inputs outside those domains, or a goal out of reach
            with :data:`MAX_AGENTS` agents.

    >>> plan = agents_required(calls=100, interval="30m", aht="3m", target="20s",
    ...                        service_level=0.8, shrinkage=0.3)
    >>> plan.agents, plan.scheduled, round(plan.metrics.service_level, 3)
    (14, 20, 0.888)
    """
    load = Load.of(calls=calls, interval=interval, aht=aht, target=target, patience=patience)
    goal = Goal.of(service_level=service_level, max_occupancy=max_occupancy, shrinkage=shrinkage)
    return plan_for(load, goal)


def plan_for(load: Load, goal: Goal) -> StaffingPlan:
    """:func:`agents_required` on checked inputs."""
    limited_by = Limit.NO_CONTACTS
    agents, blocking = 0, 1.0
    if load.traffic > 0:
        lowest = load.traffic if load.patience is None else goal.service_level * load.traffic
        start = math.floor(lowest) + 1
        table = load.blocking(start)
        level = goal.service_level
        agents = _fewest_agents(
            lambda n: load.outcome(n, table.at(n)).service_level >= level,
            start,
            f"a service level of {level:.0%}",
        )
        limited_by = Limit.SERVICE_LEVEL
        cap = goal.max_occupancy
        if cap is not None and load.outcome(agents, table.at(agents)).occupancy > cap:
            agents = _fewest_agents(
                lambda n: load.outcome(n, table.at(n)).occupancy <= cap,
                agents + 1,
                f"an occupancy of at most {cap:.0%}",
            )
            limited_by = Limit.OCCUPANCY
        blocking = table.at(agents)
    return StaffingPlan(
        agents=agents,
        scheduled=goal.scheduled(agents),
        service_level=goal.service_level,
        max_occupancy=goal.max_occupancy,
        shrinkage=goal.shrinkage,
        limited_by=limited_by,
        metrics=load.metrics(agents, blocking),
    )
