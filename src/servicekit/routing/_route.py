"""Routing one task: filter the agents stage by stage, rank the eligible, choose."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from servicekit._checks import instant, of_kind, short
from servicekit.errors import InvalidInputError, InvalidTypeError
from servicekit.routing._agents import AgentState
from servicekit.routing._decision import Dropped, Ranked, RoutingDecision, Stage
from servicekit.routing._router import Router
from servicekit.routing._tasks import Requirements, Task

DEFAULT_ROUTER = Router()
"""Every built-in filter, round robin, priority then age, no overflow, sticky."""


def route(
    task: Task, agents: Iterable[AgentState], *, now: datetime, router: Router = DEFAULT_ROUTER
) -> RoutingDecision:
    """Choose an agent for ``task`` at ``now``, explaining every step.

    The task's requirements are relaxed by the overflow steps due at ``now``; each
    filter then keeps or drops the remaining agents (with the reason); with a sticky
    router the first eligible preferred agent wins; otherwise the eligible are
    ranked by the router's keys and then agent id, and the first is chosen.
    Agents are considered in id order, so the decision never depends on the order
    they are given in.

    Raises:
        InvalidInputError: two agents share an id, or an argument of the wrong kind;
            NaiveDatetimeError: ``now`` without a time zone.

    >>> from datetime import datetime, timedelta, UTC
    >>> from servicekit.routing import AgentState, Task
    >>> now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    >>> agents = [AgentState(id="ana", skills={"billing": 7}, capacity={"chat": 2},
    ...                      last_assigned_at=now - timedelta(minutes=3)),
    ...           AgentState(id="bo", skills={"billing": 4}, capacity={"chat": 2}),
    ...           AgentState(id="cy", skills={"billing": 9}, capacity={"chat": 2},
    ...                      last_assigned_at=now - timedelta(minutes=9))]
    >>> task = Task(id="T-1", channel="chat", skills={"billing": 5},
    ...             arrived_at=now - timedelta(minutes=2))
    >>> decision = route(task, agents, now=now)
    >>> decision.agent_id
    'cy'
    >>> print(decision.explain())
    T-1 (chat, normal, waiting 2m) -> cy
      needs: chat, billing >= 5
      online: kept 3
      has_capacity: kept 3
      has_skills: kept 2, dropped 1: bo (billing 4 < 5)
      speaks_language: kept 2
      in_groups: kept 2
      not_excluded: kept 2
      eligible: online; chat 0/2; billing 9 >= 5; no language required; ...
      ranked by round robin, then agent id:
        1. cy: last assigned 2026-03-02 08:51:00+00:00
        2. ana: last assigned 2026-03-02 08:57:00+00:00
    """
    if not isinstance(task, Task):
        raise InvalidInputError(f"task must be a Task, got {short(task)}")
    now = instant(now, "now")
    of_kind(router, Router, "router")
    requirements, applied = router.requirements_at(task, now)
    candidates = sorted(checked_agents(agents).values(), key=lambda agent: agent.id)
    stages = []
    for check in router.filters:
        kept, dropped = [], []
        for agent in candidates:
            if check.holds(task, requirements, agent):
                kept.append(agent)
            else:
                dropped.append(Dropped(agent.id, check.describe(task, requirements, agent)))
        stages.append(Stage(check.name, tuple(a.id for a in kept), tuple(dropped)))
        candidates = kept
    ranked = sorted(candidates, key=lambda agent: rank_of(router, requirements, agent))
    chosen = preferred(router, task, {agent.id: agent for agent in candidates})
    sticky = chosen is not None
    if chosen is None and ranked:
        chosen = ranked[0]
    return decide(
        router,
        task,
        now,
        (requirements, applied),
        chosen,
        ranked=tuple(ranking(router, requirements, agent) for agent in ranked),
        stages=tuple(stages),
        sticky=sticky,
    )


def checked_agents(agents: Iterable[AgentState]) -> dict[str, AgentState]:
    """The agents by id; every one an :class:`AgentState`, no id twice."""
    if isinstance(agents, AgentState):
        raise InvalidInputError("agents must be a collection of AgentState, got one agent")
    if not isinstance(agents, Iterable) or isinstance(agents, str | bytes | Mapping):
        raise InvalidTypeError(f"agents must be a collection of AgentState, got {short(agents)}")
    found: dict[str, AgentState] = {}
    for agent in agents:
        if not isinstance(agent, AgentState):
            raise InvalidInputError(f"not an AgentState: {short(agent)}")
        if agent.id in found:
            raise InvalidInputError(f"two agents have the id {short(agent.id)}")
        found[agent.id] = agent
    return found


def rank_of(router: Router, requirements: Requirements, agent: AgentState) -> tuple[object, ...]:
    """The agent's full sort key: each rank key's value, then the id."""
    return (*(key.value(requirements, agent) for key in router.keys), agent.id)


def ranking(router: Router, requirements: Requirements, agent: AgentState) -> Ranked:
    """The agent with what each rank key saw."""
    return Ranked(agent.id, tuple(key.describe(requirements, agent) for key in router.keys))


def preferred(router: Router, task: Task, eligible: dict[str, AgentState]) -> AgentState | None:
    """With a sticky router, the task's first preferred agent among ``eligible``."""
    if router.sticky:
        for agent_id in task.preferred_agents:
            if agent_id in eligible:
                return eligible[agent_id]
    return None


def decide(
    router: Router,
    task: Task,
    now: datetime,
    requirements: tuple[Requirements, int],
    chosen: AgentState | None,
    *,
    ranked: tuple[Ranked, ...],
    stages: tuple[Stage, ...],
    sticky: bool,
) -> RoutingDecision:
    """The decision value for ``chosen`` (or nobody)."""
    needs, applied = requirements
    eligibility: tuple[str, ...] = ()
    if chosen is not None:
        eligibility = tuple(check.describe(task, needs, chosen) for check in router.filters)
    return RoutingDecision(
        task=task,
        agent_id=None if chosen is None else chosen.id,
        now=now,
        requirements=needs,
        overflow_steps=applied,
        eligibility=eligibility,
        ranking=ranked,
        stages=stages,
        sticky=sticky,
        ranked_by=router.describe(),
        next_change_at=None if chosen is not None else router.next_change_at(task, now=now),
    )
