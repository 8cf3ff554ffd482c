"""Work to route: a task (one queued ticket, chat or call) and the requirements an
agent must meet for it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

from servicekit._checks import (
    checked_name,
    instant,
    member,
    named,
    names,
    of_kind,
    ordered_names,
    short,
)
from servicekit.errors import InvalidInputError
from servicekit.routing._skills import skill_levels
from servicekit.tickets import Channel, Priority, Ticket, channel_of


def _required_skills(value: object) -> Mapping[str, int]:
    levels = skill_levels(value, "skills")
    for skill, level in levels.items():
        if level == 0:
            raise InvalidInputError(
                f"skills[{short(skill)}]: a required skill needs a minimum level from 1 to 10"
            )
    return levels


def _optional_name(value: object) -> str | None:
    return None if value is None else checked_name(value, "language")


def _arrived_at(value: object) -> datetime:
    return instant(value, "arrived_at")


def _optional_skills(value: object) -> frozenset[str]:
    return names(value, "optional_skills")


def _groups(value: object) -> frozenset[str]:
    return names(value, "groups")


def _preferred_agents(value: object) -> tuple[str, ...]:
    return ordered_names(value, "preferred_agents")


def _excluded_agents(value: object) -> frozenset[str]:
    return names(value, "excluded_agents")


def _priority(value: object) -> Priority:
    return value if type(value) is Priority else member(Priority, value)


@attrs.frozen(kw_only=True)
class Task:
    """One piece of work waiting for an agent.

    ``skills`` are required with a minimum level (1-10); ``optional_skills`` only
    raise an agent's skill score. ``groups`` lists the groups that may take the task
    (empty: any). ``preferred_agents`` are tried first, in order, when the router is
    sticky (the last assignee, an account owner). ``excluded_agents`` never get it
    (they rejected it or let an offer time out). ``arrived_at`` is when the task
    entered the queue: its age, for queue order and overflow, counts from there and
    survives rejections.

    Raises:
        InvalidInputError: a bad id, channel, priority, skill level or name;
            NaiveDatetimeError: ``arrived_at`` without a time zone.

    >>> from datetime import datetime, UTC
    >>> task = Task(id="T-1", channel="chat", priority="high", skills={"billing": 5},
    ...             arrived_at=datetime(2026, 3, 2, 9, tzinfo=UTC))
    >>> task.excluding("ana").excluded_agents
    frozenset({'ana'})
    """

    id: str = attrs.field(validator=named)
    channel: str = attrs.field(converter=channel_of)
    arrived_at: datetime = attrs.field(converter=_arrived_at)
    priority: Priority = attrs.field(default=Priority.NORMAL, converter=_priority)
    skills: Mapping[str, int] = attrs.field(factory=dict, converter=_required_skills)
    optional_skills: frozenset[str] = attrs.field(factory=frozenset, converter=_optional_skills)
    language: str | None = attrs.field(default=None, converter=_optional_name)
    groups: frozenset[str] = attrs.field(factory=frozenset, converter=_groups)
    preferred_agents: tuple[str, ...] = attrs.field(default=(), converter=_preferred_agents)
    excluded_agents: frozenset[str] = attrs.field(factory=frozenset, converter=_excluded_agents)

    def excluding(self, agent_id: str) -> Task:
        """The same task (same age) that ``agent_id`` will never be offered again."""
        excluded = self.excluded_agents | {checked_name(agent_id, "agent_id")}
        return attrs.evolve(self, excluded_agents=excluded)

    @classmethod
    def from_ticket(
        cls,
        ticket: Ticket,
        *,
        arrived_at: datetime | None = None,
        skills: Mapping[str, int] | None = None,
        optional_skills: frozenset[str] = frozenset(),
        language: str | None = None,
    ) -> Task:
        """The task of routing ``ticket``: its id, channel and priority, its group (if
        any) as the only group, and the agents it was assigned to, most recent first,
        as preferred agents. ``arrived_at`` defaults to the ticket's creation.

        >>> from datetime import datetime, UTC
        >>> from servicekit.tickets import Assigned
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> t = Ticket.create(id="T-9", at=at, requester="c", channel="chat")
        >>> t = t.apply(Assigned(at=at, agent="ana", group="billing"))
        >>> t = t.apply(Assigned(at=at, agent="bo", group="billing"))
        >>> task = Task.from_ticket(t, skills={"refunds": 3})
        >>> task.preferred_agents, task.groups
        (('bo', 'ana'), frozenset({'billing'}))
        """
        of_kind(ticket, Ticket, "ticket")
        assigned = [event.agent for event in reversed(ticket.facts.assignments)]
        return cls(
            id=ticket.id,
            channel=ticket.channel,
            priority=ticket.priority,
            arrived_at=ticket.created_at if arrived_at is None else arrived_at,
            skills={} if skills is None else skills,
            optional_skills=optional_skills,
            language=language,
            groups=() if ticket.group is None else (ticket.group,),
            preferred_agents=[agent for agent in assigned if agent is not None],
        )


def _frozen(value: Iterable[str]) -> frozenset[str]:
    return value if type(value) is frozenset else names(value, "names")


def _pairs(value: object) -> tuple[tuple[str, int], ...]:
    if type(value) is tuple:  # already sorted pairs (from of() or relax()): the hot path
        return value
    return tuple(sorted(_required_skills(value).items()))


def _channel(value: object) -> str:
    return value if isinstance(value, Channel) else channel_of(value)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class Requirements:
    """What an agent must offer for a task, after any overflow relaxed it: the
    eligibility filters and the skill score read this, never the task itself.

    Hashable: tasks with equal requirements share eligibility work in
    :func:`~servicekit.routing.assign`.

    >>> Requirements(channel="chat", skills={"billing": 5}).skill_levels
    {'billing': 5}
    """

    channel: str = attrs.field(converter=_channel)
    priority: Priority = attrs.field(default=Priority.NORMAL, converter=_priority)
    skills: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_pairs)
    optional_skills: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)
    language: str | None = attrs.field(default=None, converter=_optional_name)
    groups: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)

    @property
    def skill_names(self) -> frozenset[str]:
        """The required skills' names."""
        return frozenset(skill for skill, _ in self.skills)

    @property
    def skill_levels(self) -> dict[str, int]:
        """The required skills and their minimum levels."""
        return dict(self.skills)

    @classmethod
    def of(cls, task: Task) -> Requirements:
        """The task's own requirements, before any overflow."""
        of_kind(task, Task, "task")
        return cls(
            channel=task.channel,
            priority=task.priority,
            skills=tuple(sorted(task.skills.items())),
            optional_skills=task.optional_skills,
            language=task.language,
            groups=task.groups,
        )
