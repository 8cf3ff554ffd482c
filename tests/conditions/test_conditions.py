"""Conditions over ticket fields: operators, combinators, reprs and dict forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import BusinessCalendar, Ticket
from servicekit.conditions import (
    ALWAYS,
    Changed,
    Condition,
    Context,
    FieldCondition,
    TimeSince,
    all_of,
    any_of,
    condition_from_dict,
    not_,
    time_since,
    where,
)
from servicekit.errors import ConfigError, InvalidInputError
from servicekit.sla import Metric, SLACondition
from servicekit.tickets import Assigned, FieldChanged

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
TICKET = (
    Ticket.create(id="T-1", at=T0, requester="c-1", priority="high", channel="chat", tags=["vip"])
    .apply(Assigned(at=T0, agent="a-1", group="billing"))
    .apply(FieldChanged(at=T0, name="seats", value=40))
)


def holds(condition: Condition) -> bool:
    return condition.holds(Context(ticket=TICKET, now=T0))


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (where("priority", "is", "high"), True),
        (where("priority", "is_not", "high"), False),
        (where("priority", ">=", "normal"), True),
        (where("priority", ">", "high"), False),
        (where("priority", "<", "urgent"), True),
        (where("priority", "<=", "low"), False),
        (where("channel", "in", ["chat", "phone"]), True),
        (where("channel", "not_in", ["chat"]), False),
        (where("group", "is", "billing"), True),
        (where("assignee", "is", None), False),
        (where("tags", "contains", "vip"), True),
        (where("tags", "not_contains", "vip"), False),
        (where("status", "is", "new"), True),
        (where("requester", "is", "c-1"), True),
        (where("fields.seats", ">=", 25), True),
        (where("fields.seats", "<", 25), False),
        (where("fields.plan", ">", 1), False),  # a missing value never compares
        (where("fields.seats", ">", "many"), False),  # nor does a mismatched type
        (where("fields.plan", "is", None), True),
        (ALWAYS, True),
        (any_of(), False),
    ],
    ids=repr,
)
def test_field_conditions(condition: Condition, expected: bool) -> None:
    assert holds(condition) is expected


def test_combinators_and_their_reprs() -> None:
    vip = where("tags", "contains", "vip")
    phone = where("channel", "is", "phone")
    assert holds(vip & ~phone)
    assert holds(vip | phone)
    assert not holds(not_(vip))
    assert not holds(all_of(vip, phone))
    assert repr(vip & ~phone) == "all_of(tags contains 'vip', not_(channel is 'phone'))"
    assert repr(any_of(vip, phone)) == "any_of(tags contains 'vip', channel is 'phone')"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("colour", "is", "red"), "unknown field 'colour'"),
        (("priority", "~", "high"), "unknown operator '~'"),
        (("priority", "is", "p1"), "'p1' is not a valid priority"),
        (("status", "<", "open"), "status has no order"),
        (("group", "contains", "x"), "contains applies to tags"),
        (("channel", "in", "chat"), "in needs a list"),
        (("fields.", "is", 1), "unknown field"),
    ],
)
def test_bad_conditions(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        where(*args)


def test_combinators_take_only_conditions() -> None:
    with pytest.raises(InvalidInputError, match="not a condition"):
        all_of("priority is high")  # type: ignore[arg-type]


CONDITIONS = st.recursive(
    st.sampled_from(
        [
            where("priority", ">=", "high"),
            where("tags", "contains", "vip"),
            where("channel", "in", ["chat", "sms"]),
            where("fields.seats", "<", 10),
            where("assignee", "is", None),
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=3).map(lambda cs: all_of(*cs))
        | st.lists(inner, max_size=3).map(lambda cs: any_of(*cs))
        | inner.map(not_)
    ),
    max_leaves=8,
)


@given(CONDITIONS)
def test_dict_round_trip(condition: Condition) -> None:
    again = condition_from_dict(condition.to_dict())
    assert again == condition
    assert repr(again) == repr(condition)
    assert holds(again) == holds(condition)


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"all": [{"field": "colour", "op": "is", "value": 1}]}, "when.all[0].field"),
        ({"any": [{"not": {"field": "status", "op": "is", "value": 9}}]}, "when.any[0].not.value"),
        ({"all": {"field": "priority"}}, "when.all"),
        ({"field": "priority", "op": "is"}, "when"),
        ("priority is high", "when"),
    ],
)  # fmt: skip
def test_config_errors_name_the_path(data: object, path: str) -> None:
    with pytest.raises(ConfigError) as info:
        condition_from_dict(data, path="when")
    assert info.value.path == path


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 2), st.floats(-2, 2), st.text("ab", max_size=2)
)


@given(actual=SCALARS, values=st.lists(SCALARS, max_size=6))
def test_in_and_not_in_agree_with_comparing_one_by_one(actual: Any, values: list[Any]) -> None:
    """Long ``in`` lists are looked up as a set (a custom field's values are JSON
    scalars, so always hashable)."""
    ticket = TICKET.apply(FieldChanged(at=T0, name="x", value=actual))
    context = Context(ticket=ticket, now=T0)
    expected = any(actual is v or actual == v for v in values)
    assert where("fields.x", "in", values).holds(context) is expected
    assert where("fields.x", "not_in", values).holds(context) is not expected


class TestConstruction:
    """The condition classes refuse at construction what would only fail in holds."""

    @pytest.mark.parametrize(
        "build",
        [
            lambda: FieldCondition("colour", "is", 1),
            lambda: FieldCondition("priority", "~", "high"),  # type: ignore[arg-type]
            lambda: FieldCondition("priority", "is", "top"),
            lambda: FieldCondition("group", "in", "billing"),
            lambda: FieldCondition("group", "contains", "billing"),
            lambda: Changed("channel", to="chat"),
            lambda: Changed("status", to="sleeping"),
            lambda: TimeSince("birthday", ">=", timedelta(hours=1)),
            lambda: TimeSince("created", ">=", "1h"),  # type: ignore[arg-type]
            lambda: TimeSince("created", "~", timedelta(hours=1)),  # type: ignore[arg-type]
            lambda: SLACondition("first_reply", "used", ">=", 0.5),  # type: ignore[arg-type]
            lambda: SLACondition(Metric.FIRST_REPLY, "used", ">=", "1h"),  # type: ignore[arg-type]
        ],
        ids=range(12),
    )
    def test_invalid_state_is_refused(self, build: Callable[[], object]) -> None:
        with pytest.raises(InvalidInputError):
            build()

    def test_time_since_equality_sees_the_calendar(self) -> None:
        nine_to_five = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
        always = time_since("created", ">=", "4h", calendar=BusinessCalendar.always())
        assert time_since("created", ">=", "4h", calendar=nine_to_five) != always
        same = time_since("created", ">=", "4h", calendar=nine_to_five)
        assert same == time_since("created", ">=", "4h", calendar=nine_to_five)
        assert hash(same) == hash(time_since("created", ">=", "4h", calendar=nine_to_five))
