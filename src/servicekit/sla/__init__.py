"""SLA policies and clocks: targets per priority and metric, pauses, cycles, breaches,
and the next instant anything would change; SLA conditions for escalation rules
(:func:`sla_clock`).

>>> from datetime import datetime, timedelta, UTC
>>> from servicekit import Ticket
>>> from servicekit.sla import SLAPolicy
>>> policy = SLAPolicy("24/7", targets={"normal": {
...     "first_reply": {"duration": "1h", "business_hours": False}}})
>>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c")
>>> evaluation = policy.evaluate(t, now=t.created_at + timedelta(minutes=30))
>>> evaluation.clock("first_reply").reason
'first reply: running, 30m of 1h (calendar hours) used (50%), due 2026-03-02T10:00+00:00'
>>> evaluation.next_change_at
datetime.datetime(2026, 3, 2, 9, 45, tzinfo=datetime.timezone.utc)
"""

from servicekit.sla._clock import Clock, SLAEvaluation, Target, Threshold
from servicekit.sla._conditions import MEASURES, SLACondition, sla_clock
from servicekit.sla._metrics import DEFAULT_PAUSES, ClockState, Metric
from servicekit.sla._policy import PolicySet, SLAPolicy

__all__ = [
    "DEFAULT_PAUSES",
    "MEASURES",
    "Clock",
    "ClockState",
    "Metric",
    "PolicySet",
    "SLACondition",
    "SLAEvaluation",
    "SLAPolicy",
    "Target",
    "Threshold",
    "sla_clock",
]
