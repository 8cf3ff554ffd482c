"""The result of an SLA evaluation: one :class:`Clock` per metric and cycle."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from datetime import datetime, timedelta, tzinfo
from typing import Literal

import attrs

from servicekit._checks import flag, short
from servicekit._time import ONE_MICROSECOND, from_us
from servicekit.durations import format_duration
from servicekit.errors import InvalidInputError, InvalidTypeError
from servicekit.sla._meter import Meter, Spans, counted, crossing
from servicekit.sla._metrics import ClockState, Metric
from servicekit.tickets import Priority, Status


def _positive(_: object, attribute: attrs.Attribute[timedelta | None], value: object) -> None:
    """attrs validator: a target is a positive ``timedelta`` (zero or negative would
    report a breach the moment, or before, the clock starts), or ``None`` for a
    business-day target."""
    if value is None:
        return
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise InvalidInputError(f"a target must be a positive timedelta, got {short(value)}")


def _days(_: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    """attrs validator: a positive whole number of business days, or ``None``."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"business_days must be a whole number, got {short(value)}")
    if not 1 <= value <= MAX_BUSINESS_DAYS:
        raise InvalidInputError(
            f"business_days must be in [1, {MAX_BUSINESS_DAYS}], got {short(value)}"
        )


MAX_BUSINESS_DAYS = 3_650
"""The most business days a target may count (ten years of daily opening); a calendar
must open that many dates within its horizon anyway."""


@attrs.frozen(kw_only=True, repr=False)
class Target:
    """A duration to meet, in business hours (the policy's calendar) or calendar
    hours; or a number of business days.

    A duration target is met when the clock has counted no more than ``duration``.
    A business-day target (``Target(business_days=3)``, ``"3bd"`` in config) is due at
    :meth:`~servicekit.calendars.Calendar.add_business_days` of the clock's start on
    the policy's calendar (the same local wall time on the third following date with
    open hours, then the next opening): its clock counts business time up to that
    instant (:attr:`Clock.budget`), and pauses push the due instant on by the
    business time paused. There is no ``"3d"`` business-hours target: that would be
    72 business hours, nine 8-hour days, so it is rejected with that explanation.

    Args:
        duration: a positive ``timedelta``; ``None`` with ``business_days`` (reading
            :attr:`duration` of a business-day target raises).
        business_hours: whether ``duration`` counts on the policy's calendar (the
            default) or in calendar hours; a business-day target counts business hours.
        business_days: a whole number of business days, 1 to :data:`MAX_BUSINESS_DAYS`.

    Raises:
        InvalidInputError: neither or both of ``duration`` and ``business_days``; a
            duration that is not a positive ``timedelta``; a number of days out of range;
            business days in calendar hours.

    >>> from servicekit.sla import Target
    >>> Target(duration=timedelta(hours=4))
    Target(duration=datetime.timedelta(seconds=14400), business_hours=True)
    >>> print(Target(duration=timedelta(hours=72)), "|", Target(business_days=3))
    72h (business hours) | 3 business days
    """

    _duration: timedelta | None = attrs.field(default=None, validator=_positive)
    business_hours: bool = attrs.field(default=True, validator=flag)
    business_days: int | None = attrs.field(default=None, validator=_days)

    def __attrs_post_init__(self) -> None:
        if (self._duration is None) == (self.business_days is None):
            raise InvalidInputError(
                "a target is a duration or a number of business days (exactly one), got "
                f"duration={short(self._duration)}, business_days={short(self.business_days)}"
            )
        if self.business_days is not None and not self.business_hours:
            raise InvalidInputError(
                "business days count on the policy's calendar: business_hours must be true"
            )

    @property
    def duration(self) -> timedelta:
        """The duration to meet.

        Raises:
            InvalidInputError: for a business-day target, whose business time depends on
                when its clock starts: read :attr:`Clock.budget` instead.
        """
        if self._duration is None:
            raise InvalidInputError(
                f"a target of {self} has no fixed duration; read the clock's budget"
            )
        return self._duration

    def __repr__(self) -> str:
        if self.business_days is not None:
            return f"Target(business_days={self.business_days})"
        return f"Target(duration={self._duration!r}, business_hours={self.business_hours})"

    def __str__(self) -> str:
        if self.business_days is not None:
            return f"{self.business_days} business day{'s' * (self.business_days != 1)}"
        if self.business_hours:
            return f"{format_duration(self.duration, largest='h')} (business hours)"
        return f"{format_duration(self.duration)} (calendar hours)"


