"""Whether a team can meet a service-level target over a forecast, and what it would take."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import attrs

from servicekit.durations import format_duration
from servicekit.errors import InvalidInputError, InvalidTypeError, short
from servicekit.staffing._erlang import check_count
from servicekit.staffing._plan import Goal, fewest
from servicekit.staffing._queue import Load, QueueMetrics
from servicekit.staffing._table import StaffingTable, clock_label

_LONGEST_TARGET_SECONDS = 2**40  # about 35,000 years: beyond it, "never"


@attrs.frozen(kw_only=True)
class IntervalCheck:
    """One interval of a :class:`Feasibility` check.

    Attributes:
        start: the interval's offset from midnight of the forecast's first day.
        team: scheduled head count available.
        agents: of those, agents taking contacts after shrinkage.
        required: scheduled head count the goal needs.
        metrics: the predicted performance with ``agents``.
        achievable_target: the shortest answer-time target, in whole seconds, that
            ``agents`` meet at the goal's service level; ``None`` when no target is
            reachable (an unstable queue, or too many callers abandon).
    """

    start: timedelta
    team: int
    agents: int
    required: int
    metrics: QueueMetrics
    achievable_target: timedelta | None

    @property
    def shortfall(self) -> int:
        """Scheduled agents missing (0 when the team suffices)."""
        return max(0, self.required - self.team)

    @property
    def label(self) -> str:
        """The start as a clock time, ``"09:30"``."""
        return clock_label(self.start)


@attrs.frozen(kw_only=True)
class Feasibility:
    """Whether a team meets a staffing table's goal in every interval.

    Attributes:
        service_level: the goal: share of contacts answered within ``target``.
        target: the answer-time target.
        intervals: one :class:`IntervalCheck` per interval of the table.
    """

    service_level: float
    target: timedelta
    intervals: tuple[IntervalCheck, ...]

    @property
    def feasible(self) -> bool:
        """Whether the team covers every interval."""
        return all(check.shortfall == 0 for check in self.intervals)

    @property
    def shortfall(self) -> int:
        """The most scheduled agents missing in any one interval."""
        return max(check.shortfall for check in self.intervals)

    @property
    def worst(self) -> IntervalCheck:
        """The first interval with the largest shortfall (or the lowest service level)."""
        return max(self.intervals, key=lambda c: (c.shortfall, -c.metrics.service_level))

    @property
    def reason(self) -> str:
        """The verdict and what it would take, in a sentence or two."""
        goal = f"{self.service_level:.0%} within {format_duration(self.target)}"
        count = len(self.intervals)
        if self.feasible:
            return f"feasible: the team reaches {goal} in all {count} intervals"
        short = sum(1 for check in self.intervals if check.shortfall)
        worst = self.worst
        text = (
            f"not feasible: {short} of {count} intervals short of {goal}; worst at "
            f"{worst.label}, which needs {worst.required} scheduled and has {worst.team} "
            f"({worst.shortfall} short)"
        )
        if worst.achievable_target is None:
            return f"{text}; there no answer-time target reaches {self.service_level:.0%}"
        reachable = format_duration(worst.achievable_target)
        return f"{text}; there the team reaches {self.service_level:.0%} within {reachable}"


def _shortest_target(load: Load, agents: int, blocking: float, level: float) -> timedelta | None:
    """The shortest target, in whole seconds, that ``agents`` meet at service ``level``."""

    def meets(seconds: int) -> bool:
        target = timedelta(seconds=seconds)
        return load.outcome(agents, blocking, target).service_level >= level

    seconds = fewest(meets, 0, _LONGEST_TARGET_SECONDS)
    return None if seconds is None else timedelta(seconds=seconds)


def _teams(team: int | Iterable[int], count: int) -> list[int]:
    if not isinstance(team, Iterable):
        return [check_count("team", team)] * count
    teams = [check_count(f"team[{index}]", size) for index, size in enumerate(team)]
    if len(teams) != count:
        raise InvalidInputError(f"team: {len(teams)} head counts for {count} intervals")
    return teams


def feasibility(table: StaffingTable, team: int | Iterable[int]) -> Feasibility:
    """Check a team against the goal of a :func:`staffing_table`, interval by interval.

    For each interval: the head count the goal needs, the shortfall, the service level
    the team's productive agents reach, and the shortest answer-time target they could
    promise at the goal's service level instead.

    Args:
        table: the forecast's staffing table (its goal, shrinkage and queue assumptions).
        team: scheduled head count, one for every interval or one per interval.

    Raises:
        InvalidInputError: a negative head count, or a list of the wrong length.

    >>> from servicekit.sla import Target
    >>> from servicekit.staffing import staffing_table
    >>> table = staffing_table([40, 100, 60], interval="30m", aht="3m",
    ...                        target=Target(duration=timedelta(seconds=20)),
    ...                        shrinkage=0.3, start="9h")
    >>> check = feasibility(table, team=16)
    >>> check.feasible, check.shortfall
    (False, 4)
    >>> check.reason
    'not feasible: 1 of 3 intervals short of 80% within 20s; worst at 09:30, ...'
    """
    if not isinstance(table, StaffingTable):
        raise InvalidTypeError(f"table must be a StaffingTable, got {short(table)}")
    teams = _teams(team, len(table.rows))
    goal = Goal(table.service_level, table.max_occupancy, table.shrinkage)
    queue = Load.of(
        calls=0, interval=table.interval, aht=table.aht, target=table.target,
        patience=table.patience,
    )  # fmt: skip
    checks = []
    for row, size in zip(table.rows, teams, strict=True):
        agents = goal.productive(size)
        load = queue.with_calls(row.calls)
        blocking = load.blocking(agents).at(agents)
        checks.append(
            IntervalCheck(
                start=row.start,
                team=size,
                agents=agents,
                required=row.plan.scheduled,
                metrics=load.metrics(agents, blocking),
                achievable_target=_shortest_target(load, agents, blocking, goal.service_level),
            )
        )
    return Feasibility(
        service_level=table.service_level, target=table.target, intervals=tuple(checks)
    )
