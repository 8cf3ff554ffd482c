"""SLA policies from plain dicts: round trips and path-precise errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import BusinessCalendar
from servicekit.errors import ConfigError
from servicekit.sla import Metric, PolicySet, SLAPolicy, Target
from servicekit.tickets import Priority, Status

HOURS = BusinessCalendar(tz="Europe/Berlin", weekly={"mon-fri": ["08:00-18:00"]})
CONFIG: dict[str, Any] = {
    "policies": [
        {
            "name": "vip",
            "calendar": "support",
            "applies_to": {"field": "tags", "op": "contains", "value": "vip"},
            "targets": {
                "urgent": {"first_reply": "30m", "resolution": {"duration": "PT8H",
                                                               "business_hours": False}},
            },
            "pauses": {"resolution": ["on_hold"]},
            "thresholds": [0.8],
        },
        {"name": "standard", "calendar": "support", "targets": {"normal": {"first_reply": "4h"}}},
    ]
}  # fmt: skip


def test_policies_from_config() -> None:
    policies = PolicySet.from_dict(CONFIG, calendars={"support": HOURS})
    vip, standard = policies.policies
    assert vip.calendar is HOURS
    assert vip.targets[Priority.URGENT][Metric.RESOLUTION] == Target(
        duration=timedelta(hours=8), business_hours=False
    )
    assert vip.targets[Priority.URGENT][Metric.FIRST_REPLY].duration == timedelta(minutes=30)
    assert vip.pauses[Metric.RESOLUTION] == {Status.ON_HOLD}
    assert vip.pauses[Metric.AGENT_WORK] == {Status.PENDING, Status.ON_HOLD}
    assert vip.thresholds == (0.8,)
    assert standard.thresholds == (0.5, 0.75, 0.9)


def test_round_trip_with_the_calendar_inline() -> None:
    policies = PolicySet.from_dict(CONFIG, calendars={"support": HOURS})
    again = PolicySet.from_dict(policies.to_dict())
    assert again.to_dict() == policies.to_dict()
    assert again.policies[0].calendar == HOURS


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"targets": {"p1": {}}}, "targets.p1", "'p1' is not a valid priority"),
        ({"targets": {"urgent": {"reply": "1h"}}}, "targets.urgent.reply", "metric"),
        ({"targets": {"urgent": {"first_reply": "0h"}}}, "targets.urgent.first_reply", "positive"),
        ({"targets": {"urgent": {"first_reply": {"h": 1}}}}, "targets.urgent.first_reply", "keys"),
        ({"targets": {}}, "targets", "expected"),
        ({"calendar": "night"}, "calendar", "unknown calendar 'night' .known: support"),
        ({"calendar": {"tz": "UTC", "weekly": {"mon": ["9-5"]}}}, "calendar.weekly.mon[0]", "time"),
        ({"applies_to": {"field": "tags", "op": "~", "value": 1}}, "applies_to.op", "operator"),
        ({"pauses": {"resolution": ["solved"]}}, "pauses.resolution", "stop clocks"),
        ({"thresholds": [0.9, 0.5]}, "thresholds", "increase"),
        ({"thresholds": [1.5]}, "thresholds", "fraction"),
        ({"colour": "red"}, "colour", "unknown key"),
        ({"name": ""}, "name", "non-empty"),
    ],
)  # fmt: skip
def test_errors_name_the_path(change: dict[str, Any], path: str, message: str) -> None:
    config = {"policies": [CONFIG["policies"][0] | change]}
    with pytest.raises(ConfigError, match=message) as info:
        PolicySet.from_dict(config, calendars={"support": HOURS})
    assert info.value.path == f"policies[0].{path}"


def test_business_hours_need_a_calendar() -> None:
    with pytest.raises(ConfigError, match=r"targets\.normal\.first_reply: a business-hours target"):
        SLAPolicy("std", targets={"normal": {"first_reply": "4h"}})


def test_missing_name() -> None:
    with pytest.raises(ConfigError, match="name: missing"):
        SLAPolicy.from_dict({"targets": {"normal": {"first_reply": "4h"}}})


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(-2, 2) | st.sampled_from(
        ["4h", "PT1H", "urgent", "normal", "first_reply", "pending", "vip", "tags", "is"]
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["name", "targets", "normal", "first_reply", "duration", "field", "op",
                         "value", "applies_to", "pauses", "thresholds", "business_hours"]),
        inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


KEYS = st.sampled_from(["name", "targets", "applies_to", "pauses", "thresholds"])


@given(st.dictionaries(KEYS, JSON))
def test_fuzzed_configs_fail_only_with_config_errors(data: dict[str, Any]) -> None:
    try:
        policy = SLAPolicy.from_dict(data)
    except ConfigError as exc:
        message, path = str(exc), exc.path
    else:
        assert SLAPolicy.from_dict(policy.to_dict()).to_dict() == policy.to_dict()
        return
    assert message.startswith(path)


def test_applies_to_may_name_a_calendar() -> None:
    policy = SLAPolicy.from_dict(
        {
            "name": "stale",
            "calendar": "berlin",
            "targets": {"normal": {"resolution": "8h"}},
            "applies_to": {"since": "created", "op": ">=", "value": "1h", "calendar": "berlin"},
        },
        calendars={"berlin": HOURS},
    )
    assert repr(policy.applies_to) == "time since created >= 1h (business hours)"
