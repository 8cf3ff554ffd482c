"""Fair agent comparisons: empirical-Bayes beta-binomial shrinkage of per-agent
proportions (CSAT, FCR) toward the team, and the James-Stein estimator of Efron and
Morris for comparison.

An agent with 3 good ratings out of 3 is not better than one with 180 out of 200. The
beta-binomial model says each agent has a true rate drawn from a team-wide
``Beta(a, b)``; the team's data estimate ``a`` and ``b`` by the **method of moments**
(Kleinman 1973, for unequal counts), and each agent's estimate is then the posterior
mean ``(successes + a) / (count + a + b)``: an agent with few ratings is pulled toward
the team rate, one with many barely moves. ``a + b`` (``prior_strength``) is how many
ratings the team's prior is worth.

Moments, with ``k`` agents with data, ``N`` ratings, team rate ``mu = sum x / N`` and
``S = sum n_i (p_i - mu) ** 2``::

    rho = (S / (mu (1 - mu)) - (k - 1)) / sum (1 - n_i / N)(n_i - 1)
    a + b = 1 / rho - 1

``rho`` (the share of variation that is between agents) is clipped to
``[1 / (N + 1), 1 - 1e-6]``: when agents differ no more than chance makes them, the
prior is worth the whole team's ratings (near-complete shrinkage), never infinitely
more.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from fractions import Fraction
from typing import Any

import attrs

from servicekit._checks import finite, short, whole
from servicekit.errors import InvalidInputError
from servicekit.insights._scipy import scipy_stats
from servicekit.kpi import Proportion, z_score

#: The most agents one comparison takes, and the most posterior draws for ranks (in
#: all, draws x agents at most ``MAX_SAMPLES``): bounds the time a comparison takes.
MAX_AGENTS = 10_000
MAX_DRAWS = 100_000
MAX_SAMPLES = 2_000_000


@attrs.frozen(kw_only=True)
class AgentEstimate:
    """One agent's rate, raw and shrunk toward the team.

    Attributes:
        agent: the agent.
        successes: good outcomes (positive CSAT ratings, first-contact resolutions).
        count: outcomes counted.
        raw: ``successes / count``; ``None`` without data.
        estimate: the shrunk (posterior mean) rate in [0, 1].
        interval: the equal-tailed posterior interval (beta quantiles).
        shrinkage: the weight on the team rate, ``prior_strength / (count +
            prior_strength)``, in (0, 1]: 1 is all team, near 0 all the agent's own data.
        rank: 1 for the highest estimate (ties share the better rank).
        rank_interval: the ranks the agent takes in the middle ``confidence`` share of
            posterior draws: how sure the rank is.
        enough_data: ``count >= min_count``; an agent without enough data is shown but
            should not be singled out.
        reason: one sentence a support lead can read.
    """

    agent: Hashable
    successes: int
    count: int
    raw: float | None
    estimate: float
    interval: tuple[float, float]
    shrinkage: float
    rank: int
    rank_interval: tuple[int, int]
    enough_data: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """One row per agent."""
        row = attrs.asdict(self)
        row["low"], row["high"] = row.pop("interval")
        row["rank_low"], row["rank_high"] = row.pop("rank_interval")
        return row


@attrs.frozen(kw_only=True)
class AgentComparison:
    """Every agent's shrunk rate against the team.

    Attributes:
        agents: one :class:`AgentEstimate` per agent, best estimate first.
        team_rate: the team's pooled rate ``sum successes / sum count``, or ``None``
            without data.
        prior_strength: ``a + b``, how many ratings the team prior is worth.
        method: how the prior was fitted (``"method of moments"``).
        confidence: the level of the intervals.
        reason: how the comparison came about, or why it could not.
    """

    agents: tuple[AgentEstimate, ...]
    team_rate: float | None
    prior_strength: float | None
    method: str
    confidence: float
    reason: str

    def explain(self) -> str:
        """The team context, then one line per agent."""
        lines = [self.reason]
        for agent in self.agents:
            lines.append(f"  {agent.rank}. {agent.agent}: {agent.reason}")
        return "\n".join(lines)

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per agent (for a data frame)."""
        return [agent.to_dict() for agent in self.agents]


