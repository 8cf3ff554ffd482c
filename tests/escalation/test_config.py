"""Rule sets from plain dicts: round trips, and errors that name the path."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import BusinessCalendar
from servicekit.errors import ConfigError
from servicekit.escalation import Custom, RuleSet, action_from_dict
from tests.escalation.test_evaluate import TIERED, rulesets

HOURS = BusinessCalendar(tz="Europe/Paris", weekly={"mon-fri": ["09:00-18:00"]})

CONFIG: dict[str, Any] = {
    "rules": [
        {
            "name": "urgent unanswered",
            "all": [
                {"field": "priority", "op": "is", "value": "urgent"},
                {"since": "agent_reply", "op": ">=", "value": "1h", "calendar": "paris"},
            ],
            "any": [{"changed": "status", "to": "open"}, {"not": {"field": "tags",
                    "op": "contains", "value": "muted"}}],
            "actions": [
                {"type": "notify", "target": "lead", "message": "unanswered for 1h"},
                {"type": "assign", "group": "tier-2"},
                {"type": "custom", "name": "page", "payload": {"service": "oncall"}},
            ],
            "once": False,
            "cooldown": "4h",
            "stop_processing": True,
        }
    ]
}  # fmt: skip


class TestRoundTrip:
    def test_config_reads_and_writes_back(self) -> None:
        rules = RuleSet.from_dict(CONFIG, calendars={"paris": HOURS})
        again = RuleSet.from_dict(rules.to_dict())
        assert again == rules
        assert again.rules[0].actions[2] == Custom("page", {"service": "oncall"})

    def test_tiered_rules(self) -> None:
        assert RuleSet.from_dict(TIERED.to_dict()) == TIERED

    @given(rulesets())
    def test_any_rule_set(self, rules: RuleSet) -> None:
        assert RuleSet.from_dict(rules.to_dict()) == rules


def _with(change: dict[str, Any]) -> dict[str, Any]:
    rule = {**CONFIG["rules"][0], **change}
    return {"rules": [{k: v for k, v in rule.items() if v is not None}]}


class TestErrors:
    @pytest.mark.parametrize(
        ("config", "path", "message"),
        [
            ({"rule": []}, "", "expected {'rules'"),
            (_with({"name": None}), "rules[0].name", "missing"),
            (_with({"when": "always"}), "rules[0].when", "unknown key"),
            (_with({"all": {"field": "status"}}), "rules[0].all", "expected a list"),
            (_with({"all": [{"field": "prio", "op": "is", "value": 1}]}), "rules[0].all[0].field",
             "unknown field 'prio'"),
            (_with({"all": [{"since": "created", "op": ">=", "value": "1h", "calendar": "lyon"}]}),
             "rules[0].all[0].calendar", "unknown calendar 'lyon'"),
            (_with({"actions": [{"type": "sms"}]}), "rules[0].actions[0].type", "unknown action"),
            (_with({"actions": [{"type": "notify", "to": "x"}]}), "rules[0].actions[0].to",
             "unknown key for notify"),
            (_with({"actions": [{"type": "set_priority", "priority": "asap"}]}),
             "rules[0].actions[0].priority", "'asap' is not a valid priority"),
            (_with({"actions": [{"type": "notify", "target": "x", "message": 5}]}),
             "rules[0].actions[0].message", "message must be text"),
            (_with({"actions": [{"type": "notify"}]}), "rules[0].actions[0].target", "missing"),
            (_with({"once": True}), "rules[0].cooldown", "cooldown needs once=False"),
            (_with({"cooldown": "soon"}), "rules[0].cooldown", "invalid duration 'soon'"),
            (_with({"cooldown": "200000w"}), "rules[0].cooldown", "longer than the longest"),
            (_with({"once": "yes"}), "rules[0].once", "once must be true or false"),
            (_with({"actions": [], "stop_processing": False}), "rules[0].actions", "no actions"),
            ({"rules": [CONFIG["rules"][0]] * 2}, "rules[1].name", "a second rule named"),
        ],
    )  # fmt: skip
    def test_errors_name_the_path(self, config: dict[str, Any], path: str, message: str) -> None:
        with pytest.raises(ConfigError, match=message) as caught:
            RuleSet.from_dict(config, calendars={"paris": HOURS})
        assert caught.value.path == path

    @given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                        lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.sampled_from(["type", "target", "tag", "level",
                                                           "name", "x"]), inner, max_size=3),
                        max_leaves=8))  # fmt: skip
    def test_fuzzed_config_raises_config_errors_only(self, data: object) -> None:
        for load, prefix in (
            (lambda: action_from_dict(data, "a"), "a"),
            (lambda: RuleSet.from_dict({"rules": [data]}), "rules"),
        ):
            try:
                load()
            except ConfigError as exc:
                error = exc
            else:
                continue
            assert error.path.startswith(prefix)
