"""A forecast of contacts per interval turned into a staffing plan per interval."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import attrs

from servicekit._checks import collection
from servicekit.errors import InvalidInputError
from servicekit.staffing._plan import Goal, StaffingPlan, plan_for
from servicekit.staffing._queue import DurationLike, Load, TargetLike, _duration

_WEEK = timedelta(days=7)


def clock_label(offset: timedelta) -> str:
    """``"09:30"`` for an offset into the day; ``"day 2 09:30"`` past the first day."""
    days, seconds = divmod(int(offset.total_seconds()), 86_400)
    label = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
    return f"day {days + 1} {label}" if days else label


@attrs.frozen(kw_only=True)
class IntervalPlan:
    """One row of a :class:`StaffingTable`: an interval, its forecast and its plan.

    ``start`` is the interval's offset from midnight of the forecast's first day.
    """

    start: timedelta
    calls: float
    plan: StaffingPlan

    @property
    def label(self) -> str:
        """The start as a clock time, ``"09:30"``."""
        return clock_label(self.start)


@attrs.frozen(kw_only=True)
class StaffingTable:
    """A staffing plan for each interval of a forecast.

    Attributes:
        interval: the length of each interval.
        aht, target, patience: the queue assumptions every row shares.
        service_level, max_occupancy, shrinkage: the goal every row meets.
        rows: one :class:`IntervalPlan` per interval, in order.
    """

    interval: timedelta
    aht: timedelta
    target: timedelta
    patience: timedelta | None
    service_level: float
    max_occupancy: float | None
    shrinkage: float
    rows: tuple[IntervalPlan, ...]

    @property
    def peak(self) -> IntervalPlan:
        """The first interval needing the largest scheduled head count."""
        return max(self.rows, key=lambda row: row.plan.scheduled)

    @property
    def scheduled_hours(self) -> float:
        """Agent-hours to schedule over the whole forecast."""
        hours = self.interval / timedelta(hours=1)
        return sum(row.plan.scheduled for row in self.rows) * hours

    def to_rows(self) -> list[dict[str, Any]]:
        """One plain dict per interval, ready for ``pandas.DataFrame(table.to_rows())``."""
        return [
            {
                "start": row.start,
                "calls": row.calls,
                "traffic": row.plan.metrics.traffic,
                "agents": row.plan.agents,
                "scheduled": row.plan.scheduled,
                "service_level": row.plan.metrics.service_level,
                "asa": row.plan.metrics.asa,
                "occupancy": row.plan.metrics.occupancy,
                "p_abandon": row.plan.metrics.p_abandon,
            }
            for row in self.rows
        ]

    def __str__(self) -> str:
        lines = ["start   calls  agents  scheduled  service level  occupancy"]
        for row in self.rows:
            metrics = row.plan.metrics
            lines.append(
                f"{row.label:<7} {row.calls:>5g}  {row.plan.agents:>6}  {row.plan.scheduled:>9}"
                f"  {metrics.service_level:>13.1%}  {metrics.occupancy:>9.1%}"
            )
        return "\n".join(lines)


def staffing_table(
    calls: Iterable[float],
    *,
    interval: DurationLike,
    aht: DurationLike,
    target: TargetLike,
    service_level: float = 0.8,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
    patience: DurationLike | None = None,
    start: DurationLike = 0,
) -> StaffingTable:
    """Plan every interval of a forecast: contacts per interval in, agents per interval out.

    Args:
        calls: contacts expected in each consecutive interval (a list, a NumPy array,
            a pandas Series...).
        start: offset of the first interval from midnight (``"8h"`` for 08:00), under
            a week.
        interval, aht, target, service_level, max_occupancy, shrinkage, patience: as
            for :func:`agents_required`, shared by every interval.

    Raises:
        InvalidInputError: as :func:`agents_required` does, naming the interval
            (``calls[3]``), or no intervals at all.

    >>> table = staffing_table([40, 100, 60], interval="30m", aht="3m", target="20s",
    ...                        shrinkage=0.3, start="9h")
    >>> print(table)
    start   calls  agents  scheduled  service level  occupancy
    09:00      40       7         10          90.3%      57.1%
    09:30     100      14         20          88.8%      71.4%
    10:00      60       9         13          86.0%      66.7%
    >>> table.peak.label, table.scheduled_hours
    ('09:30', 21.5)
    """
    goal = Goal.of(service_level=service_level, max_occupancy=max_occupancy, shrinkage=shrinkage)
    queue = Load.of(calls=0, interval=interval, aht=aht, target=target, patience=patience)
    first = _duration("start", start, positive=False)
    if first >= _WEEK:
        raise InvalidInputError(f"start: an offset from midnight under a week, got {first}")
    rows = []
    for index, forecast in enumerate(collection(calls, "calls")):
        try:
            load = queue.with_calls(forecast)
        except InvalidInputError as error:
            raise InvalidInputError(f"calls[{index}]: {error}") from error
        rows.append(
            IntervalPlan(
                start=first + index * queue.interval, calls=load.calls, plan=plan_for(load, goal)
            )
        )
    if not rows:
        raise InvalidInputError("calls: a forecast needs at least one interval")
    return StaffingTable(
        interval=queue.interval,
        aht=queue.aht,
        target=queue.target,
        patience=queue.patience,
        service_level=goal.service_level,
        max_occupancy=goal.max_occupancy,
        shrinkage=goal.shrinkage,
        rows=tuple(rows),
    )