def _outcome(agent: object, value: object) -> tuple[int, int]:
    if isinstance(value, Proportion):
        return value.successes, value.count
    if isinstance(value, tuple | list) and len(value) == 2:
        successes = whole(f"{agent}: successes", value[0], low=0)
        count = whole(f"{agent}: count", value[1], low=0)
        if successes > count:
            raise InvalidInputError(f"{agent}: {successes} successes out of only {count}")
        return successes, count
    raise InvalidInputError(
        f"{agent}: expected a Proportion or (successes, count), got {short(value)}"
    )


def compare_agents(
    outcomes: Mapping[Any, Proportion | tuple[int, int]],
    *,
    min_count: int = 20,
    confidence: float = 0.95,
    seed: int = 0,
    draws: int = 2_000,
) -> AgentComparison:
    """Shrink each agent's CSAT or FCR proportion toward the team (empirical-Bayes
    beta-binomial, method of moments; see the module docstring), with posterior
    intervals and ranks with their uncertainty.

    Args:
        outcomes: agent -> a :class:`~servicekit.kpi.Proportion` (from ``kpi.csat`` or
            ``kpi.fcr`` per agent) or ``(successes, count)``.
        min_count: below this many outcomes an agent is flagged "not enough data".
        confidence: the level of the intervals, in (0, 1).
        seed: the seed of the posterior draws that give rank intervals.
        draws: posterior draws for the rank intervals (1 to 100,000; draws x agents
            at most 2,000,000).

    Raises:
        InvalidInputError: malformed outcomes or arguments.
        MissingExtraError: scipy (extra ``insights``) is not installed.

    >>> result = compare_agents({"ana": (3, 3), "bo": (180, 200), "cy": (150, 200)})
    >>> [(a.agent, round(a.estimate, 3), a.enough_data) for a in result.agents]
    [('bo', 0.895, True), ('ana', 0.859, False), ('cy', 0.755, True)]
    """
    if not isinstance(outcomes, Mapping):
        raise InvalidInputError(f"outcomes must map agents to proportions, got {short(outcomes)}")
    if len(outcomes) > MAX_AGENTS:
        raise InvalidInputError(f"at most {MAX_AGENTS:,} agents per comparison")
    floor = whole("min_count", min_count, low=1)
    z_score(confidence)
    whole("seed", seed)
    draws = whole("draws", draws, low=1, high=MAX_DRAWS)
    data = {agent: _outcome(agent, value) for agent, value in outcomes.items()}
    if draws * len(data) > MAX_SAMPLES:
        raise InvalidInputError(
            f"{draws:,} draws x {len(data):,} agents is too many posterior samples "
            f"(at most {MAX_SAMPLES:,}): ask fewer draws"
        )
    method = "method of moments"
    total = sum(n for _, n in data.values())
    if total == 0:
        return AgentComparison(
            agents=(),
            team_rate=None,
            prior_strength=None,
            method=method,
            confidence=confidence,
            reason="no outcomes for any agent, so there is nothing to compare",
        )
    successes = sum(x for x, _ in data.values())
    mu = Fraction(successes, total)
    strength, why = _prior_strength(data, mu, total)
    stats = scipy_stats("compare_agents")
    if mu in (0, 1):
        a = b = None
    else:
        a, b = float(mu) * strength, float(1 - mu) * strength
    tail = (1 - confidence) / 2
    names = list(data)
    posteriors = []
    for agent in names:
        x, n = data[agent]
        if a is None or b is None:  # everyone all-good or all-bad: Jeffreys per agent
            posteriors.append((x + 0.5, n - x + 0.5))
        else:
            posteriors.append((a + x, b + n - x))
    means = [alpha / (alpha + beta) for alpha, beta in posteriors]
    if a is None:
        means = [float(mu)] * len(names)
    low = stats.beta.ppf(tail, *zip(*posteriors, strict=True))
    high = stats.beta.ppf(1 - tail, *zip(*posteriors, strict=True))
    ranks = _ranks(means)
    rank_low, rank_high = _rank_intervals(stats, posteriors, draws, seed, tail)
    estimates = []
    for i, agent in enumerate(names):
        x, n = data[agent]
        estimates.append(
            AgentEstimate(
                agent=agent,
                successes=x,
                count=n,
                raw=x / n if n else None,
                estimate=means[i],
                interval=(float(low[i]), float(high[i])),
                shrinkage=0.0 if a is None else strength / (n + strength),
                rank=ranks[i],
                rank_interval=(int(rank_low[i]), int(rank_high[i])),
                enough_data=n >= floor,
                reason=_sentence(
                    x, n, means[i], float(mu), floor, confidence, (float(low[i]), float(high[i]))
                ),
            )
        )
    estimates.sort(key=lambda e: (e.rank, short(e.agent)))
    return AgentComparison(
        agents=tuple(estimates),
        team_rate=float(mu),
        prior_strength=strength if a is not None else None,
        method=method,
        confidence=confidence,
        reason=f"team rate {float(mu):.1%} over {total} outcomes of {len(names)} agents; {why}",
    )


