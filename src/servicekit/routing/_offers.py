"""Offers: a task proposed to an agent, who may accept, reject or let it time out."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from servicekit._checks import checked_name, instant, short
from servicekit.durations import checked_duration
from servicekit.errors import InvalidInputError
from servicekit.routing._tasks import Task


def _agent_id(value: object) -> str:
    return checked_name(value, "agent_id")


def _offered_at(value: object) -> datetime:
    return instant(value, "offered_at")


def _timeout(value: object) -> timedelta:
    return checked_duration("timeout", value, positive=True)


@attrs.frozen(kw_only=True)
class Offer:
    """``task`` offered to ``agent_id`` at ``offered_at``, open for ``timeout``.

    A rejected or timed-out offer gives the task back with the agent excluded and
    its original arrival, so it keeps its place by age and its overflow deadlines.

    Raises:
        InvalidInputError: a bad agent id or a timeout not > 0.

    >>> from datetime import datetime, timedelta, UTC
    >>> now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    >>> task = Task(id="T-1", channel="chat", arrived_at=now - timedelta(minutes=4))
    >>> offer = Offer(task=task, agent_id="ana", offered_at=now, timeout="30s")
    >>> offer.expires_at.time(), offer.expired(now + timedelta(seconds=29))
    (datetime.time(9, 0, 30), False)
    >>> back = offer.timed_out(now + timedelta(seconds=30))
    >>> back.excluded_agents, back.arrived_at == task.arrived_at
    (frozenset({'ana'}), True)
    """

    task: Task
    agent_id: str = attrs.field(converter=_agent_id)
    offered_at: datetime = attrs.field(converter=_offered_at)
    timeout: timedelta = attrs.field(converter=_timeout)

    @property
    def expires_at(self) -> datetime:
        """When the offer lapses: an app wakes up then (exactly then it has expired)."""
        return self.offered_at + self.timeout

    def expired(self, now: datetime) -> bool:
        """Whether the offer has lapsed at ``now`` (from ``expires_at`` on)."""
        return instant(now, "now") >= self.expires_at

    def rejected(self) -> Task:
        """The task back in the queue after the agent said no: same age, agent
        excluded."""
        return self.task.excluding(self.agent_id)

    def timed_out(self, now: datetime) -> Task:
        """The task back in the queue after the offer lapsed, as :meth:`rejected`.

        Raises:
            InvalidInputError: the offer has not expired at ``now``.
        """
        if not self.expired(now):
            raise InvalidInputError(
                f"offer of {short(self.task.id)} to {short(self.agent_id)} is open until "
                f"{self.expires_at.isoformat()}, not timed out at {now.isoformat()}"
            )
        return self.rejected()
