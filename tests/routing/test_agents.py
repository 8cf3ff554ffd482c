"""Agent snapshots: checked fields, capacity arithmetic, load updates, plain-dict form."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given

from servicekit.errors import ConfigError, InvalidInputError, NaiveDatetimeError
from servicekit.routing import AgentState, AgentStatus, Task, WeightedCapacity
from servicekit.testing.strategies import agent_states, queued_tasks
from servicekit.tickets import Priority

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


def task(channel: str = "chat", priority: str = "normal") -> Task:
    return Task(id="T-1", channel=channel, priority=priority, arrived_at=NOW)


class TestValidation:
    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            ({"id": ""}, "id must be a non-empty name"),
            ({"id": "a", "status": "busy"}, "'busy' is not a valid agentstatus"),
            ({"id": "a", "skills": {"billing": 11}}, r"skills\['billing'\] must be a level"),
            ({"id": "a", "skills": {"billing": -1}}, "must be a whole number >= 0"),
            ({"id": "a", "capacity": {"chat": 1.5}}, r"capacity\['chat'\] must be a whole"),
            ({"id": "a", "load": {"chat": True}}, "must be a whole number"),
            ({"id": "a", "languages": ["en", " de"]}, "languages must be a non-empty name"),
            ({"id": "a", "attributes": {"tier": [1]}}, "must be a number or text"),
            ({"id": "a", "weighted": {"units": 3}}, "weighted must be a WeightedCapacity"),
        ],
    )
    def test_bad_fields_are_named(self, arguments: dict[str, object], message: str) -> None:
        with pytest.raises(InvalidInputError, match=message):
            AgentState(**arguments)  # type: ignore[arg-type]

    def test_naive_instant(self) -> None:
        with pytest.raises(NaiveDatetimeError, match="last_assigned_at"):
            AgentState(id="a", last_assigned_at=datetime(2026, 3, 2, 9))  # noqa: DTZ001

    def test_weighted_units_at_least_one(self) -> None:
        with pytest.raises(InvalidInputError, match="units must be at least 1"):
            WeightedCapacity(units=0)


class TestCapacity:
    def test_per_channel_room(self) -> None:
        agent = AgentState(id="a", capacity={"chat": 3, "email": 5}, load={"chat": 3})
        assert (
            agent.room("chat", Priority.LOW),
            agent.room("email", Priority.LOW),
            agent.room("phone", Priority.LOW),
        ) == (0, 5, 0)

    def test_no_limits_is_unlimited(self) -> None:
        assert AgentState(id="a", load={"chat": 40}).room("chat", Priority.URGENT) is None

    def test_weighted_room_counts_priority_extra(self) -> None:
        weighted = WeightedCapacity(units=10, costs={"chat": 3}, priority_extra={"urgent": 1})
        agent = AgentState(id="a", weighted=weighted, units_used=2)
        assert agent.room("chat", Priority.NORMAL) == 2  # 8 units left, 3 each
        assert agent.room("chat", Priority.URGENT) == 2  # 4 each
        assert agent.room("email", Priority.NORMAL) == 8  # unlisted channel costs 1

    def test_both_limits_apply(self) -> None:
        agent = AgentState(
            id="a", capacity={"chat": 5}, weighted=WeightedCapacity(units=4, costs={"chat": 2})
        )
        assert agent.room("chat", Priority.NORMAL) == 2

    def test_spare_and_share(self) -> None:
        big = AgentState(id="big", capacity={"chat": 10}, load={"chat": 6})
        small = AgentState(id="small", capacity={"chat": 3})
        assert (big.spare("chat"), small.spare("chat")) == (4, 3)
        assert (Fraction(2, 5), Fraction(1)) == (big.spare_share("chat"), small.spare_share("chat"))

    def test_over_capacity_has_no_room(self) -> None:
        agent = AgentState(id="a", capacity={"chat": 2}, load={"chat": 5})
        assert (0, Fraction(0)) == (agent.room("chat", Priority.LOW), agent.spare_share("chat"))


class TestLoadUpdates:
    def test_assigned_then_released(self) -> None:
        weighted = WeightedCapacity(units=10, costs={"chat": 3})
        agent = AgentState(id="a", weighted=weighted, idle_since=NOW - timedelta(hours=1))
        busy = agent.with_assigned(task(), NOW)
        assert (
            busy.load["chat"],
            busy.units_used,
            busy.last_assigned_at,
            busy.idle_since,
        ) == (1, 3, NOW, None)
        later = NOW + timedelta(minutes=5)
        free = busy.with_released(task(), later)
        assert (0, 0, later, NOW) == (
            free.load["chat"],
            free.units_used,
            free.idle_since,
            free.last_assigned_at,
        )

    def test_release_without_load(self) -> None:
        with pytest.raises(InvalidInputError, match="holds no chat item"):
            AgentState(id="a").with_released(task(), NOW)

    @given(agent_states(), queued_tasks())
    def test_assign_then_release_restores_load(self, agent: AgentState, work: Task) -> None:
        back = agent.with_assigned(work, NOW).with_released(work, NOW)
        assert dict(agent.load) | {work.channel: agent.load.get(work.channel, 0)} == dict(back.load)
        assert agent.units_used == back.units_used


class TestPlainDict:
    @given(agent_states())
    def test_round_trip(self, agent: AgentState) -> None:
        assert AgentState.from_dict(agent.to_dict()) == agent

    @pytest.mark.parametrize(
        ("data", "path"),
        [
            ({"id": "a", "skills": {"sso": 12}}, "agents[3].skills"),
            ({"id": "a", "last_assigned_at": "2026-03-02T09:00"}, "agents[3].last_assigned_at"),
            ({"id": "a", "last_assigned_at": "yesterday"}, "agents[3].last_assigned_at"),
            ({"id": "a", "weighted": {"units": 0}}, "agents[3].weighted.units"),
            ({"id": "a", "weighted": {"unit": 3}}, "agents[3].weighted.unit"),
            ({"id": "a", "weighted": {"costs": {}}}, "agents[3].weighted.units"),
            ({"id": "a", "attributes": {"seniority": math.nan}}, "agents[3].attributes"),
            ({"id": "a", "speed": 3}, "agents[3].speed"),
            ({"skills": {}}, "agents[3].id"),
            ({"id": ""}, "agents[3].id"),
        ],
    )
    def test_errors_name_the_path(self, data: dict[str, object], path: str) -> None:
        with pytest.raises(ConfigError) as caught:
            AgentState.from_dict(data, "agents[3]")
        assert path == caught.value.path

    def test_status_reads_by_name(self) -> None:
        assert AgentState.from_dict({"id": "a", "status": "away"}).status == AgentStatus.AWAY
