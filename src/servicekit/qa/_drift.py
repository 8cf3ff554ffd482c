"""Each reviewer's drift from the others, and a calibration summary that puts alpha,
Fleiss' kappa and the drifts in one value.

A reviewer is compared on each unit with the *other* reviewers of that unit (so a
reviewer never agrees with themself): on nominal ratings, the share of (reviewer,
other) rating pairs that match; on ordinal, interval and ratio ratings also the mean of
``rating - mean of the others' ratings``, in scale points (positive: more lenient).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import attrs

from servicekit.qa._agreement import Agreement, fleiss_kappa, krippendorff_alpha
from servicekit.qa._matrix import is_matrix
from servicekit.qa._ratings import MAX_RATINGS, Level, check_level, read_table, sort_key


@attrs.frozen(kw_only=True)
class ReviewerDrift:
    """How one reviewer's ratings differ from the other reviewers' of the same units.

    Attributes:
        reviewer: the reviewer.
        units: units this reviewer shared with at least one other reviewer.
        agreement: the share of (this reviewer, other reviewer) rating pairs on those
            units that are equal, in [0, 1]; ``None`` without shared units.
        mean_difference: for ordinal, interval and ratio ratings, the mean of this
            reviewer's rating minus the others' mean rating, in scale points (positive:
            rates higher than the others); ``None`` for nominal ratings.
        reason: one sentence a support lead can act on.
    """

    reviewer: Hashable
    units: int
    agreement: float | None
    mean_difference: float | None
    reason: str

    def explain(self) -> str:
        """The reviewer and their drift in one line."""
        return f"{self.reviewer}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        """One row per reviewer."""
        return {
            "reviewer": self.reviewer,
            "units": self.units,
            "agreement": self.agreement,
            "mean_difference": self.mean_difference,
            "reason": self.reason,
        }


def reviewer_drift(ratings: object, *, level: Level) -> tuple[ReviewerDrift, ...]:
    """Each reviewer's drift from the others who rated the same units, reviewers sorted.

    Args:
        ratings: rows of ``(unit, reviewer, value)``, a mapping
            ``unit -> {reviewer: value}`` or a NumPy array of reviewers x units;
            ``None``/NaN is missing.
        level: the level of measurement (see :func:`krippendorff_alpha`).

    Raises:
        InvalidInputError: malformed ratings or a bad level.

    >>> rows = [("t1", "ana", 4), ("t1", "bo", 2), ("t1", "cy", 2),
    ...         ("t2", "ana", 5), ("t2", "bo", 3), ("t2", "cy", 3)]
    >>> print(reviewer_drift(rows, level="interval")[0].explain())
    ana: rates 2.00 points higher than the others on average over 2 shared units; \
matches them on 0% of rating pairs
    """
    level = check_level(level)
    table, _ = read_table(ratings, level)
    pairs: dict[Hashable, list[int]] = {}
    differences: dict[Hashable, list[float]] = {}
    for row in table.values():
        m = len(row)
        if m < 2:
            continue
        seen = Counter(row.values())
        total = math.fsum(float(v) for v in row.values()) if level != "nominal" else 0.0  # type: ignore[arg-type]
        for reviewer, value in row.items():
            tally = pairs.setdefault(reviewer, [0, 0, 0])
            tally[0] += 1
            tally[1] += seen[value] - 1
            tally[2] += m - 1
            if level != "nominal":
                others = (total - float(value)) / (m - 1)  # type: ignore[arg-type]
                differences.setdefault(reviewer, []).append(float(value) - others)  # type: ignore[arg-type]
    reviewers = {r for row in table.values() for r in row}
    return tuple(
        _drift(reviewer, pairs.get(reviewer), differences.get(reviewer), level)
        for reviewer in sorted(reviewers, key=sort_key)
    )


def _drift(
    reviewer: Hashable,
    tally: list[int] | None,
    differences: list[float] | None,
    level: Level,
) -> ReviewerDrift:
    if tally is None:
        return ReviewerDrift(
            reviewer=reviewer,
            units=0,
            agreement=None,
            mean_difference=None,
            reason="shares no unit with another reviewer, so cannot be compared",
        )
    units, matches, compared = tally
    agreement = matches / compared
    reason = f"matches them on {agreement:.0%} of rating pairs"
    mean = None
    if level != "nominal" and differences:
        mean = math.fsum(differences) / len(differences)
        if abs(mean) < 1e-9:
            side = "rates like the others on average"
        else:
            direction = "higher" if mean > 0 else "lower"
            side = f"rates {abs(mean):.2f} points {direction} than the others on average"
        reason = f"{side} over {units} shared unit{'s' * (units != 1)}; {reason}"
    else:
        reason = f"over {units} shared unit{'s' * (units != 1)}, {reason}"
    return ReviewerDrift(
        reviewer=reviewer, units=units, agreement=agreement, mean_difference=mean, reason=reason
    )


@attrs.frozen(kw_only=True)
class Calibration:
    """Is our QA consistent? Krippendorff's alpha (with a bootstrap interval), Fleiss'
    kappa and each reviewer's drift, from one set of calibration ratings.

    Attributes:
        alpha: Krippendorff's alpha at the chosen level.
        fleiss: Fleiss' kappa (categories as nominal).
        drift: one :class:`ReviewerDrift` per reviewer, sorted.
    """

    alpha: Agreement
    fleiss: Agreement
    drift: tuple[ReviewerDrift, ...]

    def explain(self) -> str:
        """A few lines for a support lead: the coefficients, then each reviewer."""
        lines = [self.alpha.explain(), self.fleiss.explain(), "Reviewers:"]
        lines += [f"  {drift.explain()}" for drift in self.drift]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The coefficients and reviewer rows as plain data."""
        return {
            "alpha": self.alpha.to_dict(),
            "fleiss": self.fleiss.to_dict(),
            "drift": [drift.to_dict() for drift in self.drift],
        }


def calibrate(
    ratings: object,
    *,
    level: Level,
    resamples: int = 1000,
    seed: int,
    confidence: float = 0.95,
) -> Calibration:
    """A calibration session's summary: alpha with a seeded bootstrap interval, Fleiss'
    kappa and each reviewer's drift (arguments as :func:`krippendorff_alpha`).

    Raises:
        InvalidInputError: malformed ratings or arguments.

    >>> rows = [(t, r, v) for t, vs in {"t1": (5, 5, 4), "t2": (2, 2, 2), "t3": (4, 3, 4)}.items()
    ...         for r, v in zip(("ana", "bo", "cy"), vs)]
    >>> result = calibrate(rows, level="ordinal", resamples=200, seed=7)
    >>> round(result.alpha.value, 3), [d.reviewer for d in result.drift]
    (0.836, ['ana', 'bo', 'cy'])
    """
    rows = _materialise(ratings)
    return Calibration(
        alpha=krippendorff_alpha(
            rows, level=level, resamples=resamples, seed=seed, confidence=confidence
        ),
        fleiss=fleiss_kappa(rows),
        drift=reviewer_drift(rows, level=level),
    )


def _materialise(ratings: object) -> object:
    """Ratings that can be read three times (a generator is read once into a list)."""
    if (
        isinstance(ratings, Mapping | str | bytes)
        or not isinstance(ratings, Iterable)
        or is_matrix(ratings)
    ):
        return ratings
    return list(itertools.islice(ratings, MAX_RATINGS + 1))
