"""Recipes for every public call of servicekit.conditions: each call with a valid set of
arguments, which tests/test_hostile_recipes.py breaks one argument at a time (#20)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from servicekit import BusinessCalendar, Ticket
from servicekit.conditions import (
    AllOf,
    AnyOf,
    Changed,
    Context,
    FieldCondition,
    Not,
    TimeSince,
    all_of,
    any_of,
    changed,
    condition_from_dict,
    not_,
    time_since,
    where,
)
from servicekit.tickets import PriorityChanged
from tests.hostile import Call

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
HOURS = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
TICKET = Ticket.create(id="T-1", at=AT, requester="c", tags=["vip"]).apply(
    PriorityChanged(at=AT + timedelta(hours=1), priority="urgent")
)
CONTEXT = Context(ticket=TICKET, now=AT + timedelta(hours=2))
FIELD = where("priority", ">=", "high")
SINCE = time_since("created", ">=", "1h", calendar=HOURS)
CHANGED = changed("priority", to="urgent")
EVERY = all_of(FIELD, SINCE, CHANGED, not_(where("tags", "contains", "x")))

CALLS = [
    Call("where", where, {"field": "priority", "operator": "is", "value": "high"}),
    Call("where(in)", where, {"field": "group", "operator": "in", "value": ["a"]}),
    Call("where(tags)", where, {"field": "tags", "operator": "contains", "value": "vip"}),
    Call("where(custom)", where, {"field": "fields.n", "operator": ">", "value": 5}),
    Call("FieldCondition", FieldCondition, {"field": "group", "operator": "is", "value": "a"}),
    Call("changed", changed, {"field": "group", "to": "a", "from_": "b"}),
    Call("changed(tags)", changed, {"field": "tags", "to": "vip"}),
    Call("Changed", Changed, {"field": "status", "to": "open"}),
    Call("time_since", time_since, {"anchor": "created", "operator": ">=", "duration": "4h",
                                    "calendar": HOURS}),
    Call("TimeSince", TimeSince, {"anchor": "created", "operator": ">=",
                                  "duration": timedelta(hours=4)}),
    Call("all_of", lambda a, b: all_of(a, b), {"a": FIELD, "b": SINCE}),  # noqa: PLW0108
    Call("any_of", lambda a, b: any_of(a, b), {"a": FIELD, "b": SINCE}),  # noqa: PLW0108
    Call("not_", not_, {"condition": FIELD}),
    Call("AllOf", AllOf, {"conditions": (FIELD,)}),
    Call("AnyOf", AnyOf, {"conditions": (FIELD,)}),
    Call("Not", Not, {"condition": FIELD}),
    Call("Context", Context, {"ticket": TICKET, "now": AT, "sla": None}),
    Call("condition_from_dict", condition_from_dict,
         {"data": EVERY.to_dict(), "path": "applies_to", "calendars": {"support": HOURS}}),
    Call("holds", EVERY.holds, {"context": CONTEXT}),
    Call("describe", EVERY.describe, {"context": CONTEXT}),
    Call("next_change_at", EVERY.next_change_at, {"context": CONTEXT}),
    Call("&", lambda other: FIELD & other, {"other": SINCE}),
    Call("|", lambda other: FIELD | other, {"other": SINCE}),
]  # fmt: skip
RESULTS = {"ALWAYS", "ANY", "Combination", "Condition", "SLAClocks"}
"""Constants, abstract bases and protocols: nothing to call with arguments."""
