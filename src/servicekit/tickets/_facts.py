"""Facts derived from a ticket's history in one pass; never stored twice."""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from servicekit._time import require_aware
from servicekit.calendars import Calendar
from servicekit.errors import InvalidInputError, InvalidTypeError, short
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

if TYPE_CHECKING:
    from servicekit.tickets._ticket import History


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

    This is the one walk of a history: the status after each event is the one the
    lifecycle table gave when the event was applied (kept in the history), and KPIs,
    conditions and reports read these facts instead of walking again.

    Replies count only *public* messages; ``bot`` and ``system`` replies are never
    agent replies. An *update* by the customer or an agent is an event they authored
    (creation, a reply or note, a status change). Everything is computed in one pass;
    the assignments and escalations on first access.

    Attributes:
        first_public_agent_reply_at: the first public agent reply, if any.
        last_public_agent_reply_at: the last public agent reply, if any.
        last_public_customer_reply_at: the last public customer reply, if any.
        agent_replies: public agent replies.
        customer_replies: public customer replies (creation not counted).
        reopen_instants: when the ticket left ``solved`` for anything but ``closed``.
        solve_instants: every move to ``solved``.
        last_customer_update_at: the customer's last update.
        last_agent_update_at: an agent's last update.
        satisfaction: the latest rating, if any.
        merged_into: the ticket this one was merged into, if any.
        statuses: the status after each event of the history, in order.
        status_changes: ``(instant, status entered)`` at creation (``new``) and at every
            change of status, in order.
    """

    history: Sequence[Event] = attrs.field(repr=False)
    first_public_agent_reply_at: datetime | None
    last_public_agent_reply_at: datetime | None
    last_public_customer_reply_at: datetime | None
    agent_replies: int
    customer_replies: int
    reopen_instants: tuple[datetime, ...]
    solve_instants: tuple[datetime, ...]
    last_customer_update_at: datetime | None
    last_agent_update_at: datetime | None
    satisfaction: SatisfactionRated | None
    merged_into: str | None
    statuses: tuple[Status, ...] = attrs.field(repr=False)
    status_changes: tuple[tuple[datetime, Status], ...] = attrs.field(repr=False)

    @property
    def created_at(self) -> datetime:
        """The instant of the ``Created`` event."""
        return self.history[0].at

    @property
    def updated_at(self) -> datetime:
        """The instant of the last event."""
        return self.history[-1].at

    @property
    def first_solved_at(self) -> datetime | None:
        """The first move to ``solved``."""
        return self.solve_instants[0] if self.solve_instants else None

    @property
    def solved_at(self) -> datetime | None:
        """The last move to ``solved``, or ``None`` if the ticket has left ``solved``
        since for anything but ``closed`` (full resolution). Solves and reopens
        alternate, so it is solved when it was solved more often than reopened."""
        solves = self.solve_instants
        return solves[-1] if len(solves) > len(self.reopen_instants) else None

    @property
    def closed_at(self) -> datetime | None:
        """When it was closed (also by a merge), else ``None``."""
        at, status = self.status_changes[-1]
        return at if status is Status.CLOSED else None

    @property
    def reopens(self) -> int:
        """How often the ticket left ``solved`` for anything but ``closed``."""
        return len(self.reopen_instants)

    @property
    def one_touch(self) -> bool:
        """Solved (or closed after solving) with exactly one public agent reply and
        never reopened: what ``kpi.fcr(definition="one_touch")`` counts."""
        return self.solved_at is not None and self.agent_replies == 1 and not self.reopen_instants

    def status_at(self, at: datetime) -> Status | None:
        """The status after every event at or before ``at``; ``None`` before creation.

        >>> from datetime import datetime, timedelta, UTC
        >>> from servicekit import Ticket
        >>> from servicekit.tickets import StatusChanged
        >>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c")
        >>> t = t.apply(StatusChanged(at=t.created_at + timedelta(hours=1), status="pending"))
        >>> t.facts.status_at(t.created_at), t.facts.status_at(t.updated_at)
        (<Status.NEW: 'new'>, <Status.PENDING: 'pending'>)
        """
        index = bisect_right(self.status_changes, require_aware(at, "at"), key=_instant) - 1
        return None if index < 0 else self.status_changes[index][1]

    @functools.cached_property
    def status_periods(self) -> tuple[StatusPeriod, ...]:
        """Consecutive stretches per status (a stretch may be empty when several events
        share an instant); the last one is open (``end is None``)."""
        changes = self.status_changes
        ends = [at for at, _ in changes[1:]]
        return tuple(
            StatusPeriod(status=status, start=start, end=end)
            for (start, status), end in zip(changes, [*ends, None], strict=True)
        )

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
        if calendar is not None and not isinstance(calendar, Calendar):
            raise InvalidTypeError(f"calendar must be a calendar or None, got {short(calendar)}")
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


def facts_of(history: History) -> Facts:
    """Derive :class:`Facts` from a ticket's history, reading the status after each
    event that the lifecycle table gave when the event was applied."""
    created = history[0]
    assert isinstance(created, Created)
    walk = _Walk(created)
    for event, following in history.steps():
        walk.step(event, following)
    return walk.facts(history)


class _Walk:
    """What is carried from event to event while reading a history."""

    def __init__(self, created: Created) -> None:
        self.status = Status.NEW
        self.statuses = [self.status]
        self.changes = [(created.at, Status.NEW)]
        self.first_agent_reply: datetime | None = None
        self.last_agent_reply: datetime | None = None
        self.last_customer_reply: datetime | None = None
        self.merged_into: str | None = None
        self.agent_replies = self.customer_replies = 0
        self.reopened: list[datetime] = []
        self.solves: list[datetime] = []
        self.last_customer = created.at if created.by is Author.CUSTOMER else None
        self.last_agent = created.at if created.by is Author.AGENT else None
        self.satisfaction: SatisfactionRated | None = None

    def step(self, event: Event, following: Status) -> None:
        at = event.at
        if isinstance(event, Replied):
            self.replied(event)
        elif isinstance(event, StatusChanged):
            if event.by is Author.AGENT:
                self.last_agent = at
            elif event.by is Author.CUSTOMER:
                self.last_customer = at
        elif isinstance(event, SatisfactionRated):
            self.satisfaction = event
        elif isinstance(event, Merged):
            self.merged_into = event.into
        self.statuses.append(following)
        if following is not self.status:
            self.status_changed(at, following)

    def replied(self, event: Replied) -> None:
        at = event.at
        if event.by is Author.AGENT:
            self.last_agent = at
            if event.public:
                self.agent_replies += 1
                self.last_agent_reply = at
                if self.first_agent_reply is None:
                    self.first_agent_reply = at
        elif event.by is Author.CUSTOMER:
            self.last_customer = at
            if event.public:
                self.last_customer_reply = at
            self.customer_replies += 1

    def status_changed(self, at: datetime, following: Status) -> None:
        self.changes.append((at, following))
        if self.status is Status.SOLVED and following is not Status.CLOSED:
            self.reopened.append(at)
        if following is Status.SOLVED:
            self.solves.append(at)
        self.status = following

    def facts(self, history: Sequence[Event]) -> Facts:
        return Facts(
            history=history,
            first_public_agent_reply_at=self.first_agent_reply,
            last_public_agent_reply_at=self.last_agent_reply,
            last_public_customer_reply_at=self.last_customer_reply,
            agent_replies=self.agent_replies,
            customer_replies=self.customer_replies,
            reopen_instants=tuple(self.reopened),
            solve_instants=tuple(self.solves),
            last_customer_update_at=self.last_customer,
            last_agent_update_at=self.last_agent,
            satisfaction=self.satisfaction,
            merged_into=self.merged_into,
            statuses=tuple(self.statuses),
            status_changes=tuple(self.changes),
        )


def _instant(change: tuple[datetime, Status]) -> datetime:
    return change[0]


def _distinct(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value is not None))
