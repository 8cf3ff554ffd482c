"""route: stages with reasons, stickiness, explanations, determinism; offers; router
configuration from plain dicts."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import ConfigError, InvalidInputError, NaiveDatetimeError
from servicekit.routing import (
    AgentState,
    Offer,
    OverflowStep,
    Router,
    Task,
    by_attribute,
    least_loaded,
    priority_with_aging,
    route,
)
from servicekit.testing.strategies import agent_states, queued_tasks

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
teams = st.lists(agent_states(), max_size=8, unique_by=lambda agent: agent.id)

TEAM = [
    AgentState(id="ana", skills={"billing": 7}, languages={"en"}, capacity={"chat": 2},
               last_assigned_at=NOW - timedelta(minutes=3)),
    AgentState(id="bo", skills={"billing": 8}, languages={"en"}, capacity={"chat": 2},
               load={"chat": 2}),
    AgentState(id="cy", skills={"billing": 9}, languages={"en"}, status="away"),
    AgentState(id="dee", skills={"billing": 6}, languages={"en"}, capacity={"chat": 2},
               last_assigned_at=NOW - timedelta(minutes=8)),
]  # fmt: skip
TASK = Task(id="T-7", channel="chat", skills={"billing": 5}, language="en",
            arrived_at=NOW - timedelta(minutes=2))  # fmt: skip


class TestRoute:
    def test_stages_keep_and_drop_with_reasons(self) -> None:
        decision = route(TASK, TEAM, now=NOW)
        stages = {stage.name: stage for stage in decision.stages}
        assert (
            decision.agent_id,
            stages["online"].kept,
            stages["has_capacity"].kept,
        ) == ("dee", ("ana", "bo", "dee"), ("ana", "dee"))
        assert [f"{d.agent_id}: {d.reason}" for s in decision.stages for d in s.dropped] == [
            "cy: away",
            "bo: chat 2/2 full",
        ]
        assert [ranked.agent_id for ranked in decision.ranking] == ["dee", "ana"]

    def test_explanation(self) -> None:
        assert route(TASK, TEAM, now=NOW).explain() == "\n".join(
            [
                "T-7 (chat, normal, waiting 2m) -> dee",
                "  needs: chat, billing >= 5, speaks en",
                "  online: kept 3, dropped 1: cy (away)",
                "  has_capacity: kept 2, dropped 1: bo (chat 2/2 full)",
                "  has_skills: kept 2",
                "  speaks_language: kept 2",
                "  in_groups: kept 2",
                "  not_excluded: kept 2",
                "  eligible: online; chat 0/2; billing 6 >= 5; speaks en; no group required; "
                "not excluded",
                "  ranked by round robin, then agent id:",
                "    1. dee: last assigned 2026-03-02 11:52:00+00:00",
                "    2. ana: last assigned 2026-03-02 11:57:00+00:00",
            ]
        )

    def test_nobody_eligible(self) -> None:
        decision = route(TASK.excluding("ana").excluding("dee"), TEAM, now=NOW)
        assert (decision.agent_id, decision.ranking) == (None, ())
        assert "-> nobody" in decision.explain().splitlines()[0]

    def test_sticky_preferred_agent_first(self) -> None:
        sticky = attrs.evolve(TASK, preferred_agents=["cy", "ana"])
        decision = route(sticky, TEAM, now=NOW)
        # cy is away, so the first *eligible* preferred agent, ana, wins over dee.
        assert (decision.agent_id, decision.sticky) == ("ana", True)
        assert "sticky: ana is the first eligible preferred agent" in decision.explain()
        plain = route(sticky, TEAM, now=NOW, router=Router(sticky=False))
        assert (plain.agent_id, plain.sticky) == ("dee", False)

    def test_custom_strategy(self) -> None:
        router = Router(keys=[least_loaded(), by_attribute("tenure", descending=True)])
        team = [
            AgentState(id="a", attributes={"tenure": 2}),
            AgentState(id="b", attributes={"tenure": 9}),
            AgentState(id="c", attributes={"tenure": 20}, load={"email": 1}),
        ]
        decision = route(Task(id="x", channel="chat", arrived_at=NOW), team, now=NOW, router=router)
        assert decision.agent_id == "b"
        assert "ranked by least loaded, then by attribute, then agent id:" in decision.explain()

    @pytest.mark.parametrize(
        ("agents", "now", "error", "message"),
        [
            ([AgentState(id="a"), AgentState(id="a")], NOW, InvalidInputError, "two agents"),
            ([{"id": "a"}], NOW, InvalidInputError, "not an AgentState"),
            (AgentState(id="a"), NOW, InvalidInputError, "got one agent"),
            ([], datetime(2026, 3, 2, 12), NaiveDatetimeError, "now needs"),  # noqa: DTZ001
        ],
    )
    def test_bad_arguments(self, agents: Any, now: datetime, error: type, message: str) -> None:
        with pytest.raises(error, match=message):
            route(TASK, agents, now=now)

    @given(queued_tasks(), teams, st.randoms(use_true_random=False))
    def test_agent_order_does_not_matter(
        self, task: Task, team: list[AgentState], rng: random.Random
    ) -> None:
        shuffled = list(team)
        rng.shuffle(shuffled)
        assert route(task, team, now=NOW) == route(task, shuffled, now=NOW)

    @given(queued_tasks(), teams)
    def test_chosen_agent_passes_every_filter(self, task: Task, team: list[AgentState]) -> None:
        decision = route(task, team, now=NOW)
        kept_by_all = set.intersection(
            {a.id for a in team}, *(set(s.kept) for s in decision.stages)
        )
        if decision.agent_id is None:
            assert set() == kept_by_all
        else:
            assert decision.agent_id in kept_by_all
            agent = next(a for a in team if a.id == decision.agent_id)
            assert agent.status == "online"
            assert agent.id not in task.excluded_agents
            assert agent.room(task.channel, task.priority) != 0
            assert all(agent.skills.get(s, 0) >= level for s, level in task.skills.items())


class TestOffers:
    OFFER = Offer(task=TASK, agent_id="dee", offered_at=NOW, timeout="20s")

    def test_reject_keeps_age_and_excludes(self) -> None:
        back = self.OFFER.rejected()
        assert (TASK.arrived_at, frozenset({"dee"})) == (back.arrived_at, back.excluded_agents)
        assert route(back, TEAM, now=NOW).agent_id == "ana"

    def test_timeout_boundary(self) -> None:
        assert not self.OFFER.expired(NOW + timedelta(seconds=19, microseconds=999_999))
        assert self.OFFER.expired(NOW + timedelta(seconds=20))
        with pytest.raises(InvalidInputError, match="not timed out"):
            self.OFFER.timed_out(NOW + timedelta(seconds=10))

    def test_bad_timeout(self) -> None:
        with pytest.raises(InvalidInputError, match="timeout must be longer than zero"):
            Offer(task=TASK, agent_id="dee", offered_at=NOW, timeout="0s")


CONFIG: dict[str, Any] = {
    "filters": ["online", "has_capacity", "has_skills", "not_excluded"],
    "rank": ["best_skill", {"by_attribute": "tenure", "descending": True}, "round_robin"],
    "queue": {"type": "priority_with_aging", "rate": 0.5,
              "weights": {"low": 0, "normal": 10, "high": 20, "urgent": 40}},
    "overflow": [{"after": "10m", "lower_skills": 2}, {"after": "1h", "any_skills": True,
                                                        "add_groups": ["tier2"]}],
    "sticky": False,
}  # fmt: skip


class TestConfig:
    def test_reads_and_writes_back(self) -> None:
        router = Router.from_dict(CONFIG)
        assert router == Router.from_dict(router.to_dict())
        assert router.queue == priority_with_aging(rate=0.5, weights=CONFIG["queue"]["weights"])
        assert OverflowStep(after="1h", any_skills=True, add_groups={"tier2"}) == router.overflow[1]

    def test_defaults(self) -> None:
        assert Router() == Router.from_dict({})

    @pytest.mark.parametrize(
        ("data", "path", "message"),
        [
            ({"filters": ["online", "busy"]}, "routing.filters[1]", "unknown filter 'busy'"),
            ({"filters": "online"}, "routing.filters", "expected a list"),
            ({"rank": [{"by_attribute": ""}]}, "routing.rank[0].by_attribute",
             "attribute must be"),
            ({"rank": [{"by_attribute": "x", "desc": True}]}, "routing.rank[0].desc",
             "unknown key"),
            ({"rank": [{"by_attribute": "x", "descending": 1}]}, "routing.rank[0].descending",
             "true or false"),
            ({"filters": ["online", "online"]}, "routing.filters[1]", "listed twice"),
            ({"queue": "random"}, "routing.queue", "unknown queue order 'random'"),
            ({"queue": {"type": "priority_with_aging", "rate": -1}}, "routing.queue.rate", "rate"),
            ({"queue": {"type": "priority_with_aging", "rate": math.nan}}, "routing.queue.rate",
             "finite"),
            ({"overflow": [{"after": "5m", "lower_skills": -1}]},
             "routing.overflow[0].lower_skills", "whole number"),
            ({"overflow": [{"lower_skills": 1}]}, "routing.overflow[0].after", "missing"),
            ({"overflow": [{"after": "5m", "lower": 1}]}, "routing.overflow[0].lower",
             "unknown key"),
            ({"overflow": [{"after": "5m"}]}, "routing.overflow[0]", "relaxes nothing"),
            ({"overflow": [{"after": "9m", "any_group": True},
                           {"after": "5m", "any_skills": True}]}, "routing.overflow[1].after",
             "increasing order"),
            ({"sticky": "yes"}, "routing.sticky", "expected true or false"),
            ({"strategy": "rr"}, "routing.strategy", "unknown key"),
        ],
    )  # fmt: skip
    def test_errors_name_the_path(self, data: dict[str, Any], path: str, message: str) -> None:
        with pytest.raises(ConfigError, match=message) as caught:
            Router.from_dict(data, "routing")
        assert path == caught.value.path

    @given(
        st.dictionaries(
            st.sampled_from(["filters", "rank", "queue", "overflow", "sticky", "other"]),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=12),
                lambda inner: (
                    st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=3)
                ),
                max_leaves=8,
            ),
        )
    )
    def test_fuzzed_config_is_read_or_rejected_with_a_path(self, data: dict[str, Any]) -> None:
        try:
            router = Router.from_dict(data, "routing")
        except ConfigError as exc:
            error = exc
        else:
            assert router == Router.from_dict(router.to_dict())
            return
        assert error.path.startswith("routing")
