"""Conditions: yes/no questions about a ticket, shared by SLA policy selection,
escalation rules and routing requirements.

>>> from datetime import datetime, UTC
>>> from servicekit import Ticket
>>> from servicekit.conditions import Context, where
>>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, tzinfo=UTC), requester="c",
...                   priority="urgent", tags=["vip"])
>>> vip_urgent = where("priority", ">=", "high") & where("tags", "contains", "vip")
>>> vip_urgent.holds(Context(ticket=t, now=datetime(2026, 3, 2, 1, tzinfo=UTC)))
True
"""

from servicekit.conditions._conditions import (
    ALWAYS,
    OPERATORS,
    AllOf,
    AnyOf,
    Condition,
    Context,
    FieldCondition,
    Not,
    all_of,
    any_of,
    condition_from_dict,
    not_,
    where,
)

__all__ = [
    "ALWAYS",
    "OPERATORS",
    "AllOf",
    "AnyOf",
    "Condition",
    "Context",
    "FieldCondition",
    "Not",
    "all_of",
    "any_of",
    "condition_from_dict",
    "not_",
    "where",
]
