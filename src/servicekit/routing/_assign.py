"""Routing a whole queue: in queue order, each task to the best eligible agent, loads
updated as it goes. Agents sit in one heap per distinct set of requirements, so a
task costs a few heap operations instead of a scan of every agent."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

from servicekit._checks import boolean, checked_items, distinct, instant, of_kind
from servicekit.conditions._conditions import earliest
from servicekit.errors import InvalidInputError
from servicekit.routing._agents import AgentState, AgentStatus
from servicekit.routing._decision import RoutingDecision
from servicekit.routing._filters import Filter, HasSkills, InGroups, Online, SpeaksLanguage
from servicekit.routing._route import (
    DEFAULT_ROUTER,
    checked_agents,
    decide,
    preferred,
    rank_of,
    ranking,
    route,
)
from servicekit.routing._router import Router
from servicekit.routing._tasks import Requirements, Task


@attrs.frozen
class Assignment:
    """What :func:`assign` decided: one decision per task in the order they were
    routed, and every agent's snapshot afterwards (in the order given)."""

    decisions: tuple[RoutingDecision, ...]
    agents: tuple[AgentState, ...]

    @property
    def assigned(self) -> Mapping[str, str]:
        """Task id to agent id, for the tasks that found an agent, in routing order."""
        return {d.task.id: d.agent_id for d in self.decisions if d.agent_id is not None}

    @property
    def unassigned(self) -> tuple[Task, ...]:
        """The tasks still waiting, in routing order."""
        return tuple(d.task for d in self.decisions if d.agent_id is None)

    @property
    def next_change_at(self) -> datetime | None:
        """The earliest instant an unassigned task's requirements relax (``None``: only
        a change of agents or a new task can change the answer)."""
        return earliest(d.next_change_at for d in self.decisions)


def assign(
    queue: Iterable[Task],
    agents: Iterable[AgentState],
    *,
    now: datetime,
    router: Router = DEFAULT_ROUTER,
    explain: bool = False,
) -> Assignment:
    """Route every task of ``queue`` at ``now``, in the router's queue order, each
    assignment adding to the agent's load before the next task is routed.

    The result is exactly that of calling :func:`route` task by task with the
    updated agents. With ``explain`` that is what it does, so each decision lists
    every agent considered (slow: each task scans every agent); without it agents
    are kept in heaps and each decision explains only the chosen agent.

    Raises:
        InvalidInputError: two tasks or two agents share an id, or an argument of
            the wrong kind; NaiveDatetimeError: ``now`` without a time zone.

    >>> from datetime import datetime, timedelta, UTC
    >>> from servicekit.routing import AgentState, Task
    >>> now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    >>> agents = [AgentState(id=name, capacity={"chat": 1}) for name in ("ana", "bo")]
    >>> queue = [Task(id=f"T-{n}", channel="chat", arrived_at=now - timedelta(minutes=n))
    ...          for n in (1, 2, 3)]
    >>> result = assign(queue, agents, now=now)
    >>> dict(result.assigned), [t.id for t in result.unassigned]
    ({'T-3': 'ana', 'T-2': 'bo'}, ['T-1'])
    >>> [agent.load["chat"] for agent in result.agents]
    [1, 1]
    """
    now = instant(now, "now")
    of_kind(router, Router, "router")
    boolean("explain", explain)
    current = checked_agents(agents)
    ordered = sorted(_checked_tasks(queue), key=lambda task: router.queue.key(task, now))
    if explain:
        decisions = []
        for task in ordered:
            decision = route(task, current.values(), now=now, router=router)
            if decision.agent_id is not None:
                chosen = current[decision.agent_id]
                current[chosen.id] = chosen.with_assigned(task, now)
            decisions.append(decision)
    else:
        engine = _Engine(router, current, now)
        decisions = [engine.route(task) for task in ordered]
    return Assignment(tuple(decisions), tuple(current.values()))


def _checked_tasks(queue: Iterable[Task]) -> list[Task]:
    if isinstance(queue, Task):
        raise InvalidInputError("queue must be a collection of Task, got one task")
    tasks = checked_items(queue, Task, "task")
    return distinct(tasks, _task_id, "two tasks in the queue have the id {key!r}")


def _task_id(task: Task) -> str:
    return task.id


_Entry = tuple[tuple[object, ...], int]  # (rank ending on agent id, agent version)


class _Pool:
    """The agents that pass the static filters for one set of requirements, in a
    heap by rank. Entries of an agent's earlier versions are skipped when popped."""

    def __init__(self, requirements: Requirements, members: list[AgentState]) -> None:
        self.requirements = requirements
        self.members = {agent.id for agent in members}
        self.gone: set[str] = set()  # dropped by a lasting filter for good
        self.heap: list[_Entry] = []


