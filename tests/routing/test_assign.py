"""assign: the indexed engine decides exactly as route task by task, never exceeds
capacity, is deterministic, balances round robin, and aging serves every task."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import InvalidInputError
from servicekit.routing import (
    AgentState,
    Assignment,
    OverflowStep,
    Router,
    Task,
    assign,
    best_skill,
    by_attribute,
    fifo,
    least_loaded,
    lifo,
    longest_idle,
    most_spare,
    not_excluded,
    online,
    percent_spare,
    priority_then_age,
    priority_with_aging,
    round_robin,
    route,
)
from servicekit.routing._filters import Filter
from servicekit.routing._tasks import Requirements
from servicekit.testing.strategies import agent_states, queued_tasks

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
teams = st.lists(agent_states(), max_size=10, unique_by=lambda agent: agent.id)
queues = st.lists(queued_tasks(), max_size=25, unique_by=lambda task: task.id)


class Quiet(Filter):
    """A custom filter that reads the load: drops agents with 2 or more open items."""

    name = "quiet"

    def holds(self, task: Task, requirements: Requirements, agent: AgentState) -> bool:
        return agent.open_items < 2

    def describe(self, task: Task, requirements: Requirements, agent: AgentState) -> str:
        return f"{agent.open_items} open"


routers = st.builds(
    Router,
    keys=st.lists(
        st.sampled_from(
            [round_robin(), longest_idle(), least_loaded(), most_spare(), percent_spare(),
             best_skill(), by_attribute("seniority", descending=True)]
        ),
        max_size=3,
    ),
    queue=st.sampled_from([fifo(), lifo(), priority_then_age(), priority_with_aging()]),
    overflow=st.sampled_from(
        [(), (OverflowStep(after="1h", lower_skills=3),
              OverflowStep(after="3h", any_skills=True, any_group=True))]
    ),
    sticky=st.booleans(),
    filters=st.sampled_from([Router().filters, (*Router().filters, Quiet()), (online(),),
                             (not_excluded(), Quiet())]),
)  # fmt: skip


def sequential(queue: list[Task], team: list[AgentState], router: Router) -> list[str | None]:
    """The oracle: route each task in queue order, adding it to the chosen agent."""
    current = {agent.id: agent for agent in team}
    chosen = []
    for task in sorted(queue, key=lambda t: router.queue.key(t, NOW)):
        agent_id = route(task, current.values(), now=NOW, router=router).agent_id
        if agent_id is not None:
            current[agent_id] = current[agent_id].with_assigned(task, NOW)
        chosen.append(agent_id)
    return chosen


class TestAgreesWithRoute:
    @given(queues, teams, routers)
    def test_indexed_equals_route_task_by_task(
        self, queue: list[Task], team: list[AgentState], router: Router
    ) -> None:
        fast = assign(queue, team, now=NOW, router=router)
        assert sequential(queue, team, router) == [d.agent_id for d in fast.decisions]

    @given(queues, teams, routers)
    def test_explain_gives_the_same_agents_and_snapshots(
        self, queue: list[Task], team: list[AgentState], router: Router
    ) -> None:
        fast = assign(queue, team, now=NOW, router=router)
        slow = assign(queue, team, now=NOW, router=router, explain=True)
        assert (fast.assigned, fast.agents) == (slow.assigned, slow.agents)
        for quick, full in zip(fast.decisions, slow.decisions, strict=True):
            assert (quick.eligibility, quick.sticky, quick.next_change_at) == (
                full.eligibility,
                full.sticky,
                full.next_change_at,
            )
            if not quick.sticky:
                assert quick.ranking == full.ranking[:1]


class TestProperties:
    @given(queues, teams)
    def test_never_beyond_capacity(self, queue: list[Task], team: list[AgentState]) -> None:
        result = assign(queue, team, now=NOW)
        before = {agent.id: agent for agent in team}
        for agent in result.agents:
            for channel, held in agent.load.items():
                if held > before[agent.id].load.get(channel, 0) and agent.capacity is not None:
                    assert held <= agent.capacity.get(channel, 0)
            if agent.weighted is not None and agent.units_used > before[agent.id].units_used:
                assert agent.units_used <= agent.weighted.units

    @given(queues, teams)
    def test_only_eligible_agents(self, queue: list[Task], team: list[AgentState]) -> None:
        by_id = {agent.id: agent for agent in team}
        for decision in assign(queue, team, now=NOW).decisions:
            if decision.agent_id is not None:
                agent, task = by_id[decision.agent_id], decision.task
                assert agent.status == "online"
                assert agent.id not in task.excluded_agents
                assert task.language is None or task.language in agent.languages
                assert not task.groups or task.groups & agent.groups
                assert all(agent.skills.get(s, 0) >= m for s, m in task.skills.items())

    @given(queues, teams, routers)
    def test_same_input_same_output(
        self, queue: list[Task], team: list[AgentState], router: Router
    ) -> None:
        first = assign(queue, team, now=NOW, router=router)
        again = assign(list(reversed(queue)), list(reversed(team)), now=NOW, router=router)
        assert first.decisions == again.decisions
        assert sorted(first.agents, key=lambda a: a.id) == sorted(again.agents, key=lambda a: a.id)

    @given(st.integers(1, 12), st.integers(0, 60))
    def test_round_robin_balances_within_one(self, agents: int, tasks: int) -> None:
        team = [AgentState(id=f"a{n:02d}") for n in range(agents)]
        queue = [Task(id=f"T-{n}", channel="email", arrived_at=NOW - timedelta(seconds=n))
                 for n in range(tasks)]  # fmt: skip
        counts = [a.open_items for a in assign(queue, team, now=NOW, router=Router()).agents]
        assert max(counts) - min(counts) <= 1

    def test_aging_serves_every_task_eventually(self) -> None:
        # One agent takes one task a minute; an urgent task arrives every minute. With
        # strict priority the low task starves; with aging it is served within the
        # weight gap (60 points at 1 point a minute), plus one round.
        for order, served in [(priority_then_age(), False), (priority_with_aging(), True)]:
            router = Router(queue=order)
            start = NOW - timedelta(minutes=1)
            waiting = [Task(id="low", channel="chat", priority="low", arrived_at=start)]
            low_served_at = None
            for minute in range(120):
                now = NOW + timedelta(minutes=minute)
                waiting.append(Task(id=f"u{minute}", channel="chat", priority="urgent",
                                    arrived_at=now))  # fmt: skip
                agent = AgentState(id="solo", capacity={"chat": 1})
                result = assign(waiting, [agent], now=now, router=router)
                if "low" in result.assigned:
                    low_served_at = minute
                    break
                waiting = list(result.unassigned)
            assert served == (low_served_at is not None)
            if served:
                assert low_served_at is not None
                assert low_served_at <= 61


class TestExamples:
    def test_fifo_against_lifo(self) -> None:
        queue = [Task(id=f"T-{n}", channel="chat", arrived_at=NOW - timedelta(minutes=n))
                 for n in (1, 2, 3)]  # fmt: skip
        agent = [AgentState(id="solo", capacity={"chat": 1})]
        assert assign(queue, agent, now=NOW, router=Router(queue=fifo())).assigned == {
            "T-3": "solo"
        }
        assert assign(queue, agent, now=NOW, router=Router(queue=lifo())).assigned == {
            "T-1": "solo"
        }

    def test_balanced_assignment_with_a_limit(self) -> None:
        # Least loaded with a cap of 3 chats: loads fill evenly, then the rest waits.
        team = [AgentState(id="a", capacity={"chat": 3}, load={"chat": 2}),
                AgentState(id="b", capacity={"chat": 3}),
                AgentState(id="c", capacity={"chat": 3}, load={"chat": 1})]  # fmt: skip
        queue = [Task(id=f"T-{n}", channel="chat", arrived_at=NOW - timedelta(minutes=9 - n))
                 for n in range(8)]  # fmt: skip
        result = assign(queue, team, now=NOW, router=Router(keys=[least_loaded()]))
        assert list(result.assigned.values()) == ["b", "b", "c", "a", "b", "c"]
        assert [t.id for t in result.unassigned] == ["T-6", "T-7"]
        assert [a.load["chat"] for a in result.agents] == [3, 3, 3]

    def test_rejection_keeps_the_place_in_line(self) -> None:
        team = [AgentState(id="a", capacity={"chat": 1}), AgentState(id="b", capacity={"chat": 1})]
        old = Task(id="old", channel="chat", arrived_at=NOW - timedelta(minutes=10))
        new = Task(id="new", channel="chat", arrived_at=NOW - timedelta(minutes=1))
        result = assign([new, old.excluding("a")], team, now=NOW, router=Router(queue=fifo()))
        assert result.assigned == {"old": "b", "new": "a"}

    def test_next_check_is_the_earliest_overflow(self) -> None:
        router = Router(overflow=[OverflowStep(after="10m", any_skills=True)])
        queue = [Task(id="x", channel="chat", skills={"sso": 9}, arrived_at=NOW),
                 Task(id="y", channel="chat", skills={"sso": 9},
                      arrived_at=NOW - timedelta(minutes=4))]  # fmt: skip
        result: Assignment = assign(queue, [AgentState(id="a")], now=NOW, router=router)
        assert NOW + timedelta(minutes=6) == result.next_change_at

    def test_fast_explanation_names_only_the_chosen_agent(self) -> None:
        result = assign([Task(id="x", channel="chat", arrived_at=NOW)],
                        [AgentState(id="a"), AgentState(id="b")], now=NOW)  # fmt: skip
        decision = result.decisions[0]
        assert (decision.detailed, decision.agent_id) == (False, "a")
        assert "1. a: never assigned" in decision.explain()

    def test_duplicate_tasks(self) -> None:
        task = Task(id="x", channel="chat", arrived_at=NOW)
        with pytest.raises(InvalidInputError, match="two tasks in the queue have the id 'x'"):
            assign([task, task], [], now=NOW)