def _prior_strength(
    data: Mapping[Hashable, tuple[int, int]], mu: Fraction, total: int
) -> tuple[float, str]:
    """``a + b`` by the method of moments, clipped; and a sentence about it."""
    if mu in (0, 1):
        side = "good" if mu == 1 else "bad"
        return 0.0, f"every outcome was {side}, so there is no spread to shrink toward"
    with_data = [(x, n) for x, n in data.values() if n]
    k = len(with_data)
    if k < 2:
        return float(total), "only one agent has outcomes: estimates lean on the team prior"
    spread = sum((n * (Fraction(x, n) - mu) ** 2 for x, n in with_data), Fraction(0))
    denominator = sum((Fraction(total - n, total) * (n - 1) for _, n in with_data), Fraction(0))
    low, high = Fraction(1, total + 1), 1 - Fraction(1, 10**6)
    # every agent with exactly one outcome: the between-agent spread is unknown
    rho = low if denominator == 0 else (spread / (mu * (1 - mu)) - (k - 1)) / denominator
    if rho <= low:
        return float(1 / low - 1), (
            "agents differ no more than chance makes them, so each is pulled almost "
            "entirely to the team rate"
        )
    rho = min(rho, high)
    strength = float(1 / rho - 1)
    return strength, f"the team prior is worth {strength:.0f} outcomes (method of moments)"


def _ranks(means: list[float]) -> list[int]:
    """1 + how many estimates are higher (ties share the better rank)."""
    ordered = sorted(means, reverse=True)
    first: dict[float, int] = {}
    for position, value in enumerate(ordered, 1):
        first.setdefault(value, position)
    return [first[mean] for mean in means]


def _rank_intervals(
    stats: Any, posteriors: list[tuple[float, float]], draws: int, seed: int, tail: float
) -> tuple[list[int], list[int]]:
    import numpy as np  # noqa: PLC0415 -- comes with scipy, imported on use

    rng = np.random.default_rng(seed)
    alphas, betas = (np.array(values, dtype=float) for values in zip(*posteriors, strict=True))
    samples = stats.beta.rvs(alphas, betas, size=(draws, len(posteriors)), random_state=rng)
    order = (-samples).argsort(axis=1)
    ranks = np.empty_like(order)
    rows = np.arange(draws)[:, None]
    ranks[rows, order] = np.arange(1, len(posteriors) + 1)
    low = np.quantile(ranks, tail, axis=0, method="inverted_cdf")
    high = np.quantile(ranks, 1 - tail, axis=0, method="inverted_cdf")
    return [int(v) for v in low], [int(v) for v in high]


