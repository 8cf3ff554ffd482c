"""Cohen's kappa between two reviewers, unweighted or with linear (Cicchetti-Allison) or
quadratic (Fleiss-Cohen) weights, with its asymptotic standard error as SAS PROC FREQ
computes it (Fleiss, Cohen and Everitt 1969)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, Literal, get_args

import attrs

from servicekit._checks import short
from servicekit.errors import InvalidInputError
from servicekit.kpi import z_score
from servicekit.qa._ratings import MAX_RATINGS, check_value, is_missing, sort_key

#: How disagreements are weighted: ``none`` (any disagreement counts fully),
#: ``linear`` (``1 - |i - j| / (C - 1)``, Cicchetti-Allison, SAS's default for weighted
#: kappa) or ``quadratic`` (``1 - (i - j)**2 / (C - 1)**2``, Fleiss-Cohen).
Weights = Literal["none", "linear", "quadratic"]

#: The most categories a table may have (a C x C table is built).
MAX_CATEGORIES = 1_000


@attrs.frozen(kw_only=True)
class Kappa:
    """Cohen's kappa between two reviewers.

    Attributes:
        value: kappa; ``None`` when undefined (no pairs, or both reviewers always gave
            the one same category, so chance agreement is 1).
        ase: the asymptotic standard error (SAS's ``ASE``), ``None`` with ``value``.
        interval: ``value +- z * ase`` at ``confidence``.
        confidence: the interval's confidence level.
        observed: the (weighted) share of agreement seen.
        expected: the (weighted) share of agreement chance gives.
        weights: ``none``, ``linear`` or ``quadratic``.
        count: pairs rated by both reviewers.
        missing: pairs left out because a rating was missing.
        reason: one sentence on how the value came about, or why there is none.
    """

    value: float | None
    ase: float | None
    interval: tuple[float, float] | None
    confidence: float
    observed: float | None
    expected: float | None
    weights: Weights
    count: int
    missing: int
    reason: str

    def explain(self) -> str:
        """The value, its standard error and what it means."""
        name = "Cohen's kappa" if self.weights == "none" else f"{self.weights} weighted kappa"
        if self.value is None or self.interval is None:
            return f"{name}: not defined. {self.reason}."
        low, high = self.interval
        return (
            f"{name} = {self.value:.4f} (ASE {self.ase:.4f}; {self.confidence:.0%} interval "
            f"{low:.4f} to {high:.4f}): observed agreement {self.observed:.1%} against "
            f"{self.expected:.1%} by chance. {self.reason}."
        )

    def to_dict(self) -> dict[str, Any]:
        """One row: value, ASE, interval ends, agreement shares, counts and reason."""
        low, high = self.interval if self.interval is not None else (None, None)
        return {
            "weights": self.weights,
            "value": self.value,
            "ase": self.ase,
            "low": low,
            "high": high,
            "observed": self.observed,
            "expected": self.expected,
            "count": self.count,
            "missing": self.missing,
            "reason": self.reason,
        }


def cohen_kappa(
    pairs: Iterable[tuple[Hashable, Hashable]],
    *,
    weights: Weights,
    categories: Sequence[Hashable] | None = None,
    confidence: float = 0.95,
) -> Kappa:
    """Cohen's kappa between two reviewers who rated the same units.

    Args:
        pairs: one ``(first reviewer's rating, second reviewer's rating)`` per unit; a
            pair with a missing (``None``/NaN) rating is left out and counted.
        weights: ``none``, ``linear`` or ``quadratic`` (required: which one a team uses
            changes the number). Weights use the *position* of each category in
            ``categories`` (or in the sorted numbers seen), as SAS does for
            consecutive scores.
        categories: the categories in order. Required for weighted kappa of
            non-numeric ratings; gives the full scale even when some categories were
            never used.
        confidence: the level of the interval ``kappa +- z * ASE``.

    Raises:
        InvalidInputError: malformed pairs, a rating outside ``categories``, weighted
            kappa of unordered ratings without ``categories``, or a bad ``weights``.

    >>> table = {("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15}
    >>> pairs = [pair for pair, times in table.items() for _ in range(times)]
    >>> round(cohen_kappa(pairs, weights="none").value, 4)
    0.4
    """
    if weights not in get_args(Weights):
        raise InvalidInputError(
            f"weights must be one of {', '.join(get_args(Weights))}; got {short(weights)}"
        )
    z = z_score(confidence)
    table, missing = _table(pairs)
    order = _order(table, categories, weights)
    count = sum(table.values())
    if count == 0:
        return _undefined(weights, confidence, 0, missing, "no unit was rated by both reviewers")
    size = len(order)
    index = {category: i for i, category in enumerate(order)}
    p = [[0.0] * size for _ in range(size)]
    for (a, b), times in table.items():
        p[index[a]][index[b]] += times / count
    w = [[_weight(i, j, size, weights) for j in range(size)] for i in range(size)]
    rows = [sum(row) for row in p]
    cols = [sum(p[i][j] for i in range(size)) for j in range(size)]
    observed = sum(w[i][j] * p[i][j] for i in range(size) for j in range(size))
    expected = sum(w[i][j] * rows[i] * cols[j] for i in range(size) for j in range(size))
    if expected >= 1 - 1e-12:
        return _undefined(
            weights,
            confidence,
            count,
            missing,
            "both reviewers gave every unit the same single category, so chance alone "
            "explains all agreement",
        )
    kappa = (observed - expected) / (1 - expected)
    row_w = [sum(cols[j] * w[i][j] for j in range(size)) for i in range(size)]
    col_w = [sum(rows[i] * w[i][j] for i in range(size)) for j in range(size)]
    spread = sum(
        p[i][j] * (w[i][j] - (row_w[i] + col_w[j]) * (1 - kappa)) ** 2
        for i in range(size)
        for j in range(size)
    )
    variance = (spread - (kappa - expected * (1 - kappa)) ** 2) / ((1 - expected) ** 2 * count)
    ase = math.sqrt(max(variance, 0.0))
    reason = f"{count} units rated by both reviewers"
    if missing:
        reason += f", {missing} left out for a missing rating"
    return Kappa(
        value=kappa,
        ase=ase,
        interval=(kappa - z * ase, kappa + z * ase),
        confidence=confidence,
        observed=observed,
        expected=expected,
        weights=weights,
        count=count,
        missing=missing,
        reason=reason,
    )


def _table(pairs: object) -> tuple[Counter[tuple[Hashable, Hashable]], int]:
    if not isinstance(pairs, Iterable) or isinstance(pairs, str | bytes | Mapping):
        raise InvalidInputError(f"pairs must be (rating, rating) tuples, got {short(pairs)}")
    table: Counter[tuple[Hashable, Hashable]] = Counter()
    missing = 0
    for index, pair in enumerate(pairs):
        if index >= MAX_RATINGS:
            raise InvalidInputError(f"at most {MAX_RATINGS:,} pairs per call")
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise InvalidInputError(f"a pair is (rating, rating), got {short(pair)}")
        a, b = pair
        if is_missing(a) or is_missing(b):
            missing += 1
            continue
        table[(check_value(a, "nominal"), check_value(b, "nominal"))] += 1
    return table, missing


def _order(
    table: Counter[tuple[Hashable, Hashable]],
    categories: Sequence[Hashable] | None,
    weights: Weights,
) -> list[Hashable]:
    seen = {value for pair in table for value in pair}
    if categories is not None:
        if not isinstance(categories, Sequence) or isinstance(categories, str | bytes):
            raise InvalidInputError(f"categories must be a sequence, got {short(categories)}")
        order = list(categories)
        if len(set(order)) != len(order):
            raise InvalidInputError(f"categories repeat a value: {short(order)}")
        unknown = seen - set(order)
        if unknown:
            raise InvalidInputError(
                f"ratings {short(sorted(unknown, key=sort_key))} are not among the categories"
            )
    else:
        numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in seen)
        if weights != "none" and not numeric:
            raise InvalidInputError(
                "weighted kappa needs ordered categories: pass categories=[...] in order"
            )
        order = sorted(seen, key=sort_key)
    if len(order) > MAX_CATEGORIES:
        raise InvalidInputError(f"at most {MAX_CATEGORIES} categories, got {len(order)}")
    return order


def _weight(i: int, j: int, size: int, weights: Weights) -> float:
    if weights == "none" or size == 1:
        return float(i == j)
    if weights == "linear":
        return 1 - abs(i - j) / (size - 1)
    return 1 - (i - j) ** 2 / (size - 1) ** 2


def _undefined(weights: Weights, confidence: float, count: int, missing: int, why: str) -> Kappa:
    return Kappa(
        value=None,
        ase=None,
        interval=None,
        confidence=confidence,
        observed=None,
        expected=None,
        weights=weights,
        count=count,
        missing=missing,
        reason=why,
    )
