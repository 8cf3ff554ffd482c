"""Rank keys: the routing strategies. Each maps an eligible agent to a value, lower
ranks first; a router sorts by its keys in order and then by agent id, so the order
is total and the same input always gives the same choice."""

from __future__ import annotations

import abc
from datetime import datetime
from fractions import Fraction
from typing import Any, ClassVar

import attrs

from servicekit._checks import checked_name, short
from servicekit._time import to_us
from servicekit.errors import InvalidInputError
from servicekit.routing._agents import AgentState
from servicekit.routing._tasks import Requirements


class RankKey(abc.ABC):
    """A routing strategy: a sort key over eligible agents (lower first).

    A key reads only the requirements and the agent, never the task itself, so
    :func:`~servicekit.routing.assign` can keep agents in a heap per set of
    requirements.
    """

    name: ClassVar[str]

    def __repr__(self) -> str:
        return f"{self.name}()"

    @abc.abstractmethod
    def value(self, requirements: Requirements, agent: AgentState) -> Any:
        """The sort value: lower ranks first; values of one key must compare."""

    @abc.abstractmethod
    def describe(self, requirements: Requirements, agent: AgentState) -> str:
        """What the key saw, for the explanation (``"last assigned 09:14"``)."""

    def to_dict(self) -> dict[str, Any] | str:
        """The configuration form :meth:`Router.from_dict` reads."""
        return self.name


def _time(value: datetime) -> str:
    return value.isoformat(sep=" ", timespec="seconds")


@attrs.frozen(repr=False)
class RoundRobin(RankKey):
    """Least recently assigned first; never assigned before anyone. Among agents last
    assigned at the same instant, the one that took fewer items then goes first."""

    name: ClassVar[str] = "round_robin"

    def value(self, requirements: Requirements, agent: AgentState) -> tuple[int, int, int]:
        at = agent.last_assigned_at
        return (0, 0, 0) if at is None else (1, to_us(at), agent.assigned_at_last)

    def describe(self, requirements: Requirements, agent: AgentState) -> str:
        at = agent.last_assigned_at
        return "never assigned" if at is None else f"last assigned {_time(at)}"


@attrs.frozen(repr=False)
class LongestIdle(RankKey):
    """Idle longest first; agents who are not idle (``idle_since`` is ``None``) last."""

    name: ClassVar[str] = "longest_idle"

    def value(self, requirements: Requirements, agent: AgentState) -> tuple[int, int]:
        since = agent.idle_since
        return (1, 0) if since is None else (0, to_us(since))

    def describe(self, requirements: Requirements, agent: AgentState) -> str:
        since = agent.idle_since
        return "not idle" if since is None else f"idle since {_time(since)}"


@attrs.frozen(repr=False)
class LeastLoaded(RankKey):
    """Fewest open items (all channels) first."""

    name: ClassVar[str] = "least_loaded"

    def value(self, requirements: Requirements, agent: AgentState) -> int:
        return agent.open_items

    def describe(self, requirements: Requirements, agent: AgentState) -> str:
        return f"{agent.open_items} open"


@attrs.frozen(repr=False)
class MostSpare(RankKey):
    """Most spare capacity first: units left when the agent has weighted capacity,
    else items left on the task's channel; unlimited agents first."""

    name: ClassVar[str] = "most_spare"

    def value(self, requirements: Requirements, agent: AgentState) -> tuple[int, int]:
        spare = agent.spare(requirements.channel)
        return (0, 0) if spare is None else (1, -spare)

    def describe(self, requirements: Requirements, agent: AgentState) -> str:
        spare = agent.spare(requirements.channel)
        if spare is None:
            return "no capacity limit"
        unit = "units" if agent.weighted is not None else requirements.channel
        return f"{spare} {unit} spare"


@attrs.frozen(repr=False)
class PercentSpare(RankKey):
    """Highest share of capacity spare first (exact fractions; unlimited is 100 %)."""

    name: ClassVar[str] = "percent_spare"

    def value(self, requirements: Requirements, agent: AgentState) -> Fraction:
        return -agent.spare_share(requirements.channel)

    def describe(self, requirements: Requirements, agent: AgentState) -> str:
        return f"{float(agent.spare_share(requirements.channel)):.0%} spare"


