"""A routing decision and its explanation: who was kept and dropped at each stage
and why, how the eligible were ranked, and when to look again."""

from __future__ import annotations

from datetime import datetime

import attrs

from servicekit.durations import format_duration
from servicekit.routing._tasks import Requirements, Task

_SHOWN = 5  # agents listed per stage and in the ranking before "... and N more"


@attrs.frozen
class Dropped:
    """An agent a filter dropped, and why (``"chat 3/3 full"``)."""

    agent_id: str
    reason: str


@attrs.frozen
class Stage:
    """One filter's verdict: the agents it kept and those it dropped, with reasons."""

    name: str
    kept: tuple[str, ...]
    dropped: tuple[Dropped, ...]


@attrs.frozen
class Ranked:
    """An eligible agent in rank order, with what each rank key saw."""

    agent_id: str
    seen: tuple[str, ...]


@attrs.frozen(kw_only=True)
class RoutingDecision:
    """Where one task goes, and why.

    ``agent_id`` is ``None`` when nobody eligible has room. ``requirements`` are the
    task's after ``overflow_steps`` overflow steps. ``eligibility`` says why the
    chosen agent passed each filter. ``stages`` and ``ranking`` list every agent
    considered (from :func:`route`, or :func:`assign` with ``explain=True``);
    :func:`assign` without ``explain`` fills only the chosen agent into ``ranking``
    and leaves ``stages`` empty, which keeps it fast. ``next_change_at`` is when
    routing this task again could give another answer (an overflow step falls due),
    ``None`` when only a change of agents could.
    """

    task: Task
    agent_id: str | None
    now: datetime
    requirements: Requirements
    overflow_steps: int
    eligibility: tuple[str, ...]
    ranking: tuple[Ranked, ...]
    stages: tuple[Stage, ...]
    sticky: bool
    ranked_by: str
    next_change_at: datetime | None

    @property
    def detailed(self) -> bool:
        """Whether every considered agent is listed (``stages`` filled)."""
        return bool(self.stages)

    def explain(self) -> str:
        """The decision in words, as a support lead would read it."""
        task = self.task
        waited = format_duration(self.now - task.arrived_at)
        target = self.agent_id if self.agent_id is not None else "nobody"
        lines = [f"{task.id} ({task.channel}, {task.priority}, waiting {waited}) -> {target}"]
        lines.append(f"  needs: {_needs(self.requirements)}")
        if self.overflow_steps:
            lines.append(f"  overflow: {self.overflow_steps} step(s) applied")
        for stage in self.stages:
            lines.append(f"  {stage.name}: kept {len(stage.kept)}" + _dropped(stage.dropped))
        if self.agent_id is None:
            if not self.stages:
                lines.append(
                    "  no eligible agent with room (route() or assign(explain=True) "
                    "lists each agent's reason)"
                )
            if self.next_change_at is not None:
                lines.append(f"  next overflow step at {self.next_change_at.isoformat()}")
            return "\n".join(lines)
        lines.append(f"  eligible: {'; '.join(self.eligibility)}")
        if self.sticky:
            lines.append(f"  sticky: {self.agent_id} is the first eligible preferred agent")
        else:
            lines.append(f"  ranked by {self.ranked_by}:")
            for place, ranked in enumerate(self.ranking[:_SHOWN], 1):
                lines.append(f"    {place}. {ranked.agent_id}: {', '.join(ranked.seen)}")
            if len(self.ranking) > _SHOWN:
                lines.append(f"    ... and {len(self.ranking) - _SHOWN} more")
        return "\n".join(lines)


def _needs(requirements: Requirements) -> str:
    parts = [str(requirements.channel)]
    parts += [f"{skill} >= {level}" for skill, level in requirements.skills]
    if requirements.language is not None:
        parts.append(f"speaks {requirements.language}")
    if requirements.groups:
        parts.append(f"group {' or '.join(sorted(requirements.groups))}")
    return ", ".join(parts)


def _dropped(dropped: tuple[Dropped, ...]) -> str:
    if not dropped:
        return ""
    listed = "; ".join(f"{d.agent_id} ({d.reason})" for d in dropped[:_SHOWN])
    more = f"; and {len(dropped) - _SHOWN} more" if len(dropped) > _SHOWN else ""
    return f", dropped {len(dropped)}: {listed}{more}"
