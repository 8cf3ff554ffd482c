"""The seven SLA metrics, their default pauses, and the states of a clock."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from servicekit.tickets import Status


class Metric(enum.StrEnum):
    """What an SLA target measures (see the metric table in the SLA guide).

    >>> Metric("first_reply")
    <Metric.FIRST_REPLY: 'first_reply'>
    """

    FIRST_REPLY = "first_reply"
    NEXT_REPLY = "next_reply"
    PERIODIC_UPDATE = "periodic_update"
    PAUSABLE_UPDATE = "pausable_update"
    REQUESTER_WAIT = "requester_wait"
    AGENT_WORK = "agent_work"
    RESOLUTION = "resolution"

    @property
    def cycles(self) -> bool:
        """Whether the metric restarts with each reply (one clock per cycle)."""
        return self in _CYCLING

    @property
    def resumes(self) -> bool:
        """Whether the metric runs until solved and resumes on reopen."""
        return self in _RESUMING


_CYCLING = frozenset({Metric.NEXT_REPLY, Metric.PERIODIC_UPDATE, Metric.PAUSABLE_UPDATE})
_RESUMING = frozenset({Metric.REQUESTER_WAIT, Metric.AGENT_WORK, Metric.RESOLUTION})

DEFAULT_PAUSES: Mapping[Metric, frozenset[Status]] = MappingProxyType(
    {
        Metric.FIRST_REPLY: frozenset(),
        Metric.NEXT_REPLY: frozenset(),
        Metric.PERIODIC_UPDATE: frozenset(),
        Metric.PAUSABLE_UPDATE: frozenset({Status.PENDING}),
        Metric.REQUESTER_WAIT: frozenset({Status.PENDING}),
        Metric.AGENT_WORK: frozenset({Status.PENDING, Status.ON_HOLD}),
        Metric.RESOLUTION: frozenset(),
    }
)
"""The statuses during which each metric's clock does not count, unless configured."""


STOPPING = frozenset({Status.SOLVED, Status.CLOSED})
"""Statuses that stop every clock (resolution-type clocks resume on reopen)."""


class ClockState(enum.StrEnum):
    """Where a clock stands at the instant of evaluation.

    ``breached`` wins over ``running`` and ``paused``: a clock past its target is
    breached whether or not it still counts.
    """

    RUNNING = "running"
    PAUSED = "paused"
    ACHIEVED = "achieved"
    BREACHED = "breached"
