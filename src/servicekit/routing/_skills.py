"""Skill levels: how well an agent knows a skill, and how well a task needs it."""

from __future__ import annotations

from collections.abc import Mapping

from servicekit._checks import counts, short
from servicekit.errors import InvalidInputError

MAX_SKILL_LEVEL = 10
"""Skill levels run from 0 (none) to this value (expert)."""


def skill_levels(value: object, what: str) -> Mapping[str, int]:
    """A read-only mapping of skill names to levels 0-10."""
    levels = counts(value, what)
    for skill, level in levels.items():
        if level > MAX_SKILL_LEVEL:
            raise InvalidInputError(
                f"{what}[{short(skill)}] must be a level from 0 to {MAX_SKILL_LEVEL}, got {level}"
            )
    return levels
