"""Escalation rules: declarative conditions, actions as values, a trace of why each rule
did or did not fire, guards against firing twice, and when to check next.

>>> from datetime import datetime, timedelta, UTC
>>> from servicekit import Ticket
>>> from servicekit.conditions import time_since, where
>>> from servicekit.escalation import EscalationRule, Notify, evaluate
>>> rule = EscalationRule("urgent unanswered",
...                       all=[where("priority", "is", "urgent"),
...                            time_since("agent_reply", ">=", "1h")],
...                       actions=[Notify("team-lead")])
>>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c",
...                   priority="urgent")
>>> evaluate([rule], t, now=t.created_at + timedelta(hours=2)).fired
('urgent unanswered',)
"""

from servicekit.escalation._actions import (
    ACTION_TYPES,
    ESCALATION_LEVEL,
    Action,
    AddTag,
    Assign,
    Custom,
    Notify,
    RemoveTag,
    SetEscalationLevel,
    SetPriority,
    action_from_dict,
)
from servicekit.escalation._evaluate import (
    MAX_PASSES,
    ConditionTrace,
    DecidedAction,
    EscalationDecision,
    RuleOutcome,
    RuleTrace,
    SLASource,
    evaluate,
)
from servicekit.escalation._rules import EscalationRule, RuleSet

__all__ = [
    "ACTION_TYPES",
    "ESCALATION_LEVEL",
    "MAX_PASSES",
    "Action",
    "AddTag",
    "Assign",
    "ConditionTrace",
    "Custom",
    "DecidedAction",
    "EscalationDecision",
    "EscalationRule",
    "Notify",
    "RemoveTag",
    "RuleOutcome",
    "RuleSet",
    "RuleTrace",
    "SLASource",
    "SetEscalationLevel",
    "SetPriority",
    "action_from_dict",
    "evaluate",
]
