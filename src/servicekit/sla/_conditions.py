"""SLA conditions: how much of a clock's target is used, how soon it breaches, how long
it has been breached."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Literal, get_args

import attrs

from servicekit._checks import located_at, member, short
from servicekit.conditions._conditions import Condition, Context, checked_context, compare
from servicekit.conditions._config import register_form
from servicekit.conditions._time_since import (
    Comparison,
    bounded,
    check_comparison,
    flip_after,
    later,
)
from servicekit.durations import format_duration
from servicekit.errors import InvalidInputError
from servicekit.sla._clock import Clock
from servicekit.sla._metrics import Metric

Measure = Literal["used", "due_in", "breached_for"]
"""What an SLA condition measures on a clock: the fraction of its target used, the
time left before it breaches (while running), or the time since it breached."""

MEASURES: tuple[Measure, ...] = get_args(Measure)

# Time left compared with a value, restated as used time compared with target - value.
_MIRRORED: dict[Comparison, Comparison] = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}


@attrs.frozen(repr=False)
class SLACondition(Condition):
    """A measure of one SLA clock compared with a value; see :func:`sla_clock`."""

    metric: Metric
    measure: Measure
    operator: Comparison
    value: float | timedelta

    def __attrs_post_init__(self) -> None:
        """Refuse what could only fail later; :func:`sla_clock` converts names."""
        if not isinstance(self.metric, Metric):
            raise InvalidInputError(f"metric must be a Metric, got {short(self.metric)}")
        check_comparison(self.operator)
        if type(check_value(check_measure(self.measure), self.value)) is not type(self.value):
            raise InvalidInputError(
                f"{self.measure}: got {short(self.value)}; build it with sla_clock"
            )

    def clock(self, context: Context) -> Clock | None:
        """The metric's latest clock in ``context``."""
        checked_context(context)
        if context.sla is None:
            raise InvalidInputError(
                f"{short(self)} needs the ticket's SLA clocks: pass sla= (a policy, a policy set "
                "or the ticket's SLA evaluation)"
            )
        clock: Clock | None = context.sla.clock(self.metric)
        return clock

    def measured(self, context: Context) -> float | timedelta | None:
        """The measure now, or ``None`` where it does not apply (no clock; ``due_in``
        of a clock not running; ``breached_for`` of a clock not breached)."""
        checked_context(context)
        clock = self.clock(context)
        if clock is None:
            return None
        if self.measure == "used":
            return clock.fraction_used
        if self.measure == "due_in":
            return clock.remaining if clock.due_at and not clock.breached_at else None
        return None if clock.breached_at is None else context.now - clock.breached_at

    def holds(self, context: Context) -> bool:
        checked_context(context)
        if self.measure == "used":  # in microseconds, as next_change_at counts them
            clock = self.clock(context)
            if clock is None:
                return False
            amount = _share(clock.budget, self._fraction)
            if amount is None:  # more than any timedelta: only ever below it
                return self.operator in ("<", "<=")
            return compare(self.operator, clock.elapsed, amount)
        measured = self.measured(context)
        return measured is not None and compare(self.operator, measured, self.value)

    def next_change_at(self, context: Context) -> datetime | None:
        checked_context(context)
        clock = self.clock(context)
        if clock is None:
            return None
        now = context.now
        flips: list[datetime | None]
        if self.measure == "breached_for":
            breach = clock.breached_at or clock.due_at
            if breach is None:
                return None
            starts = breach if self.operator in ("<", "<=") else None  # true from the breach
            flips = [starts, later(breach, flip_after(self.operator, self._duration))]
        elif self.measure == "used":
            amount = _share(clock.budget, self._fraction)
            flips = [None if amount is None else clock.reaches(flip_after(self.operator, amount))]
        else:  # due_in: time left shrinks as used time grows, then stops at the breach
            used = clock.budget - self._duration
            at = clock.reaches(flip_after(_MIRRORED[self.operator], used))
            ends = clock.due_at if self.operator in ("<", "<=") else None  # true until due
            flips = [at if used > timedelta(0) else None, ends]
        return min((flip for flip in flips if flip is not None and flip > now), default=None)

    @property
    def _fraction(self) -> float:
        assert isinstance(self.value, float)
        return self.value

    @property
    def _duration(self) -> timedelta:
        assert isinstance(self.value, timedelta)
        return self.value

    def to_dict(self) -> dict[str, Any]:
        value = self.value
        shown = format_duration(value) if isinstance(value, timedelta) else value
        return {"sla": self.metric.value, "measure": self.measure, "op": self.operator,
                "value": shown}  # fmt: skip

    def describe(self, context: Context) -> str:
        checked_context(context)
        name = self.metric.value.replace("_", " ")
        if self.clock(context) is None:
            return f"{name}: no clock"
        measured = self.measured(context)
        if isinstance(measured, float):
            return f"{name}: {measured:.0%} used"
        if measured is None:
            return f"{name}: {'not running' if self.measure == 'due_in' else 'not breached'}"
        if self.measure == "due_in":
            return f"{name}: due in {format_duration(measured)}"
        return f"{name}: breached {format_duration(measured)} ago"

    def __repr__(self) -> str:
        name = self.metric.value
        return f"sla {name} {self.measure} {self.operator} {_shown(self.measure, self.value)}"


