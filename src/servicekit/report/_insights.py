"""The report's insight sections: agents compared fairly (CSAT and one-touch resolution
shrunk toward the team with :func:`servicekit.insights.compare_agents`, flagged only
when an exact test survives Benjamini-Hochberg across agents) and rising topics
(:func:`servicekit.insights.rising_topics_from_tickets`, ``convention="exact"``).

Both need scipy (the ``insights`` extra); without it the report still renders and
the sections say what to install."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

import attrs

from servicekit.errors import MissingExtraError
from servicekit.insights import (
    AgentEstimate,
    RisingTopics,
    bh_adjusted,
    compare_agents,
    rising_topics_from_tickets,
)
from servicekit.kpi import Proportion
from servicekit.report._config import InsightSettings
from servicekit.report._details import AgentRow
from servicekit.tickets import Ticket

EXPLANATION = (
    "Shrunk scores pull an agent with few ratings toward the team rate (3 good ratings "
    "out of 3 is not better than 180 out of 200), so a small sample cannot make anyone "
    "look best or worst; an agent is flagged only when the difference from the team "
    "survives a false-discovery-rate check across all agents."
)
"""What shrinkage means for a support lead, in one sentence."""

METRIC_LABELS = {"csat": "CSAT", "fcr": "solved in one touch"}
"""The metrics the agents are compared on, as the report says them."""

Flag = Literal["above", "below"]


@attrs.frozen(kw_only=True)
class ShrunkRow:
    """One agent's rate on one metric, raw and shrunk toward the team.

    Attributes:
        agent: the agent.
        successes: positive ratings (CSAT) or tickets solved in one touch (FCR).
        count: ratings given, or tickets solved.
        raw: ``successes / count``.
        estimate: the shrunk rate (posterior mean), in [0, 1].
        interval: its 95% posterior interval.
        rank: 1 for the highest estimate.
        rank_interval: the ranks the agent takes in 95% of posterior draws.
        enough_data: ``count`` reaches the settings' ``min_count``.
        p_value: the exact binomial test of ``successes`` of ``count`` against the
            team rate, two-sided by doubling the smaller tail; ``None`` when not
            tested (not enough data, or every outcome of the team alike).
        q_value: the Benjamini-Hochberg adjusted p-value across the tested agents.
        flag: ``"above"`` or ``"below"`` the team when ``q_value`` is at most the
            settings' ``q``, else ``None``.

    >>> row = ShrunkRow(agent="ana", successes=3, count=3, raw=1.0, estimate=0.86,
    ...                 interval=(0.7, 0.95), rank=2, rank_interval=(1, 3), enough_data=False,
    ...                 p_value=None, q_value=None, flag=None)
    >>> row.to_text("CSAT")
    'ana: CSAT 3 of 3 (100%), shrunk 86% (70%-95%), rank 2 (1-3); not enough data'
    """

    agent: str
    successes: int
    count: int
    raw: float
    estimate: float
    interval: tuple[float, float]
    rank: int
    rank_interval: tuple[int, int]
    enough_data: bool
    p_value: float | None
    q_value: float | None
    flag: Flag | None

    def verdict(self) -> str:
        """What the row says: flagged, not different, or not enough data."""
        if not self.enough_data:
            return "not enough data"
        if self.flag == "above":
            return "above the team"
        if self.flag == "below":
            return "below the team: a coaching candidate"
        return "not different from the team"

    def to_text(self, label: str) -> str:
        """One line for the text report."""
        low, high = self.interval
        ranks = self.rank_interval
        spread = str(ranks[0]) if ranks[0] == ranks[1] else f"{ranks[0]}-{ranks[1]}"
        return (
            f"{self.agent}: {label} {self.successes} of {self.count} ({self.raw:.0%}), shrunk "
            f"{self.estimate:.0%} ({low:.0%}-{high:.0%}), rank {self.rank} ({spread}); "
            f"{self.verdict()}"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the interval as ``low``/``high``, the ranks as ``rank_low``/``rank_high``."""
        row = attrs.asdict(self)
        row["low"], row["high"] = row.pop("interval")
        row["rank_low"], row["rank_high"] = row.pop("rank_interval")
        return row


