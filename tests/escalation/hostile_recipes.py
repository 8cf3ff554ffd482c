"""Recipes for every public call of servicekit.escalation: each call with a valid set of
arguments, which tests/test_hostile_recipes.py breaks one argument at a time (#20)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from servicekit import BusinessCalendar, Ticket
from servicekit.conditions import time_since, where
from servicekit.escalation import (
    AddTag,
    Assign,
    Custom,
    EscalationRule,
    Notify,
    RemoveTag,
    RuleSet,
    SetEscalationLevel,
    SetPriority,
    action_from_dict,
    evaluate,
)
from servicekit.sla import SLAPolicy, sla_clock
from tests.hostile import Call

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
NOW = AT + timedelta(hours=3)
HOURS = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
TICKET = Ticket.create(id="T-1", at=AT, requester="c", priority="urgent")
POLICY = SLAPolicy("p", targets={"urgent": {"first_reply": "1h"}}, calendar=HOURS)
RULE = EscalationRule(
    "urgent unanswered",
    all=[where("priority", "is", "urgent"), time_since("agent_reply", ">=", "1h")],
    any=[sla_clock("first_reply", "used", ">=", 0.5), where("tags", "contains", "vip")],
    actions=[Notify("lead", message="late"), SetPriority("high"), AddTag("late"),
             SetEscalationLevel(2), Assign(group="tier-2")],
)  # fmt: skip
RULES = RuleSet([RULE])

CALLS = [
    Call("evaluate", evaluate, {"rules": RULES, "ticket": TICKET, "now": NOW, "sla": POLICY,
                                "passes": 2}),
    Call("EscalationRule", EscalationRule, {"name": "r", "all": [where("group", "is", "a")],
                                            "actions": [AddTag("x")], "once": False,
                                            "cooldown": "1h", "stop_processing": True}),
    Call("RuleSet", RuleSet, {"rules": [RULE]}),
    Call("RuleSet.from_dict", RuleSet.from_dict, {"data": RULES.to_dict(),
                                                  "calendars": {"support": HOURS}}),
    Call("action_from_dict", action_from_dict, {"data": {"type": "notify", "target": "lead",
                                                         "message": "hi"}, "path": "a"}),
    Call("Notify", Notify, {"target": "lead", "message": "hi"}),
    Call("SetPriority", SetPriority, {"priority": "high"}),
    Call("Assign", Assign, {"agent": "ana", "group": "g"}),
    Call("AddTag", AddTag, {"tag": "t"}),
    Call("RemoveTag", RemoveTag, {"tag": "t"}),
    Call("SetEscalationLevel", SetEscalationLevel, {"level": 1}),
    Call("Custom", Custom, {"name": "page", "payload": {"to": "oncall"}}),
    Call("Action.events", SetPriority("high").events, {"ticket": TICKET, "at": NOW}),
    Call("last_fired", RULE.last_fired, {"ticket": TICKET}),
]  # fmt: skip
RESULTS = {
    "Action", "ConditionTrace", "DecidedAction", "EscalationDecision", "RuleOutcome",
    "RuleTrace", "SLASource",
}  # fmt: skip
"""The abstract action, enums, aliases and the results :func:`evaluate` builds."""