@attrs.frozen(kw_only=True)
class Threshold:
    """The instant a warning fraction of the target was, or will be, used.

    ``at`` is ``None`` when the fraction is not reached and the clock is not running
    (paused or stopped short of it).
    """

    fraction: float
    at: datetime | None


@attrs.frozen(kw_only=True, repr=False)
class Clock:
    """One metric's clock (one per cycle for cycling metrics) at the evaluation instant.

    Instants are kept as integers and become ``datetime`` values (in the policy
    calendar's zone, UTC without one) when read, so evaluating many tickets stays cheap.

    Attributes:
        metric, cycle: which clock (cycles count from 1).
        state: running, paused, achieved or breached.
        priority: the priority whose target applies (at the stop for a stopped clock,
            now for one still open).
        target: the duration (or number of business days) to meet.
        paused_by: the status that pauses a paused clock.
        counting: whether time counts now (open and not paused; a breached clock
            still open keeps counting).
    """

    metric: Metric
    cycle: int
    state: ClockState
    priority: Priority
    target: Target
    paused_by: Status | None
    counting: bool
    _tz: tzinfo = attrs.field(eq=False)
    _start: int
    _stop: int | None
    _now: int
    _due: int | None
    _breached: int | None
    _budget: int
    _fractions: tuple[float, ...]
    _meter: Meter = attrs.field(eq=False)
    _spans: Spans
    _totals: tuple[int, ...]

    @property
    def _counted(self) -> int:
        return counted(self._totals)

    @property
    def started_at(self) -> datetime:
        """When the clock started."""
        return from_us(self._start, self._tz)

    @property
    def stopped_at(self) -> datetime | None:
        """When it stopped (achieved or breached), ``None`` while open."""
        return None if self._stop is None else from_us(self._stop, self._tz)

    @property
    def elapsed(self) -> timedelta:
        """Time counted so far (business time for business-hour targets)."""
        return self._counted * ONE_MICROSECOND

    @property
    def due_at(self) -> datetime | None:
        """When the target is used up if the clock keeps counting (running), or was
        used up (breached); ``None`` when paused or achieved."""
        return None if self._due is None else from_us(self._due, self._tz)

    @property
    def breached_at(self) -> datetime | None:
        """The instant the target was used up; ``None`` unless breached."""
        return None if self._breached is None else from_us(self._breached, self._tz)

    @property
    def budget(self) -> timedelta:
        """The time the clock may count before it breaches: the target's duration, or
        for a business-day target the business time from :attr:`started_at` to
        ``calendar.add_business_days(started_at, n)``."""
        return self._budget * ONE_MICROSECOND

    @property
    def remaining(self) -> timedelta:
        """``budget - elapsed``; negative once breached."""
        return self.budget - self.elapsed

    @property
    def fraction_used(self) -> float:
        """``elapsed / budget``: 1.0 at the target, above once breached (a business-day
        target whose due instant is the first opening has no budget: 1.0 until it
        breaches, then infinite)."""
        if not self._budget:
            return math.inf if self._counted else 1.0
        return self._counted / self._budget

    @functools.cached_property
    def thresholds(self) -> tuple[Threshold, ...]:
        """The warning instants, one per configured fraction: past crossings, and for
        a running clock the future ones; ``None`` where it will not cross without an
        event."""
        return tuple(
            Threshold(fraction=fraction, at=None if at is None else from_us(at, self._tz))
            for fraction, at in zip(self._fractions, self._threshold_instants(), strict=True)
        )

    def _warning_amounts(self) -> list[int]:
        """Each threshold as microseconds of counted time (at least one)."""
        return [max(1, round(self._budget * fraction)) for fraction in self._fractions]

    def _threshold_instants(self) -> list[int | None]:
        return [self._reaches_us(amount) for amount in self._warning_amounts()]

    def reaches(self, amount: timedelta) -> datetime | None:
        """The instant the clock had counted ``amount`` (> 0), or will have if it keeps
        counting; ``None`` if it has not and is not counting now."""
        if not isinstance(amount, timedelta):
            raise InvalidTypeError(f"amount must be a timedelta, got {short(amount)}")
        at = self._reaches_us(max(1, amount // ONE_MICROSECOND))
        return None if at is None else from_us(at, self._tz)

    def _reaches_us(self, amount: int) -> int | None:
        so_far = self._counted
        if amount <= so_far:
            return crossing(self._meter, self._spans, self._totals, amount)
        return self._meter.add(self._now, amount - so_far) if self.counting else None

    def _warning_due_us(self) -> int | None:
        """The first warning instant still ahead of a running clock, in microseconds
        since the epoch (internal, for ``next_change_at``)."""
        if self.state is not ClockState.RUNNING:
            return None
        for amount in self._warning_amounts():
            if amount > self._counted:
                return self._meter.add(self._now, amount - self._counted)
        return None

    @property
    def reason(self) -> str:
        """One sentence a support lead can read."""
        name = self.metric.value.replace("_", " ")
        if self.metric.cycles:
            name += f" (cycle {self.cycle})"
        largest: Literal["w", "h"] = "h" if self.target.business_hours else "w"
        used = f"{format_duration(self.elapsed, largest=largest)} of {self.target} used"
        if self.state is ClockState.ACHIEVED:
            return f"{name}: achieved at {_when(self.stopped_at)}, {used}"
        if self.state is ClockState.BREACHED:
            tail = "still open" if self.stopped_at is None else f"stopped {_when(self.stopped_at)}"
            return f"{name}: breached at {_when(self.breached_at)} ({tail}), {used}"
        if self.state is ClockState.PAUSED:
            status = self.paused_by.value if self.paused_by else "?"
            return f"{name}: paused while {status}, {used}"
        return f"{name}: running, {used} ({self.fraction_used:.0%}), due {_when(self.due_at)}"

    def __repr__(self) -> str:
        return f"<Clock {self.reason}>"


def _when(instant: datetime | None) -> str:
    return "-" if instant is None else instant.isoformat(timespec="minutes")


@attrs.frozen(kw_only=True)
class SLAEvaluation:
    """Every clock of a ticket under one policy at ``now``, and when to look again.

    Attributes:
        policy: the name of the policy applied, or ``None`` if none applies.
        now: the evaluation instant.
        clocks: by metric (in :class:`Metric` order), then cycle.
        next_change_at: the earliest instant after ``now`` at which a clock would be
            breached or cross a warning threshold if no event arrives; ``None`` if no
            clock is running. Schedule a wake-up there instead of polling.
        reason: why this policy (or none) applies, in one line; :meth:`explain` gives
            the whole evaluation.
    """

    policy: str | None
    now: datetime
    clocks: tuple[Clock, ...]
    next_change_at: datetime | None
    reason: str

    def __iter__(self) -> Iterator[Clock]:
        return iter(self.clocks)

    def clock(self, metric: Metric | str, cycle: int = -1) -> Clock | None:
        """The clock of ``metric`` (the latest cycle unless ``cycle`` is given, from 1)."""
        found = [clock for clock in self.clocks if clock.metric == metric]
        if not found:
            return None
        if cycle == -1:
            return found[-1]
        return next((clock for clock in found if clock.cycle == cycle), None)

    def explain(self) -> str:
        """Why this policy applies, each clock's state, and when to look again, as
        lines a support lead can read.

        >>> from datetime import datetime, timedelta, UTC
        >>> from servicekit import SLAPolicy, Ticket
        >>> policy = SLAPolicy("24/7", targets={"normal": {
        ...     "first_reply": {"duration": "1h", "business_hours": False}}})
        >>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c")
        >>> print(policy.evaluate(t, now=t.created_at + timedelta(minutes=30)).explain())
        policy '24/7' applies to every ticket
          first reply: running, 30m of 1h (calendar hours) used (50%), due 2026-03-02T10:00+00:00
        next change: 2026-03-02T09:45:00+00:00
        """
        when = "never" if self.next_change_at is None else self.next_change_at.isoformat()
        lines = [self.reason, *(f"  {clock.reason}" for clock in self.clocks)]
        return "\n".join([*lines, f"next change: {when}"])

    @property
    def breached(self) -> tuple[Clock, ...]:
        """The breached clocks."""
        return tuple(clock for clock in self.clocks if clock.state is ClockState.BREACHED)
