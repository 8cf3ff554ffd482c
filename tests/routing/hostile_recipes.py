"""Recipes for every public call of servicekit.routing: each call with a valid set of
arguments, which tests/test_hostile_recipes.py breaks one argument at a time (#20)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from servicekit import Ticket
from servicekit.routing import (
    AgentState,
    Offer,
    OverflowStep,
    Requirements,
    Router,
    Task,
    WeightedCapacity,
    assign,
    by_attribute,
    least_loaded,
    priority_with_aging,
    route,
)
from tests.hostile import Call

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
EARLIER = NOW - timedelta(minutes=10)
ANA = AgentState(
    id="ana",
    skills={"billing": 7},
    languages={"en"},
    groups={"g"},
    capacity={"chat": 2},
    load={"chat": 1},
    last_assigned_at=EARLIER,
    assigned_at_last=1,
    idle_since=EARLIER,
    attributes={"seniority": 3},
)
BO = AgentState(id="bo", weighted=WeightedCapacity(units=5, costs={"chat": 2}))
TASK = Task(
    id="T-1",
    channel="chat",
    arrived_at=EARLIER,
    priority="high",
    skills={"billing": 5},
    optional_skills={"x"},
    language="en",
    groups={"g"},
    preferred_agents=["bo"],
    excluded_agents=["cy"],
)
STEP = OverflowStep(after="5m", lower_skills=2, add_groups={"h"})
ROUTER = Router(
    keys=[least_loaded(), by_attribute("seniority", descending=True)],
    queue=priority_with_aging(rate=2),
    overflow=[STEP],
    sticky=False,
)
REQUIREMENTS = Requirements.of(TASK)
OFFER = Offer(task=TASK, agent_id="ana", offered_at=EARLIER, timeout="1m")

CALLS = [
    Call("route", route, {"task": TASK, "agents": [ANA, BO], "now": NOW, "router": ROUTER}),
    Call("assign", assign, {"queue": [TASK], "agents": [ANA, BO], "now": NOW,
                            "router": ROUTER, "explain": True}),
    Call("AgentState", AgentState, {"id": "a", "status": "online", "skills": {"s": 3},
                                    "languages": ["en"], "groups": ["g"],
                                    "capacity": {"chat": 1}, "load": {"chat": 0},
                                    "last_assigned_at": EARLIER, "assigned_at_last": 1,
                                    "idle_since": EARLIER, "attributes": {"cost": 1.5}}),
    Call("AgentState(weighted)", AgentState, {"id": "a", "units_used": 1,
                                              "weighted": WeightedCapacity(units=2)}),
    Call("AgentState.from_dict", AgentState.from_dict, {"data": ANA.to_dict(), "path": "a"}),
    Call("AgentState.with_assigned", ANA.with_assigned, {"task": TASK, "at": NOW}),
    Call("AgentState.with_released", ANA.with_released, {"task": TASK, "at": NOW}),
    Call("AgentState.room", ANA.room, {"channel": "chat", "priority": "high"}),
    Call("WeightedCapacity", WeightedCapacity, {"units": 3, "costs": {"chat": 2},
                                                "priority_extra": {"urgent": 1}}),
    Call("Task", Task, {"id": "T", "channel": "chat", "arrived_at": NOW, "priority": "low",
                        "skills": {"s": 1}, "optional_skills": ["o"], "language": "en",
                        "groups": ["g"], "preferred_agents": ["a"], "excluded_agents": ["b"]}),
    Call("Task.from_ticket", Task.from_ticket,
         {"ticket": Ticket.create(id="T", at=EARLIER, requester="c"), "arrived_at": NOW,
          "skills": {"s": 2}, "optional_skills": frozenset({"o"}), "language": "en"}),
    Call("Task.excluding", TASK.excluding, {"agent_id": "ana"}),
    Call("Requirements", Requirements, {"channel": "chat", "priority": "high",
                                        "skills": {"s": 1}, "optional_skills": ["o"],
                                        "language": "en", "groups": ["g"]}),
    Call("Offer", Offer, {"task": TASK, "agent_id": "ana", "offered_at": NOW,
                          "timeout": "30s"}),
    Call("Offer.timed_out", OFFER.timed_out, {"now": NOW}),
    Call("Offer.expired", OFFER.expired, {"now": NOW}),
    Call("OverflowStep", OverflowStep, {"after": "5m", "lower_skills": 1, "drop_skills": ["s"],
                                        "any_skills": False, "add_groups": ["g"],
                                        "any_group": False, "any_language": True}),
    Call("Router", Router, {"keys": [least_loaded()], "queue": priority_with_aging(),
                            "overflow": [STEP], "sticky": True}),
    Call("Router.from_dict", Router.from_dict, {"data": ROUTER.to_dict(), "path": "routing"}),
    Call("Router.next_change_at", ROUTER.next_change_at, {"task": TASK, "now": NOW}),
    Call("Router.steps_due", ROUTER.steps_due, {"task": TASK, "now": NOW}),
    Call("Router.requirements_at", ROUTER.requirements_at, {"task": TASK, "now": NOW}),
    Call("priority_with_aging", priority_with_aging, {"rate": 1.5,
                                                      "weights": {"low": 0, "normal": 10,
                                                                  "high": 20, "urgent": 30}}),
    Call("by_attribute", by_attribute, {"attribute": "seniority", "descending": True}),
]  # fmt: skip
NO_ARGUMENTS = {
    "best_skill", "fifo", "has_capacity", "has_skills", "in_groups", "least_loaded", "lifo",
    "longest_idle", "most_spare", "not_excluded", "online", "percent_spare",
    "priority_then_age", "round_robin", "speaks_language",
}  # fmt: skip
RESULTS = NO_ARGUMENTS | {
    "AgentStatus", "Assignment", "Dropped", "Filter", "QueueOrder", "RankKey", "Ranked",
    "RoutingDecision", "Stage",
}  # fmt: skip
"""The argument-free factories, enums, the results :func:`route` and :func:`assign`
build, and the strategy protocols (``Filter.holds``, ``RankKey.value``,
``QueueOrder.key``): a custom strategy implements them, and route and assign call them
only with checked tasks, requirements and agents, so they are not public entry points
of their own."""
