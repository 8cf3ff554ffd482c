"""Staffing math: Erlang B, C and A, the fewest agents for a service level, a staffing
table per forecast interval, and whether a team can meet an SLA target.

Stable for 20,000 agents and beyond: Erlang B by its recursion, Erlang A by a
birth-death sum on a log scale; no factorial, no overflow, no NaN.

>>> from servicekit import staffing
>>> plan = staffing.agents_required(calls=100, interval="30m", aht="3m", target="20s",
...                                 service_level=0.8, shrinkage=0.3)
>>> plan.agents, plan.scheduled
(14, 20)
"""

from servicekit.staffing._erlang import MAX_AGENTS, MAX_TRAFFIC, erlang_b, erlang_c
from servicekit.staffing._feasibility import Feasibility, IntervalCheck, feasibility
from servicekit.staffing._plan import Limit, StaffingPlan, agents_required
from servicekit.staffing._queue import (
    DurationLike,
    HasDuration,
    QueueMetrics,
    TargetLike,
    queue_metrics,
)
from servicekit.staffing._table import IntervalPlan, StaffingTable, staffing_table

__all__ = [
    "MAX_AGENTS",
    "MAX_TRAFFIC",
    "DurationLike",
    "Feasibility",
    "HasDuration",
    "IntervalCheck",
    "IntervalPlan",
    "Limit",
    "QueueMetrics",
    "StaffingPlan",
    "StaffingTable",
    "TargetLike",
    "agents_required",
    "erlang_b",
    "erlang_c",
    "feasibility",
    "queue_metrics",
    "staffing_table",
]