def _shown(measure: Measure, value: float | timedelta) -> str:
    if isinstance(value, timedelta):
        return format_duration(value)
    return f"{value:.0%}" if measure == "used" else str(value)


def sla_clock(
    metric: Metric | str, measure: Measure, operator: Comparison, value: float | timedelta | str
) -> SLACondition:
    """A measure of the metric's latest SLA clock compared with a value.

    Args:
        metric: ``first_reply``, ``next_reply``, ``resolution``...
        measure: ``used`` (fraction of the target, ``value`` a number: ``0.75``),
            ``due_in`` (time left while the clock runs: "breaches within 30 min" is
            ``("due_in", "<=", "30m")``), ``breached_for`` (real time since the breach).
        operator: ``>=``, ``>``, ``<`` or ``<=``.
        value: a fraction for ``used`` (0 to :data:`MAX_USED`, that is 0 to 10,000 %),
            a duration (``"1h"``) of at most
            :data:`~servicekit.conditions.MAX_DURATION` otherwise.

    Raises:
        InvalidInputError: an unknown metric, measure or operator, or a bad value.

    >>> from servicekit.sla import sla_clock
    >>> sla_clock("first_reply", "used", ">=", 0.75)
    sla first_reply used >= 75%
    >>> sla_clock("resolution", "breached_for", ">", "1h")
    sla resolution breached_for > 1h
    """
    found, kind = check_metric(metric), check_measure(measure)
    return SLACondition(found, kind, check_comparison(operator), check_value(kind, value))


def _share(target: timedelta, fraction: float) -> timedelta | None:
    """``target * fraction``, or ``None`` beyond the range of ``timedelta``."""
    try:
        return target * fraction
    except OverflowError:
        return None


def check_metric(metric: object) -> Metric:
    """``metric`` as a :class:`~servicekit.sla.Metric`."""

    if isinstance(metric, Metric):
        return metric
    if not isinstance(metric, str):
        raise InvalidInputError(f"unknown metric {short(metric)}")
    return member(Metric, metric)


def check_measure(measure: object) -> Measure:
    if measure not in MEASURES:
        raise InvalidInputError(
            f"unknown measure {short(measure)}; expected one of {', '.join(MEASURES)}"
        )
    return measure


MAX_USED = 100.0
"""The largest fraction of a target an SLA condition compares ``used`` with (100 is
10,000 %): a clock is not followed further past its breach, and a larger or infinite
fraction could never come true. Durations (``due_in``, ``breached_for``) are bounded
by :data:`~servicekit.conditions.MAX_DURATION`."""


def check_value(measure: Measure, value: object) -> float | timedelta:
    """A fraction in [0, :data:`MAX_USED`] for ``used``, a duration of at most
    :data:`~servicekit.conditions.MAX_DURATION` for the other measures."""
    if measure == "used":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInputError(f"used: expected a fraction such as 0.75, got {short(value)}")
        if not 0 <= value <= MAX_USED:  # NaN is refused here too
            raise InvalidInputError(
                f"used: expected a fraction from 0 to {MAX_USED:g} such as 0.75, got {short(value)}"
            )
        return float(value)
    return bounded(measure, value, positive=measure == "due_in")


def _read(data: Mapping[str, Any], path: str, _: object) -> Condition:
    """An SLA condition from its dict form (registered with the condition reader)."""
    measure = located_at(path, "measure", lambda: check_measure(data["measure"]))
    return SLACondition(
        located_at(path, "sla", lambda: check_metric(data["sla"])),
        measure,
        located_at(path, "op", lambda: check_comparison(data["op"])),
        located_at(path, "value", lambda: check_value(measure, data["value"])),
    )


register_form("sla", keys={"sla", "measure", "op", "value"}, required=None, read=_read)
