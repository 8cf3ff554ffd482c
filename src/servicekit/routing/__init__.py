"""Routing: eligibility filters, rank keys (the strategies), queue order, overflow and
offers, as pure functions that explain every decision.

>>> from datetime import datetime, timedelta, UTC
>>> from servicekit.routing import AgentState, Task, route
>>> now = datetime(2026, 3, 2, 9, tzinfo=UTC)
>>> agents = [AgentState(id="ana", languages={"de"}), AgentState(id="bo", languages={"en"})]
>>> task = Task(id="T-1", channel="email", language="en", arrived_at=now)
>>> route(task, agents, now=now).agent_id
'bo'
"""

from servicekit.routing._agents import AgentState, AgentStatus, WeightedCapacity
from servicekit.routing._assign import Assignment, assign
from servicekit.routing._decision import Dropped, Ranked, RoutingDecision, Stage
from servicekit.routing._filters import (
    DEFAULT_FILTERS,
    FILTERS,
    Filter,
    has_capacity,
    has_skills,
    in_groups,
    not_excluded,
    online,
    speaks_language,
)
from servicekit.routing._keys import (
    KEYS,
    RankKey,
    best_skill,
    by_attribute,
    least_loaded,
    longest_idle,
    most_spare,
    percent_spare,
    round_robin,
)
from servicekit.routing._offers import Offer
from servicekit.routing._overflow import OverflowStep
from servicekit.routing._queue import (
    DEFAULT_WEIGHTS,
    ORDERS,
    QueueOrder,
    fifo,
    lifo,
    priority_then_age,
    priority_with_aging,
)
from servicekit.routing._route import DEFAULT_ROUTER, route
from servicekit.routing._router import Router
from servicekit.routing._skills import MAX_SKILL_LEVEL
from servicekit.routing._tasks import Requirements, Task

__all__ = [
    "DEFAULT_FILTERS",
    "DEFAULT_ROUTER",
    "DEFAULT_WEIGHTS",
    "FILTERS",
    "KEYS",
    "MAX_SKILL_LEVEL",
    "ORDERS",
    "AgentState",
    "AgentStatus",
    "Assignment",
    "Dropped",
    "Filter",
    "Offer",
    "OverflowStep",
    "QueueOrder",
    "RankKey",
    "Ranked",
    "Requirements",
    "Router",
    "RoutingDecision",
    "Stage",
    "Task",
    "WeightedCapacity",
    "assign",
    "best_skill",
    "by_attribute",
    "fifo",
    "has_capacity",
    "has_skills",
    "in_groups",
    "least_loaded",
    "lifo",
    "longest_idle",
    "most_spare",
    "not_excluded",
    "online",
    "percent_spare",
    "priority_then_age",
    "priority_with_aging",
    "round_robin",
    "route",
    "speaks_language",
]
