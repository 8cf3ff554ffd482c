"""servicekit's own events, as pairs of ticket id and event, possibly out of order and
starting mid-history (an export of servicekit JSON lines, or an app's event log)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from servicekit._checks import short
from servicekit.errors import InvalidInputError, InvalidTypeError
from servicekit.importers._build import Collector
from servicekit.importers._report import ImportResult
from servicekit.tickets import Author, Event, Replied

UNKNOWN_REQUESTER = "unknown"
"""The requester of a synthesised creation when no customer reply names one."""


def from_events(events: Iterable[tuple[str, Event]]) -> ImportResult:
    """Tickets from ``(ticket id, event)`` pairs in any order.

    Each ticket's events are sorted by time (stable for ties, so events at one instant
    keep their order); a ticket whose ``Created`` is missing starts with one synthesised
    from its first event (requester: the first customer reply's author, else
    ``"unknown"``) and is listed in ``report.synthesised``; an event the lifecycle table
    refuses is ignored and counted by its type, naming the ticket in the samples.

    Raises:
        InvalidInputError: an item is not a pair of a ticket id and an event.

    >>> from datetime import datetime, UTC
    >>> from servicekit.tickets import Created, StatusChanged
    >>> t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    >>> solved = ("T-1", StatusChanged(at=t0.replace(hour=10), status="solved"))
    >>> created = ("T-1", Created(at=t0, ticket_id="T-1", requester="c-7"))
    >>> tickets, report = from_events([solved, created, ("T-2", solved[1])])
    >>> [t.status.value for t in tickets], report.synthesised
    (['solved', 'solved'], ('T-2',))
    """
    if isinstance(events, str | bytes | Mapping) or not isinstance(events, Iterable):
        raise InvalidTypeError(f"events must be (ticket id, event) pairs, got {short(events)}")
    out = Collector("servicekit")
    for index, item in enumerate(events):
        if (
            not isinstance(item, tuple)
            or len(item) != 2
            or not isinstance(item[0], str)
            or not isinstance(item[1], Event)
        ):
            raise InvalidInputError(
                f"events[{index}] must be a (ticket id, event) pair, got {short(item)}"
            )
        ticket_id, event = item
        out.read += 1
        pending = out.ticket(ticket_id)
        if (
            pending.requester is None
            and isinstance(event, Replied)
            and event.by is Author.CUSTOMER
            and event.author_id is not None
        ):
            pending.requester = event.author_id
        out.add(ticket_id, type(event).__name__, event)
    for pending in out.tickets.values():
        pending.requester = pending.requester or UNKNOWN_REQUESTER
    return out.finish()
