"""Config and arguments that broke the promise of DESIGN.md principle 3 before issue #20:
nesting without bound, errors that stop short of the bad value, values the field can
never hold, and wrong-kind arguments leaking builtin errors. Each case here failed
on main before this branch."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from servicekit import Ticket
from servicekit._checks import MAX_DEPTH, shallow, short
from servicekit.conditions import (
    MAX_DURATION,
    Condition,
    Context,
    all_of,
    changed,
    condition_from_dict,
    not_,
    time_since,
    where,
)
from servicekit.errors import (
    ConfigError,
    InvalidInputError,
    InvalidRecordError,
    InvalidTypeError,
    ServicekitError,
)
from servicekit.escalation import Notify, RuleSet, action_from_dict, evaluate
from servicekit.routing import AgentState, Router, Task, assign, route
from servicekit.sla import PolicySet, SLAPolicy, sla_clock
from servicekit.tickets import FieldChanged, event_from_dict

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
TICKET = Ticket.create(id="T-1", at=AT, requester="c", tags=["vip"])
POLICY = SLAPolicy("p", targets={"normal": {"first_reply": {"duration": "4h",
                                                            "business_hours": False}}})  # fmt: skip
GROUP = {"field": "group", "op": "is", "value": "billing"}


def nested_all(depth: int) -> dict[str, Any]:
    condition: dict[str, Any] = GROUP
    for _ in range(depth):
        condition = {"all": [condition]}
    return condition


def nested_list(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


class TestNestingDepth:
    def test_all_nested_600_deep_is_a_config_error_at_its_path(self) -> None:
        with pytest.raises(ConfigError) as caught:
            condition_from_dict(nested_all(600), "applies_to")
        assert caught.value.path.startswith("applies_to.all[0].all[0]")
        assert f"deeper than {MAX_DEPTH} levels" in str(caught.value)

    def test_a_policy_names_where_its_condition_is_too_deep(self) -> None:
        config = {"policies": [{**POLICY.to_dict(), "applies_to": nested_all(600)}]}
        with pytest.raises(ConfigError) as caught:
            PolicySet.from_dict(config)
        assert caught.value.path.startswith("policies[0].applies_to.all[0]")

    def test_conditions_within_the_bound_still_load(self) -> None:
        condition = condition_from_dict(nested_all(10))
        assert condition_from_dict(condition.to_dict()) == condition

    def test_a_ticket_with_a_10000_deep_list_is_a_record_error(self) -> None:
        with pytest.raises(InvalidRecordError) as caught:
            Ticket.from_dict({"events": nested_list(10_000)})
        assert caught.value.path.startswith("events[0][0]")

    @pytest.mark.parametrize(
        "load",
        [
            condition_from_dict,
            SLAPolicy.from_dict,
            PolicySet.from_dict,
            RuleSet.from_dict,
            action_from_dict,
            Router.from_dict,
            AgentState.from_dict,
            Ticket.from_dict,
            event_from_dict,
        ],
        ids=["condition", "policy", "policies", "rules", "action", "router", "agent", "ticket",
             "event"],
    )  # fmt: skip
    def test_every_reader_refuses_100000_deep_data(self, load: Callable[[Any], object]) -> None:
        with pytest.raises(ConfigError, match="nested deeper than"):
            load({"x": nested_list(100_000)})

    def test_conditions_built_in_python_nest_at_most_max_depth(self) -> None:
        condition: Condition = where("group", "is", "a")
        for _ in range(MAX_DEPTH):
            condition = not_(condition)
        with pytest.raises(InvalidInputError, match="nest more than"):
            all_of(condition)

    def test_a_structure_that_contains_itself_is_too_deep(self) -> None:
        loop: list[Any] = []
        loop.append(loop)
        with pytest.raises(ConfigError, match="nested deeper"):
            shallow(loop, "x")

    def test_short_names_deep_and_huge_values_briefly(self) -> None:
        assert short(nested_list(100_000)) == "[[[[...]]]]"
        assert len(short("x" * 2_000_000)) <= 80
        assert len(short(list(range(1_000_000)))) <= 80


class TestLeafPaths:
    @pytest.mark.parametrize(
        ("data", "path"),
        [
            ({"overflow": [{"after": "9m", "any_group": True},
                           {"after": "5m", "any_skills": True}]}, "routing.overflow[1].after"),
            ({"filters": ["online", "online"]}, "routing.filters[1]"),
            ({"queue": {"type": "priority_with_aging", "rate": math.nan}}, "routing.queue.rate"),
            ({"rank": [{"by_attribute": "x", "descending": "yes"}]},
             "routing.rank[0].descending"),
        ],
    )  # fmt: skip
    def test_router(self, data: dict[str, Any], path: str) -> None:
        with pytest.raises(ConfigError) as caught:
            Router.from_dict(data, "routing")
        assert caught.value.path == path

    @pytest.mark.parametrize(
        ("rule", "path"),
        [
            ({"actions": [{"type": "notify", "target": "x", "message": 5}]},
             "rules[0].actions[0].message"),
            ({"actions": [{"type": "add_tag", "tag": ""}]}, "rules[0].actions[0].tag"),
            ({"actions": [{"type": "notify", "target": "x"}], "once": "no"}, "rules[0].once"),
            ({"actions": [{"type": "notify", "target": "x"}], "cooldown": "1h"},
             "rules[0].cooldown"),
        ],
    )  # fmt: skip
    def test_rules(self, rule: dict[str, Any], path: str) -> None:
        with pytest.raises(ConfigError) as caught:
            RuleSet.from_dict({"rules": [{"name": "r", **rule}]})
        assert caught.value.path == path


TASK = Task(id="T", channel="chat", arrived_at=AT)
NAN_RATE = {"queue": {"type": "priority_with_aging", "rate": math.nan}}
REFUSED: dict[str, Callable[[], object]] = {
    "group is 5": lambda: where("group", "is", 5),
    "group changed to 5": lambda: changed("group", to=5),
    "tags changed to a list": lambda: changed("tags", to=["vip"]),
    "tags contains a list": lambda: where("tags", "contains", ["vip"]),
    "since created 500000w": lambda: time_since("created", ">=", "500000w"),
    "since past the bound": lambda: time_since("created", ">=", MAX_DURATION * 2),
    "sla used inf": lambda: sla_clock("first_reply", "used", ">=", math.inf),
    "sla used nan": lambda: sla_clock("first_reply", "used", ">=", math.nan),
    "notify message 5": lambda: Notify("lead", message=5),  # type: ignore[arg-type]
    "field changed to nan": lambda: FieldChanged(at=AT, name="score", value=math.nan),
    "agent attribute nan": lambda: AgentState(id="a", attributes={"seniority": math.nan}),
    "agent attribute -inf": lambda: AgentState(id="a", attributes={"seniority": -math.inf}),
    "aging rate nan": lambda: Router.from_dict(NAN_RATE),
}


class TestValuesOfTheFieldsKind:
    @pytest.mark.parametrize(
        ("data", "path"),
        [
            ({"field": "group", "op": "is", "value": 5}, "when.value"),
            ({"field": "assignee", "op": "in", "value": ["ana", 7]}, "when.value"),
            ({"field": "tags", "op": "contains", "value": ["vip"]}, "when.value"),
            ({"field": "tags", "op": "is", "value": "vip"}, "when.op"),
            ({"field": "fields.n", "op": "is", "value": math.nan}, "when.value"),
            ({"field": "fields.n", "op": ">", "value": None}, "when.value"),
            ({"field": "fields.n", "op": "is", "value": [1]}, "when.value"),
            ({"changed": "group", "to": 5}, "when.to"),
            ({"since": "created", "op": ">=", "value": "500000w"}, "when.value"),
            ({"sla": "first_reply", "measure": "used", "op": ">=", "value": math.inf},
             "when.value"),
            ({"sla": "first_reply", "measure": "used", "op": ">=", "value": math.nan},
             "when.value"),
            ({"sla": "first_reply", "measure": "breached_for", "op": ">=", "value": "9000w"},
             "when.value"),
        ],
    )  # fmt: skip
    def test_conditions_that_could_never_be_true_are_refused(
        self, data: dict[str, Any], path: str
    ) -> None:
        import servicekit.sla  # noqa: F401, PLC0415 -- registers the sla form

        with pytest.raises(ConfigError) as caught:
            condition_from_dict(data, "when")
        assert caught.value.path == path

    @pytest.mark.parametrize("build", REFUSED.values(), ids=REFUSED.keys())
    def test_python_and_config_refuse_the_same(self, build: Callable[[], object]) -> None:
        with pytest.raises(ServicekitError):
            build()

    @pytest.mark.parametrize(
        ("thresholds", "message"),
        [
            (0.5, "expected a list of fractions"),
            ("0.5 0.75", "expected a list of fractions"),
            ([0.5, 1.5], "fraction in"),
            ([0.9, 0.5], "increase without repeats"),
            ([0.5, 0.5], "increase without repeats"),
            ([math.nan], "fraction in"),
        ],
    )
    def test_sla_thresholds(self, thresholds: object, message: str) -> None:
        with pytest.raises(ConfigError, match=message) as caught:
            SLAPolicy.from_dict({**POLICY.to_dict(), "thresholds": thresholds})
        assert caught.value.path == "thresholds"

    def test_a_condition_on_time_near_the_end_of_datetime_has_no_next_change(self) -> None:
        late = Ticket.create(id="T", at=datetime(9998, 12, 1, tzinfo=UTC), requester="c")
        condition = time_since("created", ">=", MAX_DURATION)
        context = Context(ticket=late, now=late.created_at)
        assert not condition.holds(context)
        assert condition.next_change_at(context) is None


WRONG_KINDS: dict[str, Callable[[], object]] = {
    "policy.evaluate(None)": lambda: POLICY.evaluate(None, now=AT),  # type: ignore[arg-type]
    "policies.evaluate('x')": lambda: PolicySet([POLICY]).evaluate("x", now=AT),  # type: ignore[arg-type]
    "evaluate(ticket=None)": lambda: evaluate([], ticket=None, now=AT),  # type: ignore[arg-type]
    "evaluate(sla='policy')": lambda: evaluate([], TICKET, now=AT, sla="p"),  # type: ignore[arg-type]
    "route(agents=None)": lambda: route(TASK, None, now=AT),  # type: ignore[arg-type]
    "assign(agents=5)": lambda: assign([], agents=5, now=AT),  # type: ignore[arg-type]
    "assign(router=text)": lambda: assign([], [], now=AT, router="rr"),  # type: ignore[arg-type]
    "holds(None)": lambda: where("group", "is", "a").holds(None),  # type: ignore[arg-type]
    "Context(ticket=None)": lambda: Context(ticket=None, now=AT),  # type: ignore[arg-type]
    "with_assigned(None)": lambda: AgentState(id="a").with_assigned(None, AT),  # type: ignore[arg-type]
    "next_change_at(None)": lambda: Router().next_change_at(None, now=AT),  # type: ignore[arg-type]
    "Task.from_ticket(None)": lambda: Task.from_ticket(None),  # type: ignore[arg-type]
    "Ticket.replay(None)": lambda: Ticket.replay(None),  # type: ignore[arg-type]
}


class TestWrongKinds:
    @pytest.mark.parametrize(
        "call", WRONG_KINDS.values(), ids=WRONG_KINDS.keys()
    )  # fmt: skip
    def test_is_an_invalid_type_error(self, call: Callable[[], object]) -> None:
        with pytest.raises(InvalidTypeError):
            call()
