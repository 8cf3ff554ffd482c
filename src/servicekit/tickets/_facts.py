"""Facts derived from a ticket's history in one pass; never stored twice."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from servicekit._time import require_aware
from servicekit.errors import InvalidInputError
from servicekit.tickets._enums import Author, Status
from servicekit.tickets._events import (
    Assigned,
    Created,
    Escalated,
    Event,
    Merged,
    Replied,
    SatisfactionRated,
    StatusChanged,
)
from servicekit.tickets._lifecycle import ROWS, trigger_of

if TYPE_CHECKING:
    from servicekit.calendars import Calendar


@attrs.frozen(kw_only=True)
class StatusPeriod:
    """A stretch of time a ticket spent in one status; ``end`` is ``None`` while the
    ticket is still in it.

    >>> from datetime import datetime, UTC
    >>> StatusPeriod(status=Status.OPEN, start=datetime(2026, 3, 2, 9, tzinfo=UTC), end=None)
    StatusPeriod(status=<Status.OPEN: 'open'>, \
start=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc), end=None)
    """

    status: Status
    start: datetime
    end: datetime | None


@attrs.frozen(kw_only=True)
class Facts:
    """What a ticket's history says, computed once per ticket (``ticket.facts``).

    Replies count only *public* messages; ``bot`` and ``system`` replies are never
    agent replies. An *update* by the customer or an agent is an event they authored
    (creation, a reply or note, a status change). Counts and instants are computed in
    one pass; the collections (periods, assignments, escalations) on first access.

    Attributes:
        created_at: the instant of the ``Created`` event.
        updated_at: the instant of the last event.
        first_public_agent_reply_at: the first public agent reply, if any.
        agent_replies: public agent replies.
        customer_replies: public customer replies (creation not counted).
        reopens: moves out of ``solved`` to anything but ``closed``.
        first_solved_at: the first move to ``solved``.
        solved_at: the last move to ``solved``, or ``None`` if the ticket has left
            ``solved`` since for anything but ``closed`` (full resolution).
        closed_at: when it was closed (also by a merge), else ``None``.
        last_customer_update_at: the customer's last update.
        last_agent_update_at: an agent's last update.
        satisfaction: the latest rating, if any.
        merged_into: the ticket this one was merged into, if any.
    """

    history: Sequence[Event] = attrs.field(repr=False)
    created_at: datetime
    updated_at: datetime
    first_public_agent_reply_at: datetime | None
    agent_replies: int
    customer_replies: int
    reopens: int
    first_solved_at: datetime | None
    solved_at: datetime | None
    closed_at: datetime | None
    last_customer_update_at: datetime | None
    last_agent_update_at: datetime | None
    satisfaction: SatisfactionRated | None
    merged_into: str | None

    @property
    def one_touch(self) -> bool:
        """Solved (or closed after solving) with exactly one public agent reply."""
        return self.solved_at is not None and self.agent_replies == 1

    @functools.cached_property
    def assignments(self) -> tuple[Assigned, ...]:
        """Every ``Assigned`` event, in order."""
        return tuple(event for event in self.history if isinstance(event, Assigned))

    @property
    def assignees(self) -> tuple[str, ...]:
        """Distinct agents ever assigned, in order of first assignment."""
        return _distinct(assigned.agent for assigned in self.assignments)

    @property
    def groups(self) -> tuple[str, ...]:
        """Distinct groups ever assigned, in order of first assignment."""
        return _distinct(assigned.group for assigned in self.assignments)

    @functools.cached_property
    def escalations(self) -> tuple[Escalated, ...]:
        """Every ``Escalated`` event, in order."""
        return tuple(event for event in self.history if isinstance(event, Escalated))

    @functools.cached_property
    def status_periods(self) -> tuple[StatusPeriod, ...]:
        """Consecutive stretches per status; the last one is open (``end is None``)."""
        events = iter(self.history)
        status, start = Status.NEW, next(events).at
        periods = []
        for event in events:
            following = ROWS[status].get(trigger_of(event))
            if following is not None and following is not status:
                periods.append(StatusPeriod(status=status, start=start, end=event.at))
                status, start = following, event.at
        periods.append(StatusPeriod(status=status, start=start, end=None))
        return tuple(periods)

    def time_in_status(
        self, *, until: datetime | None = None, calendar: Calendar | None = None
    ) -> dict[Status, timedelta]:
        """Total time spent in each status the ticket has been in, except ``closed``.

        Args:
            until: end of the current (open) status period; defaults to the last
                event, so a finished history needs none. Must not precede it.
            calendar: count business time on this calendar instead of real time.

        Returns:
            Statuses in lifecycle order, each with its total (zero-length stays kept).

        Raises:
            InvalidInputError: ``until`` is before the last event.
        """
        end_of_open = self.updated_at if until is None else require_aware(until, "until")
        if end_of_open < self.updated_at:
            raise InvalidInputError(
                f"until={end_of_open.isoformat()} is before the last event at "
                f"{self.updated_at.isoformat()}"
            )
        totals: dict[Status, timedelta] = {}
        for period in self.status_periods:
            if period.status is Status.CLOSED:
                continue
            end = end_of_open if period.end is None else period.end
            spent = end - period.start if calendar is None else calendar.elapsed(period.start, end)
            totals[period.status] = totals.get(period.status, timedelta()) + spent
        return {status: totals[status] for status in Status if status in totals}


def facts_of(history: Sequence[Event]) -> Facts:
    """Derive :class:`Facts` from a valid history (as held by a ``Ticket``)."""
    events = iter(history)
    created = next(events)
    assert isinstance(created, Created)
    status = Status.NEW
    first_agent_reply = first_solved = solved = closed = merged_into = None
    agent_replies = customer_replies = reopens = 0
    last_customer: datetime | None = created.at if created.by is Author.CUSTOMER else None
    last_agent: datetime | None = created.at if created.by is Author.AGENT else None
    satisfaction = None
    at = created.at
    for event in events:
        at = event.at
        if isinstance(event, Replied):
            if event.by is Author.AGENT:
                last_agent = at
                if event.public:
                    agent_replies += 1
                    if first_agent_reply is None:
                        first_agent_reply = at
            elif event.by is Author.CUSTOMER:
                last_customer = at
                customer_replies += 1
        elif isinstance(event, StatusChanged):
            if event.by is Author.AGENT:
                last_agent = at
            elif event.by is Author.CUSTOMER:
                last_customer = at
        elif isinstance(event, SatisfactionRated):
            satisfaction = event
        elif isinstance(event, Merged):
            merged_into = event.into
        following = ROWS[status].get(trigger_of(event))
        if following is status or following is None:
            continue
        if status is Status.SOLVED and following is not Status.CLOSED:
            reopens += 1
            solved = None
        if following is Status.SOLVED:
            solved = at
            if first_solved is None:
                first_solved = at
        elif following is Status.CLOSED:
            closed = at
        status = following
    return Facts(
        history=history,
        created_at=created.at,
        updated_at=at,
        first_public_agent_reply_at=first_agent_reply,
        agent_replies=agent_replies,
        customer_replies=customer_replies,
        reopens=reopens,
        first_solved_at=first_solved,
        solved_at=solved,
        closed_at=closed,
        last_customer_update_at=last_customer,
        last_agent_update_at=last_agent,
        satisfaction=satisfaction,
        merged_into=merged_into,
    )


def _distinct(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value is not None))
