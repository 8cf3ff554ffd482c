"""The report's QA section: each agent's Internal Quality Score on the settings'
scorecard (:func:`servicekit.qa.iqs`) and, when conversations were reviewed by more
than one reviewer, how consistent the reviewers are (:func:`servicekit.qa.calibrate`).

Calibration units are (conversation, criterion) pairs and the values are category
scores in percent (each rating mapped onto 0-100 by its criterion's scale), compared
at the *interval* level: criteria on different scales become comparable, and a
reviewer who gives 4 where the others give 5 disagrees less than one who gives 1."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from servicekit._checks import checked_items, of_kind, short
from servicekit.errors import InvalidInputError
from servicekit.qa import AgentQuality, Calibration, Review, Scorecard, calibrate, iqs

RESAMPLES = 500
"""Bootstrap resamples of the report's calibration interval (seed 0), at most."""

BOOTSTRAP_BUDGET = 100_000
"""Units drawn over all resamples at most: with many shared units the report takes
fewer resamples (``BOOTSTRAP_BUDGET // units``; none above 100,000 units), so the
section stays quick."""


@attrs.frozen(kw_only=True)
class QASection:
    """The QA reviews of the report.

    Attributes:
        scorecard: the scorecard's name.
        reviews: reviews given.
        agents: each reviewed agent's IQS and per-category scores, by name.
        calibration: Krippendorff's alpha (interval level, with a seeded bootstrap
            interval of up to :data:`RESAMPLES` resamples), Fleiss' kappa and each
            reviewer's drift; ``None`` when no conversation was reviewed by two
            reviewers.
        note: why there is no calibration, else empty.

    >>> from servicekit.qa import Criterion
    >>> card = Scorecard(name="Chat", criteria=[Criterion(name="Tone", scale=(1, 5))])
    >>> section = qa_section(card, [Review(agent="ana", ratings={"Tone": 4})])
    >>> section.agents[0].iqs, section.calibration is None
    (75.0, True)
    """

    scorecard: str
    reviews: int
    agents: tuple[AgentQuality, ...]
    calibration: Calibration | None
    note: str

    def to_text(self) -> list[str]:
        """The text report's lines."""
        lines = [f"Quality reviews (scorecard {self.scorecard!r}, {self.reviews:,} reviews)"]
        for agent in self.agents:
            score = "no IQS" if agent.iqs is None else f"IQS {agent.iqs:.1f}%"
            lines.append(f"  {agent.agent}: {score} ({agent.reason})")
        if not self.agents:
            lines.append("  no reviews given")
        if self.calibration is None:
            lines.append(f"  Reviewer calibration: {self.note}")
        else:
            lines.append("  Reviewer calibration (category scores, interval level):")
            lines += [f"    {line}" for line in self.calibration.explain().splitlines()]
        return lines

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: scorecard, review count, agents, calibration (or ``None``), note."""
        return {
            "scorecard": self.scorecard,
            "reviews": self.reviews,
            "agents": [agent.to_dict() for agent in self.agents],
            "calibration": None if self.calibration is None else self.calibration.to_dict(),
            "note": self.note,
        }


def calibration_rows(
    scorecard: Scorecard, reviews: Iterable[Review]
) -> list[tuple[str, str, float]]:
    """``(unit, reviewer, category score)`` rows of the reviews that name both their
    reviewer and their conversation; a unit is ``"conversation / criterion"``.

    Raises:
        InvalidInputError: a reviewer who reviewed one conversation twice.
    """
    rows = []
    seen: set[tuple[str, str]] = set()
    for review in reviews:
        if review.reviewer is None or review.conversation is None:
            continue
        key = (review.reviewer, review.conversation)
        if key in seen:
            raise InvalidInputError(
                f"reviewer {short(review.reviewer)} reviewed conversation "
                f"{short(review.conversation)} twice"
            )
        seen.add(key)
        for name, rating in review.ratings.items():
            if rating is not None:
                score = scorecard.criterion(name).score(rating)
                rows.append((f"{review.conversation} / {name}", review.reviewer, score))
    return rows


def qa_section(scorecard: Scorecard, reviews: Iterable[Review]) -> QASection:
    """The QA section of ``reviews`` scored on ``scorecard``.

    Raises:
        InvalidInputError: something other than a review, ratings that do not fit the
            scorecard, a reviewer who reviewed one conversation twice.
    """
    of_kind(scorecard, Scorecard, "scorecard")
    given = list(checked_items(reviews, Review, "review"))
    agents = iqs(scorecard, given)  # checks every review against the scorecard
    rows = calibration_rows(scorecard, given)
    reviewers: dict[str, set[str]] = {}
    for unit, reviewer, _ in rows:
        reviewers.setdefault(unit, set()).add(reviewer)
    shared = sum(len(names) > 1 for names in reviewers.values())
    calibration = None
    note = ""
    if not shared:
        note = (
            "not shown: no conversation was reviewed by two reviewers (give each review "
            "its reviewer and conversation, and have several reviewers score the same ones)"
        )
    else:
        resamples = min(RESAMPLES, BOOTSTRAP_BUDGET // shared)
        calibration = calibrate(rows, level="interval", resamples=resamples, seed=0)
    return QASection(
        scorecard=scorecard.name,
        reviews=len(given),
        agents=agents,
        calibration=calibration,
        note=note,
    )