class _Engine:
    """Routes tasks one by one against agents it updates in place (in ``agents``)."""

    def __init__(self, router: Router, agents: dict[str, AgentState], now: datetime) -> None:
        self.router = router
        self.agents = agents
        self.now = now
        self.index = _Index(router.filters, agents)
        self.dynamic: tuple[Filter, ...] = tuple(f for f in router.filters if not f.static)
        self.pools: dict[Requirements, _Pool] = {}
        self.relaxed: dict[tuple[Requirements, int], Requirements] = {}
        self.pools_of: dict[str, list[_Pool]] = {agent_id: [] for agent_id in agents}
        self.version = dict.fromkeys(agents, 0)

    def route(self, task: Task) -> RoutingDecision:
        applied = self.router.steps_due(task, self.now)
        requirements = Requirements.of(task)
        if applied:
            key = (requirements, applied)
            if key not in self.relaxed:
                self.relaxed[key] = self.router.relaxed(requirements, applied)
            requirements = self.relaxed[key]
        pool = self._pool(task, requirements)
        chosen = self._preferred(task, pool)
        sticky = chosen is not None
        if chosen is None:
            chosen = self._best(task, pool)
        ranked = () if chosen is None else (ranking(self.router, requirements, chosen),)
        decision = decide(
            self.router,
            task,
            self.now,
            (requirements, applied),
            chosen,
            ranked=ranked,
            stages=(),
            sticky=sticky,
        )
        if chosen is not None:
            self._update(chosen.with_assigned(task, self.now))
        return decision

    def _pool(self, task: Task, requirements: Requirements) -> _Pool:
        pool = self.pools.get(requirements)
        if pool is None:
            members = [self.agents[agent_id] for agent_id in self.index.members(task, requirements)]
            pool = _Pool(requirements, members)
            pool.heap = [
                (rank_of(self.router, requirements, agent), self.version[agent.id])
                for agent in members
            ]
            heapq.heapify(pool.heap)
            for agent in members:
                self.pools_of[agent.id].append(pool)
            self.pools[requirements] = pool
        return pool

    def _failing(self, task: Task, pool: _Pool, agent: AgentState) -> Filter | None:
        for check in self.dynamic:
            if not check.holds(task, pool.requirements, agent):
                return check
        return None

    def _preferred(self, task: Task, pool: _Pool) -> AgentState | None:
        if not (self.router.sticky and task.preferred_agents):
            return None
        eligible = {
            agent_id: self.agents[agent_id]
            for agent_id in task.preferred_agents
            if agent_id in pool.members
            and agent_id not in pool.gone
            and self._failing(task, pool, self.agents[agent_id]) is None
        }
        return preferred(self.router, task, eligible)

    def _best(self, task: Task, pool: _Pool) -> AgentState | None:
        aside: list[_Entry] = []
        chosen = None
        while pool.heap:
            entry = heapq.heappop(pool.heap)
            agent_id = str(entry[0][-1])
            if entry[1] != self.version[agent_id] or agent_id in pool.gone:
                continue
            agent = self.agents[agent_id]
            failing = self._failing(task, pool, agent)
            if failing is None:
                chosen = agent
                break
            if failing.lasting:
                pool.gone.add(agent_id)
            else:
                aside.append(entry)
        for entry in aside:
            heapq.heappush(pool.heap, entry)
        return chosen

    def _update(self, agent: AgentState) -> None:
        self.agents[agent.id] = agent
        self.version[agent.id] += 1
        version = self.version[agent.id]
        for pool in self.pools_of[agent.id]:
            if agent.id not in pool.gone:
                heapq.heappush(pool.heap, (rank_of(self.router, pool.requirements, agent), version))


class _Index:
    """Which agents pass a router's static filters for given requirements, by set
    intersection over indexes of status, language, group and skill level (a custom
    static filter is checked agent by agent on what the indexes leave)."""

    def __init__(self, filters: tuple[Filter, ...], agents: Mapping[str, AgentState]) -> None:
        self.filters = tuple(check for check in filters if check.static)
        self.agents = agents
        self.everyone = frozenset(agents)
        self.online = {a.id for a in agents.values() if a.status is AgentStatus.ONLINE}
        self.speaking: dict[str, set[str]] = defaultdict(set)
        self.in_group: dict[str, set[str]] = defaultdict(set)
        self.skilled: dict[str, list[set[str]]] = {}  # skill -> [ids at level >= n]
        for agent in agents.values():
            for language in agent.languages:
                self.speaking[language].add(agent.id)
            for group in agent.groups:
                self.in_group[group].add(agent.id)
            for skill, level in agent.skills.items():
                at_least = self.skilled.setdefault(skill, [set() for _ in range(11)])
                for n in range(level + 1):
                    at_least[n].add(agent.id)

    def members(self, task: Task, requirements: Requirements) -> list[str]:
        """The ids of the agents every static filter holds for, sorted."""
        found: set[str] | frozenset[str] = self.everyone
        for check in self.filters:
            if isinstance(check, Online):
                found = found & self.online
            elif isinstance(check, HasSkills):
                for skill, level in requirements.skills:
                    found = found & (self.skilled[skill][level] if skill in self.skilled else set())
            elif isinstance(check, SpeaksLanguage):
                if requirements.language is not None:
                    found = found & self.speaking.get(requirements.language, set())
            elif isinstance(check, InGroups):
                if requirements.groups:
                    widest = set().union(*(self.in_group.get(g, ()) for g in requirements.groups))
                    found = found & widest
            else:
                agents = self.agents
                found = {i for i in found if check.holds(task, requirements, agents[i])}
        return sorted(found)
