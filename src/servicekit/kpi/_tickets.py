"""Ticket metrics from ticket histories: reply and resolution times (calendar or
business hours), first-contact resolution, reopens, SLA attainment and backlog."""

from __future__ import annotations

import bisect
import enum
from collections import defaultdict
from collections.abc import Hashable, Iterable
from datetime import datetime, timedelta
from typing import Any, Self

import attrs

from servicekit._checks import member
from servicekit._time import require_aware
from servicekit.calendars import Calendar
from servicekit.durations import checked_duration
from servicekit.errors import InvalidInputError, InvalidTypeError, short
from servicekit.kpi._inputs import MISSING, CountsMissing, KeysMissing, missing
from servicekit.kpi._stats import DurationSummary, Proportion, flat, z_score
from servicekit.kpi._tally import DurationTally, ItemTally, Tally
from servicekit.sla import Clock, ClockState
from servicekit.tickets import Author, Replied, Status, Ticket

_US = timedelta(microseconds=1)


def _ticket(value: object) -> Ticket:
    if not isinstance(value, Ticket):
        raise InvalidInputError(f"expected a Ticket, got {short(value)}")
    return value


class Resolution(enum.StrEnum):
    """Which solve ends a resolution time: the ``first`` (even if reopened later), or
    the ``full`` one (the last, for tickets that stayed solved)."""

    FIRST = "first"
    FULL = "full"


