"""SLA attainment grouped by metric and priority (the report's SLA section and the
rows of each period of its trend)."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from servicekit.kpi import Proportion, SLAAttainment, sla_attainment
from servicekit.sla import Clock, Metric
from servicekit.tickets import Priority

_METRICS = list(Metric)
_PRIORITIES = list(Priority)


@attrs.frozen(kw_only=True)
class SLARow:
    """SLA attainment of one metric at one priority (the priority in force when the
    clock was evaluated); ``attainment`` counts SLA targets, not tickets.

    >>> from servicekit.kpi import sla_attainment
    >>> SLARow(metric=Metric.FIRST_REPLY, priority=Priority.HIGH,
    ...        attainment=sla_attainment([])).attainment.value is None
    True
    """

    metric: Metric
    priority: Priority
    attainment: SLAAttainment


def sla_rows(clocks: Iterable[Clock]) -> tuple[SLARow, ...]:
    """One row per metric and priority that has clocks, metrics in their order and
    the most urgent priority first."""
    groups: dict[tuple[Metric, Priority], list[Clock]] = {}
    for clock in clocks:
        groups.setdefault((clock.metric, clock.priority), []).append(clock)
    return tuple(
        SLARow(metric=metric, priority=priority, attainment=sla_attainment(group))
        for (metric, priority), group in sorted(
            groups.items(),
            key=lambda item: (_METRICS.index(item[0][0]), -_PRIORITIES.index(item[0][1])),
        )
    )


def by_priority(rows: Iterable[SLARow]) -> dict[Priority, Proportion]:
    """Targets met per priority over all metrics, the most urgent first."""
    met: dict[Priority, list[int]] = {}
    for row in rows:
        pair = met.setdefault(row.priority, [0, 0])
        pair[0] += row.attainment.achieved
        pair[1] += row.attainment.achieved + row.attainment.breached
    return {
        priority: Proportion.of(*met[priority])
        for priority in sorted(met, key=_PRIORITIES.index, reverse=True)
    }
