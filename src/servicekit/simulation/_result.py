"""What a simulation returns: the tickets, and every stint in the queue."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from servicekit._checks import checked_name, instant
from servicekit.kpi import Convention, DurationSummary, Proportion, abandonment_rate, aht
from servicekit.kpi import service_level as service_level_of
from servicekit.tickets import Channel, Priority, Ticket


@attrs.frozen(kw_only=True)
class Contact:
    """One stint of a ticket in the queue: from its arrival (or the customer's reply)
    until an agent picked it up, the customer gave up, or the simulation ended.

    Attributes:
        ticket_id: the ticket.
        channel: the ticket's channel.
        priority: the priority when it joined the queue.
        arrived_at: when it joined the queue.
        answered_at: when an agent picked it up, or ``None``.
        abandoned_at: when the customer gave up, or ``None``.
        agent: who picked it up, or ``None``.
        handle_time: how long the agent worked on it (it may end after the run).
    """

    ticket_id: str
    channel: Channel | str
    priority: Priority
    arrived_at: datetime
    answered_at: datetime | None = None
    abandoned_at: datetime | None = None
    agent: str | None = None
    handle_time: timedelta | None = None

    @property
    def wait(self) -> timedelta | None:
        """Time in the queue until pickup or abandonment; ``None`` if still waiting."""
        left = self.answered_at or self.abandoned_at
        return None if left is None else left - self.arrived_at


@attrs.frozen(kw_only=True)
class SimulationResult:
    """The tickets of a run, with full histories, and the queue statistics.

    Attributes:
        start: the first instant simulated.
        end: the instant the run stopped (``start`` plus the days).
        seed: the seed that makes the run repeatable.
        tickets: every ticket created, as it stood at ``end``, in creation order.
        contacts: every stint in the queue, in arrival order.
    """

    start: datetime
    end: datetime
    seed: int
    tickets: tuple[Ticket, ...]
    contacts: tuple[Contact, ...]

    def _contacts(self, channel: str | None, since: datetime | None) -> list[Contact]:
        if since is not None:
            instant(since, "since")
        if channel is not None:
            checked_name(channel, "channel")
        return [
            c
            for c in self.contacts
            if (channel is None or c.channel == channel)
            and (since is None or c.arrived_at >= since)
        ]

    def service_level(
        self,
        threshold: timedelta | str,
        *,
        channel: str | None = None,
        convention: Convention | str = Convention.ABANDONED_FAIL,
        since: datetime | None = None,
    ) -> Proportion:
        """The share of stints answered within ``threshold`` (see
        :func:`servicekit.kpi.service_level`), of those that ended; ``since`` drops
        the stints that arrived before it (a warm-up)."""
        ended = self._contacts(channel, since)
        return service_level_of(
            [c.wait for c in ended if c.answered_at is not None],
            [c.wait for c in ended if c.abandoned_at is not None],
            threshold=threshold,
            convention=convention,
        )

    def abandonment_rate(
        self, *, channel: str | None = None, since: datetime | None = None
    ) -> Proportion:
        """The share of ended stints whose customer gave up."""
        ended = self._contacts(channel, since)
        return abandonment_rate(
            [c.wait for c in ended if c.answered_at is not None],
            [c.wait for c in ended if c.abandoned_at is not None],
        )

    def aht(self, *, channel: str | None = None) -> DurationSummary:
        """Handling times of the stints picked up."""
        return aht(
            c.handle_time for c in self._contacts(channel, None) if c.handle_time is not None
        )