def _sentence(  # noqa: PLR0917 -- private, one call site
    x: int,
    n: int,
    estimate: float,
    team: float,
    floor: int,
    confidence: float,
    interval: tuple[float, float],
) -> str:
    low, high = interval
    span = f"{estimate:.1%} ({confidence:.0%} interval {low:.1%} to {high:.1%})"
    if n == 0:
        return f"no outcomes yet: shown at the team rate {span}; not enough data"
    own = f"{x} of {n} good ({x / n:.1%})"
    if n < floor:
        return f"{own}, shrunk to {span}; not enough data to single out (fewer than {floor})"
    if low > team:
        side = "above the team rate"
    elif high < team:
        side = "below the team rate: a coaching candidate"
    else:
        side = "not distinguishable from the team rate"
    return f"{own}, shrunk to {span}, {side}"


@attrs.frozen(kw_only=True)
class JamesStein:
    """The James-Stein estimate of many means toward their grand mean.

    Attributes:
        mean: the grand mean of the values.
        shrinkage: ``c`` in ``estimate = mean + c * (value - mean)``, in [0, 1]; 1 is no
            shrinkage (Efron and Morris call it the shrinking factor).
        estimates: the shrunk values, in input order.
        reason: how ``c`` came about.
    """

    mean: float
    shrinkage: float
    estimates: tuple[float, ...]
    reason: str


def james_stein(values: Iterable[float], *, variance: float) -> JamesStein:
    """The positive-part James-Stein estimator toward the grand mean, as Efron and
    Morris (1975, 1977) applied it to batting averages:
    ``c = max(0, 1 - (k - 3) * variance / sum((value - mean) ** 2))``.

    Args:
        values: ``k >= 4`` observed means (e.g. batting averages, agents' CSAT shares).
        variance: the sampling variance of each value (e.g. ``p (1 - p) / n`` for
            proportions of ``n`` trials with a common ``p``), > 0.

    Raises:
        InvalidInputError: fewer than 4 values, a value or variance that is not a finite
            number, or a variance <= 0.

    >>> hits = [18, 17, 16, 15, 14, 14, 13, 12, 11, 11, 10, 10, 10, 10, 10, 9, 8, 7]
    >>> averages = [h / 45 for h in hits]
    >>> team = sum(averages) / len(averages)
    >>> result = james_stein(averages, variance=team * (1 - team) / 45)
    >>> round(result.shrinkage, 3), round(result.estimates[0], 3)
    (0.212, 0.294)
    """
    if not isinstance(values, Iterable) or isinstance(values, str | bytes):
        raise InvalidInputError(f"values must be numbers, got {short(values)}")
    numbers = []
    for index, value in enumerate(values):
        if index >= MAX_DRAWS:
            raise InvalidInputError(f"at most {MAX_DRAWS:,} values")
        numbers.append(finite("a value", value))
    var = finite("variance", variance)
    if var <= 0:
        raise InvalidInputError(f"variance must be above 0, got {short(variance)}")
    k = len(numbers)
    if k < 4:
        raise InvalidInputError(f"James-Stein needs at least 4 values, got {k}")
    mean = math.fsum(numbers) / k
    spread = math.fsum((v - mean) * (v - mean) for v in numbers)  # inf, never OverflowError
    if not math.isfinite(spread) or not math.isfinite(var):
        raise InvalidInputError("values too large to square in floating point; rescale them")
    if spread == 0:
        c, reason = 0.0, "all values are equal: every estimate is the mean"
    else:
        c = max(0.0, 1 - (k - 3) * var / spread)
        reason = f"{k} values; spread {spread:.4g} against sampling variance {var:.4g}" + (
            " (positive part: shrunk fully to the mean)" if c == 0 else ""
        )
    return JamesStein(
        mean=mean,
        shrinkage=c,
        estimates=tuple(mean + c * (v - mean) for v in numbers),
        reason=reason,
    )
