"""Filters, rank keys (the strategies), queue orders and overflow steps, one by one,
including the documented vendor examples."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import InvalidInputError
from servicekit.routing import (
    AgentState,
    Filter,
    OverflowStep,
    Requirements,
    Router,
    Task,
    WeightedCapacity,
    best_skill,
    by_attribute,
    fifo,
    has_capacity,
    has_skills,
    in_groups,
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
from servicekit.routing._keys import RankKey
from servicekit.testing.strategies import queued_tasks
from servicekit.tickets import Priority

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
CHAT = Requirements(channel="chat")


def task(**fields: object) -> Task:
    arguments: dict[str, object] = {"id": "T-1", "channel": "chat", "arrived_at": NOW}
    return Task(**(arguments | fields))  # type: ignore[arg-type]


def order(key: RankKey, agents: list[AgentState], requirements: Requirements = CHAT) -> list[str]:
    ranked = sorted(agents, key=lambda agent: (key.value(requirements, agent), agent.id))
    return [agent.id for agent in ranked]


class TestFilters:
    @pytest.mark.parametrize(
        ("check", "agent", "work", "kept", "why"),
        [
            (online(), AgentState(id="a", status="away"), task(), False, "away"),
            (has_capacity(), AgentState(id="a", capacity={"chat": 2}, load={"chat": 2}), task(),
             False, "chat 2/2 full"),
            (has_capacity(), AgentState(id="a", capacity={"email": 2}), task(), False,
             "takes no chat"),
            (has_capacity(), AgentState(id="a", units_used=2,
                                        weighted=WeightedCapacity(units=4, costs={"chat": 3})),
             task(), False, "units 2/4, needs 3"),
            (has_capacity(), AgentState(id="a"), task(), True, "no capacity limit"),
            (has_skills(), AgentState(id="a", skills={"billing": 4}), task(skills={"billing": 5}),
             False, "billing 4 < 5"),
            (has_skills(), AgentState(id="a", skills={"billing": 5}), task(skills={"billing": 5}),
             True, "billing 5 >= 5"),
            (has_skills(), AgentState(id="a"), task(skills={"sso": 1}), False, "sso 0 < 1"),
            (in_groups(), AgentState(id="a", groups={"tier2"}), task(groups={"tier1", "vip"}),
             False, "not in tier1, vip"),
            (in_groups(), AgentState(id="a", groups={"vip"}), task(groups={"tier1", "vip"}),
             True, "in vip"),
            (not_excluded(), AgentState(id="a"), task(excluded_agents={"a"}), False,
             "rejected or let an offer time out"),
        ],
    )  # fmt: skip
    def test_verdict_and_reason(
        self, check: Filter, agent: AgentState, work: Task, kept: bool, why: str
    ) -> None:
        requirements = Requirements.of(work)
        assert (kept, why) == (
            check.holds(work, requirements, agent),
            check.describe(work, requirements, agent),
        )

    def test_language(self) -> None:
        speaker = AgentState(id="a", languages={"de"})
        decision = route(task(language="fr"), [speaker], now=NOW)
        assert decision.agent_id is None
        assert decision.stages[3].dropped[0].reason == "does not speak fr"


class TestRankKeys:
    def test_round_robin_least_recently_assigned_never_first(self) -> None:
        agents = [
            AgentState(id="a", last_assigned_at=NOW - timedelta(minutes=1)),
            AgentState(id="b"),
            AgentState(id="c", last_assigned_at=NOW - timedelta(minutes=9)),
        ]
        assert order(round_robin(), agents) == ["b", "c", "a"]

    def test_longest_idle_busy_last(self) -> None:
        agents = [
            AgentState(id="a"),
            AgentState(id="b", idle_since=NOW - timedelta(minutes=2)),
            AgentState(id="c", idle_since=NOW - timedelta(minutes=20)),
        ]
        assert order(longest_idle(), agents) == ["c", "b", "a"]

    def test_least_loaded_counts_every_channel(self) -> None:
        agents = [
            AgentState(id="a", load={"chat": 1, "email": 3}),
            AgentState(id="b", load={"chat": 2}),
        ]
        assert order(least_loaded(), agents) == ["b", "a"]

    def test_spare_capacity_against_percentage_spare(self) -> None:
        # The vendors' example: capacity 10 with 6 taken has the most spare (4), but
        # capacity 3 with nothing taken has the highest share spare (100 % > 40 %).
        big = AgentState(id="big", capacity={"chat": 10}, load={"chat": 6})
        small = AgentState(id="small", capacity={"chat": 3})
        assert order(most_spare(), [big, small]) == ["big", "small"]
        assert order(percent_spare(), [big, small]) == ["small", "big"]

    def test_weighted_spare_is_in_units(self) -> None:
        weighted = WeightedCapacity(units=10)
        agents = [
            AgentState(id="a", weighted=weighted, units_used=7),
            AgentState(id="b", weighted=weighted, units_used=2),
            AgentState(id="c"),
        ]
        assert order(most_spare(), agents) == ["c", "b", "a"]
        assert most_spare().describe(CHAT, agents[1]) == "8 units spare"

    def test_best_skill_sums_required_and_optional(self) -> None:
        needs = Requirements(channel="chat", skills={"billing": 3}, optional_skills={"api"})
        agents = [
            AgentState(id="a", skills={"billing": 9}),
            AgentState(id="b", skills={"billing": 6, "api": 5}),
        ]
        assert order(best_skill(), agents, needs) == ["b", "a"]
        assert best_skill().describe(needs, agents[1]) == "skill score 11"

    def test_attribute_order_missing_last(self) -> None:
        agents = [
            AgentState(id="a", attributes={"seniority": 3}),
            AgentState(id="b"),
            AgentState(id="c", attributes={"seniority": 8}),
        ]
        assert order(by_attribute("seniority"), agents) == ["a", "c", "b"]
        assert order(by_attribute("seniority", descending=True), agents) == ["c", "a", "b"]

    def test_attribute_text_descending(self) -> None:
        agents = [AgentState(id=i, attributes={"site": site}) for i, site in [("a", "lis"),
                  ("b", "ams"), ("c", "nyc")]]  # fmt: skip
        assert order(by_attribute("site", descending=True), agents) == ["c", "a", "b"]

    def test_ties_fall_to_agent_id(self) -> None:
        agents = [AgentState(id=name) for name in ("c", "a", "b")]
        assert route(task(), agents, now=NOW).agent_id == "a"


class TestQueueOrders:
    QUEUE = (
        task(id="old-low", priority="low", arrived_at=NOW - timedelta(minutes=30)),
        task(id="new-urgent", priority="urgent", arrived_at=NOW - timedelta(minutes=1)),
        task(id="mid-normal", priority="normal", arrived_at=NOW - timedelta(minutes=10)),
    )

    @pytest.mark.parametrize(
        ("queue_order", "expected"),
        [
            (fifo(), ["old-low", "mid-normal", "new-urgent"]),
            (lifo(), ["new-urgent", "mid-normal", "old-low"]),
            (priority_then_age(), ["new-urgent", "mid-normal", "old-low"]),
            # scores: old-low 30, new-urgent 61, mid-normal 25
            (priority_with_aging(), ["new-urgent", "old-low", "mid-normal"]),
            # rate 3: old-low 90, new-urgent 63, mid-normal 45
            (priority_with_aging(rate=3), ["old-low", "new-urgent", "mid-normal"]),
        ],
    )
    def test_orders(self, queue_order: object, expected: list[str]) -> None:
        router = Router(queue=queue_order)
        ordered = sorted(self.QUEUE, key=lambda t: router.queue.key(t, NOW))
        assert expected == [t.id for t in ordered]

    @given(
        st.lists(queued_tasks(), min_size=2, max_size=8), st.sampled_from([Fraction(1, 3), 1, 2.5])
    )
    def test_aging_key_is_the_score_exactly(self, tasks: list[Task], rate: float) -> None:
        aging = priority_with_aging(rate=rate)
        by_key = sorted(tasks, key=lambda t: aging.key(t, NOW))
        by_score = sorted(tasks, key=lambda t: (-aging.score(t, NOW), t.arrived_at, t.id))
        assert [t.id for t in by_score] == [t.id for t in by_key]

    def test_overtaking_delay(self) -> None:
        aging = priority_with_aging(rate=0.5, weights={"low": 0, "normal": 5, "high": 10,
                                                       "urgent": 20})  # fmt: skip
        assert timedelta(minutes=40) == aging.overtakes_after(Priority.LOW, Priority.URGENT)

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            ({"rate": 0}, "rate must be points per minute > 0"),
            ({"rate": True}, "rate must be"),
            ({"weights": {"low": 0, "normal": 1}}, "no points for high, urgent"),
            ({"weights": {"low": 0, "normal": 1, "high": 2, "urgent": 3, "top": 9}},
             "'top' is not a valid priority"),
        ],
    )  # fmt: skip
    def test_bad_aging(self, arguments: dict[str, object], message: str) -> None:
        with pytest.raises(InvalidInputError, match=message):
            priority_with_aging(**arguments)  # type: ignore[arg-type]


class TestOverflow:
    ROUTER = Router(
        overflow=[
            OverflowStep(after="5m", lower_skills=2),
            OverflowStep(after="15m", add_groups={"tier2"}),
            OverflowStep(after="1h", any_skills=True, any_language=True),
        ]
    )
    TASK = task(skills={"billing": 6, "sso": 2}, groups={"tier1"}, language="de",
                arrived_at=NOW)  # fmt: skip

    @pytest.mark.parametrize(
        ("waited", "steps", "skills", "groups", "language"),
        [
            (timedelta(minutes=4, seconds=59), 0, {"billing": 6, "sso": 2}, {"tier1"}, "de"),
            (timedelta(minutes=5), 1, {"billing": 4, "sso": 1}, {"tier1"}, "de"),
            (timedelta(minutes=15), 2, {"billing": 4, "sso": 1}, {"tier1", "tier2"}, "de"),
            (timedelta(hours=1), 3, {}, {"tier1", "tier2"}, None),
        ],
    )
    def test_cumulative_steps_from_arrival(
        self,
        waited: timedelta,
        steps: int,
        skills: dict[str, int],
        groups: set[str],
        language: str | None,
    ) -> None:
        needs, applied = self.ROUTER.requirements_at(self.TASK, NOW + waited)
        assert (steps, skills, groups, language) == (
            applied,
            needs.skill_levels,
            set(needs.groups),
            needs.language,
        )

    def test_next_check_is_the_next_step(self) -> None:
        decision = route(self.TASK, [], now=NOW + timedelta(minutes=6), router=self.ROUTER)
        assert NOW + timedelta(minutes=15) == decision.next_change_at
        last = route(self.TASK, [], now=NOW + timedelta(hours=2), router=self.ROUTER)
        assert last.next_change_at is None

    def test_overflow_reaches_a_junior_agent(self) -> None:
        junior = AgentState(id="junior", skills={"billing": 4, "sso": 1}, groups={"tier1"},
                            languages={"de"})  # fmt: skip
        assert (
            route(self.TASK, [junior], now=NOW + timedelta(minutes=4), router=self.ROUTER).agent_id
            is None
        )
        late = route(self.TASK, [junior], now=NOW + timedelta(minutes=5), router=self.ROUTER)
        assert (late.agent_id, late.overflow_steps) == ("junior", 1)

    def test_group_widening_keeps_any_group_tasks_open(self) -> None:
        relaxed = OverflowStep(after="1m", add_groups={"tier2"}).relax(CHAT)
        assert frozenset() == relaxed.groups

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            ({"after": "0s", "lower_skills": 1}, "after must be longer than zero"),
            ({"after": "5m"}, "relaxes nothing"),
            ({"after": "5m", "any_group": "yes"}, "any_group must be true or false"),
        ],
    )
    def test_bad_steps(self, arguments: dict[str, object], message: str) -> None:
        with pytest.raises(InvalidInputError, match=message):
            OverflowStep(**arguments)  # type: ignore[arg-type]

    def test_steps_in_order(self) -> None:
        with pytest.raises(InvalidInputError, match="increasing order"):
            Router(overflow=[OverflowStep(after="10m", any_group=True),
                             OverflowStep(after="5m", any_skills=True)])  # fmt: skip
