"""Turn a ticket's clock facts (statuses and reply cycles) into clocks under one policy
at one instant: :class:`ClockMaker`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo

from servicekit._time import from_us, micros
from servicekit.sla._clock import Clock, Target
from servicekit.sla._clock_facts import ClockFacts
from servicekit.sla._meter import Meter, Spans, counted, crossing, running_totals
from servicekit.sla._metrics import STOPPING, ClockState, Metric
from servicekit.tickets import Priority, Status


class ClockMaker:
    """Computes clocks for one policy and ticket; instants in integer microseconds."""

    def __init__(
        self,
        *,
        clock_facts: ClockFacts,
        metrics: tuple[Metric, ...],
        now: int,
        priority: Priority,
        targets: Mapping[Priority, Mapping[Metric, Target]],
        pauses: Mapping[Metric, frozenset[Status]],
        thresholds: tuple[float, ...],
        meters: Mapping[bool, Meter],
        tz: tzinfo,
    ) -> None:
        self.clock_facts, self.metrics, self.now, self.priority = (
            clock_facts,
            metrics,
            now,
            priority,
        )
        self.targets, self.pauses, self.thresholds = targets, pauses, thresholds
        self.meters, self.tz = meters, tz
        self.status = clock_facts.status_at(now)
        self.next_change: int | None = None

    def clocks(self) -> list[Clock]:
        found: list[Clock] = []
        clock_facts = self.clock_facts
        for metric in self.metrics:
            if metric.resumes:
                stopped = self.status in STOPPING
                stop = clock_facts.solved_at if stopped else None
                priority = clock_facts.solved_priority if stopped else None
                excluded = self.pauses[metric] | STOPPING
                clock = self.clock(
                    metric,
                    1,
                    start=clock_facts.created,
                    stop=stop,
                    stop_priority=priority,
                    excluded=excluded,
                )
                if clock is not None:
                    found.append(clock)
                continue
            for number, cycle in enumerate(clock_facts.cycles[metric], start=1):
                clock = self.clock(
                    metric,
                    number,
                    start=cycle.start,
                    stop=cycle.stop,
                    stop_priority=cycle.stop_priority,
                    excluded=self.pauses[metric],
                )
                if clock is not None:
                    found.append(clock)
        return found

    def clock(
        self,
        metric: Metric,
        cycle: int,
        *,
        start: int,
        stop: int | None,
        stop_priority: Priority | None,
        excluded: frozenset[Status],
    ) -> Clock | None:
        priority = stop_priority or self.priority
        target = self.targets.get(priority, {}).get(metric)
        if target is None:
            return None
        spans = self.clock_facts.counting_spans(start, self.now if stop is None else stop, excluded)
        meter = self.meters[target.business_hours]
        totals = running_totals(meter, spans)
        elapsed = counted(totals)
        status = self.status
        counting = stop is None and status not in excluded
        days = target.business_days
        if days is None:
            goal = micros(target.duration)
            over = elapsed > goal or (stop is None and elapsed == goal)
        else:  # due at add_business_days(start, days): a budget of business time
            goal = meter.elapsed(start, meter.business_days(start, days))
            # Time up at a close is not a breach until the next opening counts.
            over = elapsed > goal or (
                counting and elapsed == goal and meter.next_open(self.now) == self.now
            )
        due = breached = None
        if over:
            state = ClockState.BREACHED
            due = breached = _breach(meter, spans, totals, goal, days=days, now=self.now)
        elif stop is not None:
            state = ClockState.ACHIEVED
        elif status in excluded:
            state = ClockState.PAUSED
        else:
            state = ClockState.RUNNING
            due = meter.add(self.now, goal - elapsed) if goal > elapsed else self.now
            if days is not None:
                due = meter.next_open(due)
            self._may_change_at(due)
        clock = Clock(
            metric=metric,
            cycle=cycle,
            state=state,
            priority=priority,
            target=target,
            paused_by=status if state is ClockState.PAUSED else None,
            counting=counting,
            tz=self.tz,
            start=start,
            stop=stop,
            now=self.now,
            due=due,
            breached=breached,
            budget=goal,
            fractions=self.thresholds,
            meter=meter,
            spans=spans,
            totals=totals,
        )
        if state is ClockState.RUNNING:
            self._may_change_at(clock._warning_due_us())
        return clock

    def next_change_at(self) -> datetime | None:
        return self._instant(self.next_change)

    def _may_change_at(self, at: int | None) -> None:
        if at is None:
            return
        if self.next_change is None or at < self.next_change:
            self.next_change = at

    def _instant(self, us: int | None) -> datetime | None:
        return None if us is None else from_us(us, self.tz)


def _breach(
    meter: Meter, spans: Spans, totals: tuple[int, ...], goal: int, *, days: int | None, now: int
) -> int | None:
    """The instant a clock over its ``goal`` breached: when the goal was used up for a
    duration target; for a business-day target, the first counting instant after that
    (a goal used up at a close breaches at the next opening the clock counts through)."""
    if days is None:
        return crossing(meter, spans, totals, goal)
    after = crossing(meter, spans, totals, goal + 1)
    return now if after is None else after - 1
