"""Overflow: when a task has waited long enough, relax what it asks of an agent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs

from servicekit._checks import count, flag, names
from servicekit.durations import checked_duration, format_duration
from servicekit.errors import InvalidInputError
from servicekit.routing._tasks import Requirements


def _after(value: object) -> timedelta:
    return checked_duration("after", value, positive=True)


def _lower_skills(value: object) -> int:
    return count(value, "lower_skills")


def _drop_skills(value: object) -> frozenset[str]:
    return names(value, "drop_skills")


def _add_groups(value: object) -> frozenset[str]:
    return names(value, "add_groups")


@attrs.frozen(kw_only=True)
class OverflowStep:
    """Relaxations that apply once a task has waited ``after`` (counted from its
    arrival, not from the previous step). Steps are cumulative: a later step adds
    to the relaxations of the earlier ones.

    ``lower_skills`` lowers every required level by that many (never below 1: the
    skill is still needed); ``drop_skills`` stops requiring the named skills and
    ``any_skills`` all of them; ``add_groups`` widens the groups, ``any_group`` and
    ``any_language`` drop those requirements.

    Raises:
        InvalidInputError: ``after`` not > 0, a bad count or name, or a step that
            relaxes nothing.

    >>> step = OverflowStep(after="5m", lower_skills=2, add_groups={"tier2"})
    >>> step.relax(Requirements(channel="chat", skills={"billing": 5},
    ...                         groups={"tier1"})).skill_levels
    {'billing': 3}
    """

    after: timedelta = attrs.field(converter=_after)
    lower_skills: int = attrs.field(default=0, converter=_lower_skills)
    drop_skills: frozenset[str] = attrs.field(factory=frozenset, converter=_drop_skills)
    any_skills: bool = attrs.field(default=False, validator=flag)
    add_groups: frozenset[str] = attrs.field(factory=frozenset, converter=_add_groups)
    any_group: bool = attrs.field(default=False, validator=flag)
    any_language: bool = attrs.field(default=False, validator=flag)

    def __attrs_post_init__(self) -> None:
        if self.describe() == "":
            raise InvalidInputError(f"overflow step after {self.after} relaxes nothing")

    def relax(self, requirements: Requirements) -> Requirements:
        """``requirements`` with this step's relaxations applied."""
        skills = tuple(
            (skill, max(1, level - self.lower_skills))
            for skill, level in requirements.skills
            if not self.any_skills and skill not in self.drop_skills
        )
        groups = requirements.groups
        if self.any_group:
            groups = frozenset()
        elif groups and self.add_groups:
            groups = groups | self.add_groups
        return Requirements(
            channel=requirements.channel,
            priority=requirements.priority,
            skills=skills,
            optional_skills=requirements.optional_skills,
            language=None if self.any_language else requirements.language,
            groups=groups,
        )

    def describe(self) -> str:
        """The relaxations in words (``"skills -2, groups + tier2"``)."""
        parts = []
        if self.any_skills:
            parts.append("any skills")
        else:
            if self.lower_skills:
                parts.append(f"skills -{self.lower_skills}")
            if self.drop_skills:
                parts.append(f"drop {', '.join(sorted(self.drop_skills))}")
        if self.any_group:
            parts.append("any group")
        elif self.add_groups:
            parts.append(f"groups + {', '.join(sorted(self.add_groups))}")
        if self.any_language:
            parts.append("any language")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Plain data that :meth:`Router.from_dict` reads back (in ``overflow``)."""
        data: dict[str, Any] = {"after": format_duration(self.after)}
        defaults = {field.name: field.default for field in attrs.fields(OverflowStep)}
        for name in ("lower_skills", "any_skills", "any_group", "any_language"):
            if getattr(self, name) != defaults[name]:
                data[name] = getattr(self, name)
        for name in ("drop_skills", "add_groups"):
            if getattr(self, name):
                data[name] = sorted(getattr(self, name))
        return data
