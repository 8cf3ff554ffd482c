"""Eligibility filters: each keeps or drops one agent for one task, and says why.

Filters are small frozen values behind factory functions (``online()``,
``has_capacity()``, ...); a router applies them in order, so its decision can list,
per filter, the agents kept and the agents dropped with the reason.
"""

from __future__ import annotations

import abc
from typing import ClassVar

import attrs

from servicekit.routing._agents import AgentState, AgentStatus
from servicekit.routing._tasks import Requirements, Task


class Filter(abc.ABC):
    """Keeps or drops an agent for a task; subclass it for a custom rule.

    ``static`` filters read only the requirements and an agent's fixed attributes
    (status, skills, languages, groups), so :func:`~servicekit.routing.assign` checks
    them once per distinct set of requirements. ``lasting`` filters may read the
    agent's load, and once they drop an agent during an ``assign`` they drop it for
    the rest of it (load only grows there). A filter that is neither is checked
    afresh for every task (correct, but slower).
    """

    name: ClassVar[str]
    static: ClassVar[bool] = False
    lasting: ClassVar[bool] = False

    @abc.abstractmethod
    def holds(self, task: Task, requirements: Requirements, agent: AgentState) -> bool:
        """Whether ``agent`` stays a candidate for ``task``."""

    @abc.abstractmethod
    def describe(self, task: Task, requirements: Requirements, agent: AgentState) -> str:
        """Why the agent is kept or dropped, for a support lead (``"chat 3/3 full"``)."""

    def __repr__(self) -> str:
        return f"{self.name}()"


@attrs.frozen(repr=False)
class Online(Filter):
    """Keeps agents whose status is ``online``."""

    name: ClassVar[str] = "online"
    static: ClassVar[bool] = True

    def holds(self, task: Task, requirements: Requirements, agent: AgentState) -> bool:
        return agent.status is AgentStatus.ONLINE

    def describe(self, task: Task, requirements: Requirements, agent: AgentState) -> str:
        return str(agent.status)


@attrs.frozen(repr=False)
class HasCapacity(Filter):
    """Keeps agents with room for one more item of the task's channel and priority,
    under both the per-channel cap and the weighted units."""

    name: ClassVar[str] = "has_capacity"
    lasting: ClassVar[bool] = True

    def holds(self, task: Task, requirements: Requirements, agent: AgentState) -> bool:
        return agent.room(requirements.channel, requirements.priority) != 0

    def describe(self, task: Task, requirements: Requirements, agent: AgentState) -> str:
        channel, parts = requirements.channel, []
        if agent.capacity is not None:
            limit = agent.capacity.get(channel, 0)
            held = agent.load.get(channel, 0)
            parts.append(
                f"takes no {channel}"
                if limit == 0
                else f"{channel} {held}/{limit}" + (" full" if held >= limit else "")
            )
        if agent.weighted is not None:
            cost = agent.weighted.cost(channel, requirements.priority)
            used, units = agent.units_used, agent.weighted.units
            short = (units - used) < cost
            parts.append(f"units {used}/{units}" + (f", needs {cost}" if short else ""))
        return ", ".join(parts) or "no capacity limit"


@attrs.frozen(repr=False)
class HasSkills(Filter):
    """Keeps agents with every required skill at or above its minimum level."""

    name: ClassVar[str] = "has_skills"
    static: ClassVar[bool] = True

    def holds(self, task: Task, requirements: Requirements, agent: AgentState) -> bool:
        levels = agent.skills
        return all(levels.get(skill, 0) >= level for skill, level in requirements.skills)

    def describe(self, task: Task, requirements: Requirements, agent: AgentState) -> str:
        if not requirements.skills:
            return "no skills required"
        parts = []
        for skill, level in requirements.skills:
            held = agent.skills.get(skill, 0)
            parts.append(f"{skill} {held} {'>=' if held >= level else '<'} {level}")
        return ", ".join(parts)


@attrs.frozen(repr=False)
class SpeaksLanguage(Filter):
    """Keeps agents who speak the task's language (any agent when it has none)."""

    name: ClassVar[str] = "speaks_language"
    static: ClassVar[bool] = True

    def holds(self, task: Task, requirements: Requirements, agent: AgentState) -> bool:
        return requirements.language is None or requirements.language in agent.languages

    def describe(self, task: Task, requirements: Requirements, agent: AgentState) -> str:
        if requirements.language is None:
            return "no language required"
        verb = "speaks" if requirements.language in agent.languages else "does not speak"
        return f"{verb} {requirements.language}"


@attrs.frozen(repr=False)
class InGroups(Filter):
    """Keeps agents in at least one of the task's groups (any agent when it names
    none)."""

    name: ClassVar[str] = "in_groups"
    static: ClassVar[bool] = True

    def holds(self, task: Task, requirements: Requirements, agent: AgentState) -> bool:
        return not requirements.groups or not requirements.groups.isdisjoint(agent.groups)

    def describe(self, task: Task, requirements: Requirements, agent: AgentState) -> str:
        if not requirements.groups:
            return "no group required"
        shared = sorted(requirements.groups & agent.groups)
        if shared:
            return f"in {', '.join(shared)}"
        return f"not in {', '.join(sorted(requirements.groups))}"


@attrs.frozen(repr=False)
class NotExcluded(Filter):
    """Drops the agents the task excludes (they rejected it or let an offer lapse)."""

    name: ClassVar[str] = "not_excluded"

    def holds(self, task: Task, requirements: Requirements, agent: AgentState) -> bool:
        return agent.id not in task.excluded_agents

    def describe(self, task: Task, requirements: Requirements, agent: AgentState) -> str:
        if agent.id in task.excluded_agents:
            return "rejected or let an offer time out"
        return "not excluded"


def online() -> Online:
    """Keep agents whose status is ``online``.

    >>> online()
    online()
    """
    return Online()


def has_capacity() -> HasCapacity:
    """Keep agents with room for the task under their per-channel and weighted limits.

    >>> has_capacity()
    has_capacity()
    """
    return HasCapacity()


def has_skills() -> HasSkills:
    """Keep agents with each required skill at its minimum level or above.

    >>> has_skills()
    has_skills()
    """
    return HasSkills()


def speaks_language() -> SpeaksLanguage:
    """Keep agents who speak the task's language.

    >>> speaks_language()
    speaks_language()
    """
    return SpeaksLanguage()


def in_groups() -> InGroups:
    """Keep agents in one of the task's groups.

    >>> in_groups()
    in_groups()
    """
    return InGroups()


def not_excluded() -> NotExcluded:
    """Drop agents the task excludes.

    >>> not_excluded()
    not_excluded()
    """
    return NotExcluded()


FILTERS: dict[str, Filter] = {
    f.name: f
    for f in (
        online(),
        has_capacity(),
        has_skills(),
        speaks_language(),
        in_groups(),
        not_excluded(),
    )
}
"""Every built-in filter by its configuration name, in the default order."""

DEFAULT_FILTERS: tuple[Filter, ...] = tuple(FILTERS.values())
"""online, has_capacity, has_skills, speaks_language, in_groups, not_excluded: every
built-in filter."""