@attrs.frozen(repr=False)
class BestSkill(RankKey):
    """Highest skill score first: the agent's levels summed over the required and
    optional skills."""

    name: ClassVar[str] = "best_skill"

    def value(self, requirements: Requirements, agent: AgentState) -> int:
        return -self.score(requirements, agent)

    def describe(self, requirements: Requirements, agent: AgentState) -> str:
        return f"skill score {self.score(requirements, agent)}"

    @staticmethod
    def score(requirements: Requirements, agent: AgentState) -> int:
        """The agent's levels summed over the required and optional skills."""
        levels = agent.skills
        score = sum(levels.get(skill, 0) for skill, _ in requirements.skills)
        if requirements.optional_skills:
            required = requirements.skill_names
            optional = requirements.optional_skills - required
            score += sum(levels.get(skill, 0) for skill in optional)
        return score


@attrs.frozen
class _Descending:
    """Reverses the order of any comparable value (text included)."""

    value: Any

    def __lt__(self, other: _Descending) -> bool:
        return bool(other.value < self.value)


@attrs.frozen
class ByAttribute(RankKey):
    """Agents ordered by one of their ``attributes`` (numbers before text), agents
    without it last."""

    name: ClassVar[str] = "by_attribute"
    attribute: str
    descending: bool = False

    def value(self, requirements: Requirements, agent: AgentState) -> tuple[Any, ...]:
        if self.attribute not in agent.attributes:
            return (1,)
        found = agent.attributes[self.attribute]
        ordered = (isinstance(found, str), found)
        return (0, _Descending(ordered)) if self.descending else (0, ordered)

    def describe(self, requirements: Requirements, agent: AgentState) -> str:
        found = agent.attributes.get(self.attribute)
        return f"no {self.attribute}" if found is None else f"{self.attribute} {found}"

    def to_dict(self) -> dict[str, Any]:
        return {"by_attribute": self.attribute, "descending": self.descending}

    def __repr__(self) -> str:
        suffix = ", descending=True" if self.descending else ""
        return f"by_attribute({self.attribute!r}{suffix})"


def round_robin() -> RoundRobin:
    """Least recently assigned agent first (never assigned: first of all).

    >>> round_robin()
    round_robin()
    """
    return RoundRobin()


def longest_idle() -> LongestIdle:
    """Agent idle longest first.

    >>> longest_idle()
    longest_idle()
    """
    return LongestIdle()


def least_loaded() -> LeastLoaded:
    """Agent with the fewest open items first.

    >>> least_loaded()
    least_loaded()
    """
    return LeastLoaded()


def most_spare() -> MostSpare:
    """Agent with the most spare capacity (units, or items on the channel) first.

    >>> most_spare()
    most_spare()
    """
    return MostSpare()


def percent_spare() -> PercentSpare:
    """Agent with the highest share of spare capacity first.

    >>> percent_spare()
    percent_spare()
    """
    return PercentSpare()


def best_skill() -> BestSkill:
    """Agent with the highest skill score for the task first.

    >>> best_skill()
    best_skill()
    """
    return BestSkill()


def by_attribute(attribute: str, *, descending: bool = False) -> ByAttribute:
    """Agents by one of their ``attributes`` (lowest first unless ``descending``).

    Attribute values are finite numbers or text: :class:`AgentState` refuses NaN and
    infinities, which would otherwise rank first or last by accident.

    >>> by_attribute("seniority", descending=True)
    by_attribute('seniority', descending=True)
    """
    checked_name(attribute, "attribute")
    if not isinstance(descending, bool):
        raise InvalidInputError(f"descending must be true or false, got {short(descending)}")
    return ByAttribute(attribute, descending)


KEYS: dict[str, RankKey] = {
    key.name: key
    for key in (
        round_robin(),
        longest_idle(),
        least_loaded(),
        most_spare(),
        percent_spare(),
        best_skill(),
    )
}
"""The built-in keys without parameters, by configuration name (``by_attribute``
takes an attribute and is configured as ``{"by_attribute": "seniority"}``)."""
