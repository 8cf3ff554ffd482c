"""SLA clocks of many tickets as one DataFrame, one row per clock."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from servicekit._time import micros, require_aware, to_us
from servicekit.columns._deps import numpy_and_pandas
from servicekit.errors import InvalidInputError, short
from servicekit.sla import PolicySet, SLAPolicy
from servicekit.tickets import Ticket

_NAT = -(2**63)
_INSTANTS = ("started_at", "stopped_at", "due_at", "breached_at")
_TEXT = ("ticket_id", "channel", "group", "policy", "metric", "state", "priority", "paused_by")

COLUMNS = (
    "ticket_id",
    "channel",
    "group",
    "policy",
    "metric",
    "cycle",
    "state",
    "priority",
    "target",
    "business_hours",
    "started_at",
    "stopped_at",
    "due_at",
    "breached_at",
    "elapsed",
    "remaining",
    "fraction_used",
    "paused_by",
)
"""The columns of :func:`sla_clocks`, in order."""


def _us(value: datetime | None) -> int:
    return _NAT if value is None else to_us(value)


def sla_clocks(tickets: Iterable[Ticket], policies: PolicySet | SLAPolicy, *, now: datetime) -> Any:
    """Every SLA clock of ``tickets`` at ``now`` as a DataFrame, one row per clock.

    ``policies.evaluate(ticket, now=now)`` per ticket (a :class:`PolicySet` applies its
    first matching policy; tickets no policy covers have no rows).

    Columns (:data:`COLUMNS`): ``ticket_id``, ``channel``, ``group`` (at ``now``),
    ``policy``, ``metric``, ``cycle``, ``state`` (``running``/``paused``/``achieved``/
    ``breached``), ``priority``, ``target`` (the clock's budget: its duration, or for a
    business-day target the business time from start to due) and ``elapsed``/``remaining``
    (timedelta64, business time for business-hour targets; ``remaining`` negative once
    breached),
    ``business_hours``, ``fraction_used``, ``paused_by``, and the instants
    ``started_at``, ``stopped_at``, ``due_at``, ``breached_at`` (in ``now``'s zone, NaT
    where the clock has none).

    Raises:
        InvalidInputError: a non-ticket, policies that are neither a ``PolicySet`` nor
            an ``SLAPolicy``, or ``now`` before a ticket's last event.
        NaiveDatetimeError: ``now`` has no time zone.

    >>> import pandas as pd
    >>> from datetime import datetime, UTC
    >>> from servicekit import Ticket, columns
    >>> from servicekit.sla import SLAPolicy
    >>> policy = SLAPolicy("24/7", targets={"normal": {
    ...     "first_reply": {"duration": "1h", "business_hours": False}}})
    >>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c")
    >>> clocks = columns.sla_clocks([t], policy, now=datetime(2026, 3, 2, 11, tzinfo=UTC))
    >>> clocks[["ticket_id", "metric", "state", "due_at", "remaining"]]
      ticket_id       metric     state                    due_at         remaining
    0       T-1  first_reply  breached 2026-03-02 10:00:00+00:00 -1 days +23:00:00
    """
    np, pd = numpy_and_pandas()
    if not isinstance(policies, PolicySet | SLAPolicy):
        raise InvalidInputError(
            f"policies must be a PolicySet or an SLAPolicy, got {type(policies).__name__}"
        )
    if not isinstance(now, datetime):
        raise InvalidInputError(f"now must be a tz-aware datetime, got {short(now)}")
    zone = require_aware(now, "now").tzinfo
    if isinstance(tickets, Ticket) or not isinstance(tickets, Iterable):
        raise InvalidInputError(f"tickets must be a collection of tickets, got {short(tickets)}")
    rows: list[tuple[Any, ...]] = []
    for position, ticket in enumerate(tickets):
        if not isinstance(ticket, Ticket):
            raise InvalidInputError(f"tickets[{position}] is not a Ticket: {short(ticket, 60)}")
        evaluation = policies.evaluate(ticket, now=now)
        channel = getattr(ticket.channel, "value", ticket.channel)
        rows += [
            (
                ticket.id,
                channel,
                ticket.group,
                evaluation.policy,
                clock.metric.value,
                clock.cycle,
                clock.state.value,
                clock.priority.value,
                micros(clock.budget),
                clock.target.business_hours,
                _us(clock.started_at),
                _us(clock.stopped_at),
                _us(clock.due_at),
                _us(clock.breached_at),
                micros(clock.elapsed),
                micros(clock.remaining),
                clock.fraction_used,
                None if clock.paused_by is None else clock.paused_by.value,
            )
            for clock in evaluation.clocks
        ]
    data = dict(zip(COLUMNS, zip(*rows, strict=True), strict=True)) if rows else {}
    frame: dict[str, Any] = {}
    for name in COLUMNS:
        values = list(data.get(name, ()))
        if name in _INSTANTS:
            raw = np.asarray(values, dtype=np.int64).view("datetime64[us]")
            frame[name] = pd.DatetimeIndex(raw).tz_localize("UTC").tz_convert(zone)
        elif name in ("target", "elapsed", "remaining"):
            frame[name] = np.asarray(values, dtype=np.int64).view("timedelta64[us]")
        elif name == "cycle":
            frame[name] = np.asarray(values, dtype=np.int64)
        elif name == "business_hours":
            frame[name] = np.asarray(values, dtype=bool)
        elif name == "fraction_used":
            frame[name] = np.asarray(values, dtype=np.float64)
        else:
            assert name in _TEXT
            frame[name] = pd.array(values, dtype="object")
    return pd.DataFrame(frame)
