"""Conditions: yes/no questions about a ticket (its fields, what its latest update
changed, time since something happened), shared by SLA policy selection,
escalation rules and routing requirements (:mod:`servicekit.sla` adds conditions on
SLA clocks). Time conditions also say when their
answer could next change, so an app can schedule instead of polling.

>>> from datetime import datetime, UTC
>>> from servicekit import Ticket
>>> from servicekit.conditions import Context, where
>>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, tzinfo=UTC), requester="c",
...                   priority="urgent", tags=["vip"])
>>> vip_urgent = where("priority", ">=", "high") & where("tags", "contains", "vip")
>>> vip_urgent.holds(Context(ticket=t, now=datetime(2026, 3, 2, 1, tzinfo=UTC)))
True
"""

from servicekit.conditions._changed import ANY, Changed, changed
from servicekit.conditions._conditions import (
    ALWAYS,
    OPERATORS,
    AllOf,
    AnyOf,
    Combination,
    Condition,
    Context,
    FieldCondition,
    Not,
    SLAClocks,
    all_of,
    any_of,
    not_,
    where,
)
from servicekit.conditions._config import condition_from_dict
from servicekit.conditions._time_since import (
    ANCHORS,
    COMPARISONS,
    MAX_DURATION,
    TimeSince,
    time_since,
)

__all__ = [
    "ALWAYS",
    "ANCHORS",
    "ANY",
    "COMPARISONS",
    "MAX_DURATION",
    "OPERATORS",
    "AllOf",
    "AnyOf",
    "Changed",
    "Combination",
    "Condition",
    "Context",
    "FieldCondition",
    "Not",
    "SLAClocks",
    "TimeSince",
    "all_of",
    "any_of",
    "changed",
    "condition_from_dict",
    "not_",
    "time_since",
    "where",
]
