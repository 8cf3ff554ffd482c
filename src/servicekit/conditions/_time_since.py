"""Time conditions: how long since something happened, in calendar or business hours."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal, get_args

import attrs

from servicekit._checks import member, short
from servicekit._time import ONE_MICROSECOND
from servicekit.calendars import Calendar
from servicekit.conditions._conditions import Condition, Context, checked_context, compare
from servicekit.durations import checked_duration, format_duration
from servicekit.errors import InvalidInputError
from servicekit.tickets import Status, Ticket

Comparison = Literal[">=", ">", "<", "<="]
"""How a measured amount is compared with a threshold."""

COMPARISONS: tuple[Comparison, ...] = get_args(Comparison)

MAX_DURATION = timedelta(days=36_525)
"""The longest duration a time condition compares with: 100 years (36,525 days).
Longer ones could never come true for any ticket a help desk holds, and would
overflow ``datetime`` when the condition computes its next change, so they are
refused when the condition is built or loaded."""

ANCHORS = ("created", "updated", "status", "agent_reply", "requester_reply", "assigned")
"""What :func:`time_since` measures from; a status name (``"pending"``) also works."""


def anchor_instant(ticket: Ticket, anchor: str) -> datetime | None:
    """When ``anchor`` happened on ``ticket``, or ``None`` if it does not apply."""
    if anchor == "created":
        return ticket.created_at
    if anchor == "updated":
        return ticket.updated_at
    if anchor == "agent_reply":
        return ticket.facts.last_public_agent_reply_at or ticket.created_at
    if anchor == "requester_reply":
        return ticket.facts.last_public_customer_reply_at or ticket.created_at
    if anchor == "assigned":
        assignments = ticket.facts.assignments
        return assignments[-1].at if assignments and ticket.assignee else None
    entered = ticket.facts.status_periods[-1]
    if anchor in ("status", ticket.status.value):
        return entered.start
    return None


def bounded(name: str, value: object, *, positive: bool = False) -> timedelta:
    """``value`` parsed as a duration (as ``servicekit.durations.checked_duration``) of at
    most :data:`MAX_DURATION`."""
    duration = checked_duration(name, value, positive=positive)
    if duration > MAX_DURATION:
        raise InvalidInputError(
            f"{name}: {format_duration(duration)} is longer than the longest a condition "
            f"compares with ({format_duration(MAX_DURATION)}, 100 years)"
        )
    return duration


def later(start: datetime, amount: timedelta) -> datetime | None:
    """``start + amount``, or ``None`` when that lies beyond the years ``datetime``
    holds (a flip that never comes)."""
    try:
        return start + amount
    except OverflowError:
        return None


def flip_after(comparison: Comparison, threshold: timedelta) -> timedelta:
    """How much must accumulate for ``measure <comparison> threshold`` to flip, for a
    measure that only grows: the threshold itself, or a microsecond past it."""
    return threshold + (ONE_MICROSECOND if comparison in (">", "<=") else timedelta(0))


@attrs.frozen(repr=False)
class TimeSince(Condition):
    """Time since an anchor compared with a duration; see :func:`time_since`."""

    anchor: str
    operator: Comparison
    duration: timedelta
    calendar: Calendar | None = None

    def __attrs_post_init__(self) -> None:
        """Refuse what could only fail later; :func:`time_since` converts names."""
        if check_anchor(self.anchor) != self.anchor:
            raise InvalidInputError(
                f"anchor must be a name such as 'pending', got {short(self.anchor)}"
            )
        check_comparison(self.operator)
        if bounded("duration", self.duration) != self.duration:
            raise InvalidInputError(f"duration must be a timedelta, got {short(self.duration)}")
        if self.calendar is not None and not isinstance(self.calendar, Calendar):
            raise InvalidInputError(
                f"calendar must be a calendar or None, got {short(self.calendar)}"
            )

    def elapsed(self, context: Context) -> timedelta | None:
        """Time since the anchor at ``context.now`` (business time on the calendar)."""
        checked_context(context)
        start = anchor_instant(context.ticket, self.anchor)
        if start is None:
            return None
        if self.calendar is None:
            return context.now - start
        return self.calendar.elapsed(start, context.now)

    def holds(self, context: Context) -> bool:
        checked_context(context)
        elapsed = self.elapsed(context)
        return elapsed is not None and compare(self.operator, elapsed, self.duration)

    def next_change_at(self, context: Context) -> datetime | None:
        checked_context(context)
        start = anchor_instant(context.ticket, self.anchor)
        if start is None:
            return None
        amount = flip_after(self.operator, self.duration)
        flip = later(start, amount) if self.calendar is None else self.calendar.add(start, amount)
        return flip if flip is not None and flip > context.now else None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "since": self.anchor,
            "op": self.operator,
            "value": format_duration(self.duration),
        }
        if self.calendar is not None:
            data["calendar"] = self.calendar.to_dict()  # type: ignore[attr-defined]
        return data

    def describe(self, context: Context) -> str:
        checked_context(context)
        elapsed = self.elapsed(context)
        if elapsed is None:
            return f"{_anchor_name(self.anchor)}: does not apply"
        return f"{format_duration(elapsed)} since {_anchor_name(self.anchor)}{self._unit}"

    @property
    def _unit(self) -> str:
        return "" if self.calendar is None else " (business hours)"

    def __repr__(self) -> str:
        limit = format_duration(self.duration)
        return f"time since {_anchor_name(self.anchor)} {self.operator} {limit}{self._unit}"


def _anchor_name(anchor: str) -> str:
    names = {
        "status": "status change",
        "agent_reply": "public agent reply",
        "requester_reply": "public requester reply",
    }
    return names.get(anchor, anchor)


def check_comparison(operator: object) -> Comparison:
    if operator not in COMPARISONS:
        raise InvalidInputError(
            f"unknown operator {short(operator)}; expected one of {', '.join(COMPARISONS)}"
        )
    return operator


def check_anchor(anchor: object) -> str:
    if isinstance(anchor, Status):
        return anchor.value
    if anchor in ANCHORS:
        return anchor
    if isinstance(anchor, str):
        try:
            return member(Status, anchor).value
        except InvalidInputError:
            pass
    known = ", ".join(ANCHORS)
    raise InvalidInputError(f"unknown anchor {short(anchor)}; expected one of {known} or a status")


def time_since(
    anchor: str | Status,
    operator: Comparison,
    duration: timedelta | str,
    *,
    calendar: Calendar | None = None,
) -> TimeSince:
    """How long since something happened, compared with a duration.

    Args:
        anchor: ``created``; ``updated`` (the last event); ``status`` (entering the
            current status); a status name such as ``pending`` (entering it, and only
            while the ticket is in it); ``agent_reply`` / ``requester_reply`` (the
            last public reply of that side, or creation if there is none yet);
            ``assigned`` (the last assignment, while the ticket has an assignee).
        operator: ``>=``, ``>``, ``<`` or ``<=``.
        duration: ``"4h"``, ``"PT4H"`` or a ``timedelta``, at most
            :data:`MAX_DURATION` (100 years).
        calendar: count business time on this calendar instead of calendar time.

    Raises:
        InvalidInputError: an unknown anchor or operator, or a bad duration.

    >>> time_since("agent_reply", ">=", "4h")
    time since public agent reply >= 4h
    >>> time_since("pending", ">=", "24h")
    time since pending >= 1d
    """
    return TimeSince(
        check_anchor(anchor),
        check_comparison(operator),
        bounded("duration", duration),
        calendar,
    )