@attrs.frozen(kw_only=True)
class ShrunkScores:
    """Every agent with outcomes on one metric, shrunk toward the team.

    Attributes:
        metric: ``"csat"`` or ``"fcr"``.
        rows: one :class:`ShrunkRow` per agent with outcomes, best estimate first.
        team_rate: the team's pooled rate, or ``None`` without outcomes.
        prior_strength: how many outcomes the team prior is worth (``None`` when every
            outcome was alike).
        q: the false discovery rate of the flags.
        reason: how the comparison came about (from ``compare_agents``).

    >>> ShrunkScores(metric="csat", rows=(), team_rate=None, prior_strength=None, q=0.05,
    ...              reason="no outcomes").label
    'CSAT'
    """

    metric: Literal["csat", "fcr"]
    rows: tuple[ShrunkRow, ...]
    team_rate: float | None
    prior_strength: float | None
    q: float
    reason: str

    @property
    def label(self) -> str:
        """The metric as the report says it."""
        return METRIC_LABELS[self.metric]

    @property
    def flagged(self) -> tuple[ShrunkRow, ...]:
        """The agents above or below the team after the false-discovery-rate check."""
        return tuple(row for row in self.rows if row.flag is not None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the metric, team rate, prior strength, ``q``, reason and rows."""
        return {
            "metric": self.metric,
            "team_rate": self.team_rate,
            "prior_strength": self.prior_strength,
            "q": self.q,
            "reason": self.reason,
            "agents": [row.to_dict() for row in self.rows],
        }


def _scipy_stats() -> Any:
    try:
        import scipy.stats  # noqa: PLC0415 -- optional dependency, imported on use
    except ImportError:
        raise MissingExtraError(
            "comparing agents needs scipy: pip install 'servicekit[insights]'"
        ) from None
    return scipy.stats


DRAWS = 2_000
"""Posterior draws for the rank intervals, at most: fewer with many agents, so that
draws x agents stays within ``MAX_SAMPLES`` of :func:`~servicekit.insights.compare_agents`."""

MAX_SAMPLES = 200_000
MAX_AGENTS = 10_000  # as compare_agents


def _two_sided(tested: Sequence[AgentEstimate], team: float) -> list[float]:
    """Exact binomial p-values of ``successes`` of ``count`` against ``team``, two-sided
    by doubling the smaller tail (capped at 1), vectorised over the agents."""
    if not tested:
        return []
    stats = _scipy_stats()
    successes = [e.successes for e in tested]
    counts = [e.count for e in tested]
    low = stats.binom.cdf(successes, counts, team)  # P(X <= x)
    high = stats.binom.sf([x - 1 for x in successes], counts, team)  # P(X >= x)
    return [min(1.0, 2 * min(float(a), float(b))) for a, b in zip(low, high, strict=True)]


def _shrunk(
    metric: Literal["csat", "fcr"], outcomes: dict[str, Proportion], settings: InsightSettings
) -> ShrunkScores:
    draws = max(1, min(DRAWS, MAX_SAMPLES // max(len(outcomes), 1)))
    comparison = compare_agents(outcomes, min_count=settings.min_count, seed=0, draws=draws)
    team = comparison.team_rate
    testable = team is not None and 0 < team < 1
    tested = [e for e in comparison.agents if testable and e.enough_data]
    p_values = dict(
        zip((str(e.agent) for e in tested), _two_sided(tested, team or 0.0), strict=True)
    )
    q_values = dict(zip(p_values, bh_adjusted(list(p_values.values())), strict=True))
    rows = []
    for estimate in comparison.agents:
        agent = str(estimate.agent)
        q_value = q_values.get(agent)
        flag: Flag | None = None
        if q_value is not None and q_value <= settings.q and team is not None:
            flag = "above" if estimate.successes / estimate.count > team else "below"
        rows.append(
            ShrunkRow(
                agent=agent,
                successes=estimate.successes,
                count=estimate.count,
                raw=estimate.successes / estimate.count,
                estimate=estimate.estimate,
                interval=estimate.interval,
                rank=estimate.rank,
                rank_interval=estimate.rank_interval,
                enough_data=estimate.enough_data,
                p_value=p_values.get(agent),
                q_value=q_value,
                flag=flag,
            )
        )
    return ShrunkScores(
        metric=metric,
        rows=tuple(rows),
        team_rate=team,
        prior_strength=comparison.prior_strength,
        q=settings.q,
        reason=comparison.reason,
    )


def fair_scores(
    agents: Sequence[AgentRow], settings: InsightSettings
) -> tuple[tuple[ShrunkScores, ...], str]:
    """CSAT and one-touch resolution of the agents with outcomes, shrunk; or nothing and
    why (scipy missing)."""
    if len(agents) > MAX_AGENTS:
        return (), f"more than {MAX_AGENTS:,} agents, too many to compare in one report"
    try:
        csat = _shrunk("csat", {a.agent: a.csat for a in agents if a.csat.count}, settings)
        fcr = _shrunk("fcr", {a.agent: a.fcr for a in agents if a.fcr.count}, settings)
        return (csat, fcr), ""
    except MissingExtraError as exc:
        return (), str(exc)


def rising(
    tickets: Sequence[Ticket], start: datetime, end: datetime, settings: InsightSettings
) -> tuple[RisingTopics | None, str]:
    """Rising topics of ``[start, end)`` against the settings' baseline weeks before it;
    or ``None`` and why (scipy missing)."""
    try:
        return rising_topics_from_tickets(
            tickets,
            start=start,
            end=end,
            baseline_start=start - timedelta(weeks=settings.baseline_weeks),
            convention="exact",
            q=settings.q,
            min_requesters=settings.min_requesters,
            field=settings.topic_field,
        ), ""
    except MissingExtraError as exc:
        return None, str(exc)


def rising_text(topics: RisingTopics | None, note: str, weeks: int) -> list[str]:
    """The text report's "Rising topics" section."""
    lines = [f"Rising topics (against the {weeks} weeks before)"]
    if topics is None:
        return [*lines, f"  not shown: {note}"]
    if not topics.topics:
        return [*lines, f"  not enough data: {topics.reason}"]
    lines.append(f"  {topics.reason}")
    lines += [f"  - {topic.reason}" for topic in topics.flagged]
    if not topics.flagged:
        lines.append("  no topic rose beyond chance")
    return lines


def agents_text(scores: Sequence[ShrunkScores], note: str) -> list[str]:
    """The text report's "Agents compared fairly" section."""
    lines = ["Agents compared fairly", f"  {EXPLANATION}"]
    if note:
        return [*lines, f"  not shown: {note}"]
    for score in scores:
        lines.append(f"  {score.label}: {score.reason}")
        lines += [f"    {row.to_text(score.label)}" for row in score.rows]
        if not score.rows:
            lines.append("    no agent has any yet")
    return lines
