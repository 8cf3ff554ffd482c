"""Reviews of agents' conversations and each agent's Internal Quality Score (IQS).

Zendesk QA: "IQS = (review_score1 + review_score2 + ...) / (number of reviews)"; a review
with no score (everything N/A) is left out of both sums. The per-category view
("scores by category") averages each category's score over the reviews that rated it,
*without* zeroing reviews for a failed critical criterion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import attrs

from servicekit._checks import named, optional_named, short
from servicekit.errors import InvalidInputError
from servicekit.qa._scorecard import Rating, Scorecard


def _ratings(value: object) -> Mapping[str, Rating]:
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"ratings must map criterion names to ratings, got {short(value)}")
    return dict(value)


@attrs.frozen(kw_only=True)
class Review:
    """One reviewer's ratings of one of an agent's conversations.

    Args:
        agent: whose work was reviewed.
        ratings: criterion name -> rating on its scale, or ``None`` for N/A.
        reviewer: who reviewed (optional; calibration needs it).
        conversation: the ticket or conversation reviewed (optional).

    >>> Review(agent="ana", ratings={"Tone": 4}, reviewer="lead").agent
    'ana'
    """

    agent: str = attrs.field(validator=named)
    ratings: Mapping[str, Rating] = attrs.field(converter=_ratings, hash=False)
    reviewer: str | None = attrs.field(default=None, validator=optional_named)
    conversation: str | None = attrs.field(default=None, validator=optional_named)


@attrs.frozen(kw_only=True)
class AgentQuality:
    """One agent's quality on a scorecard.

    Attributes:
        agent: the agent.
        iqs: Internal Quality Score in percent, the mean of the scored reviews, or
            ``None`` when no review has a score.
        reviews: reviews given.
        scored: reviews with a score (not all N/A).
        failed: reviews zeroed by a critical criterion.
        categories: each criterion's mean category score in percent over the reviews
            that rated it, *not* zeroed by critical failures (Zendesk's "scores by
            category"); criteria never rated are absent.
        reason: one sentence a support lead can read.
    """

    agent: str
    iqs: float | None
    reviews: int
    scored: int
    failed: int
    categories: Mapping[str, float] = attrs.field(hash=False)
    reason: str

    def explain(self) -> str:
        """The IQS and the per-category view, one line each."""
        head = "no IQS" if self.iqs is None else f"IQS {self.iqs:.2f} %"
        lines = [f"{self.agent}: {head} ({self.reason})"]
        lines += [f"  {name}: {score:.2f} %" for name, score in self.categories.items()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """One row per agent: IQS, counts, reason, and one column per category."""
        return {
            "agent": self.agent,
            "iqs": self.iqs,
            "reviews": self.reviews,
            "scored": self.scored,
            "failed": self.failed,
            "reason": self.reason,
            **{f"category:{name}": score for name, score in self.categories.items()},
        }


def iqs(scorecard: Scorecard, reviews: Iterable[Review]) -> tuple[AgentQuality, ...]:
    """Each agent's Internal Quality Score on ``scorecard``, agents in name order.

    Review scores are averaged with equal weight per review (Zendesk QA's IQS), computed
    exactly (fractions) and rounded once to a float.

    Raises:
        InvalidInputError: a review that is not a :class:`Review`, or one whose ratings
            do not fit the scorecard (unknown criterion, rating off its scale).

    >>> from servicekit.qa import Criterion
    >>> card = Scorecard(name="Chat", criteria=[Criterion(name="Tone", scale=(1, 5))])
    >>> [q.iqs for q in iqs(card, [Review(agent="ana", ratings={"Tone": 5}),
    ...                            Review(agent="ana", ratings={"Tone": 3})])]
    [75.0]
    """
    if not isinstance(scorecard, Scorecard):
        raise InvalidInputError(f"scorecard must be a Scorecard, got {short(scorecard)}")
    if not isinstance(reviews, Iterable) or isinstance(reviews, str | Mapping):
        raise InvalidInputError(f"reviews must be an iterable of Review, got {short(reviews)}")
    per_agent: dict[str, list[Review]] = {}
    for review in reviews:
        if not isinstance(review, Review):
            raise InvalidInputError(f"not a Review: {short(review)}")
        per_agent.setdefault(review.agent, []).append(review)
    return tuple(_agent(scorecard, agent, per_agent[agent]) for agent in sorted(per_agent))


def _agent(scorecard: Scorecard, agent: str, reviews: list[Review]) -> AgentQuality:
    total = Fraction(0)
    scored = failed = 0
    sums: dict[str, Fraction] = {}
    counts: dict[str, int] = {}
    for review in reviews:
        result = scorecard.score(review.ratings)
        if result.value is not None:
            scored += 1
            total += Fraction(result.value)
        failed += bool(result.failed)
        for name, score in result.categories.items():
            sums[name] = sums.get(name, Fraction(0)) + Fraction(score)
            counts[name] = counts.get(name, 0) + 1
    categories = {
        c.name: float(sums[c.name] / counts[c.name]) for c in scorecard.criteria if c.name in counts
    }
    if scored == 0:
        return AgentQuality(
            agent=agent,
            iqs=None,
            reviews=len(reviews),
            scored=0,
            failed=0,
            categories=categories,
            reason=f"none of {len(reviews)} reviews has a score (all N/A)",
        )
    reason = f"mean of {scored} review scores"
    if failed:
        reason += f", {failed} zeroed by a failed critical criterion"
    if scored < len(reviews):
        reason += f", {len(reviews) - scored} all-N/A reviews left out"
    return AgentQuality(
        agent=agent,
        iqs=float(total / scored),
        reviews=len(reviews),
        scored=scored,
        failed=failed,
        categories=categories,
        reason=reason,
    )
