"""SLA conditions: used, due in, breached for; and policy selection refusing them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import SLAPolicy
from servicekit.conditions import COMPARISONS, where
from servicekit.errors import ConfigError, InvalidInputError
from servicekit.sla import sla_clock
from tests.conditions.test_time_since import MON, assert_next_change_is_honest, at, ticket


class TestSLAConditions:
    def test_used_due_in_and_breached_for(self) -> None:
        t = ticket()  # 4 business hours: due 13:00
        context = at(t, MON + timedelta(hours=2), sla=True)
        assert sla_clock("first_reply", "used", ">=", 0.5).holds(context)
        assert sla_clock("first_reply", "used", ">=", 0.75).next_change_at(context) == MON + (
            timedelta(hours=3)
        )
        within = sla_clock("first_reply", "due_in", "<=", "30m")
        assert within.next_change_at(context) == MON + timedelta(hours=3, minutes=30)
        assert within.holds(at(t, MON + timedelta(hours=3, minutes=45), sla=True))
        after_due = at(t, MON + timedelta(hours=4), sla=True)
        assert not within.holds(after_due)
        breached = sla_clock("first_reply", "breached_for", ">", "1h")
        an_hour_after_due = MON + timedelta(hours=5, microseconds=1)
        assert breached.next_change_at(context) == an_hour_after_due
        assert breached.next_change_at(after_due) == an_hour_after_due
        assert breached.describe(after_due) == "first reply: breached 0s ago"

    def test_needs_the_sla_clocks(self) -> None:
        with pytest.raises(InvalidInputError, match="needs the ticket's SLA clocks"):
            sla_clock("first_reply", "used", ">=", 0.5).holds(at(ticket(), MON))

    @given(
        measure=st.sampled_from(["used", "due_in", "breached_for"]),
        operator=st.sampled_from(COMPARISONS),
        minutes=st.integers(1, 600),
        hours_later=st.integers(0, 80),
        offsets=st.lists(st.floats(0, 1), min_size=1, max_size=5),
    )
    def test_next_change_is_honest(
        self, measure: str, operator: str, minutes: int, hours_later: int, offsets: list[float]
    ) -> None:
        value: float | timedelta = (
            minutes / 240 if measure == "used" else timedelta(minutes=minutes)
        )
        condition = sla_clock("first_reply", measure, operator, value)  # type: ignore[arg-type]
        t = ticket()
        assert_next_change_is_honest(
            condition, t, MON + timedelta(hours=hours_later), offsets, sla=True
        )


TARGETS = {"normal": {"first_reply": {"duration": "1h", "business_hours": False}}}


class TestPolicySelection:
    @pytest.mark.parametrize(
        "condition",
        [
            sla_clock("first_reply", "used", ">=", 0.5),
            where("priority", "is", "urgent") & sla_clock("resolution", "due_in", "<=", "1h"),
            ~(where("group", "is", "billing") | sla_clock("first_reply", "used", ">", 0.1)),
        ],
    )
    def test_applies_to_refuses_sla_conditions(self, condition: object) -> None:
        with pytest.raises(ConfigError, match=r"applies_to: .* reads SLA clocks"):
            SLAPolicy("p", targets=TARGETS, applies_to=condition)  # type: ignore[arg-type]

    def test_from_dict_names_the_path(self) -> None:
        data = {
            "name": "p",
            "targets": TARGETS,
            "applies_to": {"sla": "first_reply", "measure": "used", "op": ">=", "value": 0.5},
        }
        with pytest.raises(ConfigError, match="reads SLA clocks") as info:
            SLAPolicy.from_dict(data)
        assert info.value.path == "applies_to"
