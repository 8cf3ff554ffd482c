"""Recipes for every public call of servicekit.sla: each call with a valid set of
arguments, which tests/test_hostile_recipes.py breaks one argument at a time (#20)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from servicekit import BusinessCalendar, Ticket
from servicekit.conditions import Context, where
from servicekit.sla import PolicySet, SLAPolicy, Target, crosscheck, sla_clock
from servicekit.tickets import Replied
from tests.hostile import Call

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
NOW = AT + timedelta(hours=3)
HOURS = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
TICKET = Ticket.create(id="T-1", at=AT, requester="c").apply(
    Replied(at=AT + timedelta(hours=1), by="agent")
)
TARGETS = {
    "normal": {"first_reply": "4h", "resolution": {"duration": "2d", "business_hours": False}}
}
POLICY = SLAPolicy(
    "standard", targets=TARGETS, calendar=HOURS, applies_to=where("priority", "is", "normal")
)
POLICIES = PolicySet([POLICY])
USED = sla_clock("first_reply", "used", ">=", 0.5)
ZENDESK = [
    {"metric": "reply_time", "instance_id": 1, "type": "activate", "time": "2026-03-02T09:00:00Z"}
]

CALLS = [
    Call("SLAPolicy", SLAPolicy, {"name": "p", "targets": TARGETS, "calendar": HOURS,
                                  "applies_to": where("group", "is", "a"),
                                  "pauses": {"resolution": ["pending"]},
                                  "thresholds": [0.5, 0.9]}),
    Call("SLAPolicy.from_dict", SLAPolicy.from_dict, {"data": POLICY.to_dict()}),
    Call("SLAPolicy.evaluate", POLICY.evaluate, {"ticket": TICKET, "now": NOW}),
    Call("SLAPolicy.applies", POLICY.applies, {"ticket": TICKET, "now": NOW}),
    Call("PolicySet", PolicySet, {"policies": [POLICY]}),
    Call("PolicySet.from_dict", PolicySet.from_dict, {"data": POLICIES.to_dict()}),
    Call("PolicySet.evaluate", POLICIES.evaluate, {"ticket": TICKET, "now": NOW}),
    Call("PolicySet.select", POLICIES.select, {"ticket": TICKET, "now": NOW}),
    Call("Target", Target, {"duration": timedelta(hours=4), "business_hours": True}),
    Call("sla_clock", sla_clock, {"metric": "first_reply", "measure": "used", "operator": ">=",
                                  "value": 0.75}),
    Call("sla_clock(due_in)", sla_clock, {"metric": "resolution", "measure": "due_in",
                                          "operator": "<=", "value": "30m"}),
    Call("SLACondition.holds", USED.holds,
         {"context": Context(ticket=TICKET, now=NOW, sla=POLICY.evaluate(TICKET, now=NOW))}),
    Call("SLAEvaluation.clock", POLICY.evaluate(TICKET, now=NOW).clock,
         {"metric": "first_reply", "cycle": 0}),
    Call("crosscheck", crosscheck, {"ticket": TICKET, "vendor_records": ZENDESK,
                                    "policies": POLICIES, "now": NOW}),
]  # fmt: skip
RESULTS = {
    "Clock", "ClockState", "Crosscheck", "Difference", "Metric", "Reason", "SLACondition",
    "SLAEvaluation", "Threshold",
}  # fmt: skip
"""Enums and the results the library builds (SLACondition through :func:`sla_clock`)."""