class TicketTimeTally(CountsMissing[DurationSummary], Tally[DurationSummary]):
    """Accumulates first reply or resolution times of tickets; see
    :func:`first_reply_times` and :func:`resolution_times`."""

    def __init__(self, measure: str, *, calendar: Calendar | None = None) -> None:
        if measure not in ("first_reply", "first", "full"):
            raise InvalidInputError(f"unknown ticket time {short(measure)}")
        if calendar is not None and not isinstance(calendar, Calendar):
            raise InvalidTypeError(f"calendar must be a calendar or None, got {short(calendar)}")
        self.measure = measure
        self.calendar = calendar
        self.times = DurationTally(measure)

    def settings(self) -> tuple[object, ...]:
        return (self.measure, self.calendar)

    def _end(self, ticket: Ticket) -> datetime | None:
        facts = ticket.facts
        if self.measure == "first_reply":
            return facts.first_public_agent_reply_at
        return facts.first_solved_at if self.measure == "first" else facts.solved_at

    def add(self, value: Any) -> None:
        ticket = _ticket(value)
        end = self._end(ticket)
        if end is None:
            return
        start = ticket.created_at
        spent = end - start if self.calendar is None else self.calendar.elapsed(start, end)
        self.times.add_microseconds(spent // _US)

    def merge(self, other: Self) -> Self:
        self._check_mergeable(other)
        merged = type(self)(self.measure, calendar=self.calendar)
        merged.times = self.times.merge(other.times)
        return merged

    def result(self) -> DurationSummary:
        return attrs.evolve(self.times.result(), missing=self.missing)


def first_reply_times(
    tickets: Iterable[Ticket], *, calendar: Calendar | None = None
) -> DurationSummary:
    """Creation to first public agent reply, over the tickets that have one; in
    business time on ``calendar`` if given (bots and internal notes never count).

    >>> from datetime import datetime, UTC
    >>> from servicekit.tickets import Replied
    >>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c")
    >>> t = t.apply(Replied(at=datetime(2026, 3, 2, 9, 45, tzinfo=UTC), by="agent"))
    >>> first_reply_times([t]).median
    datetime.timedelta(seconds=2700)
    """
    return TicketTimeTally("first_reply", calendar=calendar).update(tickets).result()


def resolution_times(
    tickets: Iterable[Ticket],
    *,
    which: Resolution | str = Resolution.FULL,
    calendar: Calendar | None = None,
) -> DurationSummary:
    """Creation to solve, over the tickets solved: the ``first`` solve, or the
    ``full`` resolution (the last solve, for tickets not reopened since); in
    business time on ``calendar`` if given."""
    measure = member(Resolution, which)
    return TicketTimeTally(measure.value, calendar=calendar).update(tickets).result()


class FCRDefinition(enum.StrEnum):
    """What counts as resolved at first contact, among solved tickets:

    - ``one_touch``: solved with exactly one public agent reply and never reopened
      (Zendesk's "one-touch tickets");
    - ``no_customer_followup``: the customer never wrote again after the first agent
      reply, and the ticket was never reopened (Freshdesk, Intercom style);
    - ``repeat_window``: the same requester opened no new ticket within ``window``
      after the ticket was first solved (contact-centre FCR, as ICMI measures it).
    """

    ONE_TOUCH = "one_touch"
    NO_CUSTOMER_FOLLOWUP = "no_customer_followup"
    REPEAT_WINDOW = "repeat_window"


def _followed_up(ticket: Ticket) -> bool:
    first = ticket.facts.first_public_agent_reply_at
    return first is not None and any(
        isinstance(event, Replied)
        and event.by is Author.CUSTOMER
        and event.public
        and event.at > first
        for event in ticket.history
    )


class FCRTally(CountsMissing[Proportion], Tally[Proportion]):
    """Accumulates first-contact resolution; see :func:`fcr`. For ``repeat_window``
    it keeps, per requester, every ticket's creation and first solve, so partitions
    need not be split by requester."""

    def __init__(
        self,
        *,
        definition: FCRDefinition | str,
        window: timedelta | str | None = None,
        confidence: float = 0.95,
    ) -> None:
        self.definition = member(FCRDefinition, definition)
        if (self.definition is FCRDefinition.REPEAT_WINDOW) != (window is not None):
            raise InvalidInputError("fcr: a window is needed with repeat_window, and only there")
        self.window = None if window is None else checked_duration("window", window, positive=True)
        z_score(confidence)
        self.confidence = confidence
        self.solved = self.resolved = 0
        self.by_requester: dict[str, list[tuple[datetime, datetime | None]]] = defaultdict(list)

    def settings(self) -> tuple[Hashable, ...]:
        return (self.definition, self.window, self.confidence)

    def add(self, value: Any) -> None:
        ticket = _ticket(value)
        facts = ticket.facts
        if self.definition is FCRDefinition.REPEAT_WINDOW:
            self.by_requester[ticket.requester].append((ticket.created_at, facts.first_solved_at))
            return
        if facts.solved_at is None:
            return
        self.solved += 1
        if self.definition is FCRDefinition.ONE_TOUCH:
            self.resolved += facts.agent_replies == 1 and facts.reopens == 0
        else:
            self.resolved += facts.reopens == 0 and not _followed_up(ticket)

    def merge(self, other: Self) -> Self:
        self._check_mergeable(other)
        merged = type(self)(definition=self.definition, window=self.window,
                            confidence=self.confidence)  # fmt: skip
        merged.solved, merged.resolved = self.solved + other.solved, self.resolved + other.resolved
        for side in (self, other):
            for requester, tickets in side.by_requester.items():
                merged.by_requester[requester].extend(tickets)
        return merged

    def result(self) -> Proportion:
        if self.definition is not FCRDefinition.REPEAT_WINDOW:
            return Proportion.of(self.resolved, self.solved, self.confidence, missing=self.missing)
        assert self.window is not None
        solved = resolved = 0
        for tickets in self.by_requester.values():
            created = sorted(at for at, _ in tickets)
            for _, first_solved in tickets:
                if first_solved is None:
                    continue
                solved += 1
                later = bisect.bisect_right(created, first_solved)
                repeat = later < len(created) and created[later] <= first_solved + self.window
                resolved += not repeat
        return Proportion.of(resolved, solved, self.confidence, missing=self.missing)


def fcr(
    tickets: Iterable[Ticket],
    *,
    definition: FCRDefinition | str,
    window: timedelta | str | None = None,
    confidence: float = 0.95,
) -> Proportion:
    """First-contact resolution among solved tickets, by an explicit
    :class:`FCRDefinition` (``window`` only for ``repeat_window``).

    Raises:
        InvalidInputError: an unknown definition, or a window missing or misplaced.
    """
    tally = FCRTally(definition=definition, window=window, confidence=confidence)
    return tally.update(tickets).result()


class ReopenTally(KeysMissing[Proportion], ItemTally[Proportion]):
    """Accumulates reopens among tickets solved at least once; see :func:`reopen_rate`."""

    rule = "expected tickets"

    def valid(self, value: Any) -> bool:
        return missing(value) or isinstance(value, Ticket)

    def key(self, value: Any) -> Hashable:
        if missing(value):
            return MISSING  # type: ignore[no-any-return]
        facts = value.facts
        return "unsolved" if facts.first_solved_at is None else facts.reopens > 0

    def result(self) -> Proportion:
        reopened, kept = self.counts[True], self.counts[False]
        return Proportion.of(reopened, reopened + kept, self.confidence, missing=self.missing)


def reopen_rate(tickets: Iterable[Ticket], *, confidence: float = 0.95) -> Proportion:
    """Share of tickets reopened at least once, among tickets solved at least once."""
    return ReopenTally(confidence=confidence).update(tickets).result()


@attrs.frozen(kw_only=True)
class SLAAttainment:
    """SLA targets met: ``achieved / (achieved + breached)``. Clocks still running or
    paused have no outcome yet and are left out, and counted in ``still_open``, so a
    report can say so."""

    achieved: int
    breached: int
    still_open: int
    proportion: Proportion
    missing: int = attrs.field(default=0, repr=False)
    """Inputs skipped as missing (None, NaN); not in any count."""

    def to_dict(self) -> dict[str, Any]:
        """One entry per field, the proportion as ``proportion_value``,
        ``proportion_low``, ``proportion_high``, ...; see :func:`~servicekit.kpi.to_frame`."""
        return flat(self)

    @property
    def value(self) -> float | None:
        """The attainment in [0, 1], ``None`` when no clock has an outcome."""
        return self.proportion.value


class SLAAttainmentTally(KeysMissing[SLAAttainment], ItemTally[SLAAttainment]):
    """Accumulates SLA clock outcomes; see :func:`sla_attainment`."""

    rule = "expected SLA clocks"

    def valid(self, value: Any) -> bool:
        return missing(value) or isinstance(value, Clock)

    def key(self, value: Any) -> Hashable:
        if missing(value):
            return MISSING  # type: ignore[no-any-return]
        state: ClockState = value.state
        return state

    def result(self) -> SLAAttainment:
        achieved = self.counts[ClockState.ACHIEVED]
        breached = self.counts[ClockState.BREACHED]
        still_open = self.counts[ClockState.RUNNING] + self.counts[ClockState.PAUSED]
        proportion = Proportion.of(achieved, achieved + breached, self.confidence)
        return SLAAttainment(achieved=achieved, breached=breached, still_open=still_open,
                             proportion=proportion, missing=self.missing)  # fmt: skip


def sla_attainment(clocks: Iterable[Clock], *, confidence: float = 0.95) -> SLAAttainment:
    """Share of SLA clocks that met their target, among those with an outcome
    (running and paused clocks are counted apart, never as met)."""
    return SLAAttainmentTally(confidence=confidence).update(clocks).result()


@attrs.frozen(kw_only=True)
class Backlog:
    """Tickets unsolved at an instant: how many, and how old (since creation)."""

    at: datetime
    count: int
    age: DurationSummary
    missing: int = attrs.field(default=0, repr=False)
    """Inputs skipped as missing (None); not in ``count``."""

    def to_dict(self) -> dict[str, Any]:
        """One entry per field, ``age`` as ``age_count``, ``age_mean``, ...."""
        return flat(self)


class BacklogTally(CountsMissing[Backlog], Tally[Backlog]):
    """Accumulates the tickets unsolved at one instant; see :func:`backlog`."""

    def __init__(self, now: datetime) -> None:
        self.now = require_aware(now, "now")
        self.ages = DurationTally("backlog ages")

    def settings(self) -> tuple[object, ...]:
        return (self.now,)

    def add(self, value: Any) -> None:
        ticket = _ticket(value)
        status = ticket.facts.status_at(self.now)
        if status is not None and status not in (Status.SOLVED, Status.CLOSED):
            self.ages.add_microseconds((self.now - ticket.created_at) // _US)

    def merge(self, other: Self) -> Self:
        self._check_mergeable(other)
        merged = type(self)(self.now)
        merged.ages = self.ages.merge(other.ages)
        return merged

    def result(self) -> Backlog:
        summary = self.ages.result()
        return Backlog(at=self.now, count=summary.count, age=summary, missing=self.missing)


def backlog(tickets: Iterable[Ticket], *, now: datetime) -> Backlog:
    """The tickets that exist and are neither solved nor closed at ``now``, with a
    summary of their ages at ``now`` (the result's ``at``).

    >>> from datetime import datetime, timedelta, UTC
    >>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c")
    >>> b = backlog([t], now=t.created_at + timedelta(hours=2))
    >>> b.count, b.age.max
    (1, datetime.timedelta(seconds=7200))
    """
    return BacklogTally(now).update(tickets).result()
